"""The councils' state tables: every (state, target) pair of a score sheet and of a round, and sheets on GET."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.enums import Role
from apps.audit.models import AuditEvent
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState
from apps.evaluation import services
from apps.evaluation.enums import RoundState, SheetState, Tier
from apps.evaluation.models import EvaluationRound, ScoreAnswer, ScoreSheet
from apps.evaluation.rules import is_round_chair, is_sheet_member
from apps.evaluation.selectors import round_results
from apps.evaluation.services.transitions import (
    ROUND_TRANSITIONS,
    SHEET_TRANSITIONS,
    _round_closing,
    round_transition,
    sheet_transition,
)
from apps.geo.enums import Edition
from tests.factories import UserFactory, commune, province
from tests.factories.evaluation import make_application, make_cycle, make_round, score

SHEET_PAIRS = list(itertools.product(SheetState.values, [*SheetState.values, "archived"]))
ROUND_PAIRS = list(itertools.product(RoundState.values, [*RoundState.values, "reopened"]))


def _sheet_in(council, state):
    """The member's complete sheet, in ``state``, brought there through the services where a service can (a locked
    sheet of an open round cannot happen: closing locks them; the table test sets that state on the row)."""
    sheet = score(entry=council.entry, member=council.member, target=Decimal(64), submit=state != SheetState.DRAFT)
    if state == SheetState.REOPENED:
        sheet = services.sheet_reopen(sheet=sheet, by=council.chair.user, reason="Chênh lệch")
    elif state == SheetState.LOCKED:
        ScoreSheet.objects.filter(pk=sheet.pk).update(state=SheetState.LOCKED)
        sheet.refresh_from_db()
    assert sheet.state == state
    return sheet


def _sheet_row(sheet):
    return ScoreSheet.objects.filter(pk=sheet.pk).values("state", "submitted_at", "total", "updated_at").get()


@pytest.mark.parametrize(("from_state", "to_state"), SHEET_PAIRS)
def test_sheet_table_allows_exactly_its_moves(council, from_state, to_state):
    sheet = _sheet_in(council, from_state)
    # The table names who makes each move; an illegal move is tried by both, and refused to both.
    actors = {is_sheet_member: council.member.user, is_round_chair: council.chair.user}
    who = SHEET_TRANSITIONS.get((from_state, to_state))
    if who is _round_closing:  # legal, but only closing the round makes it: refused to everyone by hand
        before, events = _sheet_row(sheet), AuditEvent.objects.count()
        for by in actors.values():
            with pytest.raises(PermissionDenied):
                sheet_transition(sheet=sheet, to_state=to_state, by=by)
        assert (_sheet_row(sheet), AuditEvent.objects.count()) == (before, events)
        return
    if who is not None:
        moved = sheet_transition(sheet=sheet, to_state=to_state, by=actors[who], reason="Chênh lệch")
        moved.refresh_from_db()
        assert moved.state == to_state
        assert (moved.submitted_at is not None) is (to_state == SheetState.SUBMITTED)
        event = AuditEvent.objects.filter(object_id=str(sheet.pk), before={"state": from_state}).get()
        assert event.after == {"state": to_state}
        return
    before, events = _sheet_row(sheet), AuditEvent.objects.count()
    for by in actors.values():
        with pytest.raises(ValidationError):
            sheet_transition(sheet=sheet, to_state=to_state, by=by)
    assert (_sheet_row(sheet), AuditEvent.objects.count()) == (before, events)


@pytest.mark.parametrize(("from_state", "to_state"), SHEET_PAIRS)
def test_sheet_is_locked_once_its_round_is_closed(council, from_state, to_state):
    sheet = _sheet_in(council, from_state)
    EvaluationRound.objects.filter(pk=council.round.pk).update(state=RoundState.CLOSED)
    before, events = _sheet_row(sheet), AuditEvent.objects.count()
    for by in (council.member.user, council.chair.user):
        with pytest.raises(ValidationError) as exc:
            sheet_transition(sheet=sheet, to_state=to_state, by=by)
        assert exc.value.messages == ["Đợt đánh giá này đã kết thúc; các phiếu đã bị khóa."]
    assert (_sheet_row(sheet), AuditEvent.objects.count()) == (before, events)


def test_sheet_submit_refused_while_a_criterion_is_unanswered(council):
    sheet = services.sheet_open(entry=council.entry, member=council.member)
    criterion = council.entry.template.criteria.first()
    sheet = services.sheet_save(
        sheet=sheet, choices={criterion.pk: criterion.options.first().pk}, by=council.member.user
    )
    before, events = _sheet_row(sheet), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        sheet_transition(sheet=sheet, to_state=SheetState.SUBMITTED, by=council.member.user)
    assert exc.value.messages[0].startswith("Hãy chọn một phương án cho mọi tiêu chí trước khi nộp")
    assert (_sheet_row(sheet), AuditEvent.objects.count()) == (before, events)


def _round_row(round):
    return EvaluationRound.objects.filter(pk=round.pk).values("state", "closed_at", "closed_by", "minutes_state").get()


@pytest.mark.parametrize(("from_state", "to_state"), ROUND_PAIRS)
def test_round_table_allows_exactly_its_moves(council, from_state, to_state):
    for member in (council.chair, council.secretary, council.member):
        score(entry=council.entry, member=member, target=Decimal(64))
    if from_state == RoundState.CLOSED:
        round_transition(round=council.round, to_state=RoundState.CLOSED, by=council.chair.user)
    if (from_state, to_state) in ROUND_TRANSITIONS:
        round_transition(round=council.round, to_state=to_state, by=council.chair.user)
        row = _round_row(council.round)
        assert (row["state"], row["closed_by"], row["minutes_state"]) == (to_state, council.chair.user.pk, "pending")
        assert AuditEvent.objects.filter(action="evaluation.round_closed", object_id=str(council.round.pk)).count() == 1
        return
    before, events = _round_row(council.round), AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        round_transition(round=council.round, to_state=to_state, by=council.chair.user)
    assert (_round_row(council.round), AuditEvent.objects.count()) == (before, events)


def test_round_close_without_quorum_changes_nothing(council):
    score(entry=council.entry, member=council.chair, target=Decimal(64))
    before, events = _round_row(council.round), AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        round_transition(round=council.round, to_state=RoundState.CLOSED, by=council.chair.user)
    council.entry.refresh_from_db()
    assert (_round_row(council.round), AuditEvent.objects.count(), council.entry.total) == (before, events, None)


def test_sheet_page_get_creates_no_row_and_the_first_post_does(client, council):
    client.force_login(council.member.user)
    url = reverse("evaluation:sheet_edit", args=[council.round.pk, council.entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert ScoreSheet.objects.count() == 0
    criterion = council.entry.template.criteria.first()
    option = criterion.options.order_by("-points").first()
    assert client.post(url, {f"c{criterion.pk}": option.pk, "save": "1"}).status_code == 302
    sheet = ScoreSheet.objects.get()
    assert (sheet.member, sheet.state, sheet.total) == (council.member, SheetState.DRAFT, option.points)
    assert list(ScoreAnswer.objects.filter(sheet=sheet).values_list("option_id", flat=True)) == [option.pk]
    assert client.get(url).status_code == 200
    assert ScoreSheet.objects.count() == 1


def test_round_admin_offers_no_state_field(client, users, council):
    client.force_login(users.admin)
    page = client.get(reverse("admin:evaluation_evaluationround_change", args=[council.round.pk]))
    assert page.status_code == 200
    assert b'name="_save"' in page.content
    assert (b'name="state"' in page.content, b'name="minutes_state"' in page.content) == (False, False)


def test_a_deactivated_chair_can_neither_reopen_a_sheet_nor_close_the_round(council):
    """The services ask the same ``is_round_chair`` rule as the views: a chair whose account was deactivated is
    no chair any more, and nothing changes."""
    sheet = _sheet_in(council, SheetState.SUBMITTED)
    score(entry=council.entry, member=council.chair, target=Decimal(64), submit=True)
    type(council.chair.user).objects.filter(pk=council.chair.user.pk).update(is_active=False)
    council.chair.user.refresh_from_db()
    before, events = (_sheet_row(sheet), _round_row(council.round)), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        sheet_transition(sheet=sheet, to_state=SheetState.REOPENED, by=council.chair.user, reason="Chênh lệch")
    with pytest.raises(PermissionDenied):
        round_transition(round=council.round, to_state=RoundState.CLOSED, by=council.chair.user)
    assert ((_sheet_row(sheet), _round_row(council.round)), AuditEvent.objects.count()) == (before, events)


def test_a_deactivated_member_cannot_submit_their_sheet(council):
    """Submitting asks ``is_sheet_member``: the sheet's own member, with an active account."""
    sheet = _sheet_in(council, SheetState.DRAFT)
    type(council.member.user).objects.filter(pk=council.member.user.pk).update(is_active=False)
    council.member.user.refresh_from_db()
    before, events = _sheet_row(sheet), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as exc:
        sheet_transition(sheet=sheet, to_state=SheetState.SUBMITTED, by=council.member.user)
    assert str(exc.value) == "Chỉ thành viên chấm phiếu này mới được nộp phiếu."
    assert (_sheet_row(sheet), AuditEvent.objects.count()) == (before, events)


