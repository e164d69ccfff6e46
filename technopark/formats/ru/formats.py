# After a day the month is in the genitive and in lower case: "30 ноября 2026 г." (E).
DATE_FORMAT = "j E Y г."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y г., H:i"
MONTH_DAY_FORMAT = "j E"
