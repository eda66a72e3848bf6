"""Fixtures of the security tests: the registry and cycles fixtures, and hostile files."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cycles.conftest import cycle, make_application, product_x  # noqa: F401
from tests.producers.conftest import producer_y  # noqa: F401


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width, height, name="anh.png"):
    """A PNG of a few hundred bytes whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = zlib.compress(row * 8, 9)  # only a few rows: the header is what matters
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def strict_client(client):
    """A test client that raises the view's exception instead of rendering a 500 page."""
    client.raise_request_exception = True
    return client
