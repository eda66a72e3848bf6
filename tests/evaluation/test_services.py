"""Scoring, aggregation, quorum and spread, closing, and recognition decisions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate
from apps.core.enums import RuleSet
from apps.evaluation import services
from apps.evaluation.enums import Aggregation, RoundState, SheetState, Tier
from apps.evaluation.models import RecognitionDecision, ScoreAnswer, ScoreSheet
from apps.evaluation.selectors import round_results
from apps.geo.enums import Edition
from tests.factories import commune, province
from tests.factories.evaluation import (
    choices_for_target,
    forwarded_entry,
    make_application,
    make_cycle,
    make_round,
    score,
)

DECISION = {"issuer_name": "UBND huyện", "signer_title": "Chủ tịch", "signer_name": "Nguyễn Văn Ký"}


def _score_all(council, targets, **kw):
    for member, target in zip((council.chair, council.secretary, council.member), targets, strict=False):
        score(entry=council.entry, member=member, target=target, **kw)


def test_sheet_total_is_sum_of_chosen_points(council):
    sheet = score(entry=council.entry, member=council.chair, target=Decimal(64))
    assert sheet.total == Decimal(64)
    assert sheet.state == SheetState.SUBMITTED
    assert sum(a.points for a in ScoreAnswer.objects.filter(sheet=sheet)) == Decimal(64)


def test_sheet_save_refuses_option_of_another_criterion(council):
    sheet = services.sheet_open(entry=council.entry, member=council.chair)
    criteria = list(council.entry.template.criteria.prefetch_related("options").order_by("pk")[:2])
    foreign_option = criteria[1].options.all()[0]
    with pytest.raises(ValidationError):
        services.sheet_save(sheet=sheet, choices={criteria[0].pk: foreign_option.pk}, by=council.chair.user)
    # The refused first save created nothing: no sheet row, no answer.
    assert ScoreSheet.objects.filter(entry=council.entry, member=council.chair).count() == 0
    assert ScoreAnswer.objects.filter(sheet__entry=council.entry, sheet__member=council.chair).count() == 0


def test_sheet_submit_refuses_incomplete_sheet(council):
    sheet = services.sheet_open(entry=council.entry, member=council.chair)
    criterion = council.entry.template.criteria.first()
    with pytest.raises(ValidationError):
        services.sheet_save(
            sheet=sheet, choices={criterion.pk: criterion.options.first().pk}, by=council.chair.user, submit=True
        )
    assert ScoreSheet.objects.filter(entry=council.entry, member=council.chair).count() == 0
    services.sheet_save(sheet=sheet, choices={}, by=council.chair.user)
    with pytest.raises(ValidationError):
        services.sheet_save(
            sheet=sheet, choices={criterion.pk: criterion.options.first().pk}, by=council.chair.user, submit=True
        )
    sheet.refresh_from_db()
    assert (sheet.state, sheet.submitted_at, sheet.answers.count()) == (SheetState.DRAFT, None, 0)


def test_sheet_draft_saves_and_audits_before_after(council):
    sheet = services.sheet_open(entry=council.entry, member=council.member)
    criterion = council.entry.template.criteria.get(code="A1.1")
    best = criterion.options.order_by("-points").first()
    services.sheet_save(sheet=sheet, choices={criterion.pk: best.pk}, by=council.member.user)
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == (SheetState.DRAFT, best.points)
    event = AuditEvent.objects.get(action="evaluation.sheet_saved", object_id=str(sheet.pk))
    assert event.before["answers"] == {}
    assert event.after["answers"] == {"A1.1": best.code}


def test_results_mean_median_min_max_and_parts(council):
    _score_all(council, [Decimal(60), Decimal(64), Decimal(71)])
    (r,) = round_results(round=council.round)
    assert (r.sheet_count, r.minimum, r.maximum, r.median) == (3, Decimal(60), Decimal(71), Decimal(64))
    assert r.mean == Decimal("65.00")
    assert sum(r.part_averages.values()) == Decimal("65.00")
    assert (r.stars, r.quorum_met, r.spread_flagged) == (3, True, True)


def test_results_median_aggregation_when_configured(council):
    council.round.aggregation = Aggregation.MEDIAN
    council.round.save()
    _score_all(council, [Decimal(60), Decimal(64), Decimal(80)])
    (r,) = round_results(round=council.round)
    assert (r.total, r.stars) == (Decimal(64), 3)


def test_results_spread_within_threshold_not_flagged(council):
    _score_all(council, [Decimal(60), Decimal(65), Decimal(70)])
    (r,) = round_results(round=council.round)
    assert r.spread_flagged is False


def test_results_missing_mandatory_caps_stars(council):
    # 80 points would be 4★, but traceability (B2.3, mandatory for 3★) is missing on every sheet.
    _score_all(council, [Decimal(80)] * 3, skip_mandatory=("B2.3",))
    (r,) = round_results(round=council.round)
    assert (r.band, r.stars) == (4, 2)
    assert [c.code for c in r.missing_mandatory] == ["B2.3"]


def test_quorum_needs_two_thirds_and_chair(council):
    score(entry=council.entry, member=council.secretary, target=Decimal(60))
    score(entry=council.entry, member=council.member, target=Decimal(60))
    (r,) = round_results(round=council.round)
    assert r.quorum_met is False  # 2 of 3, but without the chair
    score(entry=council.entry, member=council.chair, target=Decimal(60))
    (r,) = round_results(round=council.round)
    assert r.quorum_met is True


def test_quorum_one_of_three_is_short_and_close_refused(council):
    score(entry=council.entry, member=council.chair, target=Decimal(60))
    (r,) = round_results(round=council.round)
    assert r.quorum_met is False
    with pytest.raises(ValidationError):
        services.round_close(round=council.round, by=council.chair.user)
    council.round.refresh_from_db()
    assert council.round.state == RoundState.OPEN


def test_conflicted_member_cannot_open_sheet(council):
    services.conflict_declare(
        entry=council.entry, member=council.member, reason="Anh ruột chủ thể", by=council.member.user
    )
    with pytest.raises(PermissionDenied):
        services.sheet_open(entry=council.entry, member=council.member)


def test_conflicted_member_not_counted_for_quorum(council):
    services.conflict_declare(entry=council.entry, member=council.member, reason="Cổ đông", by=council.member.user)
    score(entry=council.entry, member=council.chair, target=Decimal(60))
    score(entry=council.entry, member=council.secretary, target=Decimal(62))
    (r,) = round_results(round=council.round)
    assert (r.eligible_members, r.quorum_met) == (2, True)


def test_chair_reopens_sheet_for_rescoring(council):
    sheet = score(entry=council.entry, member=council.member, target=Decimal(85))
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(sheet=sheet, by=council.secretary.user)
    services.sheet_reopen(sheet=sheet, by=council.chair.user, reason="Chênh lệch quá 10 điểm")
    sheet.refresh_from_db()
    assert sheet.state == SheetState.REOPENED
    rescored = score(entry=council.entry, member=council.member, target=Decimal(66))
    assert rescored.total == Decimal(66)


def test_round_close_locks_sheets_and_stores_minutes(council):
    _score_all(council, [Decimal(60), Decimal(62), Decimal(64)])
    services.round_close(round=council.round, by=council.chair.user)
    council.round.refresh_from_db()
    council.entry.refresh_from_db()
    assert (council.round.state, council.entry.total, council.entry.stars) == (RoundState.CLOSED, Decimal(62), 3)
    sheet = council.entry.sheets.get(member=council.chair)
    before = sheet.total
    criterion = council.entry.template.criteria.get(code="A1.1")
    with pytest.raises(ValidationError):
        services.sheet_save(sheet=sheet, choices={criterion.pk: criterion.options.first().pk}, by=council.chair.user)
    sheet.refresh_from_db()
    assert sheet.total == before
    with pytest.raises(ValidationError):
        services.sheet_reopen(sheet=sheet, by=council.chair.user)


def test_round_close_only_by_chair(council):
    _score_all(council, [Decimal(60), Decimal(62), Decimal(64)])
    with pytest.raises(PermissionDenied):
        services.round_close(round=council.round, by=council.secretary.user)


def _closed(council, targets):
    _score_all(council, targets)
    services.round_close(round=council.round, by=council.chair.user)
    council.entry.refresh_from_db()


def test_district_cannot_recognise_4_stars(council, users):
    _closed(council, [Decimal(75)] * 3)
    with pytest.raises(ValidationError):
        services.decision_record(
            round=council.round,
            number="12/QĐ-UBND",
            date=date(2024, 9, 1),
            by=users.district,
            awards={council.entry.pk: 4},
            **DECISION,
        )
    assert RecognitionDecision.objects.count() == 0


def test_district_forwards_70_plus_to_province(council, users):
    _closed(council, [Decimal(75)] * 3)
    decision = services.decision_record(
        round=council.round, number="12/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION
    )
    council.entry.refresh_from_db()
    assert (decision.items.count(), council.entry.forwarded) == (0, True)


def test_district_recognises_3_stars_with_certificate(council, users):
    _closed(council, [Decimal(60), Decimal(62), Decimal(64)])
    decision = services.decision_record(
        round=council.round, number="13/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION
    )
    item = decision.items.get()
    cert = Certificate.objects.get(recognition=item)
    assert (item.stars, item.total_score, cert.valid_until) == (3, Decimal(62), date(2027, 9, 1))
    assert AuditEvent.objects.filter(action="evaluation.decision_recorded", object_id=str(decision.pk)).count() == 1


def test_below_50_gets_no_recognition_and_a_reason(council, users):
    _closed(council, [Decimal(45)] * 3)
    decision = services.decision_record(
        round=council.round, number="14/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION
    )
    refusal = decision.refusals.get()
    assert decision.items.count() == 0
    assert "50" in refusal.reason


def test_qd1489_has_no_district_step(tree, users):
    hue = province("46", edition=Edition.TWO_TIER_2025, name="Thành phố Huế")
    cycle = make_cycle(unit=hue, rule_set=RuleSet.QD1489_2025, year=2025)
    with pytest.raises(ValidationError):
        services.round_create(cycle=cycle, tier=Tier.DISTRICT, unit=hue, name="Huyện?", by=users.admin)


def test_qd1489_province_recognises_3_and_4_after_commune_precheck(tree, users):
    hue = province("46", edition=Edition.TWO_TIER_2025, name="Thành phố Huế")
    ward = commune(hue, "19753", name="Phường Thuận Hóa")
    cycle = make_cycle(unit=hue, rule_set=RuleSet.QD1489_2025, year=2025)
    app = make_application(commune=ward, cycle=cycle, created_by=users.admin)
    pre_round, _ = make_round(cycle=cycle, tier=Tier.COMMUNE, unit=ward, by=users.admin, size=2)
    pre_entry = services.entry_add(round=pre_round, application=app, by=users.admin)
    services.precheck_record(
        entry=pre_entry,
        by=users.admin,
        passed=True,
        reason="Đủ điều kiện",
        local_materials=True,
        local_producer=True,
        legal_conditions=True,
        community_benefit=True,
    )
    services.round_close(round=pre_round, by=users.admin)
    round, (chair, secretary, member) = make_round(cycle=cycle, tier=Tier.PROVINCE, unit=hue, by=users.admin)
    entry = services.entry_add(round=round, application=app, by=users.admin)
    for m in (chair, secretary, member):
        score(entry=entry, member=m, target=Decimal(76))
    services.round_close(round=round, by=chair.user)
    decision = services.decision_record(
        round=round, number="88/QĐ-UBND", date=date(2025, 11, 1), by=users.admin, **DECISION
    )
    assert list(decision.items.values_list("stars", flat=True)) == [4]


def test_province_round_refuses_product_not_forwarded(council, users):
    round, _ = make_round(cycle=council.cycle, tier=Tier.PROVINCE, unit=council.cycle.unit, by=users.province)
    with pytest.raises(ValidationError):
        services.entry_add(round=round, application=council.entry.application, by=users.province)
    forwarded_entry(
        cycle=council.cycle,
        tier=Tier.DISTRICT,
        unit=council.round.unit,
        application=council.entry.application,
        by=users.district,
    )
    entry = services.entry_add(round=round, application=council.entry.application, by=users.province)
    assert entry.round_id == round.pk


def test_choices_helper_hits_target(council):
    choices = choices_for_target(council.entry.template, Decimal(55))
    assert len(choices) == council.entry.template.criteria.count()


def test_central_round_recognises_5_stars_for_forwarded_product(council, users):
    _closed(council, [Decimal(94)] * 3)
    services.decision_record(
        round=council.round, number="30/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION
    )
    province_round, members = make_round(
        cycle=council.cycle, tier=Tier.PROVINCE, unit=council.cycle.unit, by=users.province
    )
    entry = services.entry_add(round=province_round, application=council.entry.application, by=users.province)
    for m in members:
        score(entry=entry, member=m, target=Decimal(93))
    services.round_close(round=province_round, by=members[0].user)
    province_decision = services.decision_record(
        round=province_round, number="31/QĐ-UBND", date=date(2024, 11, 1), by=users.province, **DECISION
    )
    entry.refresh_from_db()
    assert (province_decision.items.count(), entry.forwarded) == (0, True)
    central, central_members = make_round(
        cycle=council.cycle, tier=Tier.CENTRAL, unit=council.cycle.unit, by=users.central
    )
    central_entry = services.entry_add(round=central, application=council.entry.application, by=users.central)
    for m in central_members:
        score(entry=central_entry, member=m, target=Decimal(92))
    services.round_close(round=central, by=central_members[0].user)
    decision = services.decision_record(
        round=central, number="99/QĐ-BNNMT", date=date(2025, 1, 10), by=users.central, **DECISION
    )
    assert list(decision.items.values_list("stars", flat=True)) == [5]


def test_sheet_reopen_is_audited(council):
    sheet = score(entry=council.entry, member=council.member, target=Decimal(85))
    services.sheet_reopen(sheet=sheet, by=council.chair.user, reason="Chênh lệch")
    event = AuditEvent.objects.get(action="evaluation.sheet_reopened", object_id=str(sheet.pk))
    assert (event.before, event.after, event.reason) == ({"state": "submitted"}, {"state": "reopened"}, "Chênh lệch")
