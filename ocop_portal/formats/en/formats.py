"""English number formats with thousands grouped (110,000)."""

from django.conf.locale.en.formats import *  # noqa: F403

NUMBER_GROUPING = 3
