"""Stamp labels as PDF vector drawing (QR matrices from qrfast, text in embedded DejaVu fonts) and the codes as CSV.

Each label is the same drawing with a different QR code and code: the frame, "OCOP", the stars and the product
name are one Form XObject per document; a label adds only its QR code (one filled rectangle per run of dark
modules) and its printed code. The generation service renders a part (a few thousand labels) at a time into
length-prefixed compressed page streams (:func:`write_part`) and :func:`assemble` streams the parts into the final
PDF, so neither step holds more than a part in memory. Pure functions over plain values, no database.
"""

import csv
import re
import struct
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.core.gs1 import build_digital_link

from . import qrfast
from .pdfstream import MM, Font, PdfStream, num

LABEL_LANGUAGE = "vi"
SHEET_COLUMNS, SHEET_ROWS = 5, 13  # 38 × 21 mm labels on A4
LABELS_PER_SHEET = SHEET_COLUMNS * SHEET_ROWS
LABELS_PER_ROLL_PAGE = 10
CSV_HEADER = ["serial", "code", "url", "product", "lot", "gtin"]

LABEL_W, LABEL_H = 38 * MM, 21 * MM
PAGES = {  # page size, the top-left corner of the first label, labels per row and per page
    "sheet": {"size": (210 * MM, 297 * MM), "origin": (10 * MM, 9 * MM), "columns": SHEET_COLUMNS},
    "roll": {"size": (42 * MM, 220 * MM), "origin": (2 * MM, 2 * MM), "columns": 1},
}
PER_PAGE = {"sheet": LABELS_PER_SHEET, "roll": LABELS_PER_ROLL_PAGE}

QR_SIZE, QR_BORDER = 17.5 * MM, 2  # the code with its quiet zone, in the label's top-left corner
PADDING = 1.5 * MM
TEXT_X, TEXT_W = PADDING + QR_SIZE + 0.5 * MM, 16.5 * MM
# QR codes at level M (survives a scuffed label), mask fixed (qrfast).
CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"
NAME_SIZE, NAME_LINES = 4, 2
RED, GOLD = b"0.69 0.063 0.102 rg", b"0.769 0.541 0 rg"


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


def stamp_url_maker(*, gtin="", lot_code=""):
    """``code -> stamp_url(code, ...)`` for a whole batch: the URL is reversed once (reversing it per stamp took
    longer than drawing the label). Codes are Crockford base-32, so they appear in the URL as they are."""
    probe = "0" * 13
    head, _, tail = stamp_url(probe, gtin=gtin, lot_code=lot_code).rpartition(probe)
    return lambda code: f"{head}{code}{tail}"


def qr_rows(url):
    """The QR code's modules (rows of 0/1 bytes, no quiet zone); the short URL fits version 4 (33 × 33)."""
    return qrfast.qr_matrix(url)


