"""Truth tables of the account permissions for every role variant, and ``users_visible_to`` against them."""

import pytest

from apps.accounts.selectors import users_visible_to
from tests.cast import build_world, mismatches, table

pytestmark = pytest.mark.django_db

# Roles in the order of tests.cast.ROLES: anonymous, producer own/other, commune same/other, district same/other,
# council seated/unseated, province same/other, central, admin.


@pytest.fixture
def world(tree):
    world = build_world(tree)
    world.officer_y = world.cast["commune_other"]
    world.national = world.cast["central"]
    return world


def test_view_user_truth_table_and_selector_agree(world):
    expected = {
        # commune Y's officer: seen by the staff who cover commune Y (itself included); council members cover nothing.
        "officer_y": table("....YY...Y.YY"),
        # a national account: seen by national viewers only.
        "national": table("...........YY"),
    }
    assert mismatches(world, "accounts.view_user", expected, users_visible_to) == []


def test_invite_user_truth_table(world):
    assert mismatches(world, "accounts.invite_user", {None: table("...YYYY..YYYY")}) == []
