"""The application state machine: every legal move succeeds, every illegal one is refused and changes nothing."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.audit.models import AuditEvent
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.cycles.enums import CycleStep, TargetKind, Tier
from apps.cycles.models import Application, ApplicationTransition, Cycle, EvidenceFile
from apps.cycles.services import (
    CHECK_STATES,
    TRANSITIONS,
    WITHDRAWABLE_STATES,
    StepDates,
    TransitionNotAllowed,
    application_transition,
    cycle_create,
    dossier_update,
    evidence_upload,
    idea_register,
    plan_save,
    self_assessment_totals,
)
from apps.producers.enums import DocumentKind
from apps.products.models import ProductSet
from tests.factories import district
from tests.factories.cycles import complete_vault, step_dates
from tests.factories.mail import deliver_queued_mail
from tests.factories.producers import PDF_BYTES, ProducerFactory
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db

# Every starting point: the nine states, with "returned" once per check state it may have come from.
STARTS = [(s, "") for s in S.values if s != S.RETURNED] + [(S.RETURNED, rf) for rf in CHECK_STATES]
FULL_TABLE = [(frm, rf, to) for frm, rf in STARTS for to in S.values]


def is_legal(frm, returned_from, to):
    if frm == S.RETURNED and to == returned_from:
        return True
    return (frm, to) in TRANSITIONS


def is_council_move(frm, returned_from, to):
    return (frm, to) in TRANSITIONS and TRANSITIONS[(frm, to)] == {Tier.COUNCIL}


def actor_for(users, frm, returned_from, to):
    if frm == S.RETURNED and to == returned_from:
        return users.commune_x
    tiers = TRANSITIONS[(frm, to)]
    return users.commune_x if "commune" in tiers else users.district


def fill_dossier(application, by):
    dossier_update(application=application, by=by, applicant_name="Nguyễn Văn A", sample_count=5)


@pytest.mark.parametrize(
    ("frm", "returned_from", "to"), [t for t in FULL_TABLE if is_legal(*t) and not is_council_move(*t)]
)
def test_transition_legal_move_succeeds(make_application, users, frm, returned_from, to):
    application = make_application(frm, returned_from=returned_from)
    by = actor_for(users, frm, returned_from, to)
    if to == S.DOSSIER_SUBMITTED or (frm == S.RETURNED and to in (S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION)):
        fill_dossier(application, users.commune_x)
    reason = "Thiếu ảnh sản phẩm" if to in (S.RETURNED, S.WITHDRAWN) else ""

    application_transition(application=application, to_state=to, by=by, reason=reason, expected_state=frm)

    application.refresh_from_db()
    assert application.state == to
    assert application.returned_from == (frm if to == S.RETURNED else "")
    row = ApplicationTransition.objects.get(application=application)
    assert (row.from_state, row.to_state, row.by, row.reason) == (frm, to, by, reason)
    event = AuditEvent.objects.get(action="application.transition", object_id=str(application.pk))
    assert (event.before, event.after, event.actor) == ({"state": frm}, {"state": to}, by)


@pytest.mark.parametrize(("frm", "returned_from", "to"), [t for t in FULL_TABLE if is_council_move(*t)])
def test_council_move_without_its_round_is_refused_to_every_officer(make_application, users, frm, returned_from, to):
    application = make_application(frm, returned_from=returned_from)
    for by in (users.commune_x, users.district, users.province, users.admin):
        with pytest.raises(PermissionDenied):
            application_transition(application=application, to_state=to, by=by, reason="lý do", stars=4)
    application.refresh_from_db()
    assert (application.state, application.stars) == (frm, None)
    assert ApplicationTransition.objects.count() == 0


@pytest.mark.parametrize("state", WITHDRAWABLE_STATES)
def test_withdrawal_needs_a_reason(make_application, users, state):
    application = make_application(state, returned_from=S.DOSSIER_CHECKED if state == S.RETURNED else "")
    with pytest.raises(TransitionNotAllowed):
        application_transition(application=application, to_state=S.WITHDRAWN, by=users.commune_x, reason=" ")
    application.refresh_from_db()
    assert application.state == state
    assert ApplicationTransition.objects.count() == 0


@pytest.mark.parametrize(("frm", "returned_from", "to"), [t for t in FULL_TABLE if not is_legal(*t)])
def test_transition_illegal_move_is_refused(make_application, users, frm, returned_from, to):
    application = make_application(frm, returned_from=returned_from)
    for by in (users.commune_x, users.district):
        with pytest.raises(TransitionNotAllowed):
            application_transition(application=application, to_state=to, by=by, reason="lý do")
    application.refresh_from_db()
    assert (application.state, application.returned_from) == (frm, returned_from)
    assert ApplicationTransition.objects.count() == 0
    assert AuditEvent.objects.filter(action="application.transition").count() == 0


def test_transition_illegal_move_message_is_vietnamese(make_application, users):
    application = make_application(S.IDEA_REGISTERED)
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(application=application, to_state=S.SENT_FOR_EVALUATION, by=users.district)
    assert exc.value.messages == [
        "Hồ sơ đang ở trạng thái “Đã đăng ký ý tưởng” không thể chuyển sang “Đã gửi lên đánh giá”. "
        "Không có gì thay đổi."
    ]


@pytest.mark.parametrize("check_state", CHECK_STATES)
def test_transition_return_without_reason_is_refused(make_application, users, check_state):
    application = make_application(check_state)
    approving = (S.IDEA_REGISTERED, S.PLAN_SUBMITTED, S.SENT_FOR_EVALUATION)
    by = users.district if check_state in approving else users.commune_x
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(application=application, to_state=S.RETURNED, by=by, reason="   ")
    assert exc.value.message_dict == {"reason": ["Cần ghi lý do khi trả hồ sơ để bổ sung, sửa chữa."]}
    application.refresh_from_db()
    assert application.state == check_state
    assert ApplicationTransition.objects.count() == 0


def test_transition_twice_is_refused_cleanly(make_application, users):
    application = make_application(S.IDEA_REGISTERED)
    application_transition(
        application=application, to_state=S.IDEA_ACCEPTED, by=users.district, expected_state=S.IDEA_REGISTERED
    )
    stale = Application.objects.get(pk=application.pk)
    stale.state = S.IDEA_REGISTERED  # the page the officer still has open
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(
            application=stale, to_state=S.IDEA_ACCEPTED, by=users.district, expected_state=S.IDEA_REGISTERED
        )
    assert exc.value.code == "stale"
    assert ApplicationTransition.objects.filter(application=application).count() == 1


def test_transition_same_move_again_without_expected_state_is_illegal(make_application, users):
    application = make_application(S.DOSSIER_SUBMITTED)
    application_transition(application=application, to_state=S.DOSSIER_CHECKED, by=users.commune_x)
    with pytest.raises(TransitionNotAllowed):
        application_transition(application=application, to_state=S.DOSSIER_CHECKED, by=users.commune_x)
    assert ApplicationTransition.objects.filter(application=application).count() == 1


@pytest.mark.parametrize(
    ("who", "to"),
    [
        ("commune_x", S.IDEA_ACCEPTED),  # the commune may not accept its own ideas
        ("commune_y", S.IDEA_ACCEPTED),
        ("province", S.IDEA_ACCEPTED),  # under 148 the district approves, not the province
        ("central", S.IDEA_ACCEPTED),
        ("admin", S.IDEA_ACCEPTED),
        ("producer", S.IDEA_ACCEPTED),
        ("district", S.RETURNED),
    ],
)
def test_transition_by_wrong_actor_is_denied(make_application, users, who, to):
    application = make_application(S.IDEA_REGISTERED if to != S.RETURNED else S.DOSSIER_SUBMITTED)
    before = application.state
    with pytest.raises(PermissionDenied):
        application_transition(application=application, to_state=to, by=getattr(users, who), reason="lý do")
    application.refresh_from_db()
    assert application.state == before
    assert ApplicationTransition.objects.count() == 0


def test_transition_other_commune_officer_cannot_submit(make_application, users):
    application = make_application(S.IDEA_ACCEPTED)
    with pytest.raises(PermissionDenied):
        application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_y)
    application.refresh_from_db()
    assert application.state == S.IDEA_ACCEPTED


def test_transition_under_1489_province_officer_approves(make_application, cycle_1489, users):
    application = make_application(S.IDEA_REGISTERED, cycle_=cycle_1489)
    with pytest.raises(PermissionDenied):
        application_transition(application=application, to_state=S.IDEA_ACCEPTED, by=users.district)
    application_transition(application=application, to_state=S.IDEA_ACCEPTED, by=users.province)
    application.refresh_from_db()
    assert application.state == S.IDEA_ACCEPTED


def test_dossier_submission_with_expired_food_safety_certificate_is_refused(tree, cycle, users):
    product = ProductFactory(commune=tree.x, name="Nước mắm Cái Rồng", product_set=ProductSet.objects.get(code="TP09"))
    complete_vault(product.producer, food_safety_expires_on=datetime.date(2024, 12, 31))
    application = Application.objects.create(
        cycle=cycle, product=product, state=S.IMPLEMENTING, created_by=users.commune_x
    )
    fill_dossier(application, users.commune_x)
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(application=application, to_state=S.DOSSIER_SUBMITTED, by=users.commune_x)
    assert exc.value.messages == [
        "Chưa thể nộp hồ sơ:",
        f"{DocumentKind.FOOD_SAFETY.label} của chủ thể còn thiếu hoặc đã hết hạn.",
    ]
    assert "an toàn thực phẩm" in exc.value.messages[1]
    application.refresh_from_db()
    assert application.state == S.IMPLEMENTING
    assert ApplicationTransition.objects.count() == 0


@pytest.mark.parametrize("returned_from", [S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED])
def test_dossier_resubmission_after_return_checks_the_documents_again(tree, cycle, users, returned_from):
    product = ProductFactory(commune=tree.x, product_set=ProductSet.objects.get(code="TP09"))
    complete_vault(product.producer, food_safety_expires_on=datetime.date(2024, 12, 31))
    application = Application.objects.create(
        cycle=cycle, product=product, state=S.RETURNED, returned_from=returned_from, created_by=users.commune_x
    )
    fill_dossier(application, users.commune_x)
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(application=application, to_state=returned_from, by=users.commune_x)
    assert f"{DocumentKind.FOOD_SAFETY.label} của chủ thể còn thiếu hoặc đã hết hạn." in exc.value.messages
    application.refresh_from_db()
    assert (application.state, application.returned_from) == (S.RETURNED, returned_from)
    assert ApplicationTransition.objects.count() == 0


def test_dossier_submission_without_samples_is_refused_except_tourism(tree, cycle, users):
    food = ProductFactory(commune=tree.x)
    tour = ProductFactory(commune=tree.x, product_set=ProductSet.objects.get(code="DV01"))
    for product in (food, tour):
        complete_vault(product.producer)
    app_food, app_tour = (
        Application.objects.create(cycle=cycle, product=p, state=S.IMPLEMENTING, created_by=users.commune_x)
        for p in (food, tour)
    )
    for application in (app_food, app_tour):
        dossier_update(application=application, by=users.commune_x, applicant_name="Trần Thị B", sample_count=None)
    with pytest.raises(TransitionNotAllowed) as exc:
        application_transition(application=app_food, to_state=S.DOSSIER_SUBMITTED, by=users.commune_x)
    assert "Số lượng mẫu phải ít nhất là 1 với bộ sản phẩm này." in exc.value.messages
    application_transition(application=app_tour, to_state=S.DOSSIER_SUBMITTED, by=users.commune_x)
    app_tour.refresh_from_db()
    assert app_tour.state == S.DOSSIER_SUBMITTED


def test_transition_mail_goes_to_next_actor_after_commit(make_application, users, django_capture_on_commit_callbacks):
    application = make_application(S.IDEA_ACCEPTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x)
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert deliver_queued_mail() == 1
    assert [m.to for m in mail.outbox] == [[users.district.email]]
    assert "Đã nộp phương án sản xuất kinh doanh" in mail.outbox[0].subject


def test_transition_mail_not_sent_when_transaction_rolls_back(
    make_application, users, django_capture_on_commit_callbacks
):
    application = make_application(S.IDEA_ACCEPTED)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x)
        raise RuntimeError("rollback")
    assert callbacks == []
    assert deliver_queued_mail() == 0
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.state == S.IDEA_ACCEPTED


def test_idea_register_creates_product_and_application(tree, cycle, users):
    producer = ProducerFactory(commune=tree.x)
    application = idea_register(
        cycle=cycle,
        producer=producer,
        name="Mắm ruốc Hà Khánh",
        product_set=ProductSet.objects.get(code="TP09"),
        by=users.commune_x,
    )
    assert application.state == S.IDEA_REGISTERED
    assert (application.product.name, application.product.commune) == ("Mắm ruốc Hà Khánh", tree.x)
    assert application.dossier.sample_count is None


def test_idea_register_by_other_commune_is_denied(tree, cycle, users):
    producer = ProducerFactory(commune=tree.x)
    with pytest.raises(PermissionDenied):
        idea_register(
            cycle=cycle, producer=producer, name="Ý tưởng", product_set=ProductSet.objects.first(), by=users.commune_y
        )
    assert Application.objects.count() == 0


def test_idea_register_by_a_deactivated_commune_officer_is_denied(tree, cycle, users):
    """idea_register asks ``is_commune_officer_of``: the commune's officer with an active account."""
    producer = ProducerFactory(commune=tree.x)
    type(users.commune_x).objects.filter(pk=users.commune_x.pk).update(is_active=False)
    users.commune_x.refresh_from_db()
    counts = (Application.objects.count(), producer.products.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied) as exc:
        idea_register(
            cycle=cycle, producer=producer, name="Ý tưởng", product_set=ProductSet.objects.first(), by=users.commune_x
        )
    assert str(exc.value) == "Chỉ cán bộ xã nơi chủ thể đặt trụ sở được đăng ký ý tưởng sản phẩm."
    assert (Application.objects.count(), producer.products.count(), AuditEvent.objects.count()) == counts


