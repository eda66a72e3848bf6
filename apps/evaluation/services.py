"""Every write of the councils: rounds, members, conflicts, sheets, closing, pre-checks and recognition."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.audit.services import audit_record
from apps.certificates.services import certificates_create_for_decision
from apps.core.enums import RuleSet

from .enums import (
    FORWARD_THRESHOLDS,
    RECOGNISABLE_STARS,
    SCORING_ROLES,
    TIER_LEVELS,
    TIERS_BY_RULE_SET,
    RoundState,
    SheetState,
    Tier,
)
from .models import (
    CommunePreCheck,
    ConflictDeclaration,
    CouncilMember,
    EvaluationRound,
    NonRecognition,
    RecognitionDecision,
    RecognitionItem,
    RoundEntry,
    ScoreAnswer,
    ScoreSheet,
)
from .selectors import round_results, template_for

# Who may sit on a council besides council members: the officers of the round's unit.
COUNCIL_ROLES = {
    Role.COUNCIL_MEMBER,
    Role.COMMUNE_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.CENTRAL_OFFICER,
}
# The tier a product must come from (forwarded) before a round of this tier may rate it.
PREVIOUS_TIER = {
    (RuleSet.QD148_2023, Tier.PROVINCE): Tier.DISTRICT,
    (RuleSet.QD1048_2019, Tier.PROVINCE): Tier.DISTRICT,
    (RuleSet.QD1489_2025, Tier.PROVINCE): Tier.COMMUNE,
    (RuleSet.QD148_2023, Tier.CENTRAL): Tier.PROVINCE,
    (RuleSet.QD1048_2019, Tier.CENTRAL): Tier.PROVINCE,
    (RuleSet.QD1489_2025, Tier.CENTRAL): Tier.PROVINCE,
}


def _require_open(round):
    if round.state != RoundState.OPEN:
        raise ValidationError(_("This round is closed; its sheets are locked."))


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
def entry_add(*, round, application, by):
    _require_open(round)
    product = application.product
    if application.cycle_id != round.cycle_id or not round.unit.covers(product.commune):
        raise ValidationError(_("This application does not belong to the round's cycle and unit."))
    previous = PREVIOUS_TIER.get((round.rule_set, round.tier))
    if (
        previous is not None
        and not RoundEntry.objects.filter(
            round__cycle=round.cycle, round__tier=previous, application=application, forwarded=True
        ).exists()
    ):
        raise ValidationError(_("This product was not forwarded by the previous tier."))
    template = template_for(rule_set=round.rule_set, product_set=product.product_set)
    if template is None:
        raise ValidationError(_("No score sheet is loaded for this product set and rule set."))
    entry = RoundEntry(round=round, application=application, template=template)
    entry.full_clean()
    entry.save()
    audit_record(action="evaluation.entry_added", obj=entry, by=by, after={"application": application.pk})
    return entry


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


def sheet_open(*, entry, member):
    """The member's sheet for the product (created as an empty draft). Refused to a conflicted member."""
    if member.round_id != entry.round_id or member.role not in SCORING_ROLES:
        raise PermissionDenied
    if ConflictDeclaration.objects.filter(entry=entry, member=member).exists():
        raise PermissionDenied
    sheet = ScoreSheet.objects.filter(entry=entry, member=member).first()
    if sheet is None:
        _require_open(entry.round)
        sheet, _created = ScoreSheet.objects.get_or_create(round=entry.round, entry=entry, member=member)
    return sheet


def sheet_compute_total(*, sheet):
    """The one place a member's total is computed: the sum of the chosen options' points."""
    total = sheet.answers.aggregate(total=Sum("points"))["total"] or Decimal(0)
    sheet.total = total
    sheet.save(update_fields=["total", "updated_at"])
    return total


def _answers_snapshot(sheet):
    return {
        a["criterion__code"]: a["option__code"]
        for a in sheet.answers.values("criterion__code", "option__code").order_by("criterion__code")
    }


