"""Spreadsheet exports that cannot run formulas (CSV/formula injection).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet programs as a formula (``=HYPERLINK("http://evil", "click")``). Every exported text
cell passes through :func:`neutralise`, which puts a single quote in front of such a value, so
the program shows it as text. Used by the admin exports (:class:`FormulaSafeResource`, CSV and
XLSX) and by the hand-written CSV exports (:func:`safe_writer`).
"""

import csv

from import_export import resources

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
    """A django-import-export resource whose exported text cells are neutralised (CSV and XLSX)."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))