@pytest.fixture
def precheck(users):
    """A commune pre-check (1489) of ward W of Huế, with its one product pre-checked: ready to close."""
    hue = province("46", edition=Edition.TWO_TIER_2025, name="Thành phố Huế")
    ward = commune(hue, "19753", name="Phường Thuận Hóa")
    officer = UserFactory(role=Role.COMMUNE_OFFICER, unit=ward, email="xa.hue@ocop.example")
    cycle = make_cycle(unit=hue, rule_set=RuleSet.QD1489_2025, year=2025)
    application = make_application(commune=ward, cycle=cycle, created_by=officer)
    round, _members = make_round(cycle=cycle, tier=Tier.COMMUNE, unit=ward, by=officer, size=2)
    entry = services.entry_add(round=round, application=application, by=officer)
    services.precheck_record(
        entry=entry,
        by=officer,
        passed=True,
        reason="Đủ điều kiện",
        local_materials=True,
        local_producer=True,
        legal_conditions=True,
        community_benefit=True,
    )
    return type("PreCheck", (), {"round": round, "application": application, "officer": officer})


def test_a_precheck_is_closed_only_by_an_officer_who_manages_it(precheck, users):
    """round_transition asks ``may_close_round`` for a pre-check too (it used to leave that to the view): an officer
    of another commune, a producer or a deactivated commune officer is refused and nothing changes."""
    deactivated = UserFactory(
        role=Role.COMMUNE_OFFICER, unit=precheck.round.unit, email="xa.hue.nghi@ocop.example", is_active=False
    )
    for by in (users.commune_x, users.producer, users.province_q, deactivated):
        before = (_round_row(precheck.round), AuditEvent.objects.count(), _application_row(precheck.application))
        with pytest.raises(PermissionDenied) as exc:
            round_transition(round=precheck.round, to_state=RoundState.CLOSED, by=by)
        assert str(exc.value) == "Chỉ cán bộ quản lý đợt rà soát cấp xã này mới được kết thúc đợt rà soát."
        after = (_round_row(precheck.round), AuditEvent.objects.count(), _application_row(precheck.application))
        assert after == before, by
    round_transition(round=precheck.round, to_state=RoundState.CLOSED, by=precheck.officer)
    precheck.application.refresh_from_db()
    assert (_round_row(precheck.round)["state"], precheck.application.state) == (
        RoundState.CLOSED,
        ApplicationState.FORWARDED_PROVINCE,
    )


