"""Each former 500 of issue 11, reached as a user would reach it: now a clear answer and nothing changed."""

import pytest
from django.urls import reverse

from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import EvidenceFile
from apps.producers.models import ProducerDocument
from apps.products.models import ProductPhoto
from tests.factories.cycles import DocumentFactory

from .conftest import bomb_png

pytestmark = pytest.mark.django_db

TOO_MANY_PIXELS = "Ảnh quá lớn về số điểm ảnh (tối đa 40 megapixel); vui lòng thu nhỏ ảnh trước."


# ------------------------------------------------------------------------------------------ public pages


@pytest.mark.parametrize("year", ["-1", "0", "99999", "99999999999999999999", "1e400", "2024.5"])
def test_catalogue_with_an_impossible_year_shows_the_unfiltered_catalogue(client, year):
    response = client.get(reverse("catalog:product_list"), {"year": year})
    assert response.status_code == 200
    assert response.context["selected"].get("year", "") == ""


@pytest.mark.parametrize("path", ["/xac-thuc/%00/", "/xac-thuc/abc%00def/", "/xac-thuc/%E2%80%AE/"])
def test_verification_with_a_nul_or_odd_token_is_unknown(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "certificates/verify_unknown.html" in [t.name for t in response.templates]


# ------------------------------------------------------------------------- decompression bombs, four forms

BOMBS = [
    pytest.param((100_000, 100_000), id="beyond-pillow-error-limit"),
    pytest.param((10_000, 10_000), id="beyond-pillow-warning-limit"),
    pytest.param((8_000, 6_000), id="beyond-portal-pixel-cap"),
]


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_document_upload_is_refused(client, users, product_x, size):
    producer = product_x.producer
    before = ProducerDocument.objects.count()
    client.force_login(users.commune_x)
    response = client.post(
        reverse("producers:document_upload", args=[producer.pk]), {"kind": "food_safety", "file": bomb_png(*size)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [TOO_MANY_PIXELS]
    assert ProducerDocument.objects.count() == before


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_document_replace_is_refused(client, users, product_x, size):
    document = DocumentFactory(producer=product_x.producer, kind="trademark")
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:document_replace", args=[document.pk]), {"file": bomb_png(*size)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [TOO_MANY_PIXELS]
    document.refresh_from_db()
    assert document.content_type == "application/pdf"
    assert ProducerDocument.objects.filter(producer=product_x.producer, kind="trademark").count() == 1


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_evidence_upload_is_refused(client, users, make_application, size):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:evidence_upload", args=[application.pk]), {"title": "Ảnh bao bì", "file": bomb_png(*size)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [TOO_MANY_PIXELS]
    assert EvidenceFile.objects.count() == 0


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_photo_upload_is_refused(client, users, product_x, size):
    client.force_login(users.commune_x)
    response = client.post(reverse("products:photo_upload", args=[product_x.pk]), {"image": bomb_png(*size)})
    assert response.status_code == 200
    assert response.context["form"].errors["image"] == [TOO_MANY_PIXELS]
    assert ProductPhoto.objects.count() == 0