def printed_code(code):
    """The code as printed for manual entry, in groups: ``ABCD-EFGH-JKMNP``."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def stars_text(stars):
    return "★" * stars + "☆" * (5 - stars) if stars else ""


_DARK_RUN = re.compile(b"\x01+")


def qr_operators(matrix) -> bytes:
    """The QR code of a label in label coordinates: one rectangle per horizontal run of dark modules."""
    modules = len(matrix) + 2 * QR_BORDER
    m = QR_SIZE / modules
    x0, y0 = PADDING + QR_BORDER * m, LABEL_H - PADDING - QR_BORDER * m
    rects = [
        b"%d %d %d 1 re" % (run.start(), y, run.end() - run.start())
        for y, row in enumerate(matrix)
        for run in _DARK_RUN.finditer(row)
    ]
    head = b"q %s 0 0 %s %s %s cm 0 g " % (num(m).encode(), num(-m).encode(), num(x0).encode(), num(y0).encode())
    return head + b" ".join(rects) + b" f Q"


def _fonts_dir() -> Path:
    return Path(settings.OCOP_LABEL_FONT_DIR)


class LabelDocument:
    """The drawing shared by every label of a batch (fonts, the Form XObject) and the pages of labels."""

    def __init__(self, *, product_name: str, stars: int | None):
        fonts = _fonts_dir()
        self.brand = Font(str(fonts / "DejaVuSans-Bold.ttf"), "F1")
        self.text = Font(str(fonts / "DejaVuSans.ttf"), "F2")
        self.mono = Font(str(fonts / "DejaVuSansMono-Bold.ttf"), "F3")
        self.stars = stars_text(stars)
        self.name_lines = self._wrap(self.text.clean(product_name), NAME_SIZE, TEXT_W, NAME_LINES)
        self.mono.encode(CODE_CHARS)  # every glyph a code may use, so parts made by other tasks match the subset

    def _wrap(self, text: str, size: float, width: float, lines: int) -> list[str]:
        """Greedy word wrap into ``lines`` lines; the last one cut with an ellipsis when the text is longer."""
        out: list[str] = []
        words = text.split()
        while words and len(out) < lines:
            line = words.pop(0)
            while words and self.text.width(f"{line} {words[0]}", size) <= width:
                line = f"{line} {words.pop(0)}"
            out.append(line)
        if words or (out and self.text.width(out[-1], size) > width):
            last = out[-1] + (" " + " ".join(words) if words else "")
            while last and self.text.width(last + "…", size) > width:
                last = last[:-1].rstrip()
            out[-1] = last + "…"
        return out

    @cached_property
    def form(self) -> bytes:
        """Frame, "OCOP", stars and product name: drawn once per document, used by every label."""
        ops = [
            b"0.2 w 0.733 g 0.733 G [1.2 1.2] 0 d 0.1 0.1 %s %s re S"
            % (
                num(LABEL_W - 0.2).encode(),
                num(LABEL_H - 0.2).encode(),
            )
        ]
        ops.append(self._text(self.brand, 8, LABEL_H - 4.25 * MM, "OCOP", RED))
        if self.stars:
            ops.append(self._text(self.text, 7, LABEL_H - 7.4 * MM, self.stars, GOLD, spacing=0.3))
        for i, line in enumerate(self.name_lines):
            ops.append(self._text(self.text, NAME_SIZE, LABEL_H - (9.6 + 1.7 * i) * MM, line, b"0.2 g"))
        return b"\n".join(ops)

    @staticmethod
    def _text(font: Font, size: float, y: float, text: str, color: bytes, *, spacing: float = 0) -> bytes:
        tc = b" %s Tc" % num(spacing).encode() if spacing else b""
        return b"BT %s /%s %s Tf%s %s %s Td %s Tj ET" % (
            color,
            font.resource.encode(),
            num(size).encode(),
            tc,
            num(TEXT_X).encode(),
            num(y).encode(),
            font.encode(text),
        )

    def label(self, code: str, url: str) -> bytes:
        """One label's own operators (label coordinates): its QR code and its printed code."""
        text = self._text(self.mono, 4.6, LABEL_H - 13.7 * MM, printed_code(code), b"0 g")
        return qr_operators(qr_rows(url)) + b"\n" + text

    def pages(self, label_ops: list[bytes], layout: str) -> Iterator[bytes]:
        """The content stream of each page of ``layout`` holding ``label_ops`` in order."""
        spec = PAGES[layout]
        (_w, height), (left, top), columns = spec["size"], spec["origin"], spec["columns"]
        per_page = PER_PAGE[layout]
        for first in range(0, len(label_ops), per_page):
            out = []
            for i, ops in enumerate(label_ops[first : first + per_page]):
                row, column = divmod(i, columns)
                x, y = left + column * LABEL_W, height - top - (row + 1) * LABEL_H
                out.append(b"q 1 0 0 1 %s %s cm /L Do\n%s\nQ" % (num(x).encode(), num(y).encode(), ops))
            yield b"\n".join(out)

    def writer(self, out: IO[bytes]) -> PdfStream:
        pdf = PdfStream(out)
        for font in (self.brand, self.text, self.mono):
            pdf.add_font(font)
        pdf.add_form("L", self.form, width=LABEL_W, height=LABEL_H)
        return pdf


def label_ops(document: LabelDocument, stamps: Iterable[Mapping[str, Any]], *, gtin="", lot_code="") -> list[bytes]:
    """The operators of each stamp's label (dicts with ``serial`` and ``code``)."""
    url = stamp_url_maker(gtin=gtin, lot_code=lot_code)
    return [document.label(s["code"], url(s["code"])) for s in stamps]


def write_part(out: IO[bytes], document: LabelDocument, ops: list[bytes], layout: str) -> int:
    """Write the pages of ``ops`` as length-prefixed compressed content streams. Returns the page count."""
    count = 0
    for content in document.pages(ops, layout):
        data = PdfStream.compress_bytes(content)
        out.write(struct.pack(">I", len(data)))
        out.write(data)
        count += 1
    return count


def read_part(part: IO[bytes]) -> Iterator[bytes]:
    while head := part.read(4):
        (length,) = struct.unpack(">I", head)
        yield part.read(length)


def assemble(out: IO[bytes], document: LabelDocument, parts: Iterable[IO[bytes]], layout: str) -> int:
    """Stream the pages of ``parts`` (from :func:`write_part`, in order) into one PDF. Returns the page count."""
    pdf = document.writer(out)
    width, height = PAGES[layout]["size"]
    for part in parts:
        for data in read_part(part):
            pdf.page(data, width=width, height=height, compressed=True)
    return pdf.close()


def write_codes_csv(out: IO[str], rows: Iterable[Mapping[str, Any]], *, gtin="", lot_code="", product_name="") -> None:
    """The CSV for a label printer: one line per stamp, UTF-8 with BOM so spreadsheet software reads it."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    url = stamp_url_maker(gtin=gtin, lot_code=lot_code)
    writer.writerows([row["serial"], row["code"], url(row["code"]), product_name, lot_code, gtin] for row in rows)
