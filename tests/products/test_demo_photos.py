"""Demo seeding gives each certified demo product a generated photo through the upload service."""

import pytest
from PIL import Image

from apps.audit.models import AuditEvent
from apps.demo import catalog as catalog_demo
from apps.demo.photos import demo_photo_bytes
from apps.products.models import ProductPhoto
from tests.factories.catalog import certified_product, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalogue(tree, users):
    """Three certified products of different groups and one without a certificate; the demo admin exists."""
    return type(
        "Demo",
        (),
        {
            "certified": [
                certified_product(commune=tree.x, name="Nước mắm Cái Rồng", set_code="TP09", packaging="Chai 500 ml"),
                certified_product(commune=tree.z, name="Thổ cẩm Xơ Đăng", set_code="TC02"),
                certified_product(commune=tree.z, name="Du lịch cộng đồng Đắk Kôi", set_code="DV01"),
            ],
            "draft": make_product(commune=tree.x, name="Nước mắm chưa chứng nhận"),
        },
    )


def test_demo_seed_gives_each_certified_product_one_photo_with_a_thumbnail(demo_catalogue):
    catalog_demo.seed()
    photos = list(ProductPhoto.objects.select_related("product").order_by("product__name"))
    assert [p.product for p in photos] == sorted(demo_catalogue.certified, key=lambda p: p.name)
    for photo in photos:
        assert photo.alt == f"Ảnh minh họa {photo.product.name}"
        with Image.open(photo.image.path) as image:
            assert (image.format, image.size) == ("JPEG", (860, 645))
        with Image.open(photo.thumbnail.path) as thumb:
            assert (thumb.format, thumb.size) == ("JPEG", (480, 360))
    # Stored by photo_add, as an upload would be: one audit row per photo.
    audited = AuditEvent.objects.filter(action="product.photo_add").values_list("object_id", flat=True)
    assert sorted(map(str, audited)) == sorted(str(p.pk) for p in photos)


def test_demo_seed_twice_adds_no_second_photo(demo_catalogue):
    catalog_demo.seed()
    catalog_demo.seed()
    assert ProductPhoto.objects.count() == 3


def test_demo_photo_is_the_same_for_the_same_product_and_differs_between_products(demo_catalogue):
    fish_sauce, brocade, _ = demo_catalogue.certified
    assert demo_photo_bytes(fish_sauce) == demo_photo_bytes(fish_sauce)
    assert demo_photo_bytes(fish_sauce) != demo_photo_bytes(brocade)
