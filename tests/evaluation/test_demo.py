"""The councils' demo: completed rounds under both rule sets, 3★, 4★ and 5★ candidates, idempotent."""

import pytest

from apps.demo import evaluation as demo
from apps.demo.accounts import seed_accounts, seed_units
from apps.evaluation.enums import RoundState, Tier
from apps.evaluation.models import EvaluationRound, RecognitionItem, RoundEntry, ScoreSheet
from tests.demo_trail import untraced

pytestmark = pytest.mark.django_db


def _counts():
    return (EvaluationRound.objects.count(), ScoreSheet.objects.count(), RecognitionItem.objects.count())


def test_demo_seed_results_under_both_rule_sets_and_idempotent():
    seed_units(full=False)
    seed_accounts()
    demo.seed()
    first = _counts()
    demo.seed()
    assert _counts() == first
    assert set(EvaluationRound.objects.values_list("state", flat=True)) == {RoundState.CLOSED}
    stars = {(item.decision.rule_set, item.stars) for item in RecognitionItem.objects.select_related("decision")}
    assert stars == {("qd148-2023", 3), ("qd148-2023", 4), ("qd1489-2025", 3), ("qd1489-2025", 4)}
    candidates = RoundEntry.objects.filter(round__tier=Tier.PROVINCE, forwarded=True, total__gte=90)
    assert sorted(e.round.cycle.rule_set for e in candidates) == ["qd148-2023", "qd1489-2025"]
    assert not EvaluationRound.objects.filter(tier=Tier.DISTRICT, cycle__rule_set="qd1489-2025").exists()
    assert {r.minutes_state for r in EvaluationRound.objects.exclude(tier=Tier.COMMUNE)} == {"pending"}
    # The applications, sheets and rounds reached their states through the services (their audit rows).
    assert untraced() == []
