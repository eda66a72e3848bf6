"""The dashboard's work queue cached per user under the data versions: a hit counts nothing again, a write to any
table the queue reads (ORM save, update(), bulk_create(), many-to-many, raw SQL) shows on the next request, and every
table the queue reads carries the version triggers."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.certificates.models import Certificate
from apps.core.enums import RenderState
from apps.cycles.enums import ApplicationState, CycleStep
from apps.cycles.models import Application, CycleStepPeriod
from apps.evaluation.enums import MemberRole, RoundState, SheetState, Tier
from apps.evaluation.models import (
    ConflictDeclaration,
    CouncilMember,
    EvaluationRound,
    RecognitionDecision,
    RoundEntry,
    ScoreSheet,
    SheetTemplate,
)
from apps.producers.models import Producer, ProducerDocument
from apps.reports.selectors import closing_steps, work_queue
from apps.reports.selectors import workqueue as workqueue_module
from tests.factories import UserFactory
from tests.factories.producers import DocumentFactory
from tests.factories.reports import ReportFactory

pytestmark = pytest.mark.django_db

URL = reverse("core:dashboard")
TO_SCORE = "Score sheets to fill in"
TABLES = re.compile(r'(?:FROM|JOIN) "(\w+)"')


def queue_of(client):
    """{label: count} of the work queue the dashboard shows (items with a count above zero), and the steps."""
    response = client.get(URL)
    assert response.status_code == 200
    return {item.label: item.count for item in response.context["queue"]}, list(response.context["steps"])


def _open_round(w, *, seat=True):
    rnd = EvaluationRound.objects.create(
        cycle=w.cycle, tier=Tier.DISTRICT, unit=w.d, name="Đợt 2", state=RoundState.OPEN, created_by=w.officer
    )
    application = Application.objects.filter(product__commune=w.x).order_by("pk").first()
    entry = RoundEntry.objects.create(round=rnd, application=application, template=SheetTemplate.objects.first())
    user = UserFactory(role=Role.COUNCIL_MEMBER, unit=w.d)
    member = CouncilMember.objects.create(round=rnd, user=user, role=MemberRole.MEMBER) if seat else None
    return SimpleNamespace(round=rnd, entry=entry, user=user, member=member)


def _sheet_submitted(w, ctx):
    ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(
                round=ctx.round,
                entry=ctx.entry,
                member=ctx.member,
                state=SheetState.SUBMITTED,
                total=Decimal(70),
                submitted_at=timezone.now(),
            )
        ]
    )


def _conflict_declared(w, ctx):
    ConflictDeclaration.objects.create(entry=ctx.entry, member=ctx.member, reason="Người thân của chủ thể.")


def _seat_given(w, ctx):
    CouncilMember.objects.create(round=ctx.round, user=ctx.user, role=MemberRole.MEMBER)


def _council(seat=True):
    def setup(w):
        return _open_round(w, seat=seat)

    return setup


def _document(w):
    producer = Producer.objects.filter(commune=w.y).get()
    document = DocumentFactory(producer=producer, expires_on=datetime.date(2099, 1, 1))
    return SimpleNamespace(user=UserFactory(role=Role.DISTRICT_OFFICER, unit=w.d), document=document)


def _document_expired(w, ctx):
    ProducerDocument.objects.filter(pk=ctx.document.pk).update(expires_on=datetime.date(2020, 1, 1))


def _report(w):
    ReportFactory(unit=w.d)
    return SimpleNamespace(user=UserFactory(role=Role.DISTRICT_OFFICER, unit=w.d))


def _report_submitted_raw(w, ctx):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_report SET state = 'submitted'")


def _producer_account(w):
    return SimpleNamespace(user=UserFactory(role=Role.PRODUCER, unit=w.y))


def _account_linked(w, ctx):
    Producer.objects.filter(commune=w.y).get().accounts.add(ctx.user)


def _commune_officer(w):
    return SimpleNamespace(user=UserFactory(role=Role.COMMUNE_OFFICER, unit=w.x))


def _dossier_submitted_raw(w, ctx):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cycles_application SET state = %s WHERE state = %s",
            [ApplicationState.DOSSIER_SUBMITTED, ApplicationState.IDEA_ACCEPTED],
        )


def _province_officer(w):
    return SimpleNamespace(user=UserFactory(role=Role.PROVINCE_OFFICER, unit=w.p))


def _certificate_failed(w, ctx):
    Certificate.objects.filter(pk=Certificate.objects.order_by("pk").first().pk).update(render_state=RenderState.FAILED)


def _district_officer(w):
    return SimpleNamespace(user=UserFactory(role=Role.DISTRICT_OFFICER, unit=w.d))


def _decision_recorded(w, ctx):
    decision = RecognitionDecision.objects.filter(issuing_unit=w.d).order_by("pk").first()
    decision.round = EvaluationRound.objects.get(name="Đợt 1")
    decision.save()


# write name: (set-up returning the user, the write, the queue label, count before, count after)
WRITES = {
    "score sheet, bulk_create": (_council(), _sheet_submitted, TO_SCORE, 1, 0),
    "conflict declared, ORM save": (_council(), _conflict_declared, TO_SCORE, 1, 0),
    "council seat, ORM save": (_council(seat=False), _seat_given, TO_SCORE, 0, 1),
    "vault document, update()": (_document, _document_expired, "Producers with expired vault documents", 0, 1),
    "report, raw SQL": (_report, _report_submitted_raw, "Reports of your unit to complete and submit", 1, 0),
    "producer account, many-to-many": (_producer_account, _account_linked, "Returned applications to correct", 0, 1),
    "application, raw SQL": (_commune_officer, _dossier_submitted_raw, "Dossiers to check", 0, 1),
    "certificate, update()": (_province_officer, _certificate_failed, "Certificates whose PDF failed", 0, 1),
    "decision, ORM save": (_district_officer, _decision_recorded, "Closed rounds without a recognition decision", 1, 0),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_write_to_any_table_the_queue_reads_shows_on_the_next_request(client, world, write):
    setup, change, label, before, after = WRITES[write]
    ctx = setup(world)
    client.force_login(ctx.user)
    first, _steps = queue_of(client)
    assert first.get(_(label), 0) == before
    assert queue_of(client)[0] == first  # served from the cache
    change(world, ctx)
    assert queue_of(client)[0].get(_(label), 0) == after
    assert queue_of(client)[0] == {k: v for k, v in work_queue_counts(ctx.user).items() if v}


def work_queue_counts(user):
    return {item.label: item.count for item in work_queue(User.objects.get(pk=user.pk))}


def test_a_new_step_window_shows_on_the_next_request(client, world):
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d))
    assert queue_of(client)[1] == []
    today = timezone.localdate()
    CycleStepPeriod.objects.create(
        cycle=world.cycle,
        step=CycleStep.PLANS,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=5),
    )
    assert [(s.cycle_id, s.step) for s in queue_of(client)[1]] == [(world.cycle.pk, CycleStep.PLANS)]


def test_the_queue_follows_the_users_own_unit(client, world):
    """The key carries the user's role and unit (read with the user on every request): no version needed."""
    user = UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d)
    client.force_login(user)
    label = _("Closed rounds without a recognition decision")
    assert queue_of(client)[0][label] == 1
    User.objects.filter(pk=user.pk).update(unit=world.d2)  # Cẩm Phả held no round
    assert label not in queue_of(client)[0]


