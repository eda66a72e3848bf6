"""Roles of the portal and the administrative level each role is bound to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.geo.enums import Level


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    CENTRAL_OFFICER = "central_officer", _("Central officer")
    PRODUCER = "producer", _("Producer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Which unit levels a role may be bound to; None means national scope (no unit).
ROLE_LEVELS = {
    Role.COMMUNE_OFFICER: {Level.COMMUNE},
    Role.DISTRICT_OFFICER: {Level.DISTRICT},
    Role.COUNCIL_MEMBER: {Level.DISTRICT, Level.PROVINCE},
    Role.PROVINCE_OFFICER: {Level.PROVINCE},
    Role.CENTRAL_OFFICER: {None},
    Role.PRODUCER: {Level.COMMUNE},
    Role.SYSTEM_ADMIN: {None, Level.PROVINCE},
}

# Roles that may invite staff, and the roles each may invite (always inside its own subtree).
INVITABLE_ROLES: dict[str, set[str]] = {  # keyed and filled with Role, which are str
    Role.SYSTEM_ADMIN: set(Role) - {Role.SYSTEM_ADMIN},
    Role.CENTRAL_OFFICER: {Role.PROVINCE_OFFICER, Role.COUNCIL_MEMBER, Role.CENTRAL_OFFICER},
    Role.PROVINCE_OFFICER: {Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.COUNCIL_MEMBER, Role.PRODUCER},
    Role.DISTRICT_OFFICER: {Role.COMMUNE_OFFICER, Role.COUNCIL_MEMBER, Role.PRODUCER},
    Role.COMMUNE_OFFICER: {Role.PRODUCER},
}

STAFF_ROLES = set(Role) - {Role.PRODUCER}
