"""The catalogue's read model follows certificates, products and producers; the cache version moves with it."""

import datetime

import pytest
from django.utils import timezone

from apps.catalog.cache import catalog_last_modified, catalog_version
from apps.catalog.models import CatalogEntry, Fair, PointOfSale
from apps.catalog.services import catalog_entry_refresh, catalog_rebuild
from apps.catalog.tasks import catalog_rebuild_task
from apps.certificates.models import Certificate
from apps.demo.catalog import seed as seed_trade_promotion
from tests.factories import commune, province
from tests.factories.catalog import certified_product, certify, make_product

pytestmark = pytest.mark.django_db


def test_entry_is_created_on_certificate_with_denormalised_facets(tree):
    product = certified_product(commune=tree.x, name="Nước mắm Cái Rồng", stars=4, set_code="TP09")
    entry = CatalogEntry.objects.get(product=product)
    assert (entry.province, entry.district, entry.commune) == (tree.p, tree.d, tree.x)
    assert (entry.group.code, entry.product_set.code, entry.stars) == ("TP", "TP09", 4)
    assert entry.recognised_year == entry.certificate.valid_from.year
    assert entry.search_text.startswith("nuoc mam cai rong ")
    assert "phuong ha khanh" in entry.search_text and "tinh quang ninh" in entry.search_text


def test_entry_for_two_tier_unit_has_no_district(db):

    hue = province("46", edition="2025", name="Thành phố Huế")
    ward = commune(hue, "19753", name="Phường Thuận Hóa")
    entry = CatalogEntry.objects.get(product=certified_product(commune=ward))
    assert (entry.province, entry.district, entry.commune) == (hue, None, ward)


def test_certificate_not_yet_valid_is_not_listed(tree):
    product = make_product(commune=tree.x)
    certify(product, date=timezone.localdate() + datetime.timedelta(days=3))
    assert not CatalogEntry.objects.filter(product=product).exists()


def test_revocation_removes_the_entry_and_bumps_the_version(tree):
    product = certified_product(commune=tree.x)
    before = catalog_version()
    cert = product.certificates.get()
    cert.revoked_at = timezone.now()
    cert.revocation_reason = "Không đáp ứng tiêu chí bắt buộc"
    cert.save()
    assert not CatalogEntry.objects.filter(product=product).exists()
    assert catalog_version() > before


def test_rendering_saves_do_not_touch_the_catalogue(tree):
    product = certified_product(commune=tree.x)
    before = catalog_version()
    cert = product.certificates.get()
    cert.save(update_fields=["render_state"])
    assert catalog_version() == before


def test_product_rename_refreshes_search_text(tree):
    product = certified_product(commune=tree.x, name="Bánh chưng")
    product.name = "Bánh tét lá cẩm"
    product.save()
    assert CatalogEntry.objects.get(product=product).search_text.startswith("banh tet la cam ")


def test_producer_rename_refreshes_its_entries(tree):
    product = certified_product(commune=tree.x)
    producer = product.producer
    producer.name = "Hợp tác xã Đồng Tâm"
    producer.save()
    assert "hop tac xa dong tam" in CatalogEntry.objects.get(product=product).search_text


def test_refresh_of_uncertified_product_is_a_no_op(tree):
    product = make_product(commune=tree.x)
    before = catalog_version()
    assert catalog_entry_refresh(product_id=product.pk) is None
    assert catalog_version() == before


def test_rebuild_drops_expired_and_adds_newly_valid(tree):
    kept = certified_product(commune=tree.x, name="Còn hạn")
    expired = certified_product(commune=tree.x, name="Hết hạn")
    Certificate.objects.filter(product=expired).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    starting = make_product(commune=tree.x, name="Bắt đầu hôm nay")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    certify(starting, date=tomorrow)
    assert catalog_rebuild(today=tomorrow) == 2
    assert set(CatalogEntry.objects.values_list("product__name", flat=True)) == {kept.name, starting.name}
    assert catalog_rebuild_task() == 1


def test_last_modified_is_never_before_midnight(tree):
    today = timezone.localdate()
    assert catalog_last_modified(today).date() >= today - datetime.timedelta(days=1)


def test_demo_seed_is_idempotent_and_links_only_existing_products(tree):
    certified_product(commune=tree.x, name="Chả mực Hạ Long")
    seed_trade_promotion()
    seed_trade_promotion()
    counts = (PointOfSale.objects.count(), Fair.objects.count())
    seed_trade_promotion()
    assert (PointOfSale.objects.count(), Fair.objects.count()) == counts


def test_cache_version_moves_again_when_the_change_commits(tree, django_capture_on_commit_callbacks):
    """A page cached between the bump and the commit (still showing the old rows) is left behind by the commit."""
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        product = certified_product(commune=tree.x)  # listed: the version moves at once
        product.name = "Chả mực Hạ Long loại đặc biệt"
        product.save()  # renamed: the catalogue's signal refreshes the entry and bumps again
        during = catalog_version()
    assert before < during < catalog_version()
    assert sum(callback.__name__ == "_bump" for callback in callbacks) == 1  # once per transaction
