"""Formatting of impact figures in the reader's language."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

BILLION = Decimal(1_000_000_000)
MILLION = Decimal(1_000_000)


@register.filter
def uzs_short(value):
    """8312500000 → "8.31 billion UZS" (en), "8,31 mlrd so‘m" (uz), "8,31 млрд сум" (ru)."""
    try:
        amount = Decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        return ""
    if abs(amount) >= BILLION:
        return _("%(amount)s billion UZS") % {"amount": number_format(amount / BILLION, 2, use_l10n=True)}
    if abs(amount) >= MILLION:
        return _("%(amount)s million UZS") % {"amount": number_format(amount / MILLION, 1, use_l10n=True)}
    return _("%(amount)s UZS") % {"amount": number_format(amount, 0, use_l10n=True, force_grouping=True)}


@register.filter
def amount(value, decimals=0):
    """A money amount with the language's grouping, e.g. 20,000 or 20 000."""
    try:
        return number_format(Decimal(value), int(decimals), use_l10n=True, force_grouping=True)
    except (TypeError, ValueError, InvalidOperation):
        return ""


@register.filter
def percent(part, whole):
    """part/whole as a whole percentage ("—" when whole is 0)."""
    try:
        return f"{round(100 * part / whole)}%" if whole else "—"
    except (TypeError, ValueError):
        return "—"
