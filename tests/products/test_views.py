"""Product screens: list with filters and search, jurisdiction (403, nothing changed), photos."""

import pytest
from django.urls import reverse

from apps.products.models import Product, ProductGroup, ProductPhoto, ProductSet
from apps.products.services import photo_add
from tests.factories.producers import ProducerFactory, elf_upload, png_upload
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db

# Session, user, unit, count, rows, the choices of four filters, permission look-ups: the same for 1 or 200 rows.
LIST_MAX_QUERIES = 13


def _names(response):
    return [p.name for p in response.context["page"]]


@pytest.fixture
def products(producer_x, producer_y):
    return type(
        "Products",
        (),
        {
            "x": ProductFactory(name="Chả mực Hạ Long", producer=producer_x),
            "x2": ProductFactory(
                name="Rượu ba kích Hà Khánh", producer=producer_x, product_set=ProductSet.objects.get(code="DU01")
            ),
            "y": ProductFactory(
                name="Nước mắm Hà Phong", producer=producer_y, product_set=ProductSet.objects.get(code="TP09")
            ),
        },
    )


def test_product_list_commune_officer_sees_only_own_commune(client, users, products):
    client.force_login(users.commune_x)
    assert _names(client.get(reverse("products:product_list"))) == ["Chả mực Hạ Long", "Rượu ba kích Hà Khánh"]


def test_product_list_producer_user_sees_only_own(client, users, products, tree):
    ProductFactory(name="Sản phẩm khác cùng xã", producer=ProducerFactory(commune=tree.x))
    client.force_login(users.producer)
    assert _names(client.get(reverse("products:product_list"))) == ["Chả mực Hạ Long", "Rượu ba kích Hà Khánh"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ruou ba kich", ["Rượu ba kích Hà Khánh"]),
        ("RƯỢU BA KÍCH", ["Rượu ba kích Hà Khánh"]),
        ("kich ruou", ["Rượu ba kích Hà Khánh"]),
        ("nuoc mam", ["Nước mắm Hà Phong"]),
        # The producer's name is searched too: both products of "Chả mực Hạ Long Hà Khánh".
        ("cha muc", ["Chả mực Hạ Long", "Rượu ba kích Hà Khánh"]),
        ("xyz", []),
    ],
)
def test_product_list_search_ignores_diacritics(client, users, products, query, expected):
    client.force_login(users.district)
    assert _names(client.get(reverse("products:product_list"), {"q": query})) == expected


def test_product_list_filters(client, users, products, producer_y, tree):
    client.force_login(users.district)
    url = reverse("products:product_list")
    drinks = ProductGroup.objects.get(code="DU")
    assert _names(client.get(url, {"group": drinks.pk})) == ["Rượu ba kích Hà Khánh"]
    assert _names(client.get(url, {"product_set": ProductSet.objects.get(code="TP09").pk})) == ["Nước mắm Hà Phong"]
    assert _names(client.get(url, {"producer": producer_y.pk})) == ["Nước mắm Hà Phong"]
    assert _names(client.get(url, {"commune": tree.x.pk})) == ["Chả mực Hạ Long", "Rượu ba kích Hà Khánh"]


@pytest.mark.parametrize("rows", [1, 10, 200])
def test_product_list_constant_queries(client, django_assert_max_num_queries, users, tree, rows):
    producers = [ProducerFactory(commune=tree.x) for _ in range(5)]
    for i in range(rows):
        ProductFactory(producer=producers[i % 5], name=f"Sản phẩm {i:03d}")
    client.force_login(users.district)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(reverse("products:product_list"))
    assert response.context["page"].paginator.count == rows


def test_product_detail_other_commune_forbidden(client, users, products):
    client.force_login(users.commune_x)
    assert client.get(reverse("products:product_detail", args=[products.y.pk])).status_code == 403


def test_product_detail_producer_user_own_and_other(client, users, products):
    client.force_login(users.producer)
    assert client.get(reverse("products:product_detail", args=[products.x.pk])).status_code == 200
    assert client.get(reverse("products:product_detail", args=[products.y.pk])).status_code == 403


def test_product_create_view_registers_product(client, users, producer_x, tree):
    client.force_login(users.commune_x)
    response = client.post(
        reverse("products:product_create"),
        {
            "name": "Chả mực Hạ Long",
            "product_set": ProductSet.objects.get(code="TP08").pk,
            "producer": producer_x.pk,
            "commune": tree.x.pk,
            "story": "Nghề giã chả mực",
            "price_min": "180000",
            "price_max": "450000",
        },
    )
    product = Product.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("products:product_detail", args=[product.pk])
    assert (product.slug, product.producer, product.price_max) == ("cha-muc-ha-long", producer_x, 450000)


