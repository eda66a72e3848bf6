"""Permissions of the councils, built on apps.core.policy.

Officers manage the rounds of their subtree; members act on the rounds they sit on; the chair closes and
reopens; a conflicted member cannot open that product's sheet.
"""

import rules
from django.db.models import Q

from apps.accounts.enums import Role
from apps.core.policy import (
    EVERYTHING,
    NOTHING,
    has_role,
    in_user_subtree,
    is_active_account,
    is_staff_member,
    q_in_user_subtree,
    q_when,
)
from apps.cycles.models import Application
from apps.cycles.rules import grant_application_view

from .enums import COUNTED_SHEET_STATES, SCORING_ROLES, MemberRole, RoundState, Tier
from .models import CouncilMember

is_officer = has_role(
    Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN
)


# The tier of the councils each officer sets up, for its own unit; the central officer sets up central rounds
# (for the nation), a system admin any.
ROUND_CREATOR_TIER = {
    Role.COMMUNE_OFFICER: Tier.COMMUNE,
    Role.DISTRICT_OFFICER: Tier.DISTRICT,
    Role.PROVINCE_OFFICER: Tier.PROVINCE,
    Role.CENTRAL_OFFICER: Tier.CENTRAL,
}
NATIONAL_ROUND_CREATORS = (Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN)


def creatable_tiers(user):
    """The tiers whose rounds ``user`` may set up."""
    if not is_active_account(user):
        return []
    if user.role == Role.SYSTEM_ADMIN:
        return list(Tier.values)
    tier = ROUND_CREATOR_TIER.get(user.role)
    return [tier] if tier else []


def may_create_round(user, *, tier, unit):
    """``user`` may set up a ``tier`` round for ``unit``: the officer of that tier and of exactly that unit, the
    central officer (central rounds), a system admin."""
    if tier not in creatable_tiers(user):
        return False
    return user.role in NATIONAL_ROUND_CREATORS or user.unit_id == unit.pk


def q_round_cycle_for(user):
    """Query form on cycles: those in which ``user``'s rounds may run (the cycle's unit is the user's unit, one above
    it, since a district's round runs in its province's cycle, or one below it); every cycle for a national
    account. ``eligibility.creatable_cycles`` adds the tiers of :func:`creatable_tiers`."""
    if not is_active_account(user):
        return NOTHING
    if user.is_national:
        return EVERYTHING
    if not user.unit_id:
        return NOTHING
    return Q(unit__path__in=user.unit.path_prefixes) | Q(unit__path__startswith=user.unit.path)


def _round_of(obj):
    return getattr(obj, "round", obj)


@rules.predicate
def is_round_member(user, obj):
    if obj is None or not is_active_account(user):
        return False
    return _round_of(obj).members.filter(user=user).exists()


def q_is_round_member(user):
    """Query form of :func:`is_round_member` on rounds."""
    if not is_active_account(user):
        return NOTHING
    return Q(pk__in=CouncilMember.objects.filter(user=user).values("round"))


@rules.predicate
def is_round_chair(user, obj):
    if obj is None or not is_active_account(user):
        return False
    return _round_of(obj).members.filter(user=user, role=MemberRole.CHAIR).exists()


@rules.predicate
def is_sheet_member(user, sheet):
    """``sheet`` is a ScoreSheet: the active account of the member who scores it."""
    return sheet is not None and is_active_account(user) and sheet.member.user_id == user.pk


@rules.predicate
def is_precheck_round(user, obj):
    """The round is a commune pre-check (1489): it has no chair."""
    return obj is not None and _round_of(obj).tier == Tier.COMMUNE


@rules.predicate
def round_open_for_scoring(user, obj):
    return obj is not None and _round_of(obj).state == RoundState.OPEN


@rules.predicate
def round_closed(user, obj):
    return obj is not None and _round_of(obj).state == RoundState.CLOSED


@rules.predicate
def is_scoring_member_without_conflict(user, entry):
    """``entry`` is a RoundEntry: the user holds a scoring seat and declared no conflict for it."""
    if entry is None or not getattr(user, "is_authenticated", False):
        return False
    member = entry.round.members.filter(user=user, role__in=SCORING_ROLES).first()
    return member is not None and not entry.conflicts.filter(member=member).exists()


