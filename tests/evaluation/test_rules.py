"""Truth tables of the council permissions, and ``rounds_visible_to`` against ``view_evaluationround``.

The open round belongs to district d (``council_seated`` chairs it); the closed one to district dq.
"""

import pytest

from apps.evaluation.rules import creatable_tiers, may_create_round
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


# Who may set up a round of a tier for a unit (evaluation.rules.may_create_round, asked by round_create and the
# round form): the officer of that tier and of exactly that unit, the central officer for central rounds, an admin.
CREATE_ROUND = {
    ("commune", "x"): table("...Y........Y"),
    ("district", "d"): table(".....Y......Y"),
    ("province", "p"): table(".........Y..Y"),
    ("central", "p"): table("...........YY"),
}


@pytest.mark.parametrize(("tier", "unit"), list(CREATE_ROUND), ids=str)
def test_may_create_round_truth_table(world, tier, unit):
    for role, expected in CREATE_ROUND[(tier, unit)].items():
        user = world.cast[role]
        assert may_create_round(user, tier=tier, unit=getattr(world.tree, unit)) is expected, (role, tier, unit)
        if expected:
            assert tier in creatable_tiers(user), role


def test_a_deactivated_officer_may_create_no_round(world):
    officer = world.cast["district_same"]
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert may_create_round(officer, tier="district", unit=world.tree.d) is False
    assert creatable_tiers(officer) == []
