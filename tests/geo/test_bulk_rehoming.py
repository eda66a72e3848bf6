"""Bulk re-homing: a 2025 province officer moves every producer of an old unit whose commune was wholly merged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate
from apps.cycles.enums import ApplicationState as S
from apps.producers.enums import RehomingState
from apps.producers.models import BulkRehoming, Producer
from apps.producers.selectors import rehoming_preview
from apps.producers.services import _bulk_rehoming_item, bulk_rehoming_run, bulk_rehoming_start
from apps.products.models import Product
from tests.factories import province
from tests.factories.catalog import certified_product, make_producer
from tests.factories.cycles import ApplicationFactory, CycleFactory

pytestmark = pytest.mark.django_db

CERT_FIELDS = ("pk", "serial", "token", "stars", "valid_from", "valid_until", "revoked_at", "recognition_id")


@pytest.fixture
def old_commune_producers(communes_2025):
    """Besides the fixture's two: a second producer of merged Đắk Kôi with a certified product, and a busy one."""
    r = communes_2025
    r.certified_producer = make_producer(commune=r.dak_koi, name="HTX Sâm dây")
    r.certified = certified_product(commune=r.dak_koi, producer=r.certified_producer, name="Sâm dây Ngọc Linh")
    r.busy_producer = make_producer(commune=r.dak_koi, name="HTX Đang dự thi")
    busy_product = certified_product(commune=r.dak_koi, producer=r.busy_producer, name="Rượu sâm")
    ApplicationFactory(
        cycle=CycleFactory(unit=r.kon_tum), product=busy_product, state=S.IMPLEMENTING, created_by=r.province_officer
    )
    return r


def _places():
    return dict(Producer.objects.values_list("name", "commune__path"))


def _certificates():
    return sorted(Certificate.objects.values_list(*CERT_FIELDS))


def test_the_preview_lists_what_moves_what_is_blocked_and_the_split_cases(old_commune_producers):
    r = old_commune_producers
    preview = rehoming_preview(r.kon_tum)
    assert [(m.producer.name, m.target.name) for m in preview.moves] == [
        ("HTX Sâm dây", "Xã Đăk Kôi"),
        ("HTX Sâm Đắk Kôi", "Xã Đăk Kôi"),
    ]
    assert [(m.producer.name, m.target.name) for m in preview.blocked] == [("HTX Đang dự thi", "Xã Đăk Kôi")]
    assert [p.name for p in preview.split] == ["HTX Mật ong Đắk Pne"]
    # A single old commune: only its own producers.
    assert [m.producer.name for m in rehoming_preview(r.dak_pne).moves] == []


def test_the_run_moves_exactly_the_previewed_set_audited_and_leaves_certificates_as_they_were(old_commune_producers):
    r = old_commune_producers
    preview = rehoming_preview(r.kon_tum)
    certificates = _certificates()
    run = bulk_rehoming_start(unit=r.kon_tum, by=r.province_officer, fingerprint=preview.fingerprint)
    # Added after the preview: not part of the run.
    late = make_producer(commune=r.dak_koi, name="HTX Đến sau")
    assert bulk_rehoming_run(run_id=run.pk) == 2
    run.refresh_from_db()
    assert run.state == RehomingState.DONE
    assert sorted(run.moved) == sorted(m.producer.pk for m in preview.moves)
    places = _places()
    assert places["HTX Sâm dây"] == places["HTX Sâm Đắk Kôi"] == r.new_dak_koi.path
    assert places["HTX Đang dự thi"] == places["HTX Đến sau"] == r.dak_koi.path
    assert places["HTX Mật ong Đắk Pne"] == r.dak_pne.path
    assert Product.objects.get(name="Sâm dây Ngọc Linh").commune_id == r.new_dak_koi.pk
    assert _certificates() == certificates
    events = AuditEvent.objects.filter(action="producer.rehome", reason=f"bulk-rehoming:{run.pk}")
    assert sorted(int(e.object_id) for e in events) == sorted(run.moved)
    assert AuditEvent.objects.filter(action="producer.bulk_rehome_start", object_id=str(run.pk)).exists()
    assert AuditEvent.objects.filter(action="producer.bulk_rehome_done", object_id=str(run.pk)).exists()
    late.refresh_from_db()
    assert late.commune_id == r.dak_koi.pk

    # Running the same task again changes nothing; a new preview has only what was left.
    assert bulk_rehoming_run(run_id=run.pk) == 0
    assert AuditEvent.objects.filter(action="producer.rehome").count() == 2
    assert [m.producer.name for m in rehoming_preview(r.kon_tum).moves] == ["HTX Đến sau"]


def test_a_redelivered_task_carries_on_without_moving_anyone_twice(old_commune_producers):
    r = old_commune_producers
    run = bulk_rehoming_start(
        unit=r.kon_tum, by=r.province_officer, fingerprint=rehoming_preview(r.kon_tum).fingerprint
    )
    # The first delivery died after the first producer: its state says running, one producer moved.

    BulkRehoming.objects.filter(pk=run.pk).update(state=RehomingState.RUNNING)
    _bulk_rehoming_item(run.pk, run.planned[0])
    assert bulk_rehoming_run(run_id=run.pk) == 2
    assert AuditEvent.objects.filter(action="producer.rehome").count() == 2


