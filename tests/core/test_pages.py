"""Home page, dashboard, navigation, languages and the error pages."""

import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_speaks_vietnamese_by_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Mỗi xã một sản phẩm" in html
    assert "Xúc tiến thương mại" in html


def test_home_page_in_english_under_en_prefix(client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "One Commune One Product" in html
    assert "Trade promotion" in html


def test_login_page_is_in_vietnamese(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập" in html
    assert "Mật khẩu" in html


def test_dashboard_shows_role_navigation(client, users):
    client.force_login(users.province)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Cán bộ tỉnh" in html
    assert "Mời người dùng" in html
    assert "Quản trị hệ thống" not in html
    assert reverse("mfa_index") in html and "Bảo mật tài khoản" in html


def test_commune_officer_navigation_has_no_invite_of_staff(client, users):
    client.force_login(users.commune_x)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Cán bộ xã" in html
    assert "Đơn vị của tôi" in html


def test_admin_navigation_links_to_django_admin(client, users):
    client.force_login(users.admin)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("admin:index") in html


def test_dashboard_requires_login(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302


def test_404_page_is_vietnamese(client):
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_500_template_is_vietnamese():
    html = (settings.BASE_DIR / "templates" / "500.html").read_text()
    assert "Đã xảy ra lỗi" in html


def test_vietnamese_translation_is_complete():
    """Every string makemessages extracted into django.po has a Vietnamese translation in some vi .po file."""

    lc_messages = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES"
    translated = set()
    for po_path in lc_messages.glob("*.po"):
        translated |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)).translated_entries()}
    po = polib.pofile(str(lc_messages / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (e.msgctxt, e.msgid) not in translated]
    assert missing == []


def test_check_deploy_with_prod_settings_reports_nothing():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Vx9#q2Lm!8rT@4zW&6yBn0pQs3Df5Gh7Jk",
        "DJANGO_ALLOWED_HOSTS": "ocop.example.gov.vn",
        "OCOP_SITE_DOMAIN": "ocop.example.gov.vn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_prod_settings_refuse_to_start_without_a_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.prod"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("domain", [None, "", "127.0.0.1:8000", "localhost"])
def test_prod_settings_refuse_to_start_without_a_public_site_domain(domain):
    # A printed QR code must never point at 127.0.0.1: production names its public domain or does not start.
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Vx9#q2Lm!8rT@4zW&6yBn0pQs3Df5Gh7Jk",
        "DJANGO_ALLOWED_HOSTS": "ocop.example.gov.vn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        **({"OCOP_SITE_DOMAIN": domain} if domain is not None else {}),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "OCOP_SITE_DOMAIN" in result.stderr


def test_prod_settings_use_the_public_domain_for_qr_codes():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Vx9#q2Lm!8rT@4zW&6yBn0pQs3Df5Gh7Jk",
        "DJANGO_ALLOWED_HOSTS": "ocop.example.gov.vn",
        "OCOP_SITE_DOMAIN": "ocop.example.gov.vn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    code = "from apps.certificates.rendering import verification_url; print(verification_url('abc'))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://ocop.example.gov.vn/xac-thuc/abc/"


def test_make_run_demo_domain_follows_the_address_it_serves_on():
    env = {"PATH": "/usr/bin:/bin"}  # no OCOP_SITE_DOMAIN of its own
    result = subprocess.run(
        ["make", "-n", "run", "ADDR=10.1.2.3:8000"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "QR codes and e-mail links point at http://10.1.2.3:8000" in result.stdout
    assert "runserver 10.1.2.3:8000" in result.stdout


@pytest.mark.parametrize(
    ("page", "language", "expected"),
    [
        ("/san-pham/", "en", "/en/san-pham/"),
        ("/en/san-pham/", "vi", "/san-pham/"),
        ("/en/", "vi", "/"),
        ("/", "en", "/en/"),
    ],
)
def test_language_links_point_to_the_same_page(client, page, language, expected):
    html = client.get(page).content.decode()
    assert f'<a href="{expected}" hreflang="{language}"' in html


def test_public_media_serves_photos_for_a_year_and_nothing_outside(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "products" / "2026").mkdir(parents=True)
    (tmp_path / "media" / "products" / "2026" / "Xy7_abc.jpg").write_bytes(b"\xff\xd8\xff\xe0 photo")
    (tmp_path / "secret.txt").write_text("private")
    response = client.get("/media/products/2026/Xy7_abc.jpg")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0 photo"
    assert client.get("/media/products/2026/missing.jpg").status_code == 404
    assert client.get("/media/products/").status_code == 404  # no directory listing
    for escape in ("/media/../secret.txt", "/media/%2e%2e/secret.txt"):
        response = client.get(escape)
        assert response.status_code == 400  # Django's SuspiciousFileOperation
        assert b"private" not in response.content
