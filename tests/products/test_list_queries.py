"""The staff product list costs exactly as many queries at 1 row as at 20 (each of a different producer)."""

from django.urls import reverse

from tests.factories.products import ProductFactory
from tests.querycount import assert_same_queries, page_queries


def test_product_list_same_queries_at_1_and_20_rows(client, users, tree):
    client.force_login(users.district)
    url = reverse("products:product_list")
    ProductFactory(commune=tree.x)
    one, response = page_queries(client, url)
    assert response.context["page"].paginator.count == 1
    for i in range(19):
        ProductFactory(commune=tree.x if i % 2 else tree.y)
    many, response = page_queries(client, url)
    assert response.context["page"].paginator.count == 20
    assert_same_queries(one, many)