@rules.predicate
def submitted_own_sheet(user, entry):
    """``entry`` is a RoundEntry: the user's own sheet for it (from a scoring seat) is submitted."""
    if entry is None or not getattr(user, "is_authenticated", False):
        return False
    return entry.sheets.filter(
        member__user=user, member__role__in=SCORING_ROLES, state__in=COUNTED_SHEET_STATES
    ).exists()


# Who may hold a seat on a council: council members and the officers of the round's own unit; a central round also
# seats any central officer. ``may_sit_on`` (the service asks it) and ``q_may_sit_on`` (the form's choices): one rule.
COUNCIL_SEAT_ROLES = frozenset(
    {Role.COUNCIL_MEMBER, Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER}
)


@rules.predicate
def may_sit_on(user, round):
    """``user`` may be seated on ``round``'s council (an EvaluationRound)."""
    if round is None or not is_active_account(user) or user.role not in COUNCIL_SEAT_ROLES:
        return False
    return user.unit_id == round.unit_id or (round.tier == Tier.CENTRAL and user.role == Role.CENTRAL_OFFICER)


def q_may_sit_on(round):
    """Query form of :func:`may_sit_on` over users, for one round."""
    own_unit = Q(unit__isnull=True) if round.unit_id is None else Q(unit=round.unit_id)
    central = Q(role=Role.CENTRAL_OFFICER) if round.tier == Tier.CENTRAL else NOTHING
    return Q(is_active=True, role__in=COUNCIL_SEAT_ROLES) & (own_unit | central)


manages_round = is_officer & in_user_subtree
# Closing a round: its chair; a commune pre-check has no chair, so an officer who manages it (the view, the round
# page's button and round_transition all ask this one rule).
may_close_round = round_open_for_scoring & ((is_precheck_round & manages_round) | (~is_precheck_round & is_round_chair))

rules.add_perm("evaluation.view_evaluationround", (is_staff_member & in_user_subtree) | is_round_member)


def q_view_evaluationround(user):
    """Query form of ``evaluation.view_evaluationround`` on rounds."""
    return (q_when(is_staff_member, user) & q_in_user_subtree(user, "unit")) | q_is_round_member(user)


rules.add_perm("evaluation.manage_round", manages_round & round_open_for_scoring)
rules.add_perm("evaluation.score_entry", is_scoring_member_without_conflict)
rules.add_perm("evaluation.declare_conflict", is_round_member & round_open_for_scoring)
rules.add_perm("evaluation.chair_round", is_round_chair & round_open_for_scoring)
rules.add_perm("evaluation.record_precheck", manages_round & round_open_for_scoring)
rules.add_perm("evaluation.close_round", may_close_round)
rules.add_perm("evaluation.record_decision", manages_round & round_closed)
rules.add_perm("evaluation.view_minutes", (is_staff_member & in_user_subtree) | is_round_member)
# Every member's sheet of a product: a scoring member once their own is submitted, only while the round is open
# (afterwards a member sees their own sheets only); officers of the subtree once the round is closed.
rules.add_perm(
    "evaluation.view_all_sheets",
    (is_round_member & round_open_for_scoring & submitted_own_sheet) | (manages_round & round_closed),
)


# --- Council members see the dossiers of the products on a round they sit on (granted to cycles' view rules) -------


def applications_before_my_council(user):
    """The applications (a ``values("pk")`` query) assigned to an open round on whose council ``user`` sits,
    without a conflict declared: what a council member needs to score, and only while scoring lasts."""
    return (
        Application.objects.filter(
            round_entries__round__state=RoundState.OPEN, round_entries__round__members__user=user
        )
        .exclude(round_entries__conflicts__member__user=user)
        .values("pk")
    )


@rules.predicate
def is_before_my_council(user, obj):
    """A council member seated on an open round that scores this application (or this evidence's)."""
    if obj is None or not is_active_account(user) or user.role != Role.COUNCIL_MEMBER:
        return False
    application_id = obj.dossier.application_id if hasattr(obj, "dossier_id") else obj.pk
    return applications_before_my_council(user).filter(pk=application_id).exists()


def q_is_before_my_council(user):
    if not is_active_account(user) or user.role != Role.COUNCIL_MEMBER:
        return NOTHING
    return Q(pk__in=applications_before_my_council(user))


grant_application_view(is_before_my_council, q_is_before_my_council)
