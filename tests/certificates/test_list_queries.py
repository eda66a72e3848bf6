"""The staff certificate list costs exactly as many queries at 1 certificate as at 20."""

from django.urls import reverse

from tests.querycount import assert_same_queries, page_queries


def test_certificate_list_same_queries_at_1_and_20_rows(client, users, issue):
    client.force_login(users.province)
    url = reverse("certificates:list")
    issue(1)
    one, response = page_queries(client, url)
    assert len(response.context["page"]) == 1
    issue(19)
    many, response = page_queries(client, url)
    assert len(response.context["page"]) == 20
    assert_same_queries(one, many)
