"""The 2025 reform: the new province's staff move a producer of a pre-2025 commune to a 2025 commune."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.catalog.models import CatalogEntry
from apps.cycles.enums import ApplicationState as S
from apps.demo.sheets import load_sample_sheets
from apps.evaluation.enums import Tier
from apps.producers.models import Producer
from apps.producers.services import producer_rehome
from apps.products.models import Product
from tests.factories import commune
from tests.factories.catalog import certified_product, make_producer
from tests.factories.cycles import ApplicationFactory, CycleFactory
from tests.factories.evaluation import forwarded_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_producer(reform):
    """A cooperative of old Kon Tum with a certified product (listed in the catalogue) and an unrated one."""
    producer = make_producer(commune=reform.dak_koi, name="HTX Sâm Ngọc Linh")
    certified_product(commune=reform.dak_koi, producer=producer, name="Sâm dây Ngọc Linh", stars=4)
    certified_product(commune=reform.dak_koi, producer=producer, name="Rượu sâm Ngọc Linh")
    return producer


def _communes(producer):
    producer.refresh_from_db()
    return producer.commune.path, sorted(
        Product.objects.filter(producer=producer).values_list("commune__path", flat=True)
    )


def test_new_province_officer_moves_the_producer_and_its_products(client, reform, old_producer):
    new_commune = reform.new_commune.unit
    url = reverse("producers:producer_rehome", args=[old_producer.pk])
    client.force_login(reform.quang_ngai)

    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["commune"].queryset) == [new_commune]  # new Quảng Ngãi's communes only
    assert [p.name for p in page.context["products"]] == ["Rượu sâm Ngọc Linh", "Sâm dây Ngọc Linh"]

    response = client.post(url, {"commune": new_commune.pk})
    assert response.status_code == 302
    assert _communes(old_producer) == (new_commune.path, [new_commune.path, new_commune.path])
    event = AuditEvent.objects.get(action="producer.rehome")
    assert (event.before["commune"], event.after["commune"]) == (reform.dak_koi.path, new_commune.path)
    # The catalogue lists the product under the new province at once.
    entry = CatalogEntry.objects.get(product__name="Sâm dây Ngọc Linh")
    assert (entry.province_id, entry.commune_id) == (reform.new_quang_ngai.pk, new_commune.pk)
    # The new commune's officer takes the producer over.
    client.force_login(reform.new_commune)
    assert client.get(reverse("producers:producer_detail", args=[old_producer.pk])).status_code == 200


@pytest.mark.parametrize("who", ["quang_ninh", "new_commune", "old_kon_tum"])
def test_others_may_not_move_the_producer(client, reform, old_producer, who):
    before = _communes(old_producer)
    client.force_login(getattr(reform, who))
    url = reverse("producers:producer_rehome", args=[old_producer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"commune": reform.new_commune.unit.pk}).status_code == 403
    assert _communes(old_producer) == before
    assert not AuditEvent.objects.filter(action="producer.rehome").exists()


def test_detail_page_offers_the_move_only_to_those_who_may(client, reform, old_producer):
    url = reverse("producers:producer_detail", args=[old_producer.pk])
    client.force_login(reform.quang_ngai)
    assert "Chuyển sang xã mới (từ 01/07/2025)" in client.get(url).content.decode()
    client.force_login(reform.old_kon_tum)
    assert "Chuyển sang xã mới" not in client.get(url).content.decode()


def test_a_producer_already_in_a_2025_commune_cannot_be_moved(client, reform):
    producer = make_producer(commune=reform.new_commune.unit, name="HTX Mới")
    client.force_login(reform.quang_ngai)
    assert client.get(reverse("producers:producer_rehome", args=[producer.pk])).status_code == 403


def test_a_commune_of_another_province_is_refused(client, reform, old_producer):
    elsewhere = commune(reform.quang_ninh.unit, "07000", name="Phường Bãi Cháy")
    before = _communes(old_producer)
    client.force_login(reform.quang_ngai)
    response = client.post(reverse("producers:producer_rehome", args=[old_producer.pk]), {"commune": elsewhere.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["commune"]
    with pytest.raises(ValidationError) as exc:
        producer_rehome(producer=old_producer, commune=elsewhere, by=reform.quang_ngai)
    assert exc.value.message_dict["commune"] == ["Hãy chọn một xã của tỉnh mới mà chủ thể này thuộc về."]
    assert _communes(old_producer) == before


@pytest.mark.parametrize("state", [S.IDEA_REGISTERED, S.IMPLEMENTING, S.DOSSIER_CHECKED, S.RETURNED])
def test_a_producer_with_an_application_in_progress_stays_where_it_is(client, reform, old_producer, state):
    product = Product.objects.get(name="Rượu sâm Ngọc Linh")
    cycle = CycleFactory(unit=reform.kon_tum)
    returned_from = S.DOSSIER_CHECKED if state == S.RETURNED else ""
    ApplicationFactory(
        cycle=cycle, product=product, state=state, returned_from=returned_from, created_by=reform.old_kon_tum
    )
    before = _communes(old_producer)
    client.force_login(reform.quang_ngai)
    response = client.post(
        reverse("producers:producer_rehome", args=[old_producer.pk]), {"commune": reform.new_commune.unit.pk}
    )
    assert response.status_code == 200
    assert "Rượu sâm Ngọc Linh" in " ".join(response.context["form"].non_field_errors())
    assert "Không có gì bị thay đổi." in response.content.decode()
    assert _communes(old_producer) == before
    assert Producer.objects.get(pk=old_producer.pk).commune == reform.dak_koi


def test_a_producer_whose_applications_are_settled_may_move(reform, old_producer):
    product = Product.objects.get(name="Rượu sâm Ngọc Linh")
    for year, state in ((2024, S.IDEA_REJECTED), (2025, S.SENT_FOR_EVALUATION)):
        cycle = CycleFactory(unit=reform.kon_tum, year=year)
        ApplicationFactory(cycle=cycle, product=product, state=state, created_by=reform.old_kon_tum)
    producer_rehome(producer=old_producer, commune=reform.new_commune.unit, by=reform.quang_ngai)
    assert _communes(old_producer)[0] == reform.new_commune.unit.path


def test_a_product_in_an_open_council_round_keeps_the_producer_where_it_is(reform, old_producer):
    load_sample_sheets()
    product = Product.objects.get(name="Rượu sâm Ngọc Linh")
    cycle = CycleFactory(unit=reform.kon_tum)
    application = ApplicationFactory(
        cycle=cycle, product=product, state=S.SENT_FOR_EVALUATION, created_by=reform.old_kon_tum
    )
    forwarded_entry(
        cycle=cycle, tier=Tier.PROVINCE, unit=reform.kon_tum, application=application, by=reform.old_kon_tum
    )
    before = _communes(old_producer)
    with pytest.raises(ValidationError) as exc:
        producer_rehome(producer=old_producer, commune=reform.new_commune.unit, by=reform.quang_ngai)
    assert "Rượu sâm Ngọc Linh" in exc.value.messages[0]
    assert _communes(old_producer) == before
