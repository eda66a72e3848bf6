"""The fast QR matrices are segno's, module for module, at every version a stamp URL can take (and past the
capacity boundaries of each); what it does not handle goes to segno."""

import random
import string

import pytest
import segno
from segno import consts

from apps.traceability import labels, qrfast


def _segno_rows(text, version=None):
    code = segno.make(text, error="m", mode="byte", mask=qrfast.MASK, version=version, micro=False, boost_error=False)
    return [bytes(row) for row in code.matrix]


@pytest.mark.parametrize("version", range(1, qrfast.MAX_VERSION + 1))
def test_matrices_equal_segnos_at_each_version_and_its_boundaries(version):
    rng = random.Random(version)  # noqa: S311 - reproducible test data
    capacity = (consts.SYMBOL_CAPACITY[version][consts.ERROR_LEVEL_M] - 12) // 8  # bytes in byte mode
    smaller = (consts.SYMBOL_CAPACITY[version - 1][consts.ERROR_LEVEL_M] - 12) // 8 if version > 1 else 0
    lengths = {smaller + 1, capacity - 1, capacity, *(rng.randint(smaller + 1, capacity) for _ in range(20))}
    alphabet = string.ascii_letters + string.digits + "/:.-%&?=_~"
    for length in sorted(lengths):
        text = "".join(rng.choice(alphabet) for _ in range(length))
        assert qrfast.version_for(length) == version
        assert qrfast.qr_matrix(text) == _segno_rows(text, version), length


def test_stamp_urls_equal_segnos(settings):
    settings.SITE_DOMAIN, settings.SITE_SCHEME = "ocop.quangninh.gov.vn", "https"
    rng = random.Random(7)  # noqa: S311 - reproducible test data
    for _ in range(50):
        code = "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(13))
        for url in (labels.short_url(code), labels.stamp_url(code, gtin="8934673573337", lot_code="L2026-001")):
            assert qrfast.qr_matrix(url) == _segno_rows(url)


def test_what_byte_mode_up_to_version_9_cannot_hold_goes_to_segno():
    long_text = "x" * 300
    assert qrfast.version_for(len(long_text)) is None
    expected = segno.make(long_text, error="m", mask=qrfast.MASK, boost_error=False, micro=False)
    assert qrfast.qr_matrix(long_text) == [bytes(r) for r in expected.matrix]
    wide = "Chè Khe Lạc"  # not ISO 8859-1
    expected = segno.make(wide, error="m", mask=qrfast.MASK, boost_error=False, micro=False)
    assert qrfast.qr_matrix(wide) == [bytes(r) for r in expected.matrix]
