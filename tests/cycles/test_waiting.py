"""Whose move it is: every application page and list row says who acts next, since when, and the deadline from
the cycle's dated steps; the lists filter on "waiting for me"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import ApplicationTransition
from apps.cycles.selectors import applications_visible_to, waiting_for, waiting_on
from tests.factories.cycles import ApplicationFactory, CycleFactory, step_dates
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


# Deadlines are read from fixed step dates here (the shared fixtures' windows move with today's date).
@pytest.fixture
def cycle(tree):
    return CycleFactory(unit=tree.p, rule_set=RuleSet.QD148_2023, year=2025, steps=step_dates(2025))


@pytest.fixture
def cycle_1489(tree):
    return CycleFactory(unit=tree.p, year=2026, rule_set=RuleSet.QD1489_2025, steps=step_dates(2026))


@pytest.mark.parametrize(
    ("state", "returned_from", "under_148", "under_1489", "deadline"),
    [
        (S.IDEA_REGISTERED, "", "Chờ huyện xét duyệt ý tưởng", "Chờ tỉnh xét duyệt ý tưởng", (4, 28)),
        (S.IDEA_ACCEPTED, "", "Chờ xã nộp phương án kinh doanh", "Chờ xã nộp phương án kinh doanh", (6, 28)),
        (S.PLAN_SUBMITTED, "", "Chờ huyện phê duyệt phương án", "Chờ tỉnh phê duyệt phương án", (6, 28)),
        (S.IMPLEMENTING, "", "Chờ xã nộp hồ sơ đánh giá", "Chờ xã nộp hồ sơ đánh giá", (8, 28)),
        (S.DOSSIER_SUBMITTED, "", "Chờ xã kiểm tra hồ sơ", "Chờ xã kiểm tra hồ sơ", (8, 28)),
        (S.DOSSIER_CHECKED, "", "Chờ xã gửi hồ sơ lên đánh giá", "Chờ xã gửi hồ sơ lên đánh giá", (8, 28)),
        (S.SENT_FOR_EVALUATION, "", "Chờ Hội đồng cấp huyện đánh giá", "Chờ Hội đồng cấp tỉnh đánh giá", (10, 28)),
        (S.RETURNED, S.PLAN_SUBMITTED, "Chờ xã sửa và nộp lại", "Chờ xã sửa và nộp lại", (6, 28)),
    ],
)
def test_waiting_names_the_tier_and_the_steps_deadline(
    make_application, cycle, cycle_1489, state, returned_from, under_148, under_1489, deadline
):
    for cycle_, text in ((cycle, under_148), (cycle_1489, under_1489)):
        application = make_application(state, cycle_=cycle_, returned_from=returned_from)
        waiting = waiting_on(application)
        assert waiting.text == text
        assert waiting.deadline == datetime.date(cycle_.year, *deadline)
        assert waiting.since == application.created_at
        application.delete()


def test_rejected_idea_waits_for_nobody(make_application):
    assert waiting_on(make_application(S.IDEA_REJECTED)) is None


def test_application_page_says_whose_move_since_when_and_the_deadline(client, make_application, users):
    application = make_application(S.IDEA_REGISTERED)
    moved = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    ApplicationTransition.objects.create(
        application=application, from_state=S.IDEA_REGISTERED, to_state=S.IDEA_REGISTERED, by=users.commune_x
    )
    ApplicationTransition.objects.filter(application=application).update(at=moved)
    client.force_login(users.commune_x)
    text = client.get(reverse("cycles:application_detail", args=[application.pk])).text
    box = text.split('id="application-waiting"', 1)[1].split("</p>", 1)[0]
    assert "Chờ huyện xét duyệt ý tưởng" in box
    assert "từ 10/03/2025" in box
    assert "hạn 28/04/2025" in box
    late = (timezone.localdate() - datetime.date(2025, 4, 28)).days
    assert f"trễ {late} ngày" in box


def test_work_list_rows_say_whose_move_it_is(client, make_application, users):
    make_application(S.DOSSIER_SUBMITTED)
    client.force_login(users.district)
    text = client.get(reverse("cycles:work_list")).text
    assert '<td data-label="Bước tiếp theo">' in text
    assert "Chờ xã kiểm tra hồ sơ" in text
    assert "hạn 28/08/2025" in text


def _apps_in_every_state(cycle, tree, users):
    made = {}
    for commune in (tree.x, tree.y):
        for state in S.values:
            made[(commune.pk, state)] = ApplicationFactory(
                cycle=cycle,
                product=ProductFactory(commune=commune),
                state=state,
                returned_from=S.DOSSIER_SUBMITTED if state == S.RETURNED else "",
                created_by=users.commune_x,
            )
    return made


def test_waiting_for_me_for_a_commune_officer_is_its_own_communes_turn(cycle, tree, users):
    made = _apps_in_every_state(cycle, tree, users)
    mine = waiting_for(applications_visible_to(users.commune_x), users.commune_x)
    expected = {
        made[(tree.x.pk, s)].pk
        for s in (S.IDEA_ACCEPTED, S.IMPLEMENTING, S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED, S.RETURNED)
    }
    assert set(mine.values_list("pk", flat=True)) == expected


def test_waiting_for_me_for_a_district_officer_is_the_approving_turn(cycle, cycle_1489, tree, users):
    made = _apps_in_every_state(cycle, tree, users)
    mine = waiting_for(applications_visible_to(users.district), users.district)
    expected = {
        made[(c.pk, s)].pk
        for c in (tree.x, tree.y)
        for s in (S.IDEA_REGISTERED, S.PLAN_SUBMITTED, S.SENT_FOR_EVALUATION)
    }
    assert set(mine.values_list("pk", flat=True)) == expected


def test_work_list_filter_waiting_for_me(client, cycle, tree, users):
    made = _apps_in_every_state(cycle, tree, users)
    client.force_login(users.commune_x)
    response = client.get(reverse("cycles:work_list"), {"waiting": "on"})
    shown = {a.pk for a in response.context["page"].object_list}
    assert made[(tree.x.pk, S.DOSSIER_SUBMITTED)].pk in shown
    assert made[(tree.x.pk, S.IDEA_REGISTERED)].pk not in shown
    assert made[(tree.y.pk, S.DOSSIER_SUBMITTED)].pk not in shown
    assert 'name="waiting"' in response.text and "Việc chờ tôi xử lý" in response.text
    everything = {a.pk for a in client.get(reverse("cycles:work_list")).context["page"].object_list}
    assert made[(tree.x.pk, S.IDEA_REGISTERED)].pk in everything
