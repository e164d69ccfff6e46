# Uzbek in Cyrillic: "2026-йил 30-ноябрь, 15:00". The rest (input formats, numbers) comes from
# technopark/formats/uz and Django's uz module, which Django reads after this one. E is the month
# in the "alt. month" context, lower case (locale/packages/uz_Cyrl, generated from the Latin).
DATE_FORMAT = r"Y-\й\и\л j-E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y-\й\и\л j-E, H:i"
YEAR_MONTH_FORMAT = r"Y-\й\и\л E"
MONTH_DAY_FORMAT = "j-E"
