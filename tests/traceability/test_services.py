"""Sites, lots, events, the batch state machine, voiding, and who may do what (refusals change nothing)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts.enums import Role
from apps.audit.models import AuditEvent
from apps.traceability import services
from apps.traceability.enums import ApprovalLevel, BatchState, EventKind
from apps.traceability.models import Lot, LotEvent, Stamp, StampApprovalPolicy, StampBatch
from tests.factories import UserFactory

from .conftest import make_batch

pytestmark = pytest.mark.django_db


def test_stamp_codes_are_13_crockford_characters_of_65_random_bits():
    codes = {services.new_stamp_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 13 and set(c) <= set(services.CROCKFORD) for c in codes)
    assert 5 * services.CODE_LENGTH >= 64


def test_typed_codes_are_normalised():
    assert services.normalise_code("abcd-efgh-jkmnp") == "ABCDEFGHJKMNP"
    assert services.normalise_code("O1IL 2") == "01112"


def test_producer_records_a_lot_and_events_in_order(world, users):
    lot = services.lot_create(
        by=users.producer,
        product=world.product,
        sites=[world.site],
        code="L-7",
        produced_on=datetime.date(2026, 5, 1),
        expires_on=datetime.date(2027, 5, 1),
        quantity=120,
        unit="kg",
        inputs="Chè búp",
    )
    later = timezone.now()
    services.lot_event_add(
        by=users.producer, lot=lot, kind=EventKind.PACKING, occurred_at=later, actor="Tổ đóng gói", site=world.site
    )
    services.lot_event_add(
        by=users.producer,
        lot=lot,
        kind=EventKind.HARVEST,
        occurred_at=later - datetime.timedelta(days=2),
        actor="Tổ hái chè",
        place="Đồi số 3",
    )
    assert [e.kind for e in lot.events.all()] == [EventKind.HARVEST, EventKind.PACKING]
    assert list(lot.sites.all()) == [world.site]


def test_event_needs_a_place(world, users):
    with pytest.raises(ValidationError):
        services.lot_event_add(
            by=users.producer, lot=world.lot, kind=EventKind.HARVEST, occurred_at=timezone.now(), actor="A"
        )
    assert LotEvent.objects.count() == 0


def test_lot_code_outside_gs1_set_is_refused(world, users):
    with pytest.raises(ValidationError) as exc:
        services.lot_create(
            by=users.producer, product=world.product, code="lô 1", produced_on=datetime.date(2026, 1, 1), quantity=1
        )
    assert "code" in exc.value.message_dict
    assert Lot.objects.count() == 1


@pytest.mark.parametrize("who", ["commune_y", "province_q", "central"])
def test_lot_of_another_producer_or_subtree_is_refused(world, users, who):
    # central officers see everything but do not keep a producer's records
    with pytest.raises(PermissionDenied):
        services.lot_create(
            by=getattr(users, who), product=world.product, code="L-9", produced_on=datetime.date(2026, 1, 1), quantity=1
        )
    assert Lot.objects.count() == 1


def test_producer_cannot_touch_another_producers_product(world, users):
    with pytest.raises(PermissionDenied):
        services.stamp_batch_request(by=users.producer, product=world.other_product, quantity=5)
    with pytest.raises(PermissionDenied):
        services.lot_create(
            by=users.producer, product=world.other_product, code="X", produced_on=datetime.date(2026, 1, 1), quantity=1
        )
    assert StampBatch.objects.count() == 0


def test_request_then_province_approval_queues_generation(world, users, django_capture_on_commit_callbacks):
    batch = make_batch(world, users, 25)
    assert batch.state == BatchState.REQUESTED
    with django_capture_on_commit_callbacks() as callbacks:
        approved = services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=users.province)
    assert approved.state == BatchState.APPROVED and approved.decided_by == users.province
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="traceability.batch_approved", object_id=str(batch.pk)).count() == 1


@pytest.mark.parametrize("who", ["producer", "commune_x", "district", "province_q", "commune_y"])
def test_only_the_province_officer_of_the_subtree_approves_by_default(world, users, who):
    batch = make_batch(world, users, 5)
    with pytest.raises(PermissionDenied):
        services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=getattr(users, who))
    batch.refresh_from_db()
    assert batch.state == BatchState.REQUESTED and batch.decided_by is None


def test_province_may_delegate_approval_to_the_commune(world, users, tree):
    StampApprovalPolicy.objects.create(province=tree.p, level=ApprovalLevel.COMMUNE)
    batch = make_batch(world, users, 5)
    with pytest.raises(PermissionDenied):
        services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=users.province)
    with pytest.raises(PermissionDenied):
        services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=users.commune_y)
    assert (
        services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=users.commune_x).state
        == BatchState.APPROVED
    )


def test_where_the_commune_approves_its_officer_does_not_approve_what_they_asked_for(world, users, tree):
    """Four eyes: the commune officer may request stamps and, under a commune-level policy, approve the producer's
    requests, but not their own; nothing changes on the refusal, and the screen offers no approval."""
    StampApprovalPolicy.objects.create(province=tree.p, level=ApprovalLevel.COMMUNE)
    own = services.stamp_batch_request(by=users.commune_x, product=world.product, lot=world.lot, quantity=5)
    events = AuditEvent.objects.count()
    assert not users.commune_x.has_perm("traceability.approve_batch", own)
    with pytest.raises(PermissionDenied):
        services.stamp_batch_transition(batch=own, to=BatchState.APPROVED, by=users.commune_x)
    own.refresh_from_db()
    assert (own.state, own.decided_by, AuditEvent.objects.count()) == (BatchState.REQUESTED, None, events)
    producers = make_batch(world, users, 5)
    assert users.commune_x.has_perm("traceability.approve_batch", producers)
    approved = services.stamp_batch_transition(batch=producers, to=BatchState.APPROVED, by=users.commune_x)
    assert approved.state == BatchState.APPROVED


def test_setting_decides_where_no_policy(world, users, settings):
    settings.OCOP_STAMP_APPROVAL_LEVEL = "commune"
    batch = make_batch(world, users, 5)
    assert (
        services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=users.commune_x).state
        == BatchState.APPROVED
    )


def test_rejection_needs_a_reason(world, users):
    batch = make_batch(world, users, 5)
    with pytest.raises(ValidationError):
        services.stamp_batch_transition(batch=batch, to=BatchState.REJECTED, by=users.province, reason=" ")
    batch.refresh_from_db()
    assert batch.state == BatchState.REQUESTED
    rejected = services.stamp_batch_transition(
        batch=batch, to=BatchState.REJECTED, by=users.province, reason="Sai số lượng"
    )
    assert rejected.state == BatchState.REJECTED and rejected.reason == "Sai số lượng"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (BatchState.REQUESTED, BatchState.READY),
        (BatchState.REQUESTED, BatchState.VOIDED),
        (BatchState.REJECTED, BatchState.APPROVED),
        (BatchState.VOIDED, BatchState.APPROVED),
        (BatchState.READY, BatchState.APPROVED),
        (BatchState.APPROVED, BatchState.GENERATING),  # the worker's step, never a user's
        (BatchState.GENERATING, BatchState.READY),
    ],
)
def test_transitions_outside_the_table_are_refused(world, users, start, target):
    batch = make_batch(world, users, 5, state=start)
    with pytest.raises(ValidationError):
        services.stamp_batch_transition(batch=batch, to=target, by=users.admin, reason="x")
    batch.refresh_from_db()
    assert batch.state == start


def test_void_whole_batch_marks_every_stamp(ready_batch, users):
    services.stamp_batch_transition(batch=ready_batch, to=BatchState.VOIDED, by=users.producer, reason="Mất cuộn tem")
    assert Stamp.objects.filter(batch=ready_batch, voided_at__isnull=False, void_reason="Mất cuộn tem").count() == 10


def test_void_range_marks_only_the_range(ready_batch, users):
    assert services.stamps_void_range(batch=ready_batch, first=3, last=5, reason="Mất", by=users.commune_x) == 3
    assert list(ready_batch.stamps.filter(voided_at__isnull=False).values_list("serial", flat=True)) == [3, 4, 5]
    # again: nothing new
    assert services.stamps_void_range(batch=ready_batch, first=3, last=5, reason="Mất", by=users.commune_x) == 0


@pytest.mark.parametrize(("first", "last"), [(0, 3), (5, 4), (1, 11)])
def test_void_range_outside_the_batch_is_refused(ready_batch, users, first, last):
    with pytest.raises(ValidationError):
        services.stamps_void_range(batch=ready_batch, first=first, last=last, reason="x", by=users.producer)
    assert ready_batch.stamps.filter(voided_at__isnull=False).count() == 0


@pytest.mark.parametrize("who", ["commune_y", "province_q", "district_other"])
def test_void_by_outsiders_is_refused(ready_batch, users, tree, who):

    user = UserFactory(role=Role.DISTRICT_OFFICER, unit=tree.dq) if who == "district_other" else getattr(users, who)
    with pytest.raises(PermissionDenied):
        services.stamps_void_range(batch=ready_batch, first=1, last=10, reason="x", by=user)
    with pytest.raises(PermissionDenied):
        services.stamp_batch_transition(batch=ready_batch, to=BatchState.VOIDED, by=user, reason="x")
    ready_batch.refresh_from_db()
    assert ready_batch.state == BatchState.READY
    assert ready_batch.stamps.filter(voided_at__isnull=False).count() == 0


def test_ip_prefix_keeps_only_the_network():
    assert services.ip_prefix("203.113.45.67") == "203.113.45.0/24"
    assert services.ip_prefix("2001:ee0:4f1:12::5") == "2001:ee0:4f1::/48"
    assert services.ip_prefix("not an address") == ""