def test_product_create_view_cannot_pick_other_commune_producer(client, users, producer_y, tree):
    client.force_login(users.commune_x)
    response = client.post(
        reverse("products:product_create"),
        {
            "name": "Mạo danh",
            "product_set": ProductSet.objects.get(code="TP08").pk,
            "producer": producer_y.pk,
            "commune": tree.x.pk,
        },
    )
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    assert Product.objects.count() == 0


def test_product_update_view_other_commune_forbidden_and_unchanged(client, users, products, tree):
    client.force_login(users.commune_x)
    response = client.post(
        reverse("products:product_update", args=[products.y.pk]),
        {
            "name": "Đã bị sửa",
            "product_set": products.y.product_set.pk,
            "producer": products.y.producer.pk,
            "commune": tree.y.pk,
        },
    )
    assert response.status_code == 403
    products.y.refresh_from_db()
    assert products.y.name == "Nước mắm Hà Phong"


def test_photo_upload_view_adds_photo(client, users, products):
    client.force_login(users.commune_x)
    response = client.post(
        reverse("products:photo_upload", args=[products.x.pk]), {"image": png_upload(), "alt": "Chả"}
    )
    assert response.status_code == 302
    assert ProductPhoto.objects.filter(product=products.x).count() == 1


def test_photo_upload_view_refuses_executable(client, users, products):
    client.force_login(users.commune_x)
    response = client.post(reverse("products:photo_upload", args=[products.x.pk]), {"image": elf_upload("anh.png")})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tệp này không phải ảnh JPEG hoặc PNG thật." in text
    assert "PDF" not in text.split("Tệp này không phải", 1)[1].split("</", 1)[0]  # a photo is never a PDF
    assert ProductPhoto.objects.count() == 0


def test_photo_upload_view_other_commune_forbidden(client, users, products):
    client.force_login(users.commune_x)
    response = client.post(reverse("products:photo_upload", args=[products.y.pk]), {"image": png_upload()})
    assert response.status_code == 403
    assert ProductPhoto.objects.count() == 0


def test_photo_files_served_only_to_allowed_users(client, users, products):
    photo = photo_add(product=products.x, by=users.commune_x, image=png_upload(size=(800, 600)))
    client.force_login(users.producer)
    response = client.get(reverse("products:photo_thumbnail", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get(reverse("products:photo_file", args=[photo.pk]))["Content-Type"] == "image/png"
    client.force_login(users.commune_y)
    assert client.get(reverse("products:photo_thumbnail", args=[photo.pk])).status_code == 403
    assert client.get(reverse("products:photo_file", args=[photo.pk])).status_code == 403


def test_product_detail_shows_photos_and_story(client, users, products):
    photo_add(product=products.x, by=users.commune_x, image=png_upload(size=(800, 600)), alt="Chả mực chiên")
    client.force_login(users.commune_x)
    html = client.get(reverse("products:product_detail", args=[products.x.pk])).content.decode()
    assert 'alt="Chả mực chiên"' in html
    assert "Thêm ảnh" in html


def test_product_list_nationwide_does_not_render_every_producer_and_commune(client, users, products, producer_y):
    client.force_login(users.central)
    url = reverse("products:product_list")
    html = client.get(url).content.decode()
    assert "Nước mắm Hà Phong</option>" not in html
    assert 'name="producer"' not in html
    assert 'name="commune"' not in html
    response = client.get(url, {"producer": producer_y.pk})
    assert _names(response) == ["Nước mắm Hà Phong"]
    assert f'type="hidden" name="producer" value="{producer_y.pk}"' in response.content.decode()


def test_product_list_scoped_user_gets_producer_choices(client, users, products, producer_x):
    client.force_login(users.district)
    html = client.get(reverse("products:product_list")).content.decode()
    assert f'<option value="{producer_x.pk}">Chả mực Hạ Long Hà Khánh</option>' in html


def test_product_list_province_wide_hides_producer_choices_only(client, users, products, producer_x, tree):
    client.force_login(users.province)
    html = client.get(reverse("products:product_list")).content.decode()
    assert 'name="producer"' not in html
    assert f'<option value="{tree.x.pk}">Phường Hà Khánh (06649)</option>' in html
