"""Truth tables of the producer permissions for every role of the shared tree."""

import pytest

from tests.factories.registry import DocumentFactory

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
