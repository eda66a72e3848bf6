"""The cycle's dated steps: ideas, plans and dossiers only inside their windows; the organiser may extend."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.models import OutgoingMail
from apps.cycles.enums import ApplicationState as S
from apps.cycles.enums import CycleStep
from apps.cycles.models import Application, ApplicationTransition, Cycle, CycleStepPeriod, LateAllowance
from apps.cycles.services import (
    TransitionNotAllowed,
    application_create,
    application_transition,
    cycle_step_extend,
    dossier_update,
    idea_register,
    late_allowance_grant,
)
from apps.demo import cycles as demo
from apps.products.models import Product, ProductSet
from tests.factories.cycles import CycleFactory
from tests.factories.producers import ProducerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _close(cycle, step):
    """Put ``step``'s window in the past (ended yesterday)."""
    CycleStepPeriod.objects.filter(cycle=cycle, step=step).update(starts_on=TODAY - 30 * DAY, ends_on=TODAY - DAY)


def _dates(cycle, step):
    period = CycleStepPeriod.objects.get(cycle=cycle, step=step)
    return f"từ {period.starts_on:%d/%m/%Y} đến {period.ends_on:%d/%m/%Y}"


def test_idea_outside_its_step_is_refused_with_the_dates(tree, cycle, users):
    _close(cycle, CycleStep.IDEAS)
    producer = ProducerFactory(commune=tree.x)
    with pytest.raises(ValidationError) as exc:
        idea_register(
            cycle=cycle, producer=producer, name="Mắm ruốc", product_set=ProductSet.objects.get(code="TP09"),
            by=users.commune_x,
        )  # fmt: skip
    message = exc.value.message_dict["cycle"][0]
    assert _dates(cycle, CycleStep.IDEAS) in message
    assert f"hôm nay là {TODAY:%d/%m/%Y}" in message
    assert (Application.objects.count(), Product.objects.filter(producer=producer).count()) == (0, 0)


def test_plan_outside_its_step_is_refused_then_allowed_late(make_application, cycle, users):
    application = make_application(S.IDEA_ACCEPTED)
    _close(cycle, CycleStep.PLANS)
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x)
    assert _dates(cycle, CycleStep.PLANS) in exc.value.messages[0]
    application.refresh_from_db()
    assert application.state == S.IDEA_ACCEPTED
    assert ApplicationTransition.objects.count() == 0

    late_allowance_grant(application=application, step=CycleStep.PLANS, reason="Lũ lụt tháng 9", by=users.province)
    application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x)
    application.refresh_from_db()
    assert application.state == S.PLAN_SUBMITTED
    event = AuditEvent.objects.get(action="application.late_allowed")
    assert (event.reason, event.after, event.actor) == ("Lũ lụt tháng 9", {"step": 3}, users.province)


def test_dossier_outside_the_evaluation_step_is_refused(make_application, cycle, users):
    application = make_application(S.IMPLEMENTING)
    dossier_update(application=application, by=users.commune_x, applicant_name="Nguyễn Văn A", sample_count=5)
    _close(cycle, CycleStep.EVALUATION)
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(application=application, to_state=S.DOSSIER_SUBMITTED, by=users.commune_x)
    assert _dates(cycle, CycleStep.EVALUATION) in exc.value.messages[0]
    application.refresh_from_db()
    assert application.state == S.IMPLEMENTING


def test_organiser_extends_a_step_with_a_reason(make_application, cycle, users):
    application = make_application(S.IDEA_ACCEPTED)
    _close(cycle, CycleStep.PLANS)
    cycle_step_extend(cycle=cycle, step=CycleStep.PLANS, ends_on=TODAY + DAY, reason="Kéo dài", by=users.province)
    application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x)
    event = AuditEvent.objects.get(action="cycle.step_extended")
    assert (event.before["ends_on"], event.after["ends_on"], event.reason) == (
        (TODAY - DAY).isoformat(),
        (TODAY + DAY).isoformat(),
        "Kéo dài",
    )


@pytest.mark.parametrize("who", ["commune_x", "district", "province_q"])
def test_only_the_organiser_extends_or_allows_late(make_application, cycle, users, who):
    application = make_application(S.IDEA_ACCEPTED)
    _close(cycle, CycleStep.PLANS)
    by = getattr(users, who)
    with pytest.raises(PermissionDenied):
        cycle_step_extend(cycle=cycle, step=CycleStep.PLANS, ends_on=TODAY + DAY, reason="x", by=by)
    with pytest.raises(PermissionDenied):
        late_allowance_grant(application=application, step=CycleStep.PLANS, reason="x", by=by)
    assert CycleStepPeriod.objects.get(cycle=cycle, step=CycleStep.PLANS).ends_on == TODAY - DAY
    assert LateAllowance.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["cycle.step_extended", "application.late_allowed"]).exists()


def test_extension_and_allowance_need_a_reason(make_application, cycle, users):
    application = make_application(S.IDEA_ACCEPTED)
    _close(cycle, CycleStep.PLANS)
    with pytest.raises(ValidationError):
        cycle_step_extend(cycle=cycle, step=CycleStep.PLANS, ends_on=TODAY + DAY, reason=" ", by=users.province)
    with pytest.raises(ValidationError):
        late_allowance_grant(application=application, step=CycleStep.PLANS, reason="", by=users.province)
    assert CycleStepPeriod.objects.get(cycle=cycle, step=CycleStep.PLANS).ends_on == TODAY - DAY
    assert LateAllowance.objects.count() == 0


