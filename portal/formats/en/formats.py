"""English formats for a Norwegian site: British day-month order and a 24-hour clock.

Django's "en" formats are American ("Nov. 8, 2026", "11/08/2026", "2:05 p.m."); readers
of the English pages live in Norway or Europe, where "8 Nov 2026" and "14:05" are
unambiguous.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
