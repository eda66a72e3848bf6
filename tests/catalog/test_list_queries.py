"""The public catalogue lists and the staff trade lists cost exactly as many queries at 1 row as at 20.

Each page is read cold (the rows added between the two reads change the catalogue version, so neither read is
served from the page cache; an unchanged version would show as 0 queries and fail the comparison).
"""

from django.urls import reverse

from tests.factories.catalog import bulk_certified_products, make_fair, make_point_of_sale
from tests.querycount import assert_same_queries, page_queries


def test_catalogue_same_queries_at_1_and_20_products(client, tree):
    url = reverse("catalog:product_list")
    bulk_certified_products(1, communes=[tree.x])
    one, response = page_queries(client, url, {"sort": "name"})
    assert response.context["page_obj"].paginator.count == 1
    bulk_certified_products(19, communes=[tree.x, tree.y, tree.z])
    many, response = page_queries(client, url, {"sort": "name"})
    assert response.context["page_obj"].paginator.count == 20
    assert_same_queries(one, many)


def test_points_of_sale_same_queries_at_1_and_20_rows(client, tree):
    url = reverse("catalog:point_of_sale_list")
    products = bulk_certified_products(3, communes=[tree.x])
    make_point_of_sale(unit=tree.x, products=products)
    one, response = page_queries(client, url, {"n": 1})
    assert len(response.context["points"]) == 1
    for i in range(19):
        make_point_of_sale(unit=tree.x if i % 2 else tree.y, products=products[: 1 + i % 3])
    many, response = page_queries(client, url, {"n": 20})
    assert len(response.context["points"]) == 20
    assert_same_queries(one, many)


def test_fairs_same_queries_at_1_and_20_rows(client, tree):
    url = reverse("catalog:fair_list")
    products = bulk_certified_products(3, communes=[tree.x])
    make_fair(unit=tree.p, products=products)
    one, response = page_queries(client, url, {"n": 1})
    assert len(response.context["upcoming"]) == 1
    for i in range(19):
        make_fair(unit=tree.p if i % 2 else tree.x, products=products[: 1 + i % 3])
    many, response = page_queries(client, url, {"n": 20})
    assert len(response.context["upcoming"]) == 20
    assert_same_queries(one, many)


def test_trade_lists_same_queries_at_1_and_20_rows(staff_client, users, tree):
    officer = staff_client(users.province)
    products = bulk_certified_products(3, communes=[tree.x])
    make_point_of_sale(unit=tree.x, products=products)
    make_fair(unit=tree.p, products=products)
    one_points, _ = page_queries(officer, reverse("trade:point_of_sale_list"))
    one_fairs, _ = page_queries(officer, reverse("trade:fair_list"))
    for i in range(19):
        make_point_of_sale(unit=tree.x if i % 2 else tree.y, products=products[: 1 + i % 3])
        make_fair(unit=tree.p, products=products[: 1 + i % 3])
    many_points, points = page_queries(officer, reverse("trade:point_of_sale_list"))
    many_fairs, fairs = page_queries(officer, reverse("trade:fair_list"))
    assert points.context["page"].paginator.count == fairs.context["page"].paginator.count == 20
    assert_same_queries(one_points, many_points)
    assert_same_queries(one_fairs, many_fairs)
