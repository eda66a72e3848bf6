"""Which applications a round may take: the state machine decides, for the service and the picker alike.

A round of a tier takes an application only in the state the tier below left it in:

=============  ==================  ====================  =================================================
rule set       tier                application state     and
=============  ==================  ====================  =================================================
148 / 1048     district            sent_for_evaluation   the commune checked the dossier and sent it up
1489           commune (pre-check) sent_for_evaluation   the commune checked the dossier and sent it up
any            province            forwarded_province    a closed round of the tier below forwarded it
any            central             forwarded_central     the province forwarded it with ≥ 90 points
=============  ==================  ====================  =================================================

An application sits in one round per tier and cycle (removing it from a round frees it again).
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application, Cycle

from .enums import FORWARD_THRESHOLDS, TIERS_BY_RULE_SET, RoundState, Tier
from .models import RoundEntry
from .rules import creatable_tiers, q_round_cycle_for

S = ApplicationState

REQUIRED_STATE = {
    (RuleSet.QD148_2023, Tier.DISTRICT): S.SENT_FOR_EVALUATION,
    (RuleSet.QD1048_2019, Tier.DISTRICT): S.SENT_FOR_EVALUATION,
    (RuleSet.QD1489_2025, Tier.COMMUNE): S.SENT_FOR_EVALUATION,
    (RuleSet.QD148_2023, Tier.PROVINCE): S.FORWARDED_PROVINCE,
    (RuleSet.QD1048_2019, Tier.PROVINCE): S.FORWARDED_PROVINCE,
    (RuleSet.QD1489_2025, Tier.PROVINCE): S.FORWARDED_PROVINCE,
    (RuleSet.QD148_2023, Tier.CENTRAL): S.FORWARDED_CENTRAL,
    (RuleSet.QD1048_2019, Tier.CENTRAL): S.FORWARDED_CENTRAL,
    (RuleSet.QD1489_2025, Tier.CENTRAL): S.FORWARDED_CENTRAL,
}
# The tier a product must come from (forwarded by a closed round) before a round of this tier may rate it.
PREVIOUS_TIER = {
    (RuleSet.QD148_2023, Tier.PROVINCE): Tier.DISTRICT,
    (RuleSet.QD1048_2019, Tier.PROVINCE): Tier.DISTRICT,
    (RuleSet.QD1489_2025, Tier.PROVINCE): Tier.COMMUNE,
    (RuleSet.QD148_2023, Tier.CENTRAL): Tier.PROVINCE,
    (RuleSet.QD1048_2019, Tier.CENTRAL): Tier.PROVINCE,
    (RuleSet.QD1489_2025, Tier.CENTRAL): Tier.PROVINCE,
}


def creatable_cycles(user):
    """The cycles in which ``user`` may set up a round: those that run their tier and cover their unit."""
    tiers = creatable_tiers(user)
    rule_sets = [rs for rs, run in TIERS_BY_RULE_SET.items() if set(run) & set(tiers)]
    return (
        Cycle.objects.select_related("unit")
        .filter(rule_set__in=rule_sets)
        .filter(q_round_cycle_for(user))
        .order_by("-year", "unit__path")
    )


def may_create_rounds(user):
    """Whether the "new round" button is offered: a commune officer only where a 1489 cycle covers the commune."""
    return creatable_cycles(user).exists()


def required_state(round):
    return REQUIRED_STATE.get((round.rule_set, round.tier))


def _forwarded_by_previous(round):
    """RoundEntry rows proving an application was forwarded to ``round``'s tier (None for a first tier)."""
    previous = PREVIOUS_TIER.get((round.rule_set, round.tier))
    if previous is None:
        return None
    proof = RoundEntry.objects.filter(
        round__cycle_id=round.cycle_id, round__tier=previous, round__state=RoundState.CLOSED, forwarded=True
    )
    threshold = FORWARD_THRESHOLDS.get((round.rule_set, previous))
    if round.tier == Tier.CENTRAL and threshold is not None:
        proof = proof.filter(total__gte=threshold)
    return proof


def eligible_applications(round):
    """The applications ``round`` may take now (the picker lists these and only these)."""
    state = required_state(round)
    if state is None:
        return Application.objects.none()
    qs = Application.objects.filter(
        cycle_id=round.cycle_id, state=state, product__commune__path__startswith=round.unit.path
    )
    same_tier = RoundEntry.objects.filter(
        round__cycle_id=round.cycle_id, round__tier=round.tier, application=OuterRef("pk")
    )
    qs = qs.exclude(Exists(same_tier))
    proof = _forwarded_by_previous(round)
    if proof is not None:
        qs = qs.filter(Exists(proof.filter(application=OuterRef("pk"))))
    return qs


def entry_refusal(round, application):
    """Why ``round`` may not take ``application`` (a sentence in the active language), or None when it may."""
    product = application.product
    if application.cycle_id != round.cycle_id or not round.unit.covers(product.commune):
        return _("This application does not belong to the round's cycle and unit.")
    state = required_state(round)
    if state is None:
        return _("Under %(rule_set)s there is no %(tier)s.") % {
            "rule_set": RuleSet(round.rule_set).label,
            "tier": str(Tier(round.tier).label).lower(),
        }
    if application.state != state:
        return _(
            "“%(product)s” is at the step “%(state)s”: a %(tier)s takes only applications at the step “%(required)s”."
        ) % {
            "product": product.name,
            "state": S(application.state).label,
            "tier": str(Tier(round.tier).label).lower(),
            "required": S(state).label,
        }
    proof = _forwarded_by_previous(round)
    if proof is not None and not proof.filter(application=application).exists():
        if round.tier == Tier.CENTRAL:
            return _("“%(product)s” was not forwarded by the province council with at least 90 points.") % {
                "product": product.name
            }
        return _("“%(product)s” was not forwarded by the previous tier.") % {"product": product.name}
    other = (
        RoundEntry.objects.filter(round__cycle_id=round.cycle_id, round__tier=round.tier, application=application)
        .select_related("round")
        .first()
    )
    if other is not None:
        return _("“%(product)s” is already in the round “%(round)s” of this tier.") % {
            "product": product.name,
            "round": other.round.name,
        }
    return None
