"""Navigation entry of traceability and e-stamps."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.core.navigation import NavItem

TRACE_ROLES = frozenset(
    {
        Role.PRODUCER,
        Role.COMMUNE_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.PROVINCE_OFFICER,
        Role.CENTRAL_OFFICER,
        Role.SYSTEM_ADMIN,
    }
)

NAV_ITEMS = [NavItem(_("Traceability and e-stamps"), "traceability:index", TRACE_ROLES)]
