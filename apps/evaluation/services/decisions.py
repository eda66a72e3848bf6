"""Recognition decisions: record what a closed round recognised, forwarded or refused, and issue certificates."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.certificates.services import certificates_create_for_decision

from ..enums import (
    FORWARD_THRESHOLDS,
    RECOGNISABLE_STARS,
    RoundState,
)
from ..models import (
    EvaluationRound,
    NonRecognition,
    RecognitionDecision,
    RecognitionItem,
)


def _refusal_reason(entry, allowed):
    if entry.total is not None and entry.total < 50:
        return _("Total %(total)s is below 50 points: only 3★ and above are recognised.") % {
            "total": number_format(entry.total, 2)
        }
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
