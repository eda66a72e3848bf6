from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.core.navigation import NavItem

REGISTRY_ROLES = frozenset(
    {
        Role.COMMUNE_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.PROVINCE_OFFICER,
        Role.CENTRAL_OFFICER,
        Role.SYSTEM_ADMIN,
        Role.PRODUCER,
    }
)

NAV_ITEMS = [NavItem(_("Producers"), "producers:producer_list", REGISTRY_ROLES)]
