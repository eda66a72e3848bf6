from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("Certificates"),
        "certificates:list",
        frozenset({Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN}),
    ),
]
