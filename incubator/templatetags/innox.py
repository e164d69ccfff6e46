from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def uzs_short(value):
    """8 310 000 000 → "8.31 billion UZS" (in the page's language)."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if value >= 1_000_000_000:
        return _("%(value)s billion UZS") % {"value": number_format(value / 1_000_000_000, 2)}
    if value >= 1_000_000:
        return _("%(value)s million UZS") % {"value": number_format(value / 1_000_000, 1)}
    return _("%(value)s UZS") % {"value": number_format(value, 0, force_grouping=True)}


@register.filter
def money(value):
    """A whole amount with grouped thousands: 20000.00 → 20,000 (locale-aware)."""
    if value in (None, ""):
        return ""
    return number_format(Decimal(value), 0, force_grouping=True)
