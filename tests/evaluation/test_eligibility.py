"""The sequence: a round takes only what the state machine allows, and nothing ineligible is ever certified."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate
from apps.certificates.services import certificates_create_for_decision
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application, ApplicationTransition
from apps.cycles.services import application_transition
from apps.demo.sheets import load_sample_sheets
from apps.evaluation import services
from apps.evaluation.eligibility import PREVIOUS_TIER, REQUIRED_STATE, entry_refusal
from apps.evaluation.enums import TIERS_BY_RULE_SET, Tier
from apps.evaluation.forms import EntryAddForm
from apps.evaluation.models import NonRecognition, RecognitionItem, RoundEntry, ScoreSheet
from apps.evaluation.selectors import template_for
from tests.factories.evaluation import forwarded_entry, make_application, make_cycle, make_round, score

pytestmark = pytest.mark.django_db

DECISION = {"issuer_name": "UBND huyện", "signer_title": "Chủ tịch", "signer_name": "Nguyễn Văn Ký"}
CASES = [(rs, tier, state) for rs, tiers in TIERS_BY_RULE_SET.items() for tier in tiers for state in S.values]


def _extra(state):
    if state == S.RETURNED:
        return {"returned_from": S.DOSSIER_CHECKED}
    if state == S.RECOGNISED:
        return {"stars": 3}
    return {}


def _unit(tree, tier):
    return {Tier.COMMUNE: tree.x, Tier.DISTRICT: tree.d, Tier.PROVINCE: tree.p, Tier.CENTRAL: tree.p}[tier]


def _snapshot(application):
    application.refresh_from_db()
    return (
        application.state,
        application.stars,
        RoundEntry.objects.count(),
        ApplicationTransition.objects.count(),
        AuditEvent.objects.filter(action="evaluation.entry_added").count(),
    )


@pytest.mark.parametrize(("rule_set", "tier", "state"), CASES)
def test_round_takes_only_the_state_its_tier_and_rule_set_require(tree, users, rule_set, tier, state):
    cycle = make_cycle(unit=tree.p, rule_set=rule_set)
    round, _members = make_round(cycle=cycle, tier=tier, unit=_unit(tree, tier), by=users.admin, size=2)
    application = make_application(
        commune=tree.x, cycle=cycle, created_by=users.commune_x, state=state, **_extra(state)
    )
    previous = PREVIOUS_TIER.get((rule_set, tier))
    if previous is not None:
        # The tier below did forward it: only the application's state decides.
        forwarded_entry(
            cycle=cycle, tier=previous, unit=_unit(tree, previous), application=application, by=users.admin,
            set_state=False,
        )  # fmt: skip
    eligible = state == REQUIRED_STATE[(rule_set, tier)]
    picker = EntryAddForm(round=round).fields["application"].queryset

    assert (application in picker) is eligible
    assert (entry_refusal(round, application) is None) is eligible
    before = _snapshot(application)
    if eligible and template_for(rule_set=rule_set, product_set=application.product.product_set) is None:
        return  # qd1048-2019 has no sheet loaded: only old records carry it
    if eligible:
        entry = services.entry_add(round=round, application=application, by=users.admin)
        assert (entry.round, entry.application) == (round, application)
        return
    with pytest.raises(ValidationError) as exc:
        services.entry_add(round=round, application=application, by=users.admin)
    assert "chỉ nhận hồ sơ ở bước" in exc.value.messages[0]
    assert _snapshot(application) == before


def test_district_round_refuses_the_rejected_idea_with_a_vietnamese_reason(council, tree, users):
    rejected = make_application(commune=tree.x, cycle=council.cycle, created_by=users.commune_x, state=S.IDEA_REJECTED)
    with pytest.raises(ValidationError) as exc:
        services.entry_add(round=council.round, application=rejected, by=users.district)
    assert exc.value.messages == [
        f"“{rejected.product.name}” đang ở bước “Ý tưởng không được chấp thuận”: "
        "hội đồng cấp huyện chỉ nhận hồ sơ ở bước “Đã gửi lên đánh giá”."
    ]
    assert list(RoundEntry.objects.filter(application=rejected)) == []


def test_province_round_refuses_forward_from_a_round_not_closed(council, tree, users):
    province_round, _ = make_round(cycle=council.cycle, tier=Tier.PROVINCE, unit=tree.p, by=users.province)
    application = council.entry.application
    Application.objects.filter(pk=application.pk).update(state=S.FORWARDED_PROVINCE)
    RoundEntry.objects.filter(pk=council.entry.pk).update(forwarded=True)  # the district round is still open
    application.refresh_from_db()
    assert application not in EntryAddForm(round=province_round).fields["application"].queryset
    with pytest.raises(ValidationError) as exc:
        services.entry_add(round=province_round, application=application, by=users.province)
    assert exc.value.messages == [f"“{application.product.name}” chưa được cấp dưới chuyển lên."]
    assert province_round.entries.count() == 0


def test_central_round_refuses_a_product_forwarded_below_90(tree, users):
    cycle = make_cycle(unit=tree.p)
    central, _ = make_round(cycle=cycle, tier=Tier.CENTRAL, unit=tree.p, by=users.central)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    forwarded_entry(cycle=cycle, tier=Tier.PROVINCE, unit=tree.p, application=application, by=users.admin,
                    total=Decimal("89.99"))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.entry_add(round=central, application=application, by=users.central)
    assert exc.value.messages == [
        f"“{application.product.name}” không được hội đồng cấp tỉnh chuyển lên với ít nhất 90 điểm."
    ]
    assert central.entries.count() == 0


def test_an_application_sits_in_one_round_per_tier(council, tree, users):
    other, _ = make_round(cycle=council.cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    application = council.entry.application
    assert application not in EntryAddForm(round=other).fields["application"].queryset
    with pytest.raises(ValidationError) as exc:
        services.entry_add(round=other, application=application, by=users.district)
    assert exc.value.messages == [f"“{application.product.name}” đã có trong đợt “{council.round.name}” của cấp này."]
    assert other.entries.count() == 0


def _close(round, entry, members, target):
    for member in members:
        score(entry=entry, member=member, target=Decimal(target))
    services.round_close(round=round, by=members[0].user)


def test_an_ineligible_entry_is_never_recognised_nor_certified(tree, users, django_capture_on_commit_callbacks):
    """Even an entry that got into a round before this rule (old data) is left out of the decision."""
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    good = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    bad = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x, state=S.IDEA_REJECTED)
    good_entry = services.entry_add(round=round, application=good, by=users.district)
    template = template_for(rule_set=cycle.rule_set, product_set=bad.product.product_set)
    bad_entry = RoundEntry.objects.create(round=round, application=bad, template=template)
    for member in members:
        score(entry=good_entry, member=member, target=Decimal(60))
    # Scoring an ineligible application is refused too (its row is locked and checked).
    with pytest.raises(ValidationError):
        score(entry=bad_entry, member=members[0], target=Decimal(60))
    ScoreSheet.objects.filter(entry=bad_entry).delete()
    for member in members:
        sheet = ScoreSheet.objects.create(round=round, entry=bad_entry, member=member, state="submitted", total=60)
        assert sheet.pk
    services.round_close(round=round, by=members[0].user)
    with pytest.raises(ValidationError):
        services.decision_record(
            round=round, number="7/QĐ-UBND", date=date(2024, 9, 1), by=users.district,
            awards={bad_entry.pk: 3}, **DECISION,
        )  # fmt: skip
    with django_capture_on_commit_callbacks():
        decision = services.decision_record(
            round=round, number="7/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION
        )
    assert list(decision.items.values_list("application", flat=True)) == [good.pk]
    assert not NonRecognition.objects.filter(entry=bad_entry).exists()
    assert list(Certificate.objects.values_list("product", flat=True)) == [good.product_id]
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.state, bad.stars, good.state, good.stars) == (S.IDEA_REJECTED, None, S.RECOGNISED, 3)
    event = AuditEvent.objects.get(action="evaluation.decision_recorded")
    assert event.after["excluded"] == [{"product": bad.product.name, "state": S.IDEA_REJECTED}]


def test_certificates_only_for_items_whose_application_was_recognised(tree, users):
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    entry = services.entry_add(round=round, application=application, by=users.district)
    _close(round, entry, members, 60)
    decision = services.decision_record(
        round=round, number="8/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION
    )
    # A later item written around the state machine (an application that was never recognised) gets nothing.
    other = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x, state=S.IDEA_REJECTED)
    RecognitionItem.objects.create(decision=decision, product=other.product, application=other, stars=3,
                                   total_score=60)  # fmt: skip
    certificates = certificates_create_for_decision(decision=decision)
    assert [c.product_id for c in certificates] == [application.product_id]
    assert not Certificate.objects.filter(product=other.product).exists()


def test_decision_records_each_outcome_on_the_application(tree, users):
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    apps = {
        target: make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x) for target in (40, 60, 80)
    }
    for target, application in apps.items():
        entry = services.entry_add(round=round, application=application, by=users.district)
        for member in members:
            score(entry=entry, member=member, target=Decimal(target))
    services.round_close(round=round, by=members[0].user)
    services.decision_record(round=round, number="9/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION)
    outcome = {}
    for target, application in apps.items():
        application.refresh_from_db()
        outcome[target] = (application.state, application.stars)
    assert outcome == {
        40: (S.NOT_RECOGNISED, None),
        60: (S.RECOGNISED, 3),
        80: (S.FORWARDED_PROVINCE, None),
    }
    row = ApplicationTransition.objects.get(application=apps[60], to_state=S.RECOGNISED)
    assert (row.from_state, row.reason, row.by) == (S.SENT_FOR_EVALUATION, "Quyết định 9/QĐ-UBND", users.district)


def test_precheck_close_forwards_or_does_not_propose(tree, users):
    cycle = make_cycle(unit=tree.p, rule_set=RuleSet.QD1489_2025, year=2026)
    load_sample_sheets()
    pre = services.round_create(cycle=cycle, tier=Tier.COMMUNE, unit=tree.x, name="Rà soát", by=users.admin)
    passed = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    failed = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    checks = dict(local_materials=True, local_producer=True, legal_conditions=True, community_benefit=True)
    for application, ok in ((passed, True), (failed, False)):
        entry = services.entry_add(round=pre, application=application, by=users.commune_x)
        services.precheck_record(entry=entry, by=users.commune_x, passed=ok, reason="Lý do rà soát", **checks)
    services.round_close(round=pre, by=users.commune_x)
    passed.refresh_from_db()
    failed.refresh_from_db()
    assert (passed.state, failed.state) == (S.FORWARDED_PROVINCE, S.NOT_PROPOSED)
    province_round, _ = make_round(cycle=cycle, tier=Tier.PROVINCE, unit=tree.p, by=users.province)
    assert list(EntryAddForm(round=province_round).fields["application"].queryset) == [passed]


# --- Removing a product from a round ------------------------------------------------------------------------


def test_entry_remove_with_reason_is_audited_and_frees_the_application(council, users):
    application = council.entry.application
    services.entry_remove(entry=council.entry, reason="Nhầm sản phẩm", by=users.district)
    assert not RoundEntry.objects.filter(pk=council.entry.pk).exists()
    event = AuditEvent.objects.get(action="evaluation.entry_removed")
    assert (event.reason, event.before["application"], event.actor) == ("Nhầm sản phẩm", application.pk, users.district)
    assert application in EntryAddForm(round=council.round).fields["application"].queryset


def test_entry_remove_without_reason_is_refused(council, users):
    with pytest.raises(ValidationError):
        services.entry_remove(entry=council.entry, reason="  ", by=users.district)
    assert RoundEntry.objects.filter(pk=council.entry.pk).exists()
    assert not AuditEvent.objects.filter(action="evaluation.entry_removed").exists()


def test_entry_remove_refused_once_a_sheet_is_submitted(council, users):
    score(entry=council.entry, member=council.member, target=Decimal(60))
    with pytest.raises(ValidationError) as exc:
        services.entry_remove(entry=council.entry, reason="Nhầm", by=users.district)
    assert "đã bắt đầu chấm điểm" in exc.value.messages[0]
    assert RoundEntry.objects.filter(pk=council.entry.pk).exists()
    assert ScoreSheet.objects.filter(entry=council.entry).count() == 1
    assert not AuditEvent.objects.filter(action="evaluation.entry_removed").exists()


def test_entry_remove_refused_to_an_officer_of_another_unit(council, users):
    with pytest.raises(PermissionDenied):
        services.entry_remove(entry=council.entry, reason="Nhầm", by=users.province_q)
    assert RoundEntry.objects.filter(pk=council.entry.pk).exists()


def test_returning_an_application_removes_its_open_entries(council, users):
    score(entry=council.entry, member=council.member, target=Decimal(60), submit=False)
    application = council.entry.application
    application_transition(
        application=application, to_state=S.RETURNED, by=users.district, reason="Thiếu phiếu kiểm nghiệm"
    )
    assert not RoundEntry.objects.filter(pk=council.entry.pk).exists()
    assert ScoreSheet.objects.count() == 0
    event = AuditEvent.objects.get(action="evaluation.entry_removed")
    assert (event.reason, event.before["sheets"]) == ("Thiếu phiếu kiểm nghiệm", 1)


def test_withdrawing_an_application_removes_its_open_entries(council, users):
    application = council.entry.application
    application_transition(application=application, to_state=S.WITHDRAWN, by=users.commune_x, reason="Chủ thể rút")
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert not RoundEntry.objects.filter(application=application).exists()
    assert AuditEvent.objects.get(action="evaluation.entry_removed").reason == "Chủ thể rút"


def test_a_closed_rounds_entry_stays_but_is_left_out_of_the_decision(council, tree, users):
    for member in (council.chair, council.secretary, council.member):
        score(entry=council.entry, member=member, target=Decimal(60))
    services.round_close(round=council.round, by=council.chair.user)
    application = council.entry.application
    application_transition(application=application, to_state=S.RETURNED, by=users.district, reason="Sai nhãn")
    assert RoundEntry.objects.filter(pk=council.entry.pk).exists()
    with pytest.raises(ValidationError):
        services.decision_record(
            round=council.round, number="5/QĐ-UBND", date=date(2024, 9, 1), by=users.district, **DECISION
        )
    assert not RecognitionItem.objects.exists()
    assert not Certificate.objects.exists()


def test_entry_remove_view_needs_a_reason_and_removes(client, council, users):
    url = reverse("evaluation:entry_remove", kwargs={"pk": council.round.pk, "entry_pk": council.entry.pk})
    client.force_login(users.district)
    client.post(url, {"reason": ""})
    assert RoundEntry.objects.filter(pk=council.entry.pk).exists()
    page = client.get(reverse("evaluation:round_detail", kwargs={"pk": council.round.pk})).text
    assert "Rút khỏi đợt đánh giá" in page
    response = client.post(url, {"reason": "Sản phẩm trùng"}, follow=True)
    assert "Đã rút sản phẩm khỏi đợt đánh giá." in response.text
    assert not RoundEntry.objects.filter(pk=council.entry.pk).exists()
    client.force_login(council.member.user)
    assert client.post(url, {"reason": "x"}).status_code in (403, 404)
