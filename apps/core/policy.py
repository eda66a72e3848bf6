"""The one place that answers "may this user see or act on this object?".

Every object that belongs to a jurisdiction exposes ``jurisdiction_unit`` (the administrative unit it
belongs to). A scoped user covers their own unit's subtree; national roles cover everything. Views load
objects through :func:`scope` (lists) or :func:`get_object_or_403` (details), and app ``rules.py``
modules build their permissions from the predicates defined here.

Each predicate that decides visibility has a query form beside it, ``q_<name>(user, ...)``: the ``Q`` selecting exactly
the rows for which the predicate holds. Selectors filter with those, so a list and a permission check cannot disagree
(tests/<app>/test_rules.py compares both for every role).

A 2025 province also covers the pre-July-2025 provinces that became part of it (``AdministrativeUnit.successor``),
and a 2025 commune the pre-2025 communes wholly merged into it: records keep pointing at their old units, and the
new unit's staff take them over. A pre-2025 commune split between several 2025 communes (``split_on_reform``) is
covered by none of them: its records stay with the province until a province officer assigns each one.
"""

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from apps.accounts.enums import STAFF_ROLES, Role
from apps.geo.enums import Edition, Level


def covered_paths(user):
    """The path prefixes of the subtrees a scoped user covers: their unit's, plus its predecessors' (one query,
    cached on the user). A 2025 commune's predecessors are the old communes wholly merged into it, not split ones."""
    cached = getattr(user, "_covered_paths", None)
    if cached is None or cached[0] != user.unit_id:
        unit = user.unit
        paths = [unit.path]
        if unit.edition == Edition.TWO_TIER_2025 and unit.level in (Level.PROVINCE, Level.COMMUNE):
            predecessors = unit.predecessors.filter(split_on_reform=False)
            paths += sorted(predecessors.values_list("path", flat=True))
        cached = user._covered_paths = (user.unit_id, tuple(paths))
    return cached[1]


def q_users_covering(unit):
    """Query form of :func:`user_covers_unit` over users: the ``Q`` on ``accounts.User`` selecting exactly the users
    who cover ``unit`` — active, holding jurisdiction, and national, or bound to ``unit`` or a unit above it, or to
    a 2025 province or commune one of whose wholly merged predecessors is (the inverse of :func:`covered_paths`)."""
    if unit is None:
        return Q(is_active=True) & ~Q(role=Role.COUNCIL_MEMBER) & _Q_NATIONAL
    prefixes = unit.path_prefixes
    successors = (
        apps.get_model("geo", "AdministrativeUnit")
        .objects.filter(
            edition=Edition.TWO_TIER_2025,
            level__in=(Level.PROVINCE, Level.COMMUNE),
            predecessors__path__in=prefixes,
            predecessors__split_on_reform=False,
        )
        .values("pk")
    )
    return (
        Q(is_active=True)
        & ~Q(role=Role.COUNCIL_MEMBER)
        & (_Q_NATIONAL | Q(unit__path__in=prefixes) | Q(unit__in=successors))
    )


_Q_NATIONAL = Q(role__in=(Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN), unit__isnull=True)  # User.is_national


def holds_jurisdiction(user):
    """Council members hold no jurisdiction over their unit's subtree: they see only what their seats on open
    rounds give them (see the evaluation and cycles rules). Everyone else scoped to a unit covers its subtree."""
    return getattr(user, "role", None) != Role.COUNCIL_MEMBER


def user_covers_unit(user, unit):
    if not getattr(user, "is_authenticated", False) or not user.is_active or not holds_jurisdiction(user):
        return False
    if user.is_national:
        return True
    if unit is None or user.unit_id is None:
        return False
    return unit.path.startswith(covered_paths(user))


def unit_condition(user, unit_field):
    """A ``Q`` selecting the rows whose ``unit_field`` (a unit, or the unit itself when empty) the user covers."""
    lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    condition = Q()
    for path in covered_paths(user):
        condition |= Q(**{lookup: path})
    return condition


def scope(queryset, user, *, unit_field):
    """Restrict ``queryset`` to the rows whose ``unit_field`` lies in the user's subtree."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not holds_jurisdiction(user):
        return queryset.none()
    if user.is_national:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    return queryset.filter(unit_condition(user, unit_field))


def get_object_or_403(queryset, user, perm, **lookup):
    """Fetch an object (404 when it does not exist) and refuse with 403 when ``perm`` is not granted."""
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


# A condition no row satisfies, and one every row does. An empty ``Q()`` is not "every row": combined with ``|`` it
# vanishes (``Q() | x`` is ``x``), so the query forms use EVERYTHING instead.
NOTHING = Q(pk__in=[])
EVERYTHING = ~NOTHING


def q_when(predicate, user):
    """The query form of a predicate on the user alone: every row when it holds, none otherwise."""
    return EVERYTHING if predicate(user) else NOTHING


def is_active_account(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def in_user_subtree(user, obj):
    if obj is None:
        return False
    return user_covers_unit(user, obj.jurisdiction_unit)


def q_in_user_subtree(user, unit_field):
    """Query form of :func:`in_user_subtree` for rows whose jurisdiction unit is ``unit_field``."""
    if not is_active_account(user) or not holds_jurisdiction(user):
        return NOTHING
    if user.is_national:
        return EVERYTHING
    if user.unit_id is None:
        return NOTHING
    return unit_condition(user, unit_field)


@rules.predicate
def is_staff_member(user):
    return is_active_account(user) and user.role in STAFF_ROLES


def has_role(*roles):
    names = {Role(r) for r in roles}

    @rules.predicate(name=f"has_role({','.join(sorted(names))})")
    def predicate(user):
        return is_active_account(user) and user.role in names

    return predicate
