"""Province staff browse and export the audit trail of their subtree, and nobody else's."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories.audit import AuditEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(tree, users):
    here = AuditEventFactory(
        actor=users.commune_x,
        object_id="1",
        object_repr="Chả mực Hạ Long",
        unit=tree.x,
        ip="127.0.0.1",
    )
    there = AuditEventFactory(
        actor=users.province_q,
        object_id="2",
        object_repr="Cà phê Đắk Kôi",
        unit=tree.z,
    )
    return here, there


def test_province_officer_sees_and_exports_only_the_subtree(client, users, events):
    client.force_login(users.province)
    page = client.get(reverse("audit:audit_list"))
    # The officer's own sign-in (unit 22) is in the subtree too; the event of province 62 is not.
    assert [(e.action, e.object_repr) for e in page.context["page"]] == [
        ("auth.login", "tinh@ocop.example"),
        ("product.create", "Chả mực Hạ Long"),
    ]
    export = client.get(reverse("audit:audit_list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["at", "actor", "action"]
    assert [r[5] for r in rows[1:]] == ["tinh@ocop.example", "Chả mực Hạ Long"]
    assert rows[2][7] == "127.0.0.1"


@pytest.mark.parametrize("who", ["commune_x", "district", "producer"])
def test_others_may_not_browse_the_audit_trail(client, users, events, who):
    client.force_login(getattr(users, who))
    assert client.get(reverse("audit:audit_list")).status_code == 403
    assert client.get(reverse("audit:audit_list"), {"format": "csv"}).status_code == 403
