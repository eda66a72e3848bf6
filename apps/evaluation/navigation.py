from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("Evaluation councils"),
        "evaluation:round_list",
        frozenset(
            {
                Role.COUNCIL_MEMBER,
                Role.COMMUNE_OFFICER,
                Role.DISTRICT_OFFICER,
                Role.PROVINCE_OFFICER,
                Role.CENTRAL_OFFICER,
                Role.SYSTEM_ADMIN,
            }
        ),
    ),
]
