"""Truth tables of the council permissions, and ``rounds_visible_to`` against ``view_evaluationround``.

The open round belongs to district d (``council_seated`` chairs it); the closed one to district dq.
"""

import pytest

from apps.evaluation.selectors import rounds_visible_to
from tests.cast import build_world, mismatches, table

pytestmark = pytest.mark.django_db

# Roles in the order of tests.cast.ROLES: anonymous, producer own/other, commune same/other, district same/other,
# council seated/unseated, province same/other, central, admin.


@pytest.fixture
def world(tree):
    return build_world(tree)


def _rounds_visible_to(user):
    return rounds_visible_to(user=user)


def test_view_round_truth_table_and_selector_agree(world):
    expected = {"round_open": table(".....Y.Y.Y.YY"), "round_closed": table("......Y...YYY")}
    assert mismatches(world, "evaluation.view_evaluationround", expected, _rounds_visible_to) == []
    assert mismatches(world, "evaluation.view_minutes", expected) == []


def test_manage_round_truth_table(world):
    # Officers of the round's subtree while it is open; the admin passes every check as a superuser.
    expected = {"round_open": table(".....Y...Y.YY"), "round_closed": table("............Y")}
    assert mismatches(world, "evaluation.manage_round", expected) == []
    assert mismatches(world, "evaluation.record_precheck", expected) == []


def test_chair_and_conflict_truth_table(world):
    chair = {"round_open": table(".......Y....Y"), "round_closed": table("............Y")}
    assert mismatches(world, "evaluation.chair_round", chair) == []
    assert mismatches(world, "evaluation.declare_conflict", chair) == []


def test_record_decision_truth_table(world):
    expected = {"round_open": table("............Y"), "round_closed": table("......Y...YYY")}
    assert mismatches(world, "evaluation.record_decision", expected) == []
