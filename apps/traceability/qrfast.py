"""QR matrices for stamp URLs, byte mode at a fixed mask, in a fifth of segno's time.

A batch draws 100,000 QR codes of the same shape; segno rebuilds the function patterns and walks the placement
path for each one. Here they are built once per version: the matrix of a message whose bits are all 0 (function
patterns, format and version information from segno itself, the mask on the data modules) and the module each
message bit lands on. A code is then its codewords (byte mode, Reed–Solomon from segno's tables) with one XOR per
1 bit. ``tests/traceability/test_qrfast.py`` checks the matrices equal segno's, module for module.
"""

from functools import cache

import segno
from segno import consts, encoder

from apps.core.qr import QR_MASK

ERROR = consts.ERROR_LEVEL_M
# The portal's one mask for printed codes (apps.core.qr): mask 2 is column mod 3 == 0.
MASK = QR_MASK
MAX_VERSION = 9  # byte mode's count is 8 bits up to version 9; longer data goes to segno
_PAD = (0xEC, 0x11)
_UNSET = 0x2  # what segno's make_matrix puts on modules no pattern has claimed: the data modules
_TIMING_COLUMN = 6


def _mask(row: int, column: int) -> int:
    return int(column % 3 == 0)


class _Shape:
    """What every code of one version shares."""

    def __init__(self, version: int):
        self.version = version
        self.size = size = 17 + 4 * version
        self.data_codewords = consts.SYMBOL_CAPACITY[version][ERROR] // 8
        self.blocks = [
            (ec.num_data, ec.num_total - ec.num_data) for ec in consts.ECC[version][ERROR] for _ in range(ec.num_blocks)
        ]
        reference = segno.make("0", error="m", version=version, mode="byte", mask=MASK, micro=False, boost_error=False)
        self.positions = self._placement(size, self._data_modules(version, size))
        base = bytearray(b"".join(bytes(row) for row in reference.matrix))
        for p in self.positions:
            base[p] = _mask(*divmod(p, size))
        self.base = bytes(base)

    @staticmethod
    def _data_modules(version: int, size: int) -> set[tuple[int, int]]:
        matrix = encoder.make_matrix(size, size)
        encoder.add_finder_patterns(matrix, size, size)
        encoder.add_alignment_patterns(matrix, size, size)
        return {(i, j) for i in range(size) for j in range(size) if matrix[i][j] == _UNSET}

    @staticmethod
    def _placement(size: int, free: set[tuple[int, int]]) -> list[int]:
        """The zigzag of ISO/IEC 18004 7.7.3: two-module columns from the right, up and down in turn."""
        out = []
        upwards = True
        right = size - 1
        while right > 0:
            if right == _TIMING_COLUMN:
                right -= 1  # the placement skips the vertical timing pattern
            rows = range(size - 1, -1, -1) if upwards else range(size)
            for i in rows:
                for j in (right, right - 1):
                    if (i, j) in free:
                        out.append(i * size + j)
            upwards = not upwards
            right -= 2
        return out

    def codewords(self, data: bytes) -> list[int]:
        n = len(data)
        value = (((0x4 << 8) | n) << (8 * n) | int.from_bytes(data, "big")) << 4  # mode, count, data, terminator
        # segno pads a stream that already ends on a byte boundary with a whole 0 byte before the pad codewords;
        # so do we, so the codes are segno's, module for module (decoders stop at the terminator).
        words = [*value.to_bytes(n + 2, "big"), 0][: self.data_codewords]
        words.extend(_PAD[i % 2] for i in range(self.data_codewords - len(words)))
        data_blocks, ecc_blocks, at = [], [], 0
        log, exp = consts.GALIOS_LOG, consts.GALIOS_EXP
        for num_data, num_ecc in self.blocks:
            block = words[at : at + num_data]
            at += num_data
            gen = consts.GEN_POLY[num_ecc]
            rem = [*block, *([0] * num_ecc)]
            for k in range(num_data):
                coef = rem[k]
                if coef:
                    lc = log[coef]
                    for m in range(num_ecc):
                        rem[k + m + 1] ^= exp[lc + gen[m]]
            data_blocks.append(block)
            ecc_blocks.append(rem[num_data:])
        out = []
        for blocks in (data_blocks, ecc_blocks):
            for i in range(max(len(b) for b in blocks)):
                out.extend(b[i] for b in blocks if i < len(b))
        return out

    def matrix(self, data: bytes) -> list[bytes]:
        flat = bytearray(self.base)
        positions = self.positions
        for k, word in enumerate(self.codewords(data)):
            if word:
                base = 8 * k
                for bit in range(8):
                    if word & (0x80 >> bit):
                        flat[positions[base + bit]] ^= 1
        size = self.size
        return [bytes(flat[i : i + size]) for i in range(0, size * size, size)]


@cache
def _shape(version: int) -> _Shape:
    return _Shape(version)


def version_for(length: int) -> int | None:
    """The smallest version holding ``length`` bytes in byte mode at level M, or None above MAX_VERSION."""
    for version in range(1, MAX_VERSION + 1):
        if consts.SYMBOL_CAPACITY[version][ERROR] - 12 >= 8 * length:
            return version
    return None


def qr_matrix(text: str) -> list[bytes]:
    """The rows of the QR code of ``text`` (1 = dark), no quiet zone: byte mode, level M, mask 2."""
    try:
        data = text.encode("iso-8859-1")
    except UnicodeEncodeError:
        data = b""
        version = None
    else:
        version = version_for(len(data))
    if version is None:  # not what a stamp URL is: let segno choose the encoding and the version
        code = segno.make(text, error="m", mask=MASK, boost_error=False, micro=False)
        return [bytes(row) for row in code.matrix]
    return _shape(version).matrix(data)
