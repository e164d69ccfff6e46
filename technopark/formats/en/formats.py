# "30 November 2026, 15:00": a 24-hour clock (as on every other page of the site) and no
# abbreviations ending in a full stop ("Nov.", "p.m.") that double up at the end of a sentence.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
