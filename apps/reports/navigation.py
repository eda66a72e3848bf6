"""Navigation entries of the reports app."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import ALL_STAFF, NavItem

NAV_ITEMS = [NavItem(_("Reports"), "reports:report_list", ALL_STAFF)]
