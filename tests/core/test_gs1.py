"""GS1 identifiers: GTIN check digits and Digital Link URIs built and parsed round-trip."""

import pytest

from apps.core.gs1 import (
    DigitalLinkError,
    build_digital_link,
    gtin_check_digit,
    is_valid_gtin,
    parse_digital_link,
    to_gtin14,
)


@pytest.mark.parametrize(
    "gtin",
    ["4006381333931", "96385074", "036000291452", "8934673573337", "10614141000415", "00000000000017", "0000000000017"],
)
def test_valid_gtins_pass_the_check_digit(gtin):
    assert is_valid_gtin(gtin)
    assert to_gtin14(gtin) == gtin.zfill(14)


@pytest.mark.parametrize(
    "gtin", ["4006381333932", "96385075", "8934673573336", "abc", "", "123456789012345", "1234567"]
)
def test_wrong_check_digit_or_length_is_refused(gtin):
    assert not is_valid_gtin(gtin)
    with pytest.raises(DigitalLinkError):
        to_gtin14(gtin)


# A superscript digit passed str.isdigit() and made int() raise (a 500 on the product form); full-width and
# Arabic-Indic digits of a valid GTIN were accepted and stored as they were typed.
@pytest.mark.parametrize("gtin", ["40063813339³", "¹²³⁴⁵⁶⁷⁸", "８９３４６７３５７３３３７", "٨٩٣٤٦٧٣٥٧٣٣٣٧"])  # noqa: RUF001
def test_gtins_in_other_digits_are_refused_without_raising(gtin):
    assert not is_valid_gtin(gtin)
    with pytest.raises(DigitalLinkError):
        to_gtin14(gtin)


def test_check_digit_of_known_body():
    assert gtin_check_digit("400638133393") == "1"
    assert gtin_check_digit("1061414100041") == "5"


@pytest.mark.parametrize(
    ("lot", "serial"),
    [
        ("L2026-001", "0123456789ABC"),
        ("ABC%20", "X"),  # a literal percent sign survives as %25
        ("A&B+C'D", "S(1)*2"),
        ("L?<=>;:", None),
        (None, "K7Q3M2XP9RTAB"),
        (None, None),
    ],
)
def test_digital_link_round_trip(lot, serial):
    uri = build_digital_link("https://ocop.quangninh.gov.vn", "8934673573337", lot, serial)
    assert uri.startswith("https://ocop.quangninh.gov.vn/01/08934673573337")
    assert parse_digital_link(uri) == ("08934673573337", lot, serial)


def test_percent_encoding_is_applied():
    uri = build_digital_link("https://x.vn", "8934673573337", "A%B&C", "1+2")
    assert uri == "https://x.vn/01/08934673573337/10/A%25B%26C/21/1%2B2"


def test_parse_accepts_short_gtins_and_query_strings():
    assert parse_digital_link("/01/8934673573337/21/ABC?linkType=all") == ("08934673573337", None, "ABC")


@pytest.mark.parametrize(
    "uri",
    [
        "https://x.vn/01/8934673573338/21/ABC",  # check digit
        "https://x.vn/02/08934673573337",
        "https://x.vn/01/08934673573337/10/" + "A" * 21,  # lot longer than 20
        "https://x.vn/01/08934673573337/10/l%C3%B4",  # "lô": outside set 82
        "https://x.vn/01/08934673573337/21/a%2Fb",  # slash refused
        "https://x.vn/01/08934673573337/21/a/b",
    ],
)
def test_bad_digital_links_are_refused(uri):
    with pytest.raises(DigitalLinkError):
        parse_digital_link(uri)


@pytest.mark.parametrize("lot", ["lô 1", "A/B", "", "A" * 21])
def test_building_refuses_values_outside_set_82(lot):
    with pytest.raises(DigitalLinkError):
        build_digital_link("https://x.vn", "8934673573337", lot or "x" * 30, None)
