"""The user list costs exactly as many queries at 1 user below the viewer as at 20 (in several units)."""

from django.urls import reverse

from apps.accounts.enums import Role
from tests.factories import UserFactory
from tests.querycount import assert_same_queries, page_queries


def test_user_list_same_queries_at_1_and_20_rows(client, tree):
    viewer = UserFactory(role=Role.DISTRICT_OFFICER, unit=tree.d)
    client.force_login(viewer)
    url = reverse("accounts:user_list")
    UserFactory(role=Role.COMMUNE_OFFICER, unit=tree.x)
    one, response = page_queries(client, url)
    assert len(response.context["users"]) == 2
    for i in range(19):
        UserFactory(role=Role.COMMUNE_OFFICER if i % 2 else Role.PRODUCER, unit=tree.x if i % 3 else tree.y)
    many, response = page_queries(client, url)
    assert len(response.context["users"]) == 21
    assert_same_queries(one, many)
