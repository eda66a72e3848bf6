"""Certificates and decisions in the official document format (Decree 30/2020/NĐ-CP), read back from the PDFs."""

import pytest

from apps.certificates import rendering

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _flat(text):
    return " ".join(text.split())


def test_certificate_has_issuer_motto_place_date_authority_and_full_address(issue):
    _decision, (cert,) = issue(1)
    pages, text = pdf_text(rendering.render_certificates([cert])[0])
    text = _flat(text)
    assert pages == 1
    for line in [*MOTTO, "ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH", f"Số: {cert.serial}"]:
        assert line in text
    assert "Quảng Ninh, ngày 15 tháng 3 năm 2026" in text  # the decision's place and date
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn Thắng" in text
    assert "Phường Hà Khánh, Thành phố Hạ Long, Tỉnh Quảng Ninh" in text


def test_decision_has_number_symbol_place_date_authority_and_recipients(issue):
    decision, _certs = issue(2)
    items = list(decision.items.select_related("product__producer__commune__parent__parent", "certificate"))
    _pages, text = pdf_text(rendering.render_decision_document(decision, items))
    text = _flat(text)
    for line in [*MOTTO, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", f"Số: {decision.number}"]:
        assert line in text
    assert "Quảng Ninh, ngày 15 tháng 3 năm 2026" in text
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text
    assert "Nơi nhận:" in text
    assert "78,50" in text and "78.50" not in text
    assert "Phường Hà Khánh, Thành phố Hạ Long, Tỉnh Quảng Ninh" in text
