"""Row history that cannot be bypassed: PostgreSQL triggers record every write of the records that matter (ORM, admin,
raw SQL, management commands), with the request's actor, IP and request id, into append-only event tables."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse

from apps.accounts.enums import Role
from apps.accounts.models import UserEvent
from apps.audit.history import event_models
from apps.evaluation import services
from apps.evaluation.models import ScoreSheet, ScoreSheetEvent
from apps.producers.models import Producer, ProducerEvent
from tests.factories.evaluation import score
from tests.factories.producers import ProducerFactory

pytestmark = pytest.mark.django_db


def _admin_post_user(client, user, **changes):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "unit": user.unit_id or "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
        **changes,
    }
    url = reverse("admin:accounts_user_change", args=[user.pk])
    # The inlines' management forms (e-mail addresses, second factors), as the browser would send them.
    page = client.get(url).content.decode()
    for name, value in re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', page):
        data.setdefault(name, value)
    return client.post(url, data, REMOTE_ADDR="203.0.113.7")


def test_an_admin_role_change_is_recorded_with_actor_ip_and_request_id(client, users, tree):
    client.force_login(users.admin)
    target = users.commune_x
    response = _admin_post_user(client, target, role=Role.DISTRICT_OFFICER, unit=tree.d.pk)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["adminform"].errors
    target.refresh_from_db()
    assert target.role == Role.DISTRICT_OFFICER
    event = UserEvent.objects.filter(pgh_obj=target, pgh_label="update").latest("pgh_id")
    assert (event.role, event.unit_id) == (Role.DISTRICT_OFFICER, tree.d.pk)
    metadata = event.pgh_context.metadata
    assert metadata["user"] == users.admin.pk
    assert metadata["ip"] == "203.0.113.7"
    assert metadata["request_id"] == response["X-Request-ID"]
    assert metadata["url"] == reverse("admin:accounts_user_change", args=[target.pk])


def test_raw_sql_that_bypasses_the_orm_is_still_recorded(tree):
    producer = ProducerFactory(commune=tree.x)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE producers_producer SET name = %s WHERE id = %s", ["Tên đổi lén", producer.pk])
    assert ProducerEvent.objects.filter(pgh_obj_id=producer.pk, pgh_label="update", name="Tên đổi lén").exists()


def test_a_deleted_row_keeps_its_last_state(tree):
    producer = ProducerFactory(commune=tree.x)
    pk, name = producer.pk, producer.name
    producer.delete()
    event = ProducerEvent.objects.get(pgh_obj_id=pk, pgh_label="delete")
    assert event.name == name


class _RenameCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("pk", type=int)

    def handle(self, *args, **options):

        Producer.objects.filter(pk=options["pk"]).update(name="Đổi bằng lệnh")


def test_a_management_command_is_named_in_the_context(tree):
    producer = ProducerFactory(commune=tree.x)
    call_command(_RenameCommand(), str(producer.pk))
    event = ProducerEvent.objects.filter(pgh_obj_id=producer.pk, pgh_label="update").latest("pgh_id")
    assert event.name == "Đổi bằng lệnh"
    assert event.pgh_context.metadata["command"] == "test_history"


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_producerevent SET name = 'sửa lịch sử'", "DELETE FROM audit_producerevent"]
)
def test_the_event_tables_refuse_update_and_delete(tree, sql):
    producer = ProducerFactory(commune=tree.x)
    producer.name = "Tên mới"
    producer.save()
    count = ProducerEvent.objects.count()
    assert count >= 2
    with pytest.raises(InternalError, match="append_only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert ProducerEvent.objects.count() == count
    assert not ProducerEvent.objects.filter(name="sửa lịch sử").exists()


def test_every_listed_record_is_tracked():

    tracked = {m.pgh_tracked_model._meta.label for m in event_models()}
    assert tracked == {
        "producers.Producer",
        "producers.ProducerDocument",
        "products.Product",
        "cycles.Application",
        "cycles.Dossier",
        "evaluation.EvaluationRound",
        "evaluation.RoundEntry",
        "evaluation.ScoreSheet",
        "evaluation.RecognitionDecision",
        "certificates.Certificate",
        "accounts.User",
    }


def test_declaring_a_conflict_after_submitting_keeps_the_deleted_sheet(council):

    sheet = score(entry=council.entry, member=council.member, target=Decimal(70))
    pk, total = sheet.pk, sheet.total
    services.conflict_declare(entry=council.entry, member=council.member, reason="Cổ đông", by=council.member.user)
    assert not ScoreSheet.objects.filter(pk=pk).exists()
    deleted = ScoreSheetEvent.objects.get(pgh_obj_id=pk, pgh_label="delete")
    assert (deleted.member_id, deleted.entry_id, deleted.total) == (council.member.pk, council.entry.pk, total)
    assert deleted.total is not None