def test_step_extend_page_for_the_organiser(client, cycle, users):
    _close(cycle, CycleStep.IDEAS)
    client.force_login(users.province)
    url = reverse("cycles:step_extend", args=[cycle.pk])
    response = client.post(url, {"step": 2, "ends_on": (TODAY + 5 * DAY).isoformat(), "reason": "Bổ sung"})
    assert response.status_code == 302
    assert CycleStepPeriod.objects.get(cycle=cycle, step=CycleStep.IDEAS).ends_on == TODAY + 5 * DAY
    client.force_login(users.commune_x)
    assert client.get(url).status_code == 403


def test_demo_opens_this_years_cycle_around_today(tree, users):
    CycleFactory(unit=tree.q, year=2024)  # an unrelated cycle stays as it is
    demo.seed()
    cycle = Cycle.objects.get(unit=tree.p, year=TODAY.year)
    periods = list(cycle.steps.order_by("step"))
    assert [p.step for p in periods] == list(CycleStep.values)
    assert all(p.starts_on <= TODAY <= p.ends_on for p in periods)
    assert [p.starts_on for p in periods] == sorted(p.starts_on for p in periods)


def _moment(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_move_replayed_on_a_past_day_is_checked_against_that_days_windows(make_application, cycle, users):
    """``at`` (the demo replaying a finished cycle): the window is that day's, and the rule still applies."""
    application = make_application(S.IDEA_ACCEPTED, created_at=_moment(TODAY - 60 * DAY))
    _close(cycle, CycleStep.PLANS)
    before_window = TODAY - 31 * DAY
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(
            application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x, at=_moment(before_window)
        )
    assert f"hôm nay là {before_window:%d/%m/%Y}" in exc.value.messages[0]
    application.refresh_from_db()
    assert (application.state, ApplicationTransition.objects.count()) == (S.IDEA_ACCEPTED, 0)

    at = _moment(TODAY - 10 * DAY)
    application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x, at=at)
    application.refresh_from_db()
    assert application.state == S.PLAN_SUBMITTED
    # The move is dated at the replayed moment, and its audit row says so.
    assert list(ApplicationTransition.objects.values_list("at", flat=True)) == [at]
    audit = AuditEvent.objects.get(action="application.transition", object_id=str(application.pk))
    assert audit.after == {"state": S.PLAN_SUBMITTED, "at": at.isoformat()}


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (timezone.now() + datetime.timedelta(hours=1), "Không thể ghi ngày của một thao tác ở tương lai."),
        (_moment(TODAY - 40 * DAY), "Không thể ghi ngày của một thao tác trước bước liền trước nó"),
    ],
    ids=["future", "before-the-last-move"],
)
def test_a_replayed_move_dated_in_the_future_or_before_the_last_move_is_refused(make_application, users, at, message):
    application = make_application(S.IDEA_REGISTERED, created_at=_moment(TODAY - 30 * DAY))
    application_transition(
        application=application, to_state=S.IDEA_ACCEPTED, by=users.district, at=_moment(TODAY - 20 * DAY)
    )
    with pytest.raises(ValidationError) as exc:
        application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x, at=at)
    assert message in exc.value.messages[0]
    application.refresh_from_db()
    assert application.state == S.IDEA_ACCEPTED
    assert list(ApplicationTransition.objects.values_list("to_state", flat=True)) == [S.IDEA_ACCEPTED]
    assert AuditEvent.objects.filter(action="application.transition").count() == 1


def test_an_idea_replayed_on_a_past_day_inside_its_step_is_registered(tree, cycle, users):
    _close(cycle, CycleStep.IDEAS)
    product = ProducerFactory(commune=tree.x).products.create(
        name="Mắm ruốc", slug="mam-ruoc", product_set=ProductSet.objects.get(code="TP09"), commune=tree.x
    )
    with pytest.raises(ValidationError):
        application_create(cycle=cycle, product=product, by=users.commune_x, at=timezone.now())
    with pytest.raises(ValidationError):
        application_create(cycle=cycle, product=product, by=users.commune_x, at=timezone.now() + DAY)
    assert Application.objects.count() == 0
    at = _moment(TODAY - 2 * DAY)
    application = application_create(cycle=cycle, product=product, by=users.commune_x, at=at)
    assert (application.state, Application.objects.get().created_at) == (S.IDEA_REGISTERED, at)
    audit = AuditEvent.objects.get(action="application.create", object_id=str(application.pk))
    assert audit.after["at"] == at.isoformat()


@pytest.mark.parametrize("notify", [True, False])
def test_a_replayed_move_mails_nobody(make_application, users, notify):
    application = make_application(S.IDEA_REGISTERED)
    application_transition(
        application=application, to_state=S.RETURNED, by=users.district, reason="Bổ sung", notify=notify
    )
    mails = OutgoingMail.objects.filter(to__contains=[users.commune_x.email]).count()
    assert mails == (1 if notify else 0)
    assert ApplicationTransition.objects.filter(application=application, to_state=S.RETURNED).count() == 1