def steps():
    return [StepDates(s, a, b) for s, a, b in step_dates(2026)]


def test_cycle_create_by_a_deactivated_officer_is_denied(tree, users):
    """cycle_create asks ``may_open_cycle_for``: the unit's own officer with an active account, or a national one."""
    type(users.province).objects.filter(pk=users.province.pk).update(is_active=False)
    users.province.refresh_from_db()
    events = AuditEvent.objects.count()
    for by in (users.province, users.province_q, users.commune_x):
        with pytest.raises(PermissionDenied):
            cycle_create(unit=tree.p, year=2026, rule_set=RuleSet.QD148_2023, steps=steps(), by=by)
    assert (Cycle.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_cycle_create_with_six_steps(tree, users):
    cycle = cycle_create(unit=tree.p, year=2026, rule_set=RuleSet.QD148_2023, steps=steps(), by=users.province)
    assert list(cycle.steps.values_list("step", flat=True)) == list(CycleStep.values)
    assert cycle.name == "Chu trình OCOP 2026 — Tỉnh Quảng Ninh"


def test_cycle_create_district_under_1489_is_refused(tree, users):
    with pytest.raises(ValidationError) as exc:
        cycle_create(unit=tree.d, year=2026, rule_set=RuleSet.QD1489_2025, steps=steps(), by=users.district)
    assert list(exc.value.message_dict) == ["unit"]
    assert Cycle.objects.count() == 0


def test_cycle_create_district_under_148_is_allowed(tree, users):
    cycle = cycle_create(unit=tree.d, year=2026, rule_set=RuleSet.QD148_2023, steps=steps(), by=users.district)
    assert cycle.unit == tree.d


def test_cycle_create_steps_out_of_order_are_refused(tree, users):
    bad = steps()
    bad[2] = StepDates(3, datetime.date(2026, 1, 1), datetime.date(2026, 1, 2))
    bad[4] = StepDates(5, datetime.date(2026, 9, 9), datetime.date(2026, 9, 1))
    with pytest.raises(ValidationError) as exc:
        cycle_create(unit=tree.p, year=2026, rule_set=RuleSet.QD148_2023, steps=bad, by=users.province)
    assert exc.value.message_dict["steps"] == ["Bước 5 kết thúc trước khi bắt đầu.", "Bước 3 bắt đầu trước bước 2."]
    assert Cycle.objects.count() == 0


def test_cycle_create_second_for_same_year_is_refused(tree, users):
    cycle_create(unit=tree.p, year=2026, rule_set=RuleSet.QD148_2023, steps=steps(), by=users.province)
    with pytest.raises(ValidationError):
        cycle_create(unit=tree.p, year=2026, rule_set=RuleSet.QD148_2023, steps=steps(), by=users.province)
    assert Cycle.objects.count() == 1


def test_cycle_create_by_officer_of_other_unit_is_denied(tree, users):
    with pytest.raises(PermissionDenied):
        cycle_create(unit=tree.p, year=2026, rule_set=RuleSet.QD148_2023, steps=steps(), by=users.province_q)
    other = district(tree.p, "194")
    with pytest.raises(PermissionDenied):
        cycle_create(unit=other, year=2026, rule_set=RuleSet.QD148_2023, steps=steps(), by=users.district)


def test_self_assessment_totals_per_part():
    assert self_assessment_totals({"A1": 3, "A2": 2.5, "B1": 4, "c3": 5}) == {"A": 5.5, "B": 4, "C": 5}


def test_plan_save_sets_and_removes_targets(tree, users):
    plan = plan_save(
        unit=tree.p,
        year=2026,
        targets={TargetKind.IDEAS_PER_COMMUNE: 1, TargetKind.NEW_THREE_STAR: 12},
        by=users.province,
    )
    plan = plan_save(unit=tree.p, year=2026, targets={TargetKind.NEW_THREE_STAR: None}, by=users.province)
    assert dict(plan.targets.values_list("kind", "value")) == {TargetKind.IDEAS_PER_COMMUNE: 1}
    with pytest.raises(PermissionDenied):
        plan_save(unit=tree.p, year=2026, targets={TargetKind.NEW_FIVE_STAR: 3}, by=users.district)


def test_idea_register_mails_the_district_after_commit(tree, cycle, users, django_capture_on_commit_callbacks):
    producer = ProducerFactory(commune=tree.x)
    with django_capture_on_commit_callbacks(execute=True):
        idea_register(
            cycle=cycle,
            producer=producer,
            name="Ý tưởng mới",
            product_set=ProductSet.objects.first(),
            by=users.commune_x,
        )
    assert deliver_queued_mail() == 1
    assert [m.to for m in mail.outbox] == [[users.district.email]]
    assert "Ý tưởng mới" in mail.outbox[0].body


def test_evidence_upload_over_the_size_limit_is_refused(make_application, users, settings):

    settings.OCOP_MAX_UPLOAD_BYTES = 20
    application = make_application(S.IMPLEMENTING)
    with pytest.raises(ValidationError) as exc:
        evidence_upload(
            application=application,
            title="Phiếu kiểm nghiệm",
            uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf"),
            by=users.commune_x,
        )
    assert exc.value.code == "too_large"
    assert EvidenceFile.objects.count() == 0


def test_dossier_is_locked_once_submitted(make_application, users):
    application = make_application(S.DOSSIER_SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        dossier_update(application=application, by=users.commune_x, applicant_name="Sửa muộn")
    assert exc.value.messages == ["Không thể sửa hồ sơ khi đang ở trạng thái “Đã nộp hồ sơ”."]
    assert application.dossier.applicant_name == ""
