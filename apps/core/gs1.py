"""GS1 identifiers: GTIN check digits and GS1 Digital Link URIs (``/01/<GTIN-14>/10/<lot>/21/<serial>``).

Pure functions, no database (and the field validator built on them). Lots and serials are GS1 AI encodable
set 82 strings of at most 20 characters, percent-encoded in the URI path; we refuse ``/`` in them so that a decoded
path still splits unambiguously.
"""

import re
from urllib.parse import quote, unquote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GS1 General Specifications, figure 7.11-1 (set 82), without "/".
_SET_82 = re.compile(r"^[!\"%&'()*+,\-.0-9:;<=>?A-Z_a-z]{1,20}$")
GTIN_LENGTHS = (8, 12, 13, 14)


class DigitalLinkError(ValueError):
    pass


def gtin_check_digit(body):
    """The check digit for the digits of ``body`` (a GTIN without its last digit), GS1 mod-10."""
    total = 0
    for position, digit in enumerate(reversed(body)):
        total += int(digit) * (3 if position % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def is_valid_gtin(value):
    # ASCII digits only: str.isdigit() also takes superscripts (which int() refuses) and full-width or
    # Arabic-Indic digits (which int() reads), and a GTIN in other digits would slip past the uniqueness check.
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) in GTIN_LENGTHS):
        return False
    return gtin_check_digit(value[:-1]) == value[-1]


def to_gtin14(value):
    """A valid GTIN-8/12/13/14 left-padded to 14 digits; raises DigitalLinkError otherwise."""
    value = (value or "").strip()
    if not is_valid_gtin(value):
        raise DigitalLinkError("invalid GTIN")
    return value.zfill(14)


def is_valid_ai_value(value):
    return bool(_SET_82.match(value or ""))


def _encode(value):
    if not is_valid_ai_value(value):
        raise DigitalLinkError(f"not a GS1 AI value: {value!r}")
    return quote(value, safe="")


def digital_link_path(gtin, lot=None, serial=None):
    path = f"/01/{to_gtin14(gtin)}"
    if lot:
        path += f"/10/{_encode(lot)}"
    if serial:
        path += f"/21/{_encode(serial)}"
    return path


def build_digital_link(base, gtin, lot=None, serial=None):
    """``base`` is ``https://domain`` (no trailing slash)."""
    return base.rstrip("/") + digital_link_path(gtin, lot, serial)


_PATH = re.compile(r"^/01/(?P<gtin>\d{8,14})(?:/10/(?P<lot>[^/]+))?(?:/21/(?P<serial>[^/]+))?/?$")


def parse_digital_link(uri):
    """``(gtin14, lot, serial)`` from a Digital Link URI or path (lot and serial may be None)."""
    path = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+", "", (uri or "").split("?", 1)[0].split("#", 1)[0])
    match = _PATH.match(path)
    if not match:
        raise DigitalLinkError("not a GS1 Digital Link path")
    gtin = to_gtin14(match["gtin"])
    parts = []
    for name in ("lot", "serial"):
        raw = match[name]
        if raw is None:
            parts.append(None)
            continue
        value = unquote(raw)
        if not is_valid_ai_value(value):
            raise DigitalLinkError(f"invalid {name}")
        parts.append(value)
    return gtin, parts[0], parts[1]


def validate_gtin(value):
    """Field validator: an empty value, or a GTIN of 8, 12, 13 or 14 digits whose check digit is right."""
    if value and not is_valid_gtin(value):
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits and a correct check digit (the last digit)."), code="bad_gtin"
        )
