# "2026-yil 30-noyabr, 15:00". E is the month in the "alt. month" context, lower case in
# locale/packages/uz (Uzbek writes months in lower case).
DATE_FORMAT = r"Y-\y\i\l j-E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y-\y\i\l j-E, H:i"
YEAR_MONTH_FORMAT = r"Y-\y\i\l E"
MONTH_DAY_FORMAT = "j-E"
