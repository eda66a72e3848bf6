"""The one place that answers "may this user see or act on this object?".

Every object that belongs to a jurisdiction exposes ``jurisdiction_unit`` (the administrative unit it
belongs to). A scoped user covers their own unit's subtree; national roles cover everything. Views load
objects through :func:`scope` (lists) or :func:`get_object_or_403` (details), and app ``rules.py``
modules build their permissions from the predicates defined here.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from apps.accounts.enums import STAFF_ROLES, Role


def user_covers_unit(user, unit):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_national:
        return True
    if unit is None or user.unit_id is None:
        return False
    return unit.path.startswith(user.unit.path)


def scope(queryset, user, *, unit_field):
    """Restrict ``queryset`` to the rows whose ``unit_field`` lies in the user's subtree."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_national:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    return queryset.filter(**{lookup: user.unit.path})


def get_object_or_403(queryset, user, perm, **lookup):
    """Fetch an object (404 when it does not exist) and refuse with 403 when ``perm`` is not granted."""
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


@rules.predicate
def in_user_subtree(user, obj):
    if obj is None:
        return False
    return user_covers_unit(user, obj.jurisdiction_unit)


@rules.predicate
def is_staff_member(user):
    return getattr(user, "is_authenticated", False) and user.role in STAFF_ROLES


def has_role(*roles):
    names = {Role(r) for r in roles}

    @rules.predicate(name=f"has_role({','.join(sorted(names))})")
    def predicate(user):
        return getattr(user, "is_authenticated", False) and user.role in names

    return predicate