def _application_row(application):
    return type(application).objects.filter(pk=application.pk).values("state", "updated_at").get()


def test_the_sheet_table_is_the_issue_s_machine():
    """draft → submitted → reopened (chair) → submitted → locked (closing); nothing else, nothing back to draft."""
    assert set(SHEET_TRANSITIONS) == {
        (SheetState.DRAFT, SheetState.SUBMITTED),
        (SheetState.SUBMITTED, SheetState.REOPENED),
        (SheetState.REOPENED, SheetState.SUBMITTED),
        (SheetState.SUBMITTED, SheetState.LOCKED),
    }


def test_a_reopened_sheet_is_rescored_and_resubmitted_by_its_member(client, council):
    sheet = _sheet_in(council, SheetState.REOPENED)
    assert (sheet.submitted_at, sheet.is_scorable, sheet.is_counted) == (None, True, False)
    client.force_login(council.member.user)
    url = reverse("evaluation:sheet_edit", args=[council.round.pk, council.entry.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["editable"] is True
    assert "Đã mở lại" in page.content.decode()
    criteria = list(council.entry.template.criteria.prefetch_related("options"))
    lowest = {f"c{c.pk}": min(c.options.all(), key=lambda o: o.points).pk for c in criteria}
    assert client.post(url, {**lowest, "submit": "1"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED and sheet.submitted_at is not None
    assert sheet.total == sum(min(o.points for o in c.options.all()) for c in criteria)
    actions = list(
        AuditEvent.objects.filter(object_id=str(sheet.pk), action__startswith="evaluation.sheet_").values_list(
            "action", flat=True
        )
    )
    assert actions.count("evaluation.sheet_submitted") == 2 and actions.count("evaluation.sheet_reopened") == 1


def test_an_unscorable_sheet_takes_no_options(council):
    """Submitted and locked sheets keep their answers: a save is refused and nothing changes."""
    for state in (SheetState.SUBMITTED, SheetState.LOCKED):
        ScoreSheet.objects.all().delete()
        sheet = _sheet_in(council, state)
        criterion = council.entry.template.criteria.first()
        answers = list(ScoreAnswer.objects.filter(sheet=sheet).values_list("criterion_id", "option_id"))
        before = _sheet_row(sheet)
        with pytest.raises(ValidationError):
            services.sheet_save(
                sheet=sheet, choices={criterion.pk: criterion.options.last().pk}, by=council.member.user
            )
        assert _sheet_row(sheet) == before
        assert list(ScoreAnswer.objects.filter(sheet=sheet).values_list("criterion_id", "option_id")) == answers


def test_closing_a_round_locks_its_submitted_sheets_and_nothing_else(council, tree, users):
    for member in (council.chair, council.secretary, council.member):
        score(entry=council.entry, member=member, target=Decimal(64))
    other = make_application(commune=tree.x, cycle=council.cycle, created_by=users.commune_x, name="Mật ong bạc hà")
    extra = services.entry_add(round=council.round, application=other, by=users.district)
    draft = score(entry=extra, member=council.member, target=Decimal(70), submit=False)
    for member in (council.chair, council.secretary):
        score(entry=extra, member=member, target=Decimal(70))
    results_before = {r.entry.pk: (r.total, r.stars) for r in round_results(round=council.round)}
    round_transition(round=council.round, to_state=RoundState.CLOSED, by=council.chair.user)
    states = dict(ScoreSheet.objects.values_list("pk", "state"))
    assert states.pop(draft.pk) == SheetState.DRAFT  # never submitted: not counted, left as it was
    assert set(states.values()) == {SheetState.LOCKED} and len(states) == 5
    assert {r.entry.pk: (r.total, r.stars) for r in round_results(round=council.round)} == results_before
    event = AuditEvent.objects.get(action="evaluation.round_closed", object_id=str(council.round.pk))
    assert event.after["sheets_locked"] == 5
