"""The role-aware navigation: each entry names the roles that see it."""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import INVITABLE_ROLES, STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    needs_unit_arg: bool = False


ALL_STAFF = frozenset(STAFF_ROLES)
# Council members hold no jurisdiction (see apps.core.policy.holds_jurisdiction): no unit page for them.
OFFICERS = ALL_STAFF - {Role.COUNCIL_MEMBER}
INVITERS = frozenset(INVITABLE_ROLES)

CORE_NAV_ITEMS = [
    NavItem(_("Dashboard"), "core:dashboard", frozenset(Role)),
    NavItem(_("My unit"), "geo:unit_detail", OFFICERS, needs_unit_arg=True),
]
ADMIN_NAV_ITEMS = [
    NavItem(_("Users"), "accounts:user_list", INVITERS),
    NavItem(_("Invite a user"), "accounts:user_invite", INVITERS),
    NavItem(_("System administration"), "admin:index", frozenset({Role.SYSTEM_ADMIN})),
    NavItem(_("Account security"), "mfa_index", frozenset(Role)),
]


def all_nav_items():
    """Core items, then each app's ``navigation.NAV_ITEMS`` in INSTALLED_APPS order, then administration."""
    items = list(CORE_NAV_ITEMS)
    for config in apps.get_app_configs():
        if config.name.startswith("apps.") and config.name != "apps.core":
            try:
                module = import_module(f"{config.name}.navigation")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.navigation":
                    raise
                continue
            items.extend(module.NAV_ITEMS)
    return items + ADMIN_NAV_ITEMS


def navigation_for(user):
    if not user.is_authenticated:
        return []
    items = []
    for item in all_nav_items():
        if user.role not in item.roles:
            continue
        if item.needs_unit_arg:
            if not user.unit_id:
                continue
            url = reverse(item.url_name, args=[user.unit_id])
        else:
            url = reverse(item.url_name)
        items.append({"label": item.label, "url": url})
    return items
