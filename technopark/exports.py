"""Spreadsheet exports that cannot run formulas (CSV/formula injection).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet programs as a formula (``=HYPERLINK("http://evil", "click")``). Every exported text
cell passes through :func:`neutralise`, which puts a single quote in front of such a value, so
the program shows it as text. Used by the admin exports (:class:`FormulaSafeResource`, CSV and
XLSX) and by the hand-written CSV exports (:func:`safe_writer`).
"""

import csv

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from import_export import resources
from import_export.forms import SelectableFieldsExportForm

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, with a quote in front if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def safe_writer(stream, **kwargs) -> _SafeWriter:
    """``csv.writer`` whose text cells are neutralised."""
    return _SafeWriter(csv.writer(stream, **kwargs))


class FormulaSafeResource(resources.ModelResource):
    """A django-import-export resource whose exported text cells are neutralised (CSV and XLSX).

    ``labels`` names, in the person's language (gettext_lazy), the export page's checkboxes for
    fields that are not a model field (computed columns); the others take the verbose name of
    the model field they read (``user__full_name`` -> the user's "full name"), see
    :class:`LabelledExportForm`."""

    labels: dict = {}

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


def _verbose_name(model, path: str):
    """The verbose name of the model field at the end of ``path`` (``user__district__name``); for a
    reverse relation (an enrolment's ``certificate``, a review's ``scores``) the related model's."""
    *relations, last = path.split("__")
    try:
        for name in relations:
            model = model._meta.get_field(name).related_model
        field = model._meta.get_field(last)
    except (FieldDoesNotExist, AttributeError):
        return None
    if field.auto_created and not field.concrete:
        meta = field.related_model._meta
        return meta.verbose_name if field.one_to_one else meta.verbose_name_plural
    return field.verbose_name


class LabelledExportForm(SelectableFieldsExportForm):
    """The admin's export page with its field checkboxes in the person's language.

    django-import-export titles each checkbox from the field's Python name ("Full Name",
    "Applicant Email"), in English on every page. Here: the resource's ``labels``, else the verbose
    name of the model field the column reads, else the library's title."""

    def _get_field_label(self, resource, field_name: str) -> str:
        labels = getattr(resource, "labels", {})
        if field_name in labels:
            return capfirst(labels[field_name])
        model = resource._meta.model
        field = resource.fields.get(field_name)
        for path in (field_name, getattr(field, "attribute", None)):
            verbose = _verbose_name(model, path) if path else None
            if verbose is not None:
                return capfirst(verbose)
        return super()._get_field_label(resource, field_name)
