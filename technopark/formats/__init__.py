"""The project's date formats (FORMAT_MODULE_PATH): only what differs from Django's own modules.

- Uzbek: "2026-yil 30-noyabr" — year first, months in lower case (the lower-case month names
  themselves come from locale/packages/uz, since Django's Uzbek catalogue capitalises them).
- Russian: the genitive after a day ("30 ноября"), as Django's DATE_FORMAT already does, also for
  MONTH_DAY_FORMAT.
- English: "30 November 2026, 15:00" — no "p.m." whose full stop doubles at a sentence's end.
"""
