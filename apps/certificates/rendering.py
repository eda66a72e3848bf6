"""Turning certificates and decisions into PDF bytes (WeasyPrint), and the QR code they carry (segno).

Pure functions over model instances whose relations are already loaded: no database writes here, so the
benchmark can render in-memory objects. Laying out a WeasyPrint document has a fixed cost per document,
so certificates are rendered many to one document (one page each) and split into files with pypdf.
"""

import datetime
import gc
import io
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject
from weasyprint import HTML

from apps.core.qr import QR_MASK
from apps.core.stars import star_glyphs
from apps.evaluation.models import RecognitionDecision, RecognitionItem
from apps.geo.models import AdministrativeUnit
from apps.producers.models import Producer
from apps.products.models import Product, ProductSet

from .models import Certificate, verification_path

# Printed certificates are in Vietnamese whatever the language of whoever triggered the job.
PDF_LANGUAGE = "vi"


class PageCountMismatch(Exception):
    """A batched document did not come out as exactly one page per certificate."""


def verification_url(token):
    """The absolute address printed as a QR code: the production site's verification page, in the PDF's language."""
    with translation.override(PDF_LANGUAGE):
        path = verification_path(token)
    return f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}{path}"


def qr_code(url):
    # Level M survives a scuffed print; the URL is short enough for version 4 (33×33 modules) or lower.
    return segno.make(url, error="m", mask=QR_MASK, boost_error=False, micro=False)


def qr_png_data_uri(url):
    """The QR code as a PNG of one pixel per module, which the template scales up unsmoothed (``pixelated``).

    WeasyPrint draws an image in one operation; the same code as SVG is a path of hundreds of segments that it
    parses and writes out on every page (about a fifth of a certificate's drawing and writing time).
    """
    return qr_code(url).png_data_uri(scale=1, border=2)


def _certificate_context(certificate):
    decision = certificate.recognition.decision
    product = certificate.product
    url = verification_url(certificate.token)
    return {
        "certificate": certificate,
        "decision": decision,
        "product": product,
        "producer": product.producer,
        # The five star slots as glyphs: one line of text a page (an SVG image was parsed and drawn on every page).
        "stars": star_glyphs(certificate.stars),
        "verification_url": url,
        "qr_data_uri": qr_png_data_uri(url),
    }


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a document is laid out, written and split.

    WeasyPrint builds hundreds of thousands of objects per batch, which trigger collection after collection, each
    one traversing every live object (the boxes, Django, the fonts) and freeing next to nothing: a third of the
    layout time. Reference counting still frees the boxes; the collector runs again once the document is done.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _html_to_pdf(html):
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


# The template's indentation between two tags: nothing a page shows (every box there is a block or sits in one),
# but a sixth of the document that WeasyPrint's pure-Python HTML parser would read character by character.
_BETWEEN_TAGS = re.compile(r">\s+<")


def certificates_html(certificates):
    """The HTML of one document, one page per certificate, as WeasyPrint is given it."""
    with translation.override(PDF_LANGUAGE):
        html = render_to_string(
            "certificates/pdf/certificates.html",
            {"pages": [_certificate_context(c) for c in certificates]},
        )
    return _BETWEEN_TAGS.sub("><", html)


def render_certificates_document(certificates):
    """One WeasyPrint document, one A4 landscape page per certificate, in the given order. Returns PDF bytes."""
    document = _html_to_pdf(certificates_html(certificates))
    if len(document.pages) != len(certificates):
        raise PageCountMismatch(f"{len(document.pages)} pages for {len(certificates)} certificates")
    return document.write_pdf()


# ``/Name Do`` in a content stream: the page draws the image (or form) ``Name`` of its resources.
_DRAWN_XOBJECT = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")


def _keep_own_images(page):
    """Narrow ``page``'s resources to the images it draws itself.

    WeasyPrint gives every page of a document one shared resource dictionary: without this, each certificate's
    file would carry every other certificate's QR code of its batch.
    """
    resources = page["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    if not xobjects:
        return
    drawn = {"/" + name.decode("latin-1") for name in _DRAWN_XOBJECT.findall(page.get_contents().get_data())}
    own = DictionaryObject(resources)
    own[NameObject("/XObject")] = DictionaryObject(
        {key: value for key, value in xobjects.get_object().items() if key in drawn}
    )
    page[NameObject("/Resources")] = own


def split_pages(pdf_bytes):
    """One PDF (bytes) per page of ``pdf_bytes``, each with only the images that page draws."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    parts = []
    for page in reader.pages:
        _keep_own_images(page)
        writer = PdfWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        parts.append(out.getvalue())
    return parts


@_without_cycle_collection()
def render_certificates(certificates, *, batched=True):
    """PDF bytes for each certificate, in order: one document for all (``batched``) or one each."""
    if not batched:
        return [render_certificates_document([c]) for c in certificates]
    try:
        return split_pages(render_certificates_document(certificates))
    except PageCountMismatch:
        # A certificate spilled onto a second page: pages no longer map to certificates, so lay out each alone.
        return [render_certificates_document([c]) for c in certificates]


@_without_cycle_collection()
def render_decision_document(decision, items):
    """The recognition decision with its annex (one row per recognised product). Returns PDF bytes."""
    with translation.override(PDF_LANGUAGE):
        html = render_to_string("certificates/pdf/decision.html", {"decision": decision, "items": items})
    return _html_to_pdf(html).write_pdf()


def _sample_certificate():
    """An unsaved certificate with every relation the template reads, in Vietnamese (nothing touches the database)."""
    province = AdministrativeUnit(path="2025/22/", code="22", name="Tỉnh Quảng Ninh", level="province")
    commune = AdministrativeUnit(path="2025/22/06649/", code="06649", name="Phường Hà Khánh", parent=province)
    decision = RecognitionDecision(
        number="1/QĐ-UBND",
        date=datetime.date(2026, 1, 1),
        issuing_unit=province,
        issuer_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        signer_title="KT. Chủ tịch — Phó Chủ tịch",
        signer_name="Nguyễn Văn Thắng",
    )
    producer = Producer(name="Hợp tác xã Chè Đường Hoa", address="Thôn Khe Lạc", commune=commune)
    product = Product(
        name="Trà hoa vàng Ba Chẽ", product_set=ProductSet(name="Chè (trà)"), producer=producer, commune=commune
    )
    item = RecognitionItem(decision=decision, product=product, stars=4, total_score=Decimal("80"))
    return Certificate(
        recognition=item,
        product=product,
        serial="OCOP-22-2026-00000",
        token=secrets.token_urlsafe(9),  # a real token's length: the same QR code version
        stars=4,
        valid_from=decision.date,
        valid_until=datetime.date(2029, 1, 1),
    )


@lru_cache(maxsize=1)
def warm_up():
    """Render one sample certificate, once per process. Returns its PDF bytes.

    The first document a process renders pays about a second of one-off costs (fonts, the template, the
    translations, WeasyPrint's and pypdf's first use). A worker calls this before it forks its pool processes,
    so each of them starts warm and a decision's first batch costs what the others do.
    """
    return render_certificates([_sample_certificate()])[0]