@transaction.atomic
def sheet_save(*, sheet, choices, by, submit=False):
    """Record the member's options (``{criterion_id: option_id}``); with ``submit`` every criterion must be answered."""
    sheet = ScoreSheet.objects.select_for_update().select_related("round", "entry", "member").get(pk=sheet.pk)
    _require_open(sheet.round)
    if sheet.member.user_id != by.pk:
        raise PermissionDenied
    if sheet.state != SheetState.DRAFT:
        raise ValidationError(_("This sheet was submitted; only the chair can reopen it."))
    criteria = {c.pk: c for c in sheet.entry.template.criteria.prefetch_related("options")}
    errors = []
    resolved = {}
    for criterion_id, option_id in choices.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors.append(_("A criterion that is not on this sheet was submitted."))
            continue
        option = next((o for o in criterion.options.all() if o.pk == int(option_id)), None)
        if option is None:
            errors.append(_("Criterion %(code)s: this option does not belong to it.") % {"code": criterion.code})
            continue
        resolved[criterion] = option
    if errors:
        raise ValidationError(errors)
    before = {"answers": _answers_snapshot(sheet), "total": str(sheet.total), "state": sheet.state}
    for criterion, option in resolved.items():
        ScoreAnswer.objects.update_or_create(
            sheet=sheet, criterion=criterion, defaults={"option": option, "points": option.points}
        )
    if submit:
        answered = set(sheet.answers.values_list("criterion_id", flat=True))
        missing = [c.code for c in criteria.values() if c.pk not in answered]
        if missing:
            raise ValidationError(
                _("Choose an option for every criterion before submitting (missing: %(codes)s).")
                % {"codes": ", ".join(sorted(missing))}
            )
    sheet_compute_total(sheet=sheet)
    if submit:
        sheet.state = SheetState.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["state", "submitted_at", "updated_at"])
    after = {"answers": _answers_snapshot(sheet), "total": str(sheet.total), "state": sheet.state}
    if before != after:
        audit_record(action="evaluation.sheet_saved", obj=sheet, by=by, before=before, after=after)
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet, by, reason=""):
    """The chair sends a submitted sheet back to draft for re-scoring (the spread rule)."""
    sheet = ScoreSheet.objects.select_for_update().select_related("round").get(pk=sheet.pk)
    _require_open(sheet.round)
    if not CouncilMember.objects.filter(round=sheet.round, user=by, role="chair").exists():
        raise PermissionDenied
    if sheet.state != SheetState.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be reopened."))
    sheet.state = SheetState.DRAFT
    sheet.submitted_at = None
    sheet.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(
        action="evaluation.sheet_reopened",
        obj=sheet,
        by=by,
        before={"state": SheetState.SUBMITTED},
        after={"state": SheetState.DRAFT},
        reason=reason,
    )
    return sheet


@transaction.atomic
def precheck_record(*, entry, by, passed, reason, **criteria):
    """The commune pre-check (qd1489-2025): four local criteria, then forward or not, with the reason."""
    _require_open(entry.round)
    if entry.round.tier != Tier.COMMUNE:
        raise ValidationError(_("Only a commune pre-check round records pre-checks."))
    existing = CommunePreCheck.objects.filter(entry=entry).first()
    before = None
    if existing is not None:
        before = {"passed": existing.passed, "reason": existing.reason}
    precheck, _created = CommunePreCheck.objects.update_or_create(
        entry=entry, defaults={"passed": passed, "reason": reason, "checked_by": by, **criteria}
    )
    precheck.full_clean()
    audit_record(
        action="evaluation.precheck_recorded",
        obj=precheck,
        by=by,
        before=before,
        after={"passed": passed, "reason": reason, **criteria},
    )
    return precheck


@transaction.atomic
def round_close(*, round, by):
    """Lock the round: freeze each product's result, render the minutes. Refused while a product lacks quorum."""
    round = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    _require_open(round)
    if not CouncilMember.objects.filter(round=round, user=by, role="chair").exists() and round.tier != Tier.COMMUNE:
        raise PermissionDenied
    entries = list(round.entries.select_related("application__product"))
    if round.tier == Tier.COMMUNE:
        prechecks = {p.entry_id: p for p in CommunePreCheck.objects.filter(entry__round=round)}
        unchecked = [str(e.application.product) for e in entries if e.pk not in prechecks]
        if unchecked:
            raise ValidationError(_("Pre-check every product first: %(names)s.") % {"names": ", ".join(unchecked)})
        for entry in entries:
            entry.forwarded = prechecks[entry.pk].passed
            entry.save(update_fields=["forwarded"])
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
    round.save(update_fields=["state", "closed_at", "closed_by"])
    if round.tier != Tier.COMMUNE:
        from .minutes import minutes_render

        round.minutes.save(f"bien-ban-{round.pk}.pdf", ContentFile(minutes_render(round=round)), save=True)
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


