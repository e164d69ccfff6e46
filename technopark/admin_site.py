"""The portal's admin site: Django's, with every search box reading Uzbek typed in Cyrillic.

The content is stored in Uzbek Latin (and Russian, English); a member of staff working in
Ўзбекча, or with a Cyrillic keyboard, types "Веб дастурлаш" or "робототехника". Every
ModelAdmin registered here gets :class:`CyrillicSearchMixin` in front of its own class (there is
no common base class for the apps' admins to inherit it from), so the change lists and the
autocomplete widgets find "Veb dasturlash" and "LEGO robototexnikasi" as well as what was typed.

Installed as the default site by ``technopark.apps.TechnoparkAdminConfig`` (in INSTALLED_APPS in
place of ``django.contrib.admin``), so ``admin.site`` and ``@admin.register`` are this site.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

from technopark.transliteration import cyrillic_to_latin, has_cyrillic


class CyrillicSearchMixin:
    """``get_search_results`` for the term as typed, or (when it holds Cyrillic) for its Latin
    reading (technopark.transliteration.cyrillic_to_latin): the rows that match either."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not has_cyrillic(search_term):
            return results, may_have_duplicates
        latin = cyrillic_to_latin(search_term)
        latin_results, latin_duplicates = super().get_search_results(request, queryset, latin)
        try:
            combined = results | latin_results
        except TypeError:  # an admin's own search returned a query that cannot be OR-ed (a union)
            return results, may_have_duplicates
        return combined, may_have_duplicates or latin_duplicates


def with_cyrillic_search(admin_class: type) -> type:
    """``admin_class`` with :class:`CyrillicSearchMixin` first in its bases (same name and module)."""
    if issubclass(admin_class, CyrillicSearchMixin):
        return admin_class
    namespace = {
        "__module__": admin_class.__module__,
        "__qualname__": admin_class.__qualname__,
        "__doc__": admin_class.__doc__,
    }
    return type(admin_class)(admin_class.__name__, (CyrillicSearchMixin, admin_class), namespace)


class TechnoparkAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, with_cyrillic_search(admin_class or admin.ModelAdmin), **options)


# --- Autocomplete widgets shown again with a value that is no id -----------------------------------
# When an admin form with an autocomplete field (a masterclass's school, a clearance's person) comes
# back with errors, Django's widget looks the submitted value up to show it again
# (``AutocompleteMixin.optgroups``: ``filter(pk__in=[value])``). A value that is no id ("true", a
# number past the column's range) made that lookup raise ValueError or a database error: a 500
# instead of the form's own "select a valid choice" (found by tests/security/test_fuzz.py, the admin
# add forms). The values the target field cannot hold are left out before the lookup; inlines'
# widgets included, so it is done on the widget rather than on each ModelAdmin.
_django_optgroups = AutocompleteMixin.optgroups


def _values_the_field_can_hold(widget, values):
    opts = widget.field.remote_field.model._meta
    target = opts.get_field(getattr(widget.field.remote_field, "field_name", opts.pk.attname))
    kept = []
    for value in values:
        try:
            target.run_validators(target.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError):
            continue
        kept.append(value)
    return kept


def _optgroups(self, name, value, attr=None):
    return _django_optgroups(self, name, _values_the_field_can_hold(self, value), attr)


AutocompleteMixin.optgroups = _optgroups
