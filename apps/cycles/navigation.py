"""Navigation entries of the annual cycle."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.core.navigation import ALL_STAFF, NavItem

OFFICERS = frozenset({Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER})
OVERSEERS = frozenset({Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN})

NAV_ITEMS = [
    NavItem(_("Applications"), "cycles:work_list", ALL_STAFF),
    NavItem(_("Register a product idea"), "cycles:idea_create", frozenset({Role.COMMUNE_OFFICER})),
    NavItem(_("Applications by commune"), "cycles:overview", OVERSEERS),
    NavItem(_("OCOP cycles"), "cycles:cycle_list", ALL_STAFF),
    NavItem(_("Plans and targets"), "cycles:plan_list", OFFICERS),
]
