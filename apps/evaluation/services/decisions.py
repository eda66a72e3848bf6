"""Recognition decisions: record what a closed round recognised, forwarded or refused, and issue certificates;
load a decision issued before the portal."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.audit.services import audit_record
from apps.core.enums import RECOGNISED_STARS
from apps.core.stars import LOWEST_RECOGNISED_STARS, RECOGNITION_FLOOR, reaches_recognition, star_band
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application
from apps.cycles.services import application_transition

from ..eligibility import required_state
from ..enums import (
    FORWARD_THRESHOLDS,
    RECOGNISABLE_STARS,
    RoundState,
    Tier,
)
from ..models import (
    EvaluationRound,
    NonRecognition,
    RecognitionDecision,
    RecognitionItem,
    RoundEntry,
)
from ..signals import decision_recorded

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.geo.models import AdministrativeUnit
    from apps.products.models import Product


def _refusal_reason(entry: RoundEntry, allowed: set[int]) -> str:
    if entry.total is not None and not reaches_recognition(entry.total):
        return _("Total %(total)s is below %(floor)s points: only %(stars)s★ and above are recognised.") % {
            "total": number_format(entry.total, 2),
            "floor": number_format(RECOGNITION_FLOOR),
            "stars": LOWEST_RECOGNISED_STARS,
        }
    if entry.missing_mandatory and (entry.stars or 0) < LOWEST_RECOGNISED_STARS:
        codes = ", ".join(m["code"] for m in entry.missing_mandatory)
        return _("Mandatory criteria not met (%(codes)s): no star can be recognised.") % {"codes": codes}
    stars = ", ".join(f"{s}★" for s in sorted(allowed))
    return _("This tier recognises %(allowed)s; the product reached %(stars)s★.") % {
        "allowed": stars,
        "stars": entry.stars,
    }


@transaction.atomic
def decision_record(
    *,
    round: EvaluationRound,
    number: str,
    date: datetime.date,
    issuer_name: str,
    signer_title: str,
    signer_name: str,
    by: "User",
    awards: dict[int, int] | None = None,
) -> RecognitionDecision:
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
    entries = list(round.entries.select_related("application__product").order_by("pk"))
    # Lock the applications; only those still at the step this round rated can be decided. One that was returned
    # or withdrawn after the round closed (or entered by mistake) is left out: never recognised, never certified.
    expected = required_state(round)
    locked = {
        a.pk: a for a in Application.objects.select_for_update().filter(pk__in=[e.application_id for e in entries])
    }
    excluded = [
        {"product": e.application.product.name, "state": locked[e.application_id].state}
        for e in entries
        if locked[e.application_id].state != expected
    ]
    entries = [e for e in entries if locked[e.application_id].state == expected]
    if not entries:
        raise ValidationError(_("No product of this round is still at the step this round rated: nothing to decide."))
    awards = {int(k): int(v) for k, v in (awards or {}).items()}
    errors = []
    if set(awards) - {e.pk for e in entries}:
        errors.append(_("A product that this decision cannot cover was given stars."))
    for entry in entries:
        if entry.pk in awards:
            stars: int | None = awards[entry.pk]
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
    forward_to = S.FORWARDED_PROVINCE if round.tier in (Tier.DISTRICT, Tier.COMMUNE) else S.FORWARDED_CENTRAL
    in_decision = _("Decision %(number)s") % {"number": number}
    recognised: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    forwarded: list[str] = []
    for entry in entries:
        application = locked[entry.application_id]
        stars = awards.get(entry.pk)
        goes_up = threshold is not None and entry.total is not None and entry.total >= threshold
        if stars is None and (entry.stars or 0) in allowed:
            stars = entry.stars
        if stars is None and goes_up and (entry.stars or 0) > max(allowed):
            entry.forwarded = True
            entry.save(update_fields=["forwarded"])
            forwarded.append(entry.application.product.name)
            application_transition(
                application=application, to_state=forward_to, by=by, reason=in_decision, council_round=round
            )
            continue
        if stars is None:
            reason = _refusal_reason(entry, allowed)
            NonRecognition.objects.create(decision=decision, entry=entry, total_score=entry.total or 0, reason=reason)
            refused.append({"product": entry.application.product.name, "reason": reason})
            application_transition(
                application=application,
                to_state=S.NOT_RECOGNISED,
                by=by,
                reason=f"{in_decision}: {reason}",
                council_round=round,
            )
            continue
        item = RecognitionItem(
            decision=decision,
            product=entry.application.product,
            application=entry.application,
            stars=stars,
            total_score=entry.total,  # type: ignore[misc]  # a recognised entry has been scored
        )
        item.full_clean()
        item.save()
        recognised.append({"product": item.product.name, "stars": stars})
        application_transition(
            application=application,
            to_state=S.RECOGNISED,
            stars=stars,
            by=by,
            reason=in_decision,
            council_round=round,
        )
    audit_record(
        action="evaluation.decision_recorded",
        obj=decision,
        by=by,
        after={
            "number": number,
            "recognised": recognised,
            "refused": refused,
            "forwarded": forwarded,
            "excluded": excluded,
        },
    )
    # The certificates app (above this one) issues the certificates, in this transaction.
    decision_recorded.send(sender=RecognitionDecision, decision=decision)
    return decision


@dataclass(frozen=True)
class ImportedRecognition:
    """One product of a decision issued before the portal: its stars and the council's total."""

    product: "Product"
    stars: int
    total_score: Decimal


