"""The QR code and the PDF layout."""

import pytest
import segno
from django.urls import reverse

from apps.certificates import rendering
from apps.certificates.services import new_token

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_qr_code_is_version_4_or_lower_with_the_production_domain(settings):
    settings.SITE_DOMAIN, settings.SITE_SCHEME = "ocop.quangninh.gov.vn", "https"
    for _ in range(50):
        url = rendering.verification_url(new_token())
        assert url.startswith("https://ocop.quangninh.gov.vn/xac-thuc/")
        assert segno.make(url, error="m").version <= 4
        assert rendering.qr_code(url).version <= 4


def test_qr_code_points_to_the_verification_page_only(settings):
    settings.SITE_DOMAIN, settings.SITE_SCHEME = "ocop.quangninh.gov.vn", "https"
    token = new_token()
    assert rendering.verification_url(token) == "https://ocop.quangninh.gov.vn" + reverse(
        "verify:certificate", kwargs={"token": token}
    )


def test_batched_document_splits_into_one_pdf_per_certificate(issue):
    _d, certs = issue(3)
    pdfs = rendering.render_certificates(certs)
    assert len(pdfs) == 3
    for cert, pdf in zip(certs, pdfs, strict=True):
        pages, text = pdf_text(pdf)
        assert pages == 1
        assert cert.serial in text and cert.product.name in text
        assert "GIẤY CHỨNG NHẬN" in text and "Hạng 4 sao" in text
        assert cert.product.producer.address in text


def test_long_product_name_still_fits_one_page(issue):
    _d, certs = issue(2)
    certs[0].product.name = "Trà hoa vàng Ba Chẽ thượng hạng " * 12
    pdfs = rendering.render_certificates(certs)
    assert [pdf_text(p)[0] for p in pdfs] == [1, 1]
