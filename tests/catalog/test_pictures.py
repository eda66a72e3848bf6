"""Product pictures in the catalogue: the group's illustration without photos, the thumbnail with one."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.catalog.templatetags.pictures import ILLUSTRATION_ALTS
from apps.products.models import ProductGroup
from apps.products.services import photo_add
from tests.factories.catalog import bulk_certified_products, certified_product
from tests.factories.producers import png_upload

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def card_images(html):
    """The <img> tags inside the product cards, in order."""
    return re.findall(r'<span class="product-thumb">(<img [^>]+>)\s*</span>', html)


def attrs(tag):
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_card_without_photos_shows_the_group_illustration(client, tree):
    certified_product(commune=tree.x, name="Nước mắm Cái Rồng", set_code="TP09")
    certified_product(commune=tree.z, name="Thổ cẩm Kon Rẫy", set_code="TC02")
    images = [attrs(tag) for tag in card_images(client.get("/san-pham/").content.decode())]
    assert [(i["src"], i["alt"]) for i in images] == [
        ("/static/img/groups/TP.svg", "Hình minh họa sản phẩm thực phẩm"),
        ("/static/img/groups/TC.svg", "Hình minh họa sản phẩm thủ công mỹ nghệ"),
    ]
    assert {(i["width"], i["height"], i["loading"], i["decoding"]) for i in images} == {("320", "240", "lazy", "async")}


def test_card_illustration_alt_in_english(client, tree):
    certified_product(commune=tree.z, name="Rượu cần Đắk Kôi", set_code="DU01")
    (tag,) = card_images(client.get("/en/san-pham/").content.decode())
    assert (attrs(tag)["src"], attrs(tag)["alt"]) == ("/static/img/groups/DU.svg", "Illustration of a drink")


def test_product_page_without_photos_shows_the_group_illustration_eagerly(client, tree):
    product = certified_product(commune=tree.z, name="Lan rừng Măng Đen", set_code="SV01")
    html = client.get(reverse("catalog:product_detail", args=[product.slug])).content.decode()
    (tag,) = re.findall(r'<img class="group-illustration gallery-placeholder"[^>]+>', html)
    image = attrs(tag)
    assert (image["src"], image["alt"], image["width"], image["height"]) == (
        "/static/img/groups/SV.svg",
        "Hình minh họa sinh vật cảnh",
        "480",
        "360",
    )
    assert "loading" not in image
    assert "product-placeholder.svg" not in html


def test_card_with_a_photo_shows_its_thumbnail_lazily(client, tree, users):
    product = certified_product(commune=tree.x, name="Chả mực Hạ Long", set_code="TP08")
    photo = photo_add(product=product, by=users.admin, image=png_upload(size=(800, 600)), alt="Chả mực chiên vàng")
    (tag,) = card_images(client.get("/san-pham/").content.decode())
    assert attrs(tag) == {
        "src": photo.thumbnail.url,
        "alt": "Chả mực chiên vàng",
        "width": "320",
        "height": "240",
        "loading": "lazy",
        "decoding": "async",
    }
    assert photo.thumbnail.url.startswith(settings.MEDIA_URL + "products/thumbs/")


def test_product_page_shows_the_first_photo_eagerly_and_the_others_lazily(client, tree, users):
    product = certified_product(commune=tree.x, name="Chả mực Hạ Long", set_code="TP08")
    first = photo_add(product=product, by=users.admin, image=png_upload(size=(800, 600)), alt="Đĩa chả mực")
    second = photo_add(product=product, by=users.admin, image=png_upload(size=(800, 600)))
    html = client.get(reverse("catalog:product_detail", args=[product.slug])).content.decode()
    gallery = re.search(r'<ul class="gallery".*?</ul>', html, re.S).group(0)
    links = re.findall(r'<li><a href="([^"]+)">(<img [^>]+>)\s*</a></li>', gallery)
    assert [(href, attrs(tag)) for href, tag in links] == [
        (
            first.image.url,
            {
                "src": first.thumbnail.url,
                "alt": "Đĩa chả mực",
                "width": "480",
                "height": "360",
                "fetchpriority": "high",
                "decoding": "async",
            },
        ),
        (
            second.image.url,
            {
                "src": second.thumbnail.url,
                "alt": "Chả mực Hạ Long",
                "width": "480",
                "height": "360",
                "loading": "lazy",
                "decoding": "async",
            },
        ),
    ]
    assert "srcset" not in gallery


@pytest.mark.parametrize("code", ["TP", "DU", "DL", "TC", "SV", "DV"])
def test_every_group_has_an_illustration_with_a_title(code):
    path = settings.BASE_DIR / "static" / "img" / "groups" / f"{code}.svg"
    root = ET.parse(path).getroot()  # noqa: S314 - our own static file, not untrusted input
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 320 240"
    assert root.find(f"{SVG}title").text.strip()
    assert path.stat().st_size < 4096


def test_every_group_code_has_an_illustration_and_a_description():
    codes = set(ProductGroup.objects.values_list("code", flat=True))
    files = {p.stem for p in (settings.BASE_DIR / "static" / "img" / "groups").glob("*.svg")}
    assert (codes, set(ILLUSTRATION_ALTS)) == (files, files)


def test_illustrations_add_no_query_to_the_catalogue(client, tree):
    bulk_certified_products(12, communes=[tree.x])
    with CaptureQueriesContext(connection) as queries:
        client.get("/san-pham/", {"sort": "name"})
    # The group comes joined to the entries, never from a query of its own.
    assert [q for q in queries.captured_queries if 'FROM "products_productgroup"' in q["sql"]] == []
