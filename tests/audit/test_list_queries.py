"""The audit trail costs exactly as many queries at 1 event as at 20 (of different actors and units)."""

from django.urls import reverse

from apps.accounts.enums import Role
from tests.factories import UserFactory
from tests.factories.audit import AuditEventFactory
from tests.querycount import assert_same_queries, page_queries


def test_audit_list_same_queries_at_1_and_20_rows(client, users, tree):
    client.force_login(users.province)  # the sign-in is an event of the subtree too
    url = reverse("audit:audit_list")
    AuditEventFactory(actor=users.commune_x, unit=tree.x)
    one, response = page_queries(client, url)
    assert len(response.context["page"]) == 2
    for i in range(19):
        actor = UserFactory(role=Role.COMMUNE_OFFICER, unit=tree.x if i % 2 else tree.y)
        AuditEventFactory(actor=actor, unit=actor.unit)
    many, response = page_queries(client, url)
    assert len(response.context["page"]) == 21
    assert_same_queries(one, many)
