"""Rounds: creating them, their members and products, conflicts of interest, and closing them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.audit.services import audit_record
from apps.certificates.enums import RenderState
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application
from apps.cycles.services import application_transition

from ..eligibility import required_state
from ..enums import (
    TIER_LEVELS,
    TIERS_BY_RULE_SET,
    RoundState,
    Tier,
)
from ..models import (
    CommunePreCheck,
    ConflictDeclaration,
    CouncilMember,
    EvaluationRound,
    ScoreSheet,
)
from ..rules import is_round_chair
from ..selectors import round_results
from .minutes import minutes_enqueue_rendering

# Who may sit on a council besides council members: the officers of the round's unit.
COUNCIL_ROLES = {
    Role.COUNCIL_MEMBER,
    Role.COMMUNE_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.CENTRAL_OFFICER,
}


def _require_open(round):
    if round.state != RoundState.OPEN:
        raise ValidationError(_("This round is closed; its sheets are locked."))


# Each tier sets up its own councils: the officer of the round's unit, for the tier of that unit.
CREATOR_ROLE = {
    Tier.COMMUNE: Role.COMMUNE_OFFICER,
    Tier.DISTRICT: Role.DISTRICT_OFFICER,
    Tier.PROVINCE: Role.PROVINCE_OFFICER,
}


def may_create_round(user, *, tier, unit):
    """``user`` may set up a ``tier`` round for ``unit``: its own unit's officer, the central officer, an admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    if tier == Tier.CENTRAL:
        return user.role == Role.CENTRAL_OFFICER
    return user.role == CREATOR_ROLE.get(tier) and user.unit_id == unit.pk


@transaction.atomic
def round_create(
    *,
    cycle,
    tier,
    unit,
    name,
    by,
    council_decision_number="",
    council_decision_date=None,
    council_decision_signer="",
    **config,
):
    if tier not in TIERS_BY_RULE_SET[cycle.rule_set]:
        raise ValidationError(
            _("Under %(rule_set)s there is no %(tier)s: rounds run at %(tiers)s.")
            % {
                "rule_set": RuleSet(cycle.rule_set).label,
                "tier": Tier(tier).label.lower(),
                "tiers": ", ".join(str(Tier(t).label).lower() for t in TIERS_BY_RULE_SET[cycle.rule_set]),
            }
        )
    if unit.level != TIER_LEVELS[tier] or not cycle.unit.covers(unit) and not unit.covers(cycle.unit):
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
def member_add(*, round, user, role, by):
    _require_open(round)
    allowed_unit = user.unit_id == round.unit_id or (round.tier == Tier.CENTRAL and user.role == Role.CENTRAL_OFFICER)
    if user.role not in COUNCIL_ROLES or not allowed_unit:
        raise ValidationError(_("Council members must be council members or officers of the round's unit."))
    member = CouncilMember(round=round, user=user, role=role)
    member.full_clean()
    member.save()
    audit_record(action="evaluation.member_added", obj=member, by=by, after={"user": user.email, "role": role})
    return member


@transaction.atomic
def conflict_declare(*, entry, member, reason, by):
    _require_open(entry.round)
    if member.round_id != entry.round_id:
        raise ValidationError(_("This member does not sit on this round's council."))
    conflict, _created = ConflictDeclaration.objects.get_or_create(
        entry=entry, member=member, defaults={"reason": reason}
    )
    # A conflicted member's sheet for that product no longer counts.
    ScoreSheet.objects.filter(entry=entry, member=member).delete()
    audit_record(
        action="evaluation.conflict_declared", obj=conflict, by=by, after={"reason": reason}, unit=entry.round.unit
    )
    return conflict


def _precheck_outcomes(round, entries, prechecks, *, by):
    """The pre-check's result moves each application: forwarded to the province, or not proposed."""
    expected = required_state(round)
    locked = {
        a.pk: a for a in Application.objects.select_for_update().filter(pk__in=[e.application_id for e in entries])
    }
    for entry in entries:
        application = locked[entry.application_id]
        precheck = prechecks[entry.pk]
        # An application that left the step meanwhile is not forwarded (and its state is left alone).
        entry.forwarded = precheck.passed and application.state == expected
        entry.save(update_fields=["forwarded"])
        if application.state != expected:
            continue
        application_transition(
            application=application,
            to_state=S.FORWARDED_PROVINCE if precheck.passed else S.NOT_PROPOSED,
            by=by,
            reason=precheck.reason,
            council_round=round,
        )


@transaction.atomic
def round_close(*, round, by):
    """Lock the round: freeze each product's result, render the minutes. Refused while a product lacks quorum."""
    round = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    _require_open(round)
    if round.tier != Tier.COMMUNE and not is_round_chair(by, round):
        raise PermissionDenied
    entries = list(round.entries.select_related("application__product"))
    if round.tier == Tier.COMMUNE:
        prechecks = {p.entry_id: p for p in CommunePreCheck.objects.filter(entry__round=round)}
        unchecked = [str(e.application.product) for e in entries if e.pk not in prechecks]
        if unchecked:
            raise ValidationError(_("Pre-check every product first: %(names)s.") % {"names": ", ".join(unchecked)})
        _precheck_outcomes(round, entries, prechecks, by=by)
    else:
        results = round_results(round=round)
        short = [str(r.entry.application.product) for r in results if not r.quorum_met]
        if short:
            raise ValidationError(
                _(
                    "No quorum yet for: %(names)s. Each product needs sheets from at least "
                    "%(num)s/%(den)s of the members%(chair)s."
                )
                % {
                    "names": ", ".join(short),
                    "num": round.quorum_numerator,
                    "den": round.quorum_denominator,
                    "chair": _(", the chair included") if round.quorum_requires_chair else "",
                }
            )
        for r in results:
            entry = r.entry
            entry.total, entry.star_band, entry.stars = r.total, r.band, r.stars
            entry.missing_mandatory = [
                {"code": c.code, "text": c.text, "stars": c.mandatory_for_stars} for c in r.missing_mandatory
            ]
            entry.save(update_fields=["total", "star_band", "stars", "missing_mandatory"])
    round.state = RoundState.CLOSED
    round.closed_at = timezone.now()
    round.closed_by = by
    update_fields = ["state", "closed_at", "closed_by"]
    if round.tier != Tier.COMMUNE:
        # The minutes are rendered by a worker once this commits (rendering is slow and must not hold the lock).
        round.minutes_state, round.minutes_attempts, round.minutes_error = RenderState.PENDING, 0, ""
        update_fields += ["minutes_state", "minutes_attempts", "minutes_error"]
        minutes_enqueue_rendering(round_id=round.pk)
    round.save(update_fields=update_fields)
    audit_record(
        action="evaluation.round_closed",
        obj=round,
        by=by,
        before={"state": RoundState.OPEN},
        after={
            "state": RoundState.CLOSED,
            "results": {str(e.pk): {"total": str(e.total), "stars": e.stars} for e in round.entries.all()},
        },
    )
    return round
