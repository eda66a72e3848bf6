"""The QR code and the PDF layout."""

import gc
import io
import re
import subprocess
import sys

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from apps.certificates import rendering
from apps.certificates.services import new_token
from apps.core.qr import QR_MASK
from apps.core.stars import star_glyphs

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


def _qr_modules_drawn(pdf):
    """The QR images ``pdf``'s one page carries, each read back as rows of modules (1 dark, 0 light)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    drawn = []
    for image in page.images:
        pixels = image.image.convert("L")
        size = pixels.width - 4  # a border of two light modules each side, one pixel per module
        drawn.append([[int(pixels.getpixel((x + 2, y + 2)) < 128) for x in range(size)] for y in range(size)])
    return drawn


def test_each_split_certificate_carries_its_own_qr_code_and_no_other(issue):
    _d, certs = issue(3)
    pdfs = rendering.render_certificates(certs)
    for cert, pdf in zip(certs, pdfs, strict=True):
        expected = [list(row) for row in rendering.qr_code(rendering.verification_url(cert.token)).matrix]
        assert _qr_modules_drawn(pdf) == [expected]


def test_qr_code_is_drawn_without_smoothing(issue):
    _d, (cert,) = issue(1)
    page = PdfReader(io.BytesIO(rendering.render_certificates([cert])[0])).pages[0]
    images = page["/Resources"]["/XObject"]
    assert [image.get_object()["/Interpolate"] for image in images.values()] == [False]


def _inside_rendering():
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code in (rendering.render_certificates_document.__code__, rendering.split_pages.__code__):
            return True
        frame = frame.f_back
    return False


def test_rendering_pauses_the_cycle_collector_and_restores_it(issue):
    _d, certs = issue(3)
    collections = []

    def record(phase, info):
        if phase == "start":
            collections.append(_inside_rendering())

    gc.callbacks.append(record)
    try:
        pdfs = rendering.render_certificates(certs)
        assert gc.isenabled()
        gc.collect()
    finally:
        gc.callbacks.remove(record)
    assert len(pdfs) == 3
    # No collection while WeasyPrint and pypdf build and drop their objects; the collector works again after.
    assert True not in collections
    assert collections[-1] is False


def test_rendering_leaves_a_paused_collector_paused(issue):
    _d, (cert,) = issue(1)
    gc.disable()
    try:
        rendering.render_certificates([cert])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_qr_code_uses_the_fixed_mask_and_a_phone_reads_it_off_the_printed_page(issue, tmp_path):
    _d, (cert,) = issue(1)
    url = rendering.verification_url(cert.token)
    # segno's own choice varies with the data; the certificates' does not.
    assert {rendering.qr_code(rendering.verification_url(new_token())).mask for _ in range(20)} == {QR_MASK}
    (tmp_path / "cert.pdf").write_bytes(rendering.render_certificates([cert])[0])
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "cert.pdf"), str(tmp_path / "page")],
        check=True,
    )
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True)
    assert out.stdout.split() == [url]


@pytest.mark.parametrize("stars", [3, 4, 5])
def test_the_rank_is_printed_as_filled_then_empty_star_glyphs(issue, stars):
    _d, (cert,) = issue(1)
    cert.stars = stars
    filled, empty = star_glyphs(stars)
    assert (filled, empty) == ("★" * stars, "☆" * (5 - stars))
    _pages, text = pdf_text(rendering.render_certificates([cert])[0])
    assert filled + empty in text.replace(" ", "")
    assert f"Hạng {stars} sao" in text


def test_the_document_html_has_no_indentation_between_tags(issue):
    _d, certs = issue(2)
    html = rendering.certificates_html(certs)
    assert re.search(r">\s+<", html) is None
    # ...and the words a page prints keep their spaces.
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in html and certs[0].product.name in html
