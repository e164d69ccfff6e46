"""Date and time inputs that a browser accepts in every language.

``<input type="date">``, ``type="time"`` and ``type="datetime-local"`` take only ISO values
(``2026-12-03``, ``10:00``, ``2026-12-03T10:00``) and show them in the browser's own locale.
Django's ``DateInput`` renders its value in the active language's first input format
(``03.12.2026`` in Uzbek and Russian), which such an input drops: the field shows empty.
These widgets always render ISO. Parsing needs nothing extra: Django adds the ISO formats to
every language's input formats, and ``DateTimeField`` reads ISO 8601 (with the ``T``) first.

Every form of the project that shows a date or time to people uses these
(``tests/fablab/test_date_inputs.py`` renders each of them in uz, ru and en).
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATE)


class IsoTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_TIME)


class IsoDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATETIME)