def test_the_queue_follows_the_users_permissions(client, world):
    """Which items show depends on a permission Django's own tables may grant (no version there): it is in the key."""
    Certificate.objects.filter(product__commune=world.x).update(render_state=RenderState.FAILED)
    user = UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d)
    client.force_login(user)
    label = _("Certificates whose PDF failed")
    assert label not in queue_of(client)[0]  # the certificates list is not a district officer's
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert queue_of(client)[0][label] == 2


def _queue_sql(queries):
    return [q["sql"] for q in queries if "cycles_application" in q["sql"] or "evaluation_roundentry" in q["sql"]]


def test_a_hit_counts_nothing_again(client, world):
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d))
    with CaptureQueriesContext(connection) as miss:
        first = queue_of(client)
    assert _queue_sql(miss.captured_queries)  # counted once
    with CaptureQueriesContext(connection) as hit:
        assert queue_of(client) == first
    assert _queue_sql(hit.captured_queries) == []


def test_a_hit_needs_no_round_trip_to_redis(client, world):
    """The process keeps its own copy under the same versioned key: Redis emptied, the next request still counts
    nothing, and after a write it counts again (a new version is a new key in memory too)."""
    client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p))
    first = queue_of(client)
    cache.clear()
    with CaptureQueriesContext(connection) as hit:
        assert queue_of(client) == first
    assert _queue_sql(hit.captured_queries) == []
    Certificate.objects.filter(product__commune=world.x).update(render_state=RenderState.FAILED)
    assert queue_of(client)[0][_("Certificates whose PDF failed")] == 2


