"""``{% fablab_opening_hours %}``: the FabLab's opening hours from the data, for any page
(the About page's contacts use it). Two queries."""

from django import template

from .. import hours

register = template.Library()


@register.inclusion_tag("fablab/_opening_hours.html")
def fablab_opening_hours(days_ahead: int = 30, heading: bool = False):
    return {
        "weekly_hours": hours.weekly_summary(),
        "exceptions": hours.upcoming_exceptions(days=days_ahead),
        "heading": heading,
    }
