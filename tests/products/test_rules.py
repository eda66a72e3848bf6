"""Truth table of the product permissions for every role of the shared tree."""

import pytest

from apps.products.selectors import products_visible_to
from tests.cast import build_world, mismatches, table
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db

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


@pytest.mark.parametrize("who", sorted(VIEW))
def test_product_permissions_truth_table(users, producer_x, who):
    product = ProductFactory(producer=producer_x)
    user = getattr(users, who)
    assert user.has_perm("products.view_product", product) is VIEW[who]
    assert user.has_perm("products.change_product", product) is CHANGE[who]


def test_producer_user_cannot_see_other_producers_product(users, producer_y):
    product = ProductFactory(producer=producer_y)
    assert users.producer.has_perm("products.view_product", product) is False


def test_product_permissions_for_every_role_variant_and_selector_agree(tree):
    world = build_world(tree)
    view = {"product_x": table(".Y.Y.Y...Y.YY"), "product_z": table("......Y...YYY")}
    change = {"product_x": table("...Y........Y"), "product_z": table("............Y")}
    assert mismatches(world, "products.view_product", view, products_visible_to) == []
    assert mismatches(world, "products.change_product", change) == []