def _refusal_reason(entry, allowed):
    if entry.total is not None and entry.total < 50:
        return _("Total %(total)s is below 50 points: only 3★ and above are recognised.") % {"total": entry.total}
    if entry.missing_mandatory and (entry.stars or 0) < 3:
        codes = ", ".join(m["code"] for m in entry.missing_mandatory)
        return _("Mandatory criteria not met (%(codes)s): no star can be recognised.") % {"codes": codes}
    stars = ", ".join(f"{s}★" for s in sorted(allowed))
    return _("This tier recognises %(allowed)s; the product reached %(stars)s★.") % {
        "allowed": stars,
        "stars": entry.stars,
    }


@transaction.atomic
def decision_record(*, round, number, date, issuer_name, signer_title, signer_name, by, awards=None):
    """Record the recognition decision for a closed round, forward the products above this tier, issue certificates.

    ``awards`` (``{entry_id: stars}``) overrides the proposal; each award must be a star this tier may give and
    not above the council's result.
    """
    round = EvaluationRound.objects.select_for_update().select_related("cycle", "unit").get(pk=round.pk)
    if round.state != RoundState.CLOSED:
        raise ValidationError(_("Close the round before recording the decision."))
    allowed = RECOGNISABLE_STARS.get((round.rule_set, round.tier))
    if not allowed:
        raise ValidationError(_("This tier does not recognise stars; it forwards products."))
    if round.decisions.exists():
        raise ValidationError(_("A decision was already recorded for this round."))
    entries = list(round.entries.select_related("application__product"))
    awards = {int(k): int(v) for k, v in (awards or {}).items()}
    errors = []
    for entry in entries:
        if entry.pk in awards:
            stars = awards[entry.pk]
            if stars not in allowed:
                errors.append(
                    _("%(product)s: this tier may recognise only %(allowed)s, not %(stars)s★.")
                    % {
                        "product": entry.application.product,
                        "allowed": ", ".join(f"{s}★" for s in sorted(allowed)),
                        "stars": stars,
                    }
                )
            elif stars > (entry.stars or 0):
                errors.append(
                    _("%(product)s: the council's result (%(result)s★) does not reach %(stars)s★.")
                    % {"product": entry.application.product, "result": entry.stars, "stars": stars}
                )
    if errors:
        raise ValidationError(errors)
    decision = RecognitionDecision(
        number=number,
        date=date,
        issuing_unit=round.unit,
        issuer_name=issuer_name,
        signer_title=signer_title,
        signer_name=signer_name,
        rule_set=round.rule_set,
        round=round,
        created_by=by,
    )
    decision.full_clean()
    decision.save()
    threshold = FORWARD_THRESHOLDS.get((round.rule_set, round.tier))
    recognised, refused, forwarded = [], [], []
    for entry in entries:
        stars = awards.get(entry.pk)
        goes_up = threshold is not None and entry.total is not None and entry.total >= threshold
        if stars is None and (entry.stars or 0) in allowed:
            stars = entry.stars
        if stars is None and goes_up and (entry.stars or 0) > max(allowed):
            entry.forwarded = True
            entry.save(update_fields=["forwarded"])
            forwarded.append(entry.application.product.name)
            continue
        if stars is None:
            reason = _refusal_reason(entry, allowed)
            NonRecognition.objects.create(decision=decision, entry=entry, total_score=entry.total or 0, reason=reason)
            refused.append({"product": entry.application.product.name, "reason": reason})
            continue
        item = RecognitionItem(
            decision=decision,
            product=entry.application.product,
            application=entry.application,
            stars=stars,
            total_score=entry.total,
        )
        item.full_clean()
        item.save()
        recognised.append({"product": item.product.name, "stars": stars})
    audit_record(
        action="evaluation.decision_recorded",
        obj=decision,
        by=by,
        after={"number": number, "recognised": recognised, "refused": refused, "forwarded": forwarded},
    )
    certificates_create_for_decision(decision=decision)
    return decision
