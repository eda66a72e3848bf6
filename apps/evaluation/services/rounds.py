"""Rounds: creating them, their members and products, conflicts of interest, and closing them."""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.enums import RuleSet

from ..enums import (
    TIER_LEVELS,
    TIERS_BY_RULE_SET,
    RoundState,
    Tier,
)
from ..models import (
    ConflictDeclaration,
    CouncilMember,
    EvaluationRound,
    ScoreSheet,
)
from ..rules import COUNCIL_SEAT_ROLES, may_create_round, may_sit_on
from .transitions import require_round_open, round_transition

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.cycles.models import Cycle
    from apps.geo.models import AdministrativeUnit

    from ..models import RoundEntry

COUNCIL_ROLES = COUNCIL_SEAT_ROLES  # the roles a council seat may take (apps.evaluation.rules.may_sit_on)


@transaction.atomic
def round_create(
    *,
    cycle: "Cycle",
    tier: str,
    unit: "AdministrativeUnit",
    name: str,
    by: "User",
    council_decision_number: str = "",
    council_decision_date: datetime.date | None = None,
    council_decision_signer: str = "",
    **config: Any,
) -> EvaluationRound:
    if tier not in TIERS_BY_RULE_SET[cycle.rule_set]:
        raise ValidationError(
            _("Under %(rule_set)s there is no %(tier)s: rounds run at %(tiers)s.")
            % {
                "rule_set": RuleSet(cycle.rule_set).label,
                "tier": Tier(tier).label.lower(),
                "tiers": ", ".join(str(Tier(t).label).lower() for t in TIERS_BY_RULE_SET[cycle.rule_set]),
            }
        )
    if unit.level != TIER_LEVELS[tier] or (not cycle.unit.covers(unit) and not unit.covers(cycle.unit)):
        raise ValidationError(_("The council's unit does not match this tier and cycle."))
    if not may_create_round(by, tier=tier, unit=unit):
        raise PermissionDenied(_("Each tier sets up the councils of its own unit only."))
    round = EvaluationRound(
        cycle=cycle,
        tier=tier,
        unit=unit,
        name=name,
        council_decision_number=council_decision_number,
        council_decision_date=council_decision_date,
        council_decision_signer=council_decision_signer,
        created_by=by,
        **config,
    )
    round.full_clean()
    round.save()
    audit_record(action="evaluation.round_created", obj=round, by=by, after={"tier": tier, "name": name})
    return round


@transaction.atomic
def member_add(*, round: EvaluationRound, user: "User", role: str, by: "User") -> CouncilMember:
    require_round_open(round)
    if not by.has_perm("evaluation.manage_round", round):
        raise PermissionDenied(_("Only an officer who manages this round may seat its council."))
    if not may_sit_on(user, round):
        raise ValidationError(_("Council members must be council members or officers of the round's unit."))
    member = CouncilMember(round=round, user=user, role=role)
    member.full_clean()
    member.save()
    audit_record(action="evaluation.member_added", obj=member, by=by, after={"user": user.email, "role": role})
    return member


@transaction.atomic
def conflict_declare(*, entry: "RoundEntry", member: CouncilMember, reason: str, by: "User") -> ConflictDeclaration:
    require_round_open(entry.round)
    if member.round_id != entry.round_id:
        raise ValidationError(_("This member does not sit on this round's council."))
    if member.user_id != by.pk:
        raise PermissionDenied(_("Only the member themself declares a conflict of interest."))
    conflict, _created = ConflictDeclaration.objects.get_or_create(
        entry=entry, member=member, defaults={"reason": reason}
    )
    # A conflicted member's sheet for that product no longer counts.
    ScoreSheet.objects.filter(entry=entry, member=member).delete()
    audit_record(
        action="evaluation.conflict_declared", obj=conflict, by=by, after={"reason": reason}, unit=entry.round.unit
    )
    return conflict


def round_close(*, round: EvaluationRound, by: "User") -> EvaluationRound:
    """Lock the round: freeze each product's result, render the minutes. Refused while a product lacks quorum."""
    return round_transition(round=round, to_state=RoundState.CLOSED, by=by)
