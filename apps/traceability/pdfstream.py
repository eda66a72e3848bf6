"""A small streaming PDF writer for stamp labels: embedded TrueType fonts, one Form XObject, pages written one by one.

Label sheets are the same drawing repeated 100,000 times with a different QR code and code text, so a layout
engine is the wrong tool (WeasyPrint parsed one SVG path per label: 60 ms a label). Here each page is a content
stream of PDF operators written straight to the output file; only the offsets of the objects stay in memory.

Fonts are embedded as CID fonts (Identity-H) subset with fontTools keeping the original glyph ids, so text is
encoded from the font's own cmap before the subset exists, a ToUnicode map lets readers (pypdf, search, copy)
get the Vietnamese text back.
"""

import io
import logging
import unicodedata
import zlib
from typing import IO

from fontTools import subset
from fontTools.ttLib import TTFont

MM = 72 / 25.4
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # it reports every table it drops


def num(value: float) -> str:
    """A PDF number: at most 3 decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


class Font:
    """One TrueType font: widths and glyph ids from its cmap; embedded (subset) when the document is closed."""

    def __init__(self, path: str, resource: str):
        self.path = path
        self.resource = resource
        self.font = TTFont(path, lazy=True)
        self.cmap = self.font.getBestCmap()
        self.units = self.font["head"].unitsPerEm
        self.hmtx = self.font["hmtx"]
        self.order = self.font.getGlyphOrder()
        self.used: dict[int, str] = {}
        self._hex: dict[str, str] = {}

    def has(self, char: str) -> bool:
        return ord(char) in self.cmap

    def clean(self, text: str) -> str:
        """``text`` in NFC without the characters this font cannot draw (they would print as boxes)."""
        return "".join(c for c in unicodedata.normalize("NFC", text) if self.has(c))

    def width(self, text: str, size: float) -> float:
        return sum(self.hmtx[self.cmap[ord(c)]][0] for c in text if ord(c) in self.cmap) * size / self.units

    def encode(self, text: str) -> bytes:
        """``<hex glyph ids>`` for a ``Tj`` operator; records the glyphs for the subset."""
        out = []
        for char in text:
            code = self._hex.get(char)
            if code is None:
                name = self.cmap.get(ord(char))
                if name is None:
                    continue
                gid = self.font.getGlyphID(name)
                self.used[gid] = char
                code = self._hex[char] = f"{gid:04X}"
            out.append(code)
        return ("<" + "".join(out) + ">").encode("ascii")

    def subset_bytes(self) -> bytes:
        options = subset.Options()
        options.retain_gids = True  # the content streams already carry the original glyph ids
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.layout_features = []
        options.hinting = False
        font = TTFont(self.path)
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted({0, *self.used}))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()

    def postscript_name(self) -> str:
        name = self.font["name"].getDebugName(6) or "DejaVuSans"
        return "".join(c for c in name if c.isalnum() or c == "-")


class PdfStream:
    """Writes a PDF to ``out`` object by object. Pages share one resource dictionary (fonts and forms).

    Usage: declare fonts, add forms, then ``page()`` for each page, then ``close()``.
    """

    def __init__(self, out: IO[bytes], *, compress_level: int = 6):
        self.out = out
        self.level = compress_level
        self.offsets: dict[int, int] = {}
        self.next_id = 4  # 1 catalog, 2 page tree, 3 shared resources: written last, numbers known now
        self.page_ids: list[int] = []
        self.fonts: list[tuple[Font, int]] = []
        self.forms: dict[str, int] = {}
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.out.write(data)

    def _tell(self) -> int:
        return self.out.tell()

    def reserve(self) -> int:
        number = self.next_id
        self.next_id += 1
        return number

    def obj(self, number: int, body: bytes) -> None:
        self.offsets[number] = self._tell()
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def stream(self, number: int, data: bytes, extra: bytes = b"", *, compressed: bool = False) -> None:
        if not compressed:
            data = zlib.compress(data, self.level)
        head = b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(data), extra)
        self.offsets[number] = self._tell()
        self._write(b"%d 0 obj\n" % number + head)
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def add_font(self, font: Font) -> None:
        """Declare ``font`` (its objects are written at ``close``, when the glyphs used are known)."""
        self.fonts.append((font, self.reserve()))

    def add_form(self, name: str, content: bytes, *, width: float, height: float) -> None:
        """A Form XObject drawn with ``/name Do``; it uses the shared resources."""
        number = self.reserve()
        extra = b"/Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources 3 0 R " % (
            num(width).encode(),
            num(height).encode(),
        )
        self.stream(number, content, extra)
        self.forms[name] = number

    def page(self, content: bytes, *, width: float, height: float, compressed: bool = False) -> None:
        contents = self.reserve()
        self.stream(contents, content, compressed=compressed)
        number = self.reserve()
        self.obj(
            number,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources 3 0 R /Contents %d 0 R >>"
            % (num(width).encode(), num(height).encode(), contents),
        )
        self.page_ids.append(number)

    @staticmethod
    def compress_bytes(content: bytes, level: int = 6) -> bytes:
        """A page stream compressed ahead (a stored part), for ``page(..., compressed=True)``."""
        return zlib.compress(content, level)

    def _embed(self, font: Font, number: int) -> None:
        data = font.subset_bytes()
        file_id, descriptor, cid_font, to_unicode = (self.reserve() for _ in range(4))
        self.stream(file_id, data, b"/Length1 %d " % len(data))
        head, hhea = font.font["head"], font.font["hhea"]
        scale = 1000 / font.units
        os2 = font.font["OS/2"]
        cap = getattr(os2, "sCapHeight", 0) or hhea.ascent
        tag = "".join(chr(65 + (number * 7 + i * 3) % 26) for i in range(6))
        base = f"{tag}+{font.postscript_name()}".encode("ascii")
        bbox = " ".join(num(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)).encode()
        self.obj(
            descriptor,
            b"<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%s] /ItalicAngle 0 /Ascent %s /Descent %s"
            b" /CapHeight %s /StemV 80 /FontFile2 %d 0 R >>"
            % (
                base,
                bbox,
                num(hhea.ascent * scale).encode(),
                num(hhea.descent * scale).encode(),
                num(cap * scale).encode(),
                file_id,
            ),
        )
        widths = b" ".join(
            b"%d [%s]" % (gid, num(font.hmtx[font.order[gid]][0] * scale).encode()) for gid in sorted(font.used)
        )
        self.obj(
            cid_font,
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe)"
            b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 1000"
            b" /W [%s] >>" % (base, descriptor, widths),
        )
        self.stream(to_unicode, to_unicode_cmap(font.used))
        self.obj(
            number,
            b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R]"
            b" /ToUnicode %d 0 R >>" % (base, cid_font, to_unicode),
        )

    def close(self) -> int:
        """Write fonts, resources, page tree, catalog and cross-reference table. Returns the page count."""
        for font, number in self.fonts:
            self._embed(font, number)
        fonts = b" ".join(b"/%s %d 0 R" % (f.resource.encode(), n) for f, n in self.fonts)
        forms = b" ".join(b"/%s %d 0 R" % (name.encode(), n) for name, n in self.forms.items())
        self.obj(3, b"<< /Font << %s >> /XObject << %s >> /ProcSet [/PDF /Text] >>" % (fonts, forms))
        kids = b" ".join(b"%d 0 R" % n for n in self.page_ids)
        self.obj(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(self.page_ids), kids))
        self.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        xref = self._tell()
        size = self.next_id
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self.offsets.get(number)
            lines.append(b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 65535 f \n")
        self._write(b"".join(lines))
        self._write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
        return len(self.page_ids)


def to_unicode_cmap(used: dict[int, str]) -> bytes:
    entries = [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in sorted(used.items())]
    blocks = []
    for i in range(0, len(entries), 100):
        chunk = entries[i : i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")
