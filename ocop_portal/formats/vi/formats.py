"""Vietnamese number formats: Django's own leave out grouping, so 110000 would not read as 110.000."""

from django.conf.locale.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
