"""One address for a certificate's verification page: the catalogue, the API and the printed QR code share it."""

from django.utils import translation

from apps.certificates import rendering
from apps.certificates.models import Certificate, verification_path


def test_verification_path_follows_the_active_language():
    with translation.override("vi"):
        assert verification_path("Ab3") == "/xac-thuc/Ab3/"
        assert Certificate(token="Ab3").verification_path == "/xac-thuc/Ab3/"
    with translation.override("en"):
        assert verification_path("Ab3") == "/en/xac-thuc/Ab3/"
        assert Certificate(token="Ab3").verification_path == "/en/xac-thuc/Ab3/"


def test_printed_verification_url_is_the_vietnamese_path_on_the_site_domain(settings):
    settings.SITE_DOMAIN, settings.SITE_SCHEME = "ocop.quangninh.gov.vn", "https"
    with translation.override("en"):
        assert rendering.verification_url("Ab3") == "https://ocop.quangninh.gov.vn/xac-thuc/Ab3/"
