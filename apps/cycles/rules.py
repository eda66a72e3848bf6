"""Permissions of the cycles app, built from the predicates of apps.core.policy.

Who sees an application is decided here once: ``view_application`` for one object and its query form
:func:`q_view_application` for lists (``apps.cycles.selectors.applications_visible_to`` filters with it).
"""

from collections.abc import Callable
from typing import Any

import rules
from django.db.models import Q

from apps.accounts.enums import Role
from apps.core.policy import (
    NOTHING,
    has_role,
    in_user_subtree,
    is_active_account,
    is_staff_member,
    q_in_user_subtree,
    q_users_covering,
    q_when,
    user_covers_unit,
)

from .enums import Tier
from .workflow import approving_role


@rules.predicate
def is_commune_officer_of(user, obj):
    """The user is the commune officer of the commune the object belongs to."""
    if obj is None or not is_active_account(user):
        return False
    unit = obj.jurisdiction_unit
    return user.role == Role.COMMUNE_OFFICER and unit is not None and user.unit_id == unit.pk


@rules.predicate
def is_officer_of_unit(user, obj):
    """The user is an officer bound to exactly the object's unit (plans and cycles belong to one unit)."""
    if obj is None or not is_active_account(user):
        return False
    return (
        user.role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER)
        and user.unit_id == obj.jurisdiction_unit.pk
    )


@rules.predicate
def is_approving_officer_of(user, application):
    """The officer of the application's "approving" tier above its commune: a district officer under qd148-2023,
    a province officer otherwise (:func:`apps.cycles.workflow.approving_role`)."""
    if application is None or not is_active_account(user) or not user.unit_id:
        return False
    return user.role == approving_role(application.cycle.rule_set) and user_covers_unit(
        user, application.product.commune
    )


def q_commune_officers_of(application):
    """Query form of :func:`is_commune_officer_of` over users (who is it, for this application?)."""
    unit = application.jurisdiction_unit
    if unit is None:
        return NOTHING
    return Q(is_active=True, role=Role.COMMUNE_OFFICER, unit=unit)


def q_approving_officers_of(application):
    """Query form of :func:`is_approving_officer_of` over users."""
    return Q(role=approving_role(application.cycle.rule_set), unit__isnull=False) & q_users_covering(
        application.product.commune
    )


def user_tiers(user, application):
    """The tiers of the transition table (:mod:`apps.cycles.workflow`) ``user`` acts as for ``application`` (an empty
    set for everybody else). The state machine, the dossier services and the page's buttons all ask this."""
    tiers = set()
    if is_commune_officer_of(user, application):
        tiers.add(Tier.COMMUNE)
    if is_approving_officer_of(user, application):
        tiers.add(Tier.APPROVING)
    return tiers


@rules.predicate
def is_linked_producer(user, application):
    """A producer account linked to the application's producer (it sees its own applications)."""
    if application is None or not is_active_account(user) or user.role != Role.PRODUCER:
        return False
    return application.product.producer.accounts.filter(pk=user.pk).exists()


def q_is_linked_producer(user):
    if not is_active_account(user) or user.role != Role.PRODUCER:
        return NOTHING
    return Q(product__producer__accounts=user)


# --- Viewers granted by the apps above cycles ---------------------------------------------------------------------
# cycles sits below the councils (apps/evaluation), yet a council member must see the dossiers on a round they sit
# on. Rather than import evaluation here, evaluation's rules module grants it: ``grant_application_view(predicate,
# query_form)`` adds a (predicate on (user, application or evidence file), ``Q`` on applications) pair, both forms of
# one rule; ``view_application``, ``view_evidencefile`` and their query forms accept whoever a grant accepts.
_VIEW_GRANTS: list[tuple[Any, Callable[[Any], Q]]] = []


def grant_application_view(predicate: Any, query_form: Callable[[Any], Q]) -> None:
    """Let the users ``predicate`` accepts view an application and its evidence; ``query_form(user)`` is the same
    rule as a filter on applications. Called once per rule, by the rules module of the app that owns it."""
    if (predicate, query_form) not in _VIEW_GRANTS:
        _VIEW_GRANTS.append((predicate, query_form))


@rules.predicate
def is_granted_viewer(user, obj):
    """A user some app above cycles lets view this application (or this evidence file's)."""
    return obj is not None and any(predicate.test(user, obj) for predicate, _ in _VIEW_GRANTS)


def q_is_granted_viewer(user):
    q = NOTHING
    for _, query_form in _VIEW_GRANTS:
        q |= query_form(user)
    return q


is_organiser = has_role(Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER)


@rules.predicate
def is_national_account(user):
    """The central officer or a system admin without a unit: the whole country."""
    return is_active_account(user) and user.is_national


@rules.predicate
def is_officer_of_exactly(user, unit):
    """A province or district officer bound to exactly ``unit`` (an AdministrativeUnit)."""
    return unit is not None and is_organiser(user) and user.unit_id == unit.pk


# Opening a cycle for a unit (cycle_create): an officer of exactly that province or district, or a national account.
may_open_cycle_for = is_national_account | is_officer_of_exactly
is_overseer = has_role(Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN)
is_commune_officer = has_role(Role.COMMUNE_OFFICER)
# The organiser of a cycle (extends a step's window, lets a late item through): the province's or district's officer of
# exactly the cycle's unit, or a system admin. The window services call it; views check ``cycles.organise_cycle``.
is_cycle_organiser = has_role(Role.SYSTEM_ADMIN) | (is_organiser & is_officer_of_unit)

rules.add_perm("cycles.view_application", (is_staff_member & in_user_subtree) | is_linked_producer | is_granted_viewer)


def q_view_application(user):
    """Query form of ``cycles.view_application`` on applications."""
    return (
        (q_when(is_staff_member, user) & q_in_user_subtree(user, "product__commune"))
        | q_is_linked_producer(user)
        | q_is_granted_viewer(user)
    )


rules.add_perm("cycles.register_idea", is_commune_officer)
rules.add_perm("cycles.change_dossier", is_commune_officer_of)
rules.add_perm("cycles.view_evidencefile", (is_staff_member & in_user_subtree) | is_granted_viewer)
# Removing an evidence file: the product's commune officer (the service also requires an editable state).
rules.add_perm("cycles.delete_evidencefile", is_commune_officer_of)
rules.add_perm("cycles.view_work_list", is_staff_member)
rules.add_perm("cycles.view_overview", is_overseer)
rules.add_perm("cycles.view_cycle", is_staff_member)
rules.add_perm("cycles.add_cycle", is_organiser)
rules.add_perm("cycles.organise_cycle", is_cycle_organiser)
rules.add_perm("cycles.view_plan", is_staff_member & in_user_subtree)
# Editing a plan: an officer of exactly the plan's unit (checked on the unit itself when the plan is new).
rules.add_perm("cycles.change_plan", is_officer_of_unit)


def q_view_plan(user):
    """Query form of ``cycles.view_plan`` on plans."""
    return q_when(is_staff_member, user) & q_in_user_subtree(user, "unit")
