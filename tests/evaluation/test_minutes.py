"""The council's minutes: queued when the round closes, rendered after commit by a worker that claims the row."""

import hashlib
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import transaction
from django_celery_beat.models import PeriodicTask
from pypdf import PdfReader

from apps.core.enums import RenderState
from apps.core.storage import PrivateFileSystemStorage, private_storage
from apps.evaluation import services, tasks
from apps.evaluation.enums import RoundState, Tier
from apps.evaluation.models import EvaluationRound
from apps.evaluation.services.minutes import minutes_render_stored, minutes_requeue_stuck
from tests.factories.evaluation import make_application, make_cycle, make_round, score
from tests.worker import Worker, pdf_text, purge_broker, wait_until

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _score_entry(entry, members, targets):
    for member, target in zip(members, targets, strict=True):
        score(entry=entry, member=member, target=target)


def _council_with_products(tree, users, count):
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    entries = []
    for n in range(count):
        application = make_application(
            commune=tree.x, cycle=cycle, created_by=users.commune_x, name=f"Sản phẩm biên bản số {n + 1:02d}"
        )
        entry = services.entry_add(round=round, application=application, by=users.district)
        _score_entry(entry, members, [Decimal(60), Decimal(62), Decimal(64)])
        entries.append(entry)
    return round, members, entries


@pytest.mark.django_db
def test_round_close_queues_the_minutes_after_commit_and_renders_nothing_inside(
    tree, users, django_capture_on_commit_callbacks
):
    round, members, _entries = _council_with_products(tree, users, 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.round_close(round=round, by=members[0].user)
        round.refresh_from_db()
        # Inside the transaction: closed, minutes pending, no file yet.
        assert (round.state, round.minutes_state, bool(round.minutes)) == (
            RoundState.CLOSED,
            RenderState.PENDING,
            False,
        )
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_minutes_rendered_once_with_closing_date_and_members(tree, users):
    round, members, entries = _council_with_products(tree, users, 1)
    services.round_close(round=round, by=members[0].user)
    # The round closed on 5 February; the worker renders later: the minutes carry the closing date.
    EvaluationRound.objects.filter(pk=round.pk).update(closed_at=datetime(2026, 2, 5, 9, 30, tzinfo=HANOI))

    assert minutes_render_stored(round_id=round.pk) is True
    assert minutes_render_stored(round_id=round.pk) is False  # a second run finds nothing to claim
    round.refresh_from_db()
    assert (round.minutes_state, round.minutes_attempts, round.minutes_claim) == (RenderState.READY, 1, None)
    data = private_storage.open(round.minutes.name, "rb").read()
    assert hashlib.sha256(data).hexdigest() == round.minutes_checksum
    _pages, text = pdf_text(data)
    assert "Hạ Long, ngày 05 tháng 02 năm 2026" in text
    assert "BIÊN BẢN" in text
    for member in members:
        assert member.user.full_name in text
    assert entries[0].application.product.name in text
    assert "62,00" in text and "62.00" not in text  # the Vietnamese decimal comma


@pytest.mark.django_db
def test_minutes_signatures_stay_on_the_page_with_the_results(tree, users):
    round, members, entries = _council_with_products(tree, users, 7)
    services.round_close(round=round, by=members[0].user)
    minutes_render_stored(round_id=round.pk)
    round.refresh_from_db()

    reader = PdfReader(private_storage.open(round.minutes.name, "rb"))
    assert len(reader.pages) >= 2  # seven products do not fit on one page
    signed = [page.extract_text() for page in reader.pages if "THƯ KÝ" in page.extract_text()]
    assert len(signed) == 1
    assert "KẾT LUẬN CỦA HỘI ĐỒNG" in signed[0].upper()
    for entry in entries:
        assert entry.application.product.name in signed[0]
    assert members[0].user.full_name in signed[0]


@pytest.fixture
def flaky_disk(monkeypatch):
    """The storage times out on the next ``failures`` saves (a network file system does), then works again."""
    real_save = PrivateFileSystemStorage.save
    state = {"failures": 0, "calls": 0}

    def save(self, name, content, max_length=None):
        state["calls"] += 1
        if state["failures"] > 0:
            state["failures"] -= 1
            raise TimeoutError("storage did not answer")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(PrivateFileSystemStorage, "save", save)
    monkeypatch.setattr(tasks.render_minutes_task.app.conf, "task_eager_propagates", False)
    return state


@pytest.mark.django_db
def test_minutes_task_retries_a_transient_error_until_ready(tree, users, flaky_disk):
    round, members, _entries = _council_with_products(tree, users, 1)
    services.round_close(round=round, by=members[0].user)
    flaky_disk["failures"] = 1
    with pytest.raises(TimeoutError):
        minutes_render_stored(round_id=round.pk)
    round.refresh_from_db()
    assert (round.minutes_state, round.minutes_attempts, round.minutes_claim) == (RenderState.PENDING, 1, None)
    assert round.minutes_error == "TimeoutError: storage did not answer"

    flaky_disk["failures"] = 1
    tasks.render_minutes_task.apply(kwargs={"round_id": round.pk})
    round.refresh_from_db()
    assert (round.minutes_state, round.minutes_attempts, round.minutes_error) == (RenderState.READY, 3, "")


@pytest.mark.django_db
def test_requeue_stuck_minutes_queues_only_lost_ones(tree, users, django_capture_on_commit_callbacks, settings):
    settings.OCOP_RENDER_LOST_AFTER_SECONDS = 0
    round, members, _entries = _council_with_products(tree, users, 1)
    services.round_close(round=round, by=members[0].user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert minutes_requeue_stuck() == 1
    assert len(callbacks) == 1
    minutes_render_stored(round_id=round.pk)
    assert minutes_requeue_stuck() == 0


@pytest.mark.django_db
@pytest.mark.migration_data
def test_requeue_stuck_minutes_runs_every_hour_from_the_beat_database():

    task = PeriodicTask.objects.select_related("crontab").get(task="evaluation.requeue_stuck_minutes")
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("*", "23", True)


@pytest.fixture
def worker(django_db_setup, transactional_db):
    purge_broker()
    w = Worker().start()
    yield w
    w.kill()
    purge_broker()


@pytest.mark.django_db(transaction=True)
def test_worker_renders_the_minutes_once_the_round_commits(tree, users, worker):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False  # the worker process does the work, not this one
    round, members, entries = _council_with_products(tree, users, 2)
    with transaction.atomic():
        services.round_close(round=round, by=members[0].user)
        assert EvaluationRound.objects.get(pk=round.pk).minutes_state == RenderState.PENDING

    assert wait_until(
        lambda: EvaluationRound.objects.filter(pk=round.pk, minutes_state=RenderState.READY).exists(), timeout=60
    )
    round.refresh_from_db()
    assert round.minutes_attempts == 1
    _pages, text = pdf_text(private_storage.open(round.minutes.name, "rb").read())
    for entry in entries:
        assert entry.application.product.name in text
