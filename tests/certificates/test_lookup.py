"""/xac-thuc/ without a token: a form to type a certificate's serial number or code."""

import pytest
from django.urls import reverse

from apps.certificates.services import certificate_revoke

pytestmark = pytest.mark.django_db

URL = "/xac-thuc/"


def test_lookup_page_offers_a_form(client):
    assert reverse("verify:lookup") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="ma"' in response.text
    assert "Tra cứu giấy chứng nhận OCOP" in response.text


@pytest.mark.parametrize("typed", ["serial", "lowercase serial", "token"])
def test_lookup_by_serial_or_code_shows_the_record(client, issue, typed):
    _decision, (cert,) = issue(1)
    code = {"serial": cert.serial, "lowercase serial": f"  {cert.serial.lower()} ", "token": cert.token}[typed]
    response = client.get(URL, {"ma": code})
    assert response.status_code == 200
    assert "Giấy chứng nhận còn hiệu lực" in response.text
    assert cert.serial in response.text and cert.product.name in response.text


def test_lookup_of_a_revoked_certificate_says_so(client, issue, users):

    _decision, (cert,) = issue(1)
    certificate_revoke(certificate=cert, reason="Vi phạm an toàn thực phẩm", by=users.province)
    text = client.get(URL, {"ma": cert.serial}).text
    assert "Vi phạm an toàn thực phẩm" in text and "Giấy chứng nhận còn hiệu lực" not in text


def test_lookup_of_an_unknown_code_says_not_genuine_and_keeps_the_form(client, issue):
    issue(1)
    response = client.get(URL, {"ma": "OCOP-22-2026-99999"})
    assert response.status_code == 404
    assert "Không phải giấy chứng nhận chính thức" in response.text or "không có giấy chứng nhận" in response.text
    assert "OCOP-22-2026-99999" in response.text
    assert 'name="ma"' in response.text