@transaction.atomic
def decision_import(
    *,
    number: str,
    date: datetime.date,
    issuing_unit: "AdministrativeUnit",
    issuer_name: str,
    signer_title: str,
    signer_name: str,
    rule_set: str,
    recognitions: list[ImportedRecognition],
    by: "User",
) -> RecognitionDecision:
    """Load a recognition decision issued before the portal (no round of it here), then issue its certificates.

    A province's earlier decisions are loaded by a system administrator (the demo's history, 2023–2026): each
    product lies in the issuing unit, at most once, with 3, 4 or 5 stars its total reaches; the decision is dated
    today at the latest. Its items have no application (the certificates service issues them as they are).
    """
    if by.role != Role.SYSTEM_ADMIN or not by.is_active:
        raise PermissionDenied(_("Only a system administrator may load the decisions issued before the portal."))
    errors = []
    if date > timezone.localdate():
        errors.append(_("A decision cannot be dated in the future."))
    if not recognitions:
        errors.append(_("A decision lists at least one product."))
    products = [r.product.pk for r in recognitions]
    if len(set(products)) != len(products):
        errors.append(_("A product is listed twice in this decision."))
    for r in recognitions:
        if not issuing_unit.covers(r.product.commune):
            errors.append(_("%(product)s is not in %(unit)s.") % {"product": r.product, "unit": issuing_unit})
        elif r.stars not in RECOGNISED_STARS or r.stars > star_band(r.total_score):
            errors.append(
                _("%(product)s: a total of %(total)s does not give %(stars)s★ (3★ to 5★ are recognised).")
                % {"product": r.product, "total": number_format(r.total_score, 2), "stars": r.stars}
            )
    if errors:
        raise ValidationError(errors)
    decision = RecognitionDecision(
        number=number,
        date=date,
        issuing_unit=issuing_unit,
        issuer_name=issuer_name,
        signer_title=signer_title,
        signer_name=signer_name,
        rule_set=rule_set,
        created_by=by,
    )
    decision.full_clean()
    decision.save()
    items = [
        RecognitionItem(decision=decision, product=r.product, stars=r.stars, total_score=r.total_score)
        for r in recognitions
    ]
    for item in items:
        item.full_clean(exclude=["decision"])
    RecognitionItem.objects.bulk_create(items)
    audit_record(
        action="evaluation.decision_imported",
        obj=decision,
        by=by,
        after={"number": number, "recognised": [{"product": r.product.name, "stars": r.stars} for r in recognitions]},
    )
    # The certificates app (above this one) issues the certificates, in this transaction.
    decision_recorded.send(sender=RecognitionDecision, decision=decision)
    return decision