def test_a_queue_counted_while_a_write_happened_is_not_kept(client, world, monkeypatch):
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d))
    real = workqueue_module.work_queue

    def with_a_write_meanwhile(user, today=None):
        items = real(user, today=today)
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('reports_queue_version')")  # as a write committed meanwhile would
        return items

    monkeypatch.setattr("apps.reports.selectors.versioned.work_queue", with_a_write_meanwhile)
    queue_of(client)
    monkeypatch.setattr("apps.reports.selectors.versioned.work_queue", real)
    with CaptureQueriesContext(connection) as ctx:
        queue_of(client)
    assert _queue_sql(ctx.captured_queries)  # counted again: nothing had been kept


def _tables_with(trigger):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = ANY(%s)",
            [[f"reports_version_{trigger}", f"reports_queue_{trigger}"]],
        )
        return {row[0] for row in cursor.fetchall()}


QUEUE_USERS = {
    Role.COMMUNE_OFFICER: "x",
    Role.DISTRICT_OFFICER: "d",
    Role.PROVINCE_OFFICER: "p",
    Role.CENTRAL_OFFICER: None,
    Role.SYSTEM_ADMIN: None,
    Role.COUNCIL_MEMBER: "d",
    Role.PRODUCER: "y",
}


def test_every_table_the_queue_reads_advances_a_version(world):
    """The tables are read off the SQL the queue and the closing steps run for every role, so a new item that reads
    a new table fails here until a migration puts the version triggers on it."""
    read = set()
    for role, unit in QUEUE_USERS.items():
        user = UserFactory(role=role, unit=getattr(world, unit) if unit else None)
        with CaptureQueriesContext(connection) as ctx:
            work_queue(user)
            closing_steps(user)
        for query in ctx.captured_queries:
            read.update(TABLES.findall(query["sql"]))
    assert {"evaluation_scoresheet", "reports_report", "producers_producerdocument", "cycles_application"} <= read
    keyed = {"auth_permission", "auth_group", "auth_group_permissions", "django_content_type", "accounts_user_groups"}
    keyed.add("accounts_user_user_permissions")  # model permissions: the one asked is part of the cache key
    assert read - keyed - _tables_with("statement") == set()
    assert read - keyed - _tables_with("commit") == set()


def test_queue_numbers_equal_the_lists_they_link_to(client, world):
    """Each count whose link is a filtered list (the work list by state, the certificates whose PDF failed) equals
    the number of rows that list shows, for a commune, a district and a province officer."""
    cycle = world.cycle
    for state in (ApplicationState.IDEA_REGISTERED, ApplicationState.PLAN_SUBMITTED, ApplicationState.DOSSIER_CHECKED):
        product = world.product(world.x)
        world.application(product, state, datetime.date(2026, 11, 3), cycle=cycle)
    Certificate.objects.filter(product__commune=world.x).update(render_state=RenderState.FAILED)
    exact = (reverse("cycles:work_list") + "?", reverse("certificates:list") + "?render_state=")
    compared = []
    for role, unit in (
        (Role.COMMUNE_OFFICER, world.x),
        (Role.DISTRICT_OFFICER, world.d),
        (Role.PROVINCE_OFFICER, world.p),
    ):
        client.force_login(UserFactory(role=role, unit=unit))
        for item in client.get(URL).context["queue"]:
            if item.url.startswith(exact):
                listed = client.get(item.url).context["page"].paginator.count
                compared.append((role, item.url, item.count, listed))
    assert all(count == listed for _role, _url, count, listed in compared), compared
    assert len(compared) >= 4, compared  # forward (x), ideas and plans (d), PDF failed (p)
