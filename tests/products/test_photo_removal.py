"""Removing product photos and choosing the cover: jurisdiction, files after commit, the public catalogue."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.products.models import ProductPhoto
from apps.products.services import photo_add, photo_remove
from tests.factories.catalog import certified_product
from tests.factories.producers import png_upload
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(producer_x):
    return ProductFactory(name="Chả mực Hạ Long", producer=producer_x)


@pytest.fixture
def photos(product, users):
    return [
        photo_add(product=product, by=users.commune_x, image=png_upload(f"anh-{i}.png", size=(64, 48)), alt=f"Ảnh {i}")
        for i in range(3)
    ]


def test_photo_remove_view_removes_row_then_files_after_commit_and_audits(
    client, users, photos, django_capture_on_commit_callbacks
):
    photo = photos[1]
    paths = [photo.image.path, photo.thumbnail.path]
    client.force_login(users.commune_x)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("products:photo_remove", args=[photo.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("products:product_detail", args=[photo.product_id])
    assert list(ProductPhoto.objects.order_by("order").values_list("pk", flat=True)) == [photos[0].pk, photos[2].pk]
    assert all(os.path.exists(p) for p in paths)  # not before the commit
    for callback in callbacks:
        callback()
    assert not any(os.path.exists(p) for p in paths)
    event = AuditEvent.objects.get(action="product.photo_remove")
    assert (event.actor, event.object_id, event.unit) == (users.commune_x, str(photo.pk), photo.product.commune)
    assert event.before["image"] == photo.image.name


@pytest.mark.parametrize("who", ["commune_y", "producer", "province"])
def test_photo_remove_view_by_others_forbidden_and_unchanged(client, users, photos, who):
    client.force_login(getattr(users, who))
    response = client.post(reverse("products:photo_remove", args=[photos[0].pk]))
    assert response.status_code == 403
    assert ProductPhoto.objects.count() == 3
    assert os.path.exists(photos[0].image.path)
    assert not AuditEvent.objects.filter(action="product.photo_remove").exists()


def test_photo_remove_view_get_asks_for_confirmation_and_removes_nothing(client, users, photos):
    client.force_login(users.commune_x)
    response = client.get(reverse("products:photo_remove", args=[photos[0].pk]))
    assert response.status_code == 200
    assert "Đồng ý, xóa ảnh" in response.content.decode()
    assert ProductPhoto.objects.count() == 3


def test_photo_set_cover_moves_photo_first_and_keeps_the_others_in_order(client, users, photos):
    client.force_login(users.commune_x)
    response = client.post(reverse("products:photo_set_cover", args=[photos[2].pk]))
    assert response.status_code == 302
    order = list(ProductPhoto.objects.order_by("order", "pk").values_list("pk", "order"))
    assert order == [(photos[2].pk, 1), (photos[0].pk, 2), (photos[1].pk, 3)]
    event = AuditEvent.objects.get(action="product.photo_cover")
    assert event.after == {"order": [photos[2].pk, photos[0].pk, photos[1].pk]}


def test_photo_set_cover_is_post_only(client, users, photos):
    client.force_login(users.commune_x)
    assert client.get(reverse("products:photo_set_cover", args=[photos[2].pk])).status_code == 405
    assert list(ProductPhoto.objects.order_by("order").values_list("pk", flat=True)) == [p.pk for p in photos]


def test_photo_set_cover_other_commune_forbidden_and_unchanged(client, users, photos):
    client.force_login(users.commune_y)
    assert client.post(reverse("products:photo_set_cover", args=[photos[2].pk])).status_code == 403
    assert list(ProductPhoto.objects.order_by("order").values_list("pk", flat=True)) == [p.pk for p in photos]


def test_product_list_shows_the_new_cover(client, users, photos):
    client.force_login(users.commune_x)
    client.post(reverse("products:photo_set_cover", args=[photos[1].pk]))
    page = client.get(reverse("products:product_list")).context["page"]
    assert [p.first_photo_id for p in page] == [photos[1].pk]


def test_removed_photo_leaves_the_cached_public_catalogue_page(
    client, settings, users, tree, django_capture_on_commit_callbacks
):
    settings.OCOP_PUBLIC_PAGE_CACHE = True
    product = certified_product(commune=tree.x, name="Nước mắm Hà Khánh", stars=4)
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_add(product=product, by=users.commune_x, image=png_upload("nuoc-mam.png", size=(64, 48)))
    public_url = reverse("catalog:product_detail", args=[product.slug])
    assert photo.image.url in client.get(public_url).content.decode()  # now cached for anonymous visitors
    with django_capture_on_commit_callbacks(execute=True):
        photo_remove(photo=photo, by=users.commune_x)
    html = client.get(public_url).content.decode()
    assert "Nước mắm Hà Khánh" in html
    assert photo.image.url not in html
    assert photo.thumbnail.url not in html


def test_product_detail_queries_do_not_grow_with_photos(client, users, product):
    photo_add(product=product, by=users.commune_x, image=png_upload("mot.png", size=(32, 32)))
    client.force_login(users.commune_x)
    url = reverse("products:product_detail", args=[product.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(4):
        photo_add(product=product, by=users.commune_x, image=png_upload(f"them-{i}.png", size=(32, 32)))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("/xoa/") == 5
    assert len(many) == len(one)
