"""Norwegian Bokmål formats, overriding Django's where they read wrong to a Norwegian.

Dates are written "8. nov. 2026" (Språkrådet's abbreviated months, Django's "N" in nb)
everywhere a date is shown; the long "8. november 2026" and the numeric "08.11.2026" are
not used, so that pages, e-mails and the admin agree. Only what differs from Django's nb
formats is set here; the rest (input formats, first day of week) comes from Django.
"""

DATE_FORMAT = "j. N Y"
DATETIME_FORMAT = r"j. N Y \k\l. H:i"
SHORT_DATE_FORMAT = "j. N Y"
SHORT_DATETIME_FORMAT = r"j. N Y \k\l. H:i"
MONTH_DAY_FORMAT = "j. N"
TIME_FORMAT = "H:i"
# Norwegian groups thousands with a (non-breaking) space: "12 345".
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
