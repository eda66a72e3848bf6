"""Truth tables of the council permissions, and ``rounds_visible_to`` against ``view_evaluationround``.

The open round belongs to district d (``council_seated`` chairs it); the closed one to district dq.
"""

import pytest

from apps.evaluation.enums import Tier
from apps.evaluation.models import EvaluationRound, ScoreSheet
from apps.evaluation.rules import creatable_tiers, is_round_chair, is_sheet_member, may_close_round, may_create_round
from apps.evaluation.selectors import rounds_visible_to
from tests.cast import ROLES, build_world, mismatches, seat, table

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


def _with_precheck(world):
    """A commune pre-check of X (no chair) beside the world's district rounds."""
    world.round_precheck = EvaluationRound.objects.create(
        cycle=world.cycle_x, tier=Tier.COMMUNE, unit=world.tree.x, name="Rà soát", created_by=world.cast["commune_same"]
    )
    return world


# Who closes a round (evaluation.close_round for the view and the round page's button; the predicate
# may_close_round is what round_transition asks, without the superuser's pass): the chair of an open round; for a
# commune pre-check, which has no chair, an officer who manages it.
CLOSE_ROUND = {
    "round_open": table(".......Y....."),
    "round_closed": table("............."),
    "round_precheck": table("...Y.Y...Y.YY"),
}


def test_close_round_truth_table(world):
    world = _with_precheck(world)
    for role in ROLES:
        for key, row in CLOSE_ROUND.items():
            assert may_close_round(world.cast[role], getattr(world, key)) is row[role], (role, key)
    # The admin passes every permission as a superuser; the service still asks the predicate.
    perm = {key: {**row, "admin": True} for key, row in CLOSE_ROUND.items()}
    assert mismatches(world, "evaluation.close_round", perm) == []


def test_a_deactivated_chair_or_officer_may_close_no_round(world):
    world = _with_precheck(world)
    for role in ("council_seated", "commune_same", "district_same"):
        world.cast[role].is_active = False
        world.cast[role].save(update_fields=["is_active"])
    assert may_close_round(world.cast["council_seated"], world.round_open) is False
    assert may_close_round(world.cast["commune_same"], world.round_precheck) is False
    assert may_close_round(world.cast["district_same"], world.round_precheck) is False
    assert world.cast["council_seated"].has_perm("evaluation.close_round", world.round_open) is False


def test_sheet_member_and_chair_truth_table(world):
    """The two who-predicates of the score-sheet table (SHEET_TRANSITIONS) on a sheet of the seated chair, and on
    one of another member of the same round; a deactivated member is nobody's member."""
    entry = world.round_open.entries.get()
    chair_seat = world.round_open.members.get(user=world.cast["council_seated"])
    other = seat(world.round_open, world.cast["council_unseated"])
    own = ScoreSheet.objects.create(round=world.round_open, entry=entry, member=chair_seat)
    theirs = ScoreSheet.objects.create(round=world.round_open, entry=entry, member=other)
    member_of_own, member_of_theirs, chair = table(".......Y....."), table("........Y...."), table(".......Y.....")
    for role in ROLES:
        user = world.cast[role]
        assert (is_sheet_member(user, own), is_sheet_member(user, theirs), is_round_chair(user, theirs)) == (
            member_of_own[role],
            member_of_theirs[role],
            chair[role],
        ), role
    world.cast["council_unseated"].is_active = False
    world.cast["council_unseated"].save(update_fields=["is_active"])
    assert is_sheet_member(world.cast["council_unseated"], theirs) is False
