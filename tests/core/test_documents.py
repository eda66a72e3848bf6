"""The shared parts of an official document (Decree 30/2020/NĐ-CP): place and date, number, authority, address."""

from datetime import date

import pytest

from apps.core import documents


@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        ("Thành phố Huế", date(2026, 12, 1), "Huế, ngày 01 tháng 12 năm 2026"),
        ("Tỉnh Quảng Ninh", date(2026, 2, 5), "Quảng Ninh, ngày 05 tháng 02 năm 2026"),
        ("Thành phố Hạ Long", date(2026, 3, 15), "Hạ Long, ngày 15 tháng 3 năm 2026"),
        ("Huyện Kon Rẫy", date(2025, 11, 20), "Kon Rẫy, ngày 20 tháng 11 năm 2025"),
    ],
)
def test_place_and_date_pads_days_below_10_and_january_february(place, day, expected):
    assert documents.place_and_date(place, day) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        ("Phó Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        ("KT. Chủ tịch — Phó Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        ("TM. Ủy ban nhân dân / Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ],
)
def test_authority_lines_sign_on_behalf_of_the_committee(title, expected):
    assert documents.authority_lines(title) == expected


def test_number_and_symbol():
    assert documents.number_and_symbol("123/QĐ-UBND") == "Số: 123/QĐ-UBND"
    assert documents.number_and_symbol("123") == "Số: 123/QĐ-UBND"
    assert documents.number_and_symbol("", "BB-HĐ") == "Số:" + "\xa0" * 10 + "/BB-HĐ"


def test_issuer_lines_split_the_committee_from_its_unit():
    assert documents.issuer_lines("Ủy ban nhân dân tỉnh Quảng Ninh") == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"]
    assert documents.issuer_lines("UBND huyện Hải Hà") == ["ỦY BAN NHÂN DÂN", "HUYỆN HẢI HÀ"]


def test_full_address_goes_down_to_commune_and_province_once(tree):
    assert documents.full_address("Thôn 1", tree.x) == "Thôn 1, Phường Hà Khánh, Thành phố Hạ Long, Tỉnh Quảng Ninh"
    # A unit the typed address already names is not repeated.
    assert (
        documents.full_address("Tổ 5, phường Hà Khánh", tree.x)
        == "Tổ 5, phường Hà Khánh, Thành phố Hạ Long, Tỉnh Quảng Ninh"
    )
