"""Truth tables of the producer permissions for every role of the shared tree."""

import pytest

from apps.producers.selectors import producers_visible_to
from tests.cast import build_world, mismatches, table
from tests.factories.producers import DocumentFactory

pytestmark = pytest.mark.django_db

# producer_x lies in commune X (district d, province p) and has the producer account linked.
VIEW = {
    "commune_x": True,
    "commune_y": False,
    "district": True,
    "province": True,
    "province_q": False,
    "central": True,
    "admin": True,
    "producer": True,
}
CHANGE = {**{k: False for k in VIEW}, "commune_x": True, "admin": True}
UPLOAD = {**CHANGE, "producer": True}


@pytest.mark.parametrize("who", sorted(VIEW))
def test_producer_permissions_truth_table(users, producer_x, who):
    user = getattr(users, who)
    document = DocumentFactory(producer=producer_x)
    assert user.has_perm("producers.view_producer", producer_x) is VIEW[who]
    assert user.has_perm("producers.view_producerdocument", document) is VIEW[who]
    assert user.has_perm("producers.change_producer", producer_x) is CHANGE[who]
    assert user.has_perm("producers.upload_document", producer_x) is UPLOAD[who]


def test_producer_user_not_linked_sees_nothing(users, producer_y):
    # Same role, but not linked through Producer.accounts.
    assert users.producer.has_perm("producers.view_producer", producer_y) is False
    assert users.producer.has_perm("producers.upload_document", producer_y) is False


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("commune_x", True), ("admin", True), ("district", False), ("province", False), ("producer", False)],
)
def test_add_producer_permission(users, who, allowed):
    assert getattr(users, who).has_perm("producers.add_producer") is allowed


def test_producer_permissions_for_every_role_variant_and_selector_agree(tree):
    world = build_world(tree)
    view = {"producer_x": table(".Y.Y.Y...Y.YY"), "producer_z": table("......Y...YYY")}
    change = {"producer_x": table("...Y........Y"), "producer_z": table("............Y")}
    assert mismatches(world, "producers.view_producer", view, producers_visible_to) == []
    assert mismatches(world, "producers.change_producer", change) == []
