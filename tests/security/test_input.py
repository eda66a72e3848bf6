"""Hostile input on the forms: foreign digits, invisible and direction-changing characters, huge texts,
uploaders' file names, double submissions. Each gets a clear Vietnamese message (or is saved once) and a refusal
changes nothing."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.text import clean_text
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import EvidenceFile
from apps.producers.models import Producer, ProducerDocument
from apps.products.models import Product, ProductSet
from apps.products.services import product_create
from tests.factories.producers import PDF_BYTES
from tests.producers.test_views import _post_data

pytestmark = pytest.mark.django_db

BIDI = "Tệp\u202egpj.exe"
ZERO_WIDTH_ONLY = "\u200b\u200c\u200d\u2060"
COMBINING_ONLY = "\u0301\u0303\u0323"
INVISIBLE = "Văn bản không có chữ nào nhìn thấy được."
DIRECTION = "Văn bản chứa ký tự ẩn làm đổi chiều hiển thị."
CONTROL = "Văn bản chứa ký tự điều khiển (ví dụ dấu xuống dòng)."


def _product_data(tree, producer, **overrides):
    data = {
        "name": "Mắm tôm Hà Khánh",
        "product_set": ProductSet.objects.get(code="TP08").pk,
        "producer": producer.pk,
        "commune": tree.x.pk,
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------------------------ tax codes


@pytest.mark.parametrize(
    "tax_code", ["٥٧٠١١١٢٢٢٣", "５７０１１１２２２３", "۵۷۰۱۱۱۲۲۲۳", "57011122２3", "5701112223-٠٠١"]
)
def test_tax_code_in_foreign_digits_is_refused(client, users, tree, tax_code):
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:producer_create"), _post_data(tree, tax_code=tax_code))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["tax_code"]
    assert Producer.objects.count() == 0


# -------------------------------------------------------------------------------------- invisible text


@pytest.mark.parametrize(
    ("name", "message"),
    [(ZERO_WIDTH_ONLY, INVISIBLE), (COMBINING_ONLY, INVISIBLE), (BIDI, DIRECTION), ("Chả\r\nmực", CONTROL)],
)
def test_product_name_invisible_bidi_or_multiline_is_refused(client, users, tree, product_x, name, message):
    client.force_login(users.commune_x)
    before = Product.objects.count()
    response = client.post(reverse("products:product_create"), _product_data(tree, product_x.producer, name=name))
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [message]
    assert Product.objects.count() == before


def test_producer_name_of_zero_width_characters_is_refused(client, users, tree):
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:producer_create"), _post_data(tree, name=ZERO_WIDTH_ONLY))
    assert response.context["form"].errors["name"] == [INVISIBLE]
    assert Producer.objects.count() == 0


def test_decomposed_vietnamese_is_stored_nfc(client, users, tree, product_x):
    decomposed = unicodedata.normalize("NFD", "Nước mắm Cái Rồng")
    client.force_login(users.commune_x)
    response = client.post(reverse("products:product_create"), _product_data(tree, product_x.producer, name=decomposed))
    assert response.status_code == 302
    product = Product.objects.get(name="Nước mắm Cái Rồng")
    assert unicodedata.is_normalized("NFC", product.name)
    assert product.slug == "nuoc-mam-cai-rong"


def test_story_keeps_its_line_breaks(client, users, tree, product_x):
    client.force_login(users.commune_x)
    data = _product_data(tree, product_x.producer, story="Dòng một\r\nDòng hai")
    assert client.post(reverse("products:product_create"), data).status_code == 302
    assert Product.objects.get(name="Mắm tôm Hà Khánh").story == "Dòng một\nDòng hai"


@pytest.mark.parametrize(
    ("text", "multiline", "expected"),
    [
        ("", False, ""),
        ("Chè Tân Cương", False, "Chè Tân Cương"),
        (unicodedata.normalize("NFD", "Chè"), False, "Chè"),
        ("a\tb", True, "a\tb"),
        ("a\r\nb", True, "a\nb"),
    ],
)
def test_clean_text_accepts(text, multiline, expected):
    assert clean_text(text, multiline=multiline) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a\x00b", "control"),
        ("a\u202eb", "bidi"),
        ("\u2066x\u2069", "bidi"),
        ("\u200b", "invisible"),
        ("a\x1bb", "control"),
    ],
)
def test_clean_text_refuses(text, code):

    with pytest.raises(ValidationError) as exc:
        clean_text(text, multiline=True)
    assert exc.value.code == code


# --------------------------------------------------------------------------------------------- lengths


@pytest.mark.parametrize(("field", "limit"), [("story", 5000), ("description", 2000), ("where_to_buy", 1000)])
def test_product_text_over_its_limit_is_refused(client, users, tree, product_x, field, limit):
    client.force_login(users.commune_x)
    data = _product_data(tree, product_x.producer, **{field: "a" * (limit + 1)})
    response = client.post(reverse("products:product_create"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Product.objects.filter(name="Mắm tôm Hà Khánh").exists()


def test_five_megabyte_story_is_refused_by_the_model_too(users, tree, product_x):

    with pytest.raises(ValidationError) as exc:
        product_create(
            by=users.commune_x,
            producer=product_x.producer,
            commune=tree.x,
            name="Truyện dài",
            product_set=ProductSet.objects.get(code="TP08"),
            story="a" * 5_000_000,
        )
    assert list(exc.value.message_dict) == ["story"]
    assert not Product.objects.filter(name="Truyện dài").exists()


# ------------------------------------------------------------------------------- uploaders' file names


@pytest.mark.parametrize("name", ["giay-phep.hta", "giay-phep.html", "giay-phep.svg", "giay\u202efdp.exe"])
def test_pdf_bodied_document_is_stored_and_served_as_pdf(client, users, product_x, name):
    client.force_login(users.commune_x)
    upload = SimpleUploadedFile(name, PDF_BYTES, content_type="text/html")
    response = client.post(
        reverse("producers:document_upload", args=[product_x.producer.pk]), {"kind": "trademark", "file": upload}
    )
    assert response.status_code == 302
    document = ProducerDocument.objects.get(kind="trademark")
    assert document.file.name.endswith(".pdf")
    download = client.get(reverse("producers:document_download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith(f'-trademark-{document.pk}.pdf"')


def test_pdf_bodied_evidence_named_hta_is_stored_as_pdf(client, users, make_application):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    upload = SimpleUploadedFile("bao-cao.hta", PDF_BYTES, content_type="application/hta")
    response = client.post(
        reverse("cycles:evidence_upload", args=[application.pk]), {"title": "Báo cáo", "file": upload}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.file.name.endswith(".pdf")
    download = client.get(reverse("cycles:evidence_download", args=[evidence.pk]))
    assert download["Content-Disposition"].endswith(f'minh-chung-{evidence.pk}.pdf"')


# ------------------------------------------------------------------------------------ double submission


def _token(response):

    return re.search(r'name="submit_token" value="([0-9a-f]{32})"', response.text).group(1)


def test_double_clicked_product_create_makes_one_product(
    client, users, tree, product_x, django_capture_on_commit_callbacks
):
    client.force_login(users.commune_x)
    token = _token(client.get(reverse("products:product_create")))
    data = _product_data(tree, product_x.producer, name="Mắm ruốc", submit_token=token)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("products:product_create"), data)
    second = client.post(reverse("products:product_create"), data, follow=True)
    product = Product.objects.get(name="Mắm ruốc")
    assert first["Location"] == reverse("products:product_detail", args=[product.pk])
    assert second.redirect_chain[0] == (reverse("products:product_detail", args=[product.pk]), 302)
    assert "Biểu mẫu này đã được gửi; hệ thống chỉ lưu một lần." in second.text
    assert Product.objects.filter(name="Mắm ruốc").count() == 1


def test_refused_submission_may_be_corrected_and_sent_with_the_same_token(client, users, tree, product_x):
    client.force_login(users.commune_x)
    token = _token(client.get(reverse("products:product_create")))
    bad = _product_data(tree, product_x.producer, name=ZERO_WIDTH_ONLY, submit_token=token)
    assert client.post(reverse("products:product_create"), bad).status_code == 200
    good = _product_data(tree, product_x.producer, name="Mắm ruốc", submit_token=token)
    assert client.post(reverse("products:product_create"), good).status_code == 302
    assert Product.objects.filter(name="Mắm ruốc").count() == 1


def test_double_clicked_producer_create_makes_one_producer(client, users, tree):
    client.force_login(users.commune_x)
    token = _token(client.get(reverse("producers:producer_create")))
    data = _post_data(tree, submit_token=token)
    client.post(reverse("producers:producer_create"), data)
    client.post(reverse("producers:producer_create"), data)
    assert Producer.objects.count() == 1
