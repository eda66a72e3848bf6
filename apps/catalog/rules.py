"""Permissions on trade promotion (points of sale and fairs), built from the predicates of apps.core.policy.

Province staff run trade promotion (step 6 of the cycle) for their province: they register and edit the points of
sale and fairs located in it and choose the products they carry. Commune and district officers and central officers
may look at the ones in their own subtree (central: all), read-only. Council members and producers have no part.
"""

import rules

from apps.accounts.enums import Role
from apps.core.policy import has_role, in_user_subtree, q_in_user_subtree, q_when

TRADE_VIEWERS = (
    Role.COMMUNE_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.CENTRAL_OFFICER,
    Role.SYSTEM_ADMIN,
)
TRADE_MANAGERS = (Role.PROVINCE_OFFICER, Role.SYSTEM_ADMIN)

is_trade_viewer = has_role(*TRADE_VIEWERS)
is_trade_manager = has_role(*TRADE_MANAGERS)

rules.add_perm("catalog.view_trade_promotion", is_trade_viewer)
for model_name in ("pointofsale", "fair"):
    rules.add_perm(f"catalog.view_{model_name}", is_trade_viewer & in_user_subtree)
    rules.add_perm(f"catalog.add_{model_name}", is_trade_manager)
    rules.add_perm(f"catalog.change_{model_name}", is_trade_manager & in_user_subtree)


def q_view_trade_promotion(user):
    """Query form of ``catalog.view_pointofsale`` and ``catalog.view_fair``."""
    return q_when(is_trade_viewer, user) & q_in_user_subtree(user, "unit")
