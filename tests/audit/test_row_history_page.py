"""Province staff browse and export the row history (pghistory events) of their subtree, field by field, at
/quan-ly/nhat-ky/lich-su/; other provinces' records and lower roles get nothing (issue 11)."""

import csv
import io
import json

import pghistory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.producers.models import Producer
from tests.factories.producers import ProducerFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit:row_history")
PRODUCERS = {"model": "producers.Producer"}


@pytest.fixture
def history(tree, users):
    """A producer of province 22 created then renamed by the commune officer, and one of province 62."""
    with pghistory.context(user=users.commune_x.pk, url="/quan-ly/chu-the/moi/"):
        here = ProducerFactory(commune=tree.x, name="HTX Chè Hà Khánh")
    with pghistory.context(user=users.commune_x.pk, url="/quan-ly/chu-the/1/sua/"):
        Producer.objects.filter(pk=here.pk).update(name="HTX Chè Hạ Long")
    with pghistory.context(user=users.province_q.pk):
        there = ProducerFactory(commune=tree.z, name="HTX Sâm Đắk Kôi")
    return here, there


def _rows(response):
    return [(e.pgh_obj_id, e.pgh_label) for e in response.context["events"]]


def test_province_officer_sees_the_field_level_history_of_the_subtree_only(client, users, history):
    here, there = history
    client.force_login(users.province)
    response = client.get(URL, PRODUCERS)
    assert response.status_code == 200
    assert _rows(response) == [(str(here.pk), "update"), (str(here.pk), "insert")]
    update = response.context["events"][0]
    assert update.changes == [("name", ["HTX Chè Hà Khánh", "HTX Chè Hạ Long"])]
    assert (update.actor, update.origin) == (users.commune_x, "/quan-ly/chu-the/1/sua/")
    body = response.content.decode()
    assert "HTX Chè Hà Khánh → HTX Chè Hạ Long" in body and "xa.x@ocop.example" in body
    assert [e.change for e in response.context["events"]] == ["sửa đổi", "tạo mới"]
    assert "HTX Sâm Đắk Kôi" not in body
    # The other province's officer sees only theirs.
    client.force_login(users.province_q)
    assert _rows(client.get(URL, PRODUCERS)) == [(str(there.pk), "insert")]
    # A central officer sees both provinces.
    client.force_login(users.central)
    assert sorted(_rows(client.get(URL, PRODUCERS))) == sorted(
        [(str(here.pk), "update"), (str(here.pk), "insert"), (str(there.pk), "insert")]
    )


def test_the_filters_by_actor_date_and_unit(client, users, tree, history):
    here, _ = history
    client.force_login(users.province)
    assert _rows(client.get(URL, {**PRODUCERS, "actor": "XA.X@ocop.example"})) == [
        (str(here.pk), "update"),
        (str(here.pk), "insert"),
    ]
    assert _rows(client.get(URL, {**PRODUCERS, "actor": "tinh.q@ocop.example"})) == []
    assert _rows(client.get(URL, {**PRODUCERS, "actor": "nobody@ocop.example"})) == []
    today = timezone.localdate()
    assert len(_rows(client.get(URL, {**PRODUCERS, "date_from": today.isoformat()}))) == 2
    assert _rows(client.get(URL, {**PRODUCERS, "date_to": "2000-01-01"})) == []
    assert len(_rows(client.get(URL, {**PRODUCERS, "unit": tree.x.pk}))) == 2
    assert _rows(client.get(URL, {**PRODUCERS, "unit": tree.y.pk})) == []
    # Every record type, not only producers: the users of the subtree are there too.
    models = {e.pgh_obj_model for e in client.get(URL).context["events"]}
    assert models == {"producers.Producer", "accounts.User"}
    # A malformed filter is the form's error and lists nothing, never a 500.
    bad = client.get(URL, {"date_from": "9999-99-99", "model": "auth.Group", "unit": "²"})
    assert bad.status_code == 200 and bad.context["events"] == []
    assert set(bad.context["form"].errors) == {"date_from", "model", "unit"}


def test_the_csv_export_has_the_same_rows_with_their_changes(client, users, history):
    here, _ = history
    client.force_login(users.province)
    export = client.get(URL, {**PRODUCERS, "format": "csv"})
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["at", "record_type", "object_id", "change", "actor", "ip", "request_id", "origin", "fields"]
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("producers.Producer", str(here.pk), "update", "xa.x@ocop.example"),
        ("producers.Producer", str(here.pk), "insert", "xa.x@ocop.example"),
    ]
    assert json.loads(rows[1][8]) == {"name": ["HTX Chè Hà Khánh", "HTX Chè Hạ Long"]}
    assert json.loads(rows[2][8])["name"] == "HTX Chè Hà Khánh"


@pytest.mark.parametrize("who", ["commune_x", "district", "producer"])
def test_lower_roles_may_not_browse_the_row_history(client, users, history, who):
    client.force_login(getattr(users, who))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_a_unit_of_another_province_is_refused(client, users, tree, history):
    client.force_login(users.province)
    assert client.get(URL, {"unit": tree.z.pk}).status_code == 403
    assert client.get(URL, {"unit": tree.q.pk, "format": "csv"}).status_code == 403
    assert client.get(URL, {"unit": 2**31 - 1}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, history):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_page_runs_the_same_queries_for_one_event_or_many(client, users, tree):
    client.force_login(users.province)
    with pghistory.context(user=users.commune_x.pk):
        ProducerFactory(commune=tree.x, name="HTX Một")
    client.get(URL)  # the session and the site's cached parts are warm
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(URL, PRODUCERS).context["events"]) == 1
    for i in range(30):
        with pghistory.context(user=(users.commune_x if i % 2 else users.commune_y).pk):
            ProducerFactory(commune=tree.x if i % 2 else tree.y, name=f"HTX số {i}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL, PRODUCERS).context["events"]) == 31
    assert len(many) == len(one)