def test_a_producer_that_became_busy_after_the_preview_is_skipped_with_its_reason(old_commune_producers):
    r = old_commune_producers
    run = bulk_rehoming_start(
        unit=r.kon_tum, by=r.province_officer, fingerprint=rehoming_preview(r.kon_tum).fingerprint
    )
    product = certified_product(commune=r.dak_koi, producer=r.merged_producer, name="Mật ong")
    ApplicationFactory(
        cycle=CycleFactory(unit=r.kon_tum, year=2027),
        product=product,
        state=S.IDEA_REGISTERED,
        created_by=r.province_officer,
    )
    bulk_rehoming_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.skipped == [{"producer": r.merged_producer.pk, "reason": "busy"}]
    assert _places()["HTX Sâm Đắk Kôi"] == r.dak_koi.path


def test_a_stale_preview_starts_nothing(old_commune_producers):
    r = old_commune_producers
    fingerprint = rehoming_preview(r.kon_tum).fingerprint
    make_producer(commune=r.dak_koi, name="HTX Đến sau")
    with pytest.raises(ValidationError):
        bulk_rehoming_start(unit=r.kon_tum, by=r.province_officer, fingerprint=fingerprint)
    assert not BulkRehoming.objects.exists()


def test_one_run_per_unit_at_a_time(old_commune_producers):
    r = old_commune_producers
    fingerprint = rehoming_preview(r.kon_tum).fingerprint
    bulk_rehoming_start(unit=r.kon_tum, by=r.province_officer, fingerprint=fingerprint)
    with pytest.raises(ValidationError):
        bulk_rehoming_start(unit=r.kon_tum, by=r.province_officer, fingerprint=fingerprint)
    assert BulkRehoming.objects.count() == 1


@pytest.mark.parametrize("who", ["new_dak_koi_officer", "old_commune_officer", "kon_braih_officer"])
def test_only_the_2025_provinces_staff_may_move_in_bulk(client, old_commune_producers, who):
    r = old_commune_producers
    user = getattr(r, who)
    before = _places()
    with pytest.raises(PermissionDenied):
        bulk_rehoming_start(unit=r.kon_tum, by=user, fingerprint=rehoming_preview(r.kon_tum).fingerprint)
    client.force_login(user)
    assert client.get(reverse("producers:bulk_rehoming")).status_code == 403
    assert client.post(reverse("producers:bulk_rehoming"), {"unit": r.kon_tum.pk}).status_code == 403
    assert _places() == before
    assert not BulkRehoming.objects.exists()


def test_a_2025_unit_or_one_outside_the_province_cannot_be_moved_in_bulk(client, old_commune_producers):

    r = old_commune_producers
    elsewhere = province("22", name="Tỉnh Quảng Ninh")
    for unit in (r.quang_ngai, elsewhere):
        with pytest.raises(PermissionDenied):
            bulk_rehoming_start(unit=unit, by=r.province_officer, fingerprint="")
    client.force_login(r.province_officer)
    response = client.get(reverse("producers:bulk_rehoming"), {"unit": elsewhere.pk})
    assert response.status_code == 302
    assert not BulkRehoming.objects.exists()


def test_the_pages_preview_confirm_and_show_progress(client, old_commune_producers):
    r = old_commune_producers
    client.force_login(r.province_officer)
    url = reverse("producers:bulk_rehoming")
    page = client.get(url, {"unit": r.kon_tum.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Chuyển 2 chủ thể" in body
    assert "HTX Đang dự thi" in body and "HTX Mật ong Đắk Pne" in body
    fingerprint = page.context["preview"].fingerprint
    response = client.post(url, {"unit": r.kon_tum.pk, "fingerprint": fingerprint})
    run = BulkRehoming.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "producers:bulk_rehoming_detail", args=[run.pk]
    )
    progress = client.get(response["Location"])
    assert progress.status_code == 200
    assert 'http-equiv="refresh"' in progress.content.decode()  # queued: the page refreshes itself
    bulk_rehoming_run(run_id=run.pk)
    done = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in done and "HTX Sâm dây" in done
    # Someone of another province may not see the run.
    client.force_login(r.new_dak_koi_officer)
    assert client.get(response["Location"]).status_code == 403


def test_the_preview_costs_the_same_queries_for_2_or_20_producers(old_commune_producers, django_assert_num_queries):
    r = old_commune_producers
    with django_assert_num_queries(2):
        rehoming_preview(r.kon_tum)
    for i in range(18):
        make_producer(commune=r.dak_koi if i % 2 else r.dak_pne, name=f"HTX thêm {i}")
    with django_assert_num_queries(2):
        preview = rehoming_preview(r.kon_tum)
    assert len(preview.moves) == 11 and len(preview.split) == 10
