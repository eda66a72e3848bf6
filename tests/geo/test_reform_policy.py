"""Who covers the records of pre-2025 communes: the 2025 commune they were wholly merged into; split ones stay
with the province until a province officer assigns each record ("Chuyển sang xã mới", pre-filled)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.policy import scope, user_covers_unit
from apps.producers.models import Producer
from apps.producers.services import producer_rehome, producer_update

pytestmark = pytest.mark.django_db


def _visible(user):
    return sorted(scope(Producer.objects.all(), user, unit_field="commune").values_list("name", flat=True))


def test_a_2025_commune_officer_covers_the_old_commune_wholly_merged_into_theirs_without_a_move(communes_2025):
    r = communes_2025
    assert _visible(r.new_dak_koi_officer) == ["HTX Sâm Đắk Kôi"]
    assert user_covers_unit(r.new_dak_koi_officer, r.dak_koi)
    assert r.new_dak_koi_officer.has_perm("producers.view_producer", r.merged_producer)
    assert r.new_dak_koi_officer.has_perm("producers.change_producer", r.merged_producer)
    # The record itself did not move.
    r.merged_producer.refresh_from_db()
    assert r.merged_producer.commune_id == r.dak_koi.pk


def test_a_split_communes_records_are_nobodys_but_the_provinces_until_assigned(communes_2025):
    r = communes_2025
    for officer in (r.new_dak_koi_officer, r.kon_braih_officer):
        assert "HTX Mật ong Đắk Pne" not in _visible(officer)
        assert not officer.has_perm("producers.view_producer", r.split_producer)
        assert not officer.has_perm("producers.change_producer", r.split_producer)
    assert _visible(r.kon_braih_officer) == []
    assert _visible(r.province_officer) == ["HTX Mật ong Đắk Pne", "HTX Sâm Đắk Kôi"]


def test_the_2025_commune_officer_edits_the_merged_record_through_the_page(client, communes_2025):
    r = communes_2025
    client.force_login(r.new_dak_koi_officer)
    url = reverse("producers:producer_update", args=[r.merged_producer.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert r.dak_koi in page.context["form"].fields["commune"].queryset
    producer_update(producer=r.merged_producer, by=r.new_dak_koi_officer, address="Thôn 5, xã Đăk Kôi")
    r.merged_producer.refresh_from_db()
    assert r.merged_producer.address == "Thôn 5, xã Đăk Kôi"


@pytest.mark.parametrize("who", ["new_dak_koi_officer", "kon_braih_officer"])
def test_a_2025_commune_officer_may_neither_open_nor_edit_a_split_communes_record(client, communes_2025, who):
    r = communes_2025
    officer = getattr(r, who)
    before = Producer.objects.filter(pk=r.split_producer.pk).values().get()
    client.force_login(officer)
    for name in ("producer_detail", "producer_update"):
        assert client.get(reverse(f"producers:{name}", args=[r.split_producer.pk])).status_code in (403, 404)
    assert client.post(
        reverse("producers:producer_update", args=[r.split_producer.pk]), {"address": "X"}
    ).status_code in (
        403,
        404,
    )
    with pytest.raises(PermissionDenied):
        producer_update(producer=r.split_producer, by=officer, address="Thôn mới")
    assert Producer.objects.filter(pk=r.split_producer.pk).values().get() == before


def test_the_old_communes_own_officer_account_still_covers_it(communes_2025):
    r = communes_2025
    assert _visible(r.old_commune_officer) == ["HTX Sâm Đắk Kôi"]


def test_scope_stays_one_indexed_query_whatever_the_number_of_predecessors(communes_2025):
    r = communes_2025
    user = r.new_dak_koi_officer
    _visible(user)  # the covered paths are read once and kept on the user
    with CaptureQueriesContext(connection) as ctx:
        _visible(user)
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    assert sql.count("LIKE") == 2  # its own subtree and old Đắk Kôi's, both prefix matches on the path index


def test_the_move_is_the_tool_for_split_communes_and_is_pre_filled_with_the_default(client, communes_2025):
    r = communes_2025
    client.force_login(r.province_officer)
    url = reverse("producers:producer_rehome", args=[r.split_producer.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["commune"].value() == r.new_dak_koi.pk
    body = page.content.decode()
    assert "Xã Kon Braih" in body and "đề xuất" in body
    assert client.post(url, {"commune": r.kon_braih.pk}).status_code == 302
    r.split_producer.refresh_from_db()
    assert r.split_producer.commune_id == r.kon_braih.pk
    # Assigned: now Kon Braih's officer has it, Đăk Kôi's still does not.
    assert r.kon_braih_officer.has_perm("producers.change_producer", r.split_producer)
    assert not r.new_dak_koi_officer.has_perm("producers.view_producer", r.split_producer)


def test_no_one_by_one_move_for_a_wholly_merged_commune(client, communes_2025):
    r = communes_2025
    client.force_login(r.province_officer)
    url = reverse("producers:producer_rehome", args=[r.merged_producer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"commune": r.new_dak_koi.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        producer_rehome(producer=r.merged_producer, commune=r.new_dak_koi, by=r.province_officer)
    r.merged_producer.refresh_from_db()
    assert r.merged_producer.commune_id == r.dak_koi.pk
    assert not AuditEvent.objects.filter(action="producer.rehome").exists()
    page = client.get(reverse("producers:producer_detail", args=[r.merged_producer.pk]))
    assert "Chuyển sang xã mới" not in page.content.decode()


def test_unit_pages_show_the_units_history(client, communes_2025):
    r = communes_2025
    client.force_login(r.province_officer)
    new = client.get(reverse("geo:unit_detail", args=[r.new_dak_koi.pk])).content.decode()
    assert "Được hình thành từ:" in new and "Xã Đắk Kôi, Huyện Kon Rẫy" in new
    assert "Và một phần của" in new and "Xã Đắk Pne" in new
    old = client.get(reverse("geo:unit_detail", args=[r.dak_pne.pk])).content.decode()
    assert "Được chia về:" in old and "Xã Kon Braih" in old and "(đề xuất)" in old
    merged = client.get(reverse("geo:unit_detail", args=[r.dak_koi.pk])).content.decode()
    assert "Nhập vào:" in merged and "<strong>Xã Đăk Kôi</strong>" in merged


def test_the_producer_page_names_the_2025_commune(client, communes_2025):
    r = communes_2025
    client.force_login(r.province_officer)
    merged = client.get(reverse("producers:producer_detail", args=[r.merged_producer.pk])).content.decode()
    assert 'Xã Đắk Kôi <span class="muted">(từ ngày 01/07/2025: Xã Đăk Kôi)</span>' in merged
    split = client.get(reverse("producers:producer_detail", args=[r.split_producer.pk])).content.decode()
    assert "(bị chia từ ngày 01/07/2025; đề xuất: Xã Đăk Kôi)" in split
    assert "Chuyển sang xã mới" in split
