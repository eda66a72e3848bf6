"""The label renderer before the vector writer (WeasyPrint, QR codes from segno as inline SVG), kept for
``bench/stamps.py`` only: it measures the old path next to the new one in the same run."""

from pathlib import Path

import segno
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import HTML

from apps.traceability import labels

TEMPLATE = Path(__file__).with_name("legacy_labels.html")


def label_data(stamps, *, gtin="", lot_code=""):
    out = []
    for stamp in stamps:
        url = labels.stamp_url(stamp["code"], gtin=gtin, lot_code=lot_code)
        qr = segno.make(url, error="m", boost_error=False, micro=False)  # the mask chosen by penalty, as before
        svg = qr.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")
        out.append({"serial": stamp["serial"], "printed": labels.printed_code(stamp["code"]), "svg": mark_safe(svg)})  # noqa: S308
    return out


def render_labels(data, *, product_name, stars, lot_code="", layout="sheet"):
    per_page = labels.LABELS_PER_SHEET if layout == "sheet" else labels.LABELS_PER_ROLL_PAGE
    pages = [data[i : i + per_page] for i in range(0, len(data), per_page)]
    with translation.override(labels.LABEL_LANGUAGE):
        html = Template(TEMPLATE.read_text()).render(
            Context(
                {
                    "pages": pages,
                    "layout": layout,
                    "product_name": product_name,
                    "lot_code": lot_code,
                    "stars": "★" * stars + "☆" * (5 - stars) if stars else "",
                }
            )
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
