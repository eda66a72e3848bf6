"""Stamp labels as PDF (WeasyPrint, QR codes from segno as inline SVG) and the codes as CSV.

Pure functions over plain values, no database: the generation service feeds them one part (a few thousand
labels) at a time and merges the parts with pypdf, so a batch of 100,000 never sits in one layout.
"""

import csv
import io

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from apps.core.gs1 import build_digital_link

LABEL_LANGUAGE = "vi"
SHEET_COLUMNS, SHEET_ROWS = 5, 13  # 38 × 21 mm labels on A4
LABELS_PER_SHEET = SHEET_COLUMNS * SHEET_ROWS
LABELS_PER_ROLL_PAGE = 10
CSV_HEADER = ["serial", "code", "url", "product", "lot", "gtin"]


def site_base():
    return f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}"


def short_url(code):
    with translation.override(LABEL_LANGUAGE):
        path = reverse("trace_scan:stamp", kwargs={"code": code})
    return site_base() + path


def stamp_url(code, *, gtin="", lot_code=""):
    """What the QR code carries: a GS1 Digital Link when the product has a GTIN, else the short URL."""
    if gtin:
        return build_digital_link(site_base(), gtin, lot_code or None, code)
    return short_url(code)


def qr_code(url):
    # Level M survives a scuffed label; the short URL fits version 4 (33 × 33 modules) or lower.
    return segno.make(url, error="m", boost_error=False, micro=False)


def printed_code(code):
    """The code as printed for manual entry, in groups: ``ABCD-EFGH-JKMNP``."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def _label(stamp, gtin, lot_code):
    url = stamp_url(stamp["code"], gtin=gtin, lot_code=lot_code)
    svg = qr_code(url).svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")
    return {"serial": stamp["serial"], "printed": printed_code(stamp["code"]), "svg": mark_safe(svg)}  # noqa: S308


def label_data(stamps, *, gtin="", lot_code=""):
    """QR code (inline SVG) and printed code of each stamp (dicts with ``serial`` and ``code``)."""
    return [_label(s, gtin, lot_code) for s in stamps]


def render_labels(labels, *, product_name, stars, lot_code="", layout="sheet"):
    """PDF bytes for ``labels`` (from :func:`label_data`), as A4 sheets or as a roll."""
    per_page = LABELS_PER_SHEET if layout == "sheet" else LABELS_PER_ROLL_PAGE
    pages = [labels[i : i + per_page] for i in range(0, len(labels), per_page)]
    with translation.override(LABEL_LANGUAGE):
        html = render_to_string(
            "traceability/pdf/labels.html",
            {
                "pages": pages,
                "layout": layout,
                "product_name": product_name,
                "lot_code": lot_code,
                # Glyphs, not images: one image per star on 100,000 labels multiplies the layout time.
                "stars": "★" * stars + "☆" * (5 - stars) if stars else "",
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def merge_pdfs(paths_or_files, out):
    """Append the pages of each part to ``out`` (a binary file) with pypdf. Returns the page count."""
    writer = PdfWriter()
    for part in paths_or_files:
        writer.append(PdfReader(part))
    writer.write(out)
    return len(writer.pages)


def codes_csv(rows, *, gtin="", lot_code="", product_name=""):
    """The CSV for a label printer: one line per stamp, UTF-8 with BOM so spreadsheet software reads it."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                row["serial"],
                row["code"],
                stamp_url(row["code"], gtin=gtin, lot_code=lot_code),
                product_name,
                lot_code,
                gtin,
            ]
        )
    return out.getvalue()
