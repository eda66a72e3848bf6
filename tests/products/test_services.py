"""Product services: slug, price range, jurisdiction, photos with thumbnails."""

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from apps.audit.models import AuditEvent
from apps.products.models import Product, ProductPhoto, ProductSet
from apps.products.services import photo_add, product_create, product_update
from tests.factories.producers import elf_upload, pdf_upload, png_upload
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


def _fields(producer, **overrides):
    data = {
        "name": "Chả mực Hạ Long",
        "product_set": ProductSet.objects.get(code="TP08"),
        "producer": producer,
        "commune": producer.commune,
        "description": "Chả mực giã tay từ mực tươi vùng biển Hạ Long.",
        "story": "Nghề giã chả mực truyền thống của ngư dân Hạ Long.",
        "packaging": "Hộp 500 g, hút chân không",
        "price_min": 180000,
        "price_max": 450000,
        "where_to_buy": "Chợ Hạ Long I; điểm bán OCOP Bãi Cháy",
    }
    data.update(overrides)
    return data


def test_product_create_slug_from_folded_name_and_deduplicated(users, producer_x):
    first = product_create(by=users.commune_x, **_fields(producer_x))
    second = product_create(by=users.commune_x, **_fields(producer_x))
    assert (first.slug, second.slug) == ("cha-muc-ha-long", "cha-muc-ha-long-2")
    assert first.search_text == "cha muc ha long cha muc ha long ha khanh"
    assert AuditEvent.objects.filter(action="product.create").count() == 2


def test_product_create_price_range_must_be_ordered(users, producer_x):
    with pytest.raises(ValidationError) as exc:
        product_create(by=users.commune_x, **_fields(producer_x, price_min=500000, price_max=100000))
    assert exc.value.message_dict["price_max"] == ["Giá cao nhất không được thấp hơn giá thấp nhất."]
    assert Product.objects.count() == 0


def test_product_create_for_other_commune_producer_refused(users, producer_y):
    with pytest.raises(PermissionDenied):
        product_create(by=users.commune_x, **_fields(producer_y))
    assert Product.objects.count() == 0


def test_product_create_with_origin_outside_commune_refused(tree, users, producer_x):
    with pytest.raises(PermissionDenied):
        product_create(by=users.commune_x, **_fields(producer_x, commune=tree.y))
    assert Product.objects.count() == 0


@pytest.mark.parametrize("who", ["producer", "district", "province"])
def test_product_create_by_other_roles_refused(users, producer_x, who):
    with pytest.raises(PermissionDenied):
        product_create(by=getattr(users, who), **_fields(producer_x))
    assert Product.objects.count() == 0


def test_product_update_keeps_slug_and_refreshes_search_text(users, producer_x):
    product = product_create(by=users.commune_x, **_fields(producer_x))
    product_update(product=product, by=users.commune_x, name="Chả mực giã tay Hạ Long", price_max=500000)
    product.refresh_from_db()
    assert (product.slug, product.price_max) == ("cha-muc-ha-long", 500000)
    assert product.search_text.startswith("cha muc gia tay ha long")
    event = AuditEvent.objects.get(action="product.update")
    assert event.after == {"name": "Chả mực giã tay Hạ Long", "price_max": 500000}


def test_product_update_by_other_commune_refused_and_unchanged(users, producer_y):
    product = ProductFactory(name="Nước mắm Hà Phong", producer=producer_y)
    with pytest.raises(PermissionDenied):
        product_update(product=product, by=users.commune_x, name="Đã bị sửa")
    product.refresh_from_db()
    assert product.name == "Nước mắm Hà Phong"


def test_photo_add_makes_smaller_jpeg_thumbnail(users, producer_x):
    product = ProductFactory(producer=producer_x)
    upload = png_upload(size=(1600, 1200))
    photo = photo_add(product=product, by=users.commune_x, image=upload, alt="Chả mực chiên vàng")
    photo.refresh_from_db()
    assert photo.image.path.startswith(str(settings.MEDIA_ROOT))
    assert photo.thumbnail.path.startswith(str(settings.MEDIA_ROOT))
    with Image.open(photo.thumbnail.path) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (480, 360))
    assert photo.thumbnail.size < photo.image.size
    assert photo.image.size == upload.size
    assert photo.order == 1


def test_photo_add_stores_under_a_random_name_with_the_extension_of_the_content(users, producer_x):
    """Photo files are public: their names reveal neither the upload's name nor anything guessable."""
    product = ProductFactory(producer=producer_x)
    first = photo_add(product=product, by=users.commune_x, image=png_upload(name="cha-muc-ha-long.jpeg"))
    second = photo_add(product=product, by=users.commune_x, image=png_upload(name="cha-muc-ha-long.jpeg"))
    for photo in (first, second):
        assert re.fullmatch(r"products/\d{4}/[A-Za-z0-9_-]{16}\.png", photo.image.name)
        assert re.fullmatch(r"products/thumbs/\d{4}/[A-Za-z0-9_-]{16}\.jpg", photo.thumbnail.name)
    assert first.image.name != second.image.name


def test_photo_add_keeps_small_images_at_their_size(users, producer_x):
    product = ProductFactory(producer=producer_x)
    photo = photo_add(product=product, by=users.commune_x, image=png_upload(size=(320, 200)))
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size == (320, 200)


def test_photo_add_refuses_non_image(users, producer_x):
    product = ProductFactory(producer=producer_x)
    with pytest.raises(ValidationError) as exc:
        photo_add(product=product, by=users.commune_x, image=elf_upload("anh.jpg"))
    assert exc.value.error_dict["image"][0].code == "bad_type"
    assert ProductPhoto.objects.count() == 0


def test_photo_add_refuses_pdf(users, producer_x):
    product = ProductFactory(producer=producer_x)
    with pytest.raises(ValidationError):
        photo_add(product=product, by=users.commune_x, image=pdf_upload("anh.png"))
    assert ProductPhoto.objects.count() == 0


def test_photo_add_refuses_truncated_image(users, producer_x):
    product = ProductFactory(producer=producer_x)
    upload = png_upload()
    upload.file = io.BytesIO(upload.read()[:200])
    upload.size = 200
    with pytest.raises(ValidationError) as exc:
        photo_add(product=product, by=users.commune_x, image=upload)
    assert exc.value.error_dict["image"][0].code == "bad_image"
    assert ProductPhoto.objects.count() == 0


def test_photo_add_other_commune_refused(users, producer_y):
    product = ProductFactory(producer=producer_y)
    with pytest.raises(PermissionDenied):
        photo_add(product=product, by=users.commune_x, image=png_upload())
    assert ProductPhoto.objects.count() == 0
