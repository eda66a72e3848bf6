"""A demo user logs in through the real login page and sees the role's navigation in Vietnamese."""

import pytest

from apps.demo.accounts import DEMO_PASSWORD, seed_accounts, seed_units
from tests.browser.helpers import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_officer_logs_in_and_sees_vietnamese_navigation(live_server, page, artifacts_dir):
    seed_units(full=False)
    seed_accounts()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Đăng nhập", exact=True).click()
    page.get_by_label("E-mail").fill("xa.dakkoi@ocop.example")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/quan-ly/")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    # On a phone the links wait behind the menu button.
    assert not nav.get_by_role("link", name="Bảng điều khiển").is_visible()
    open_menu(page)
    assert nav.get_by_role("link", name="Bảng điều khiển").is_visible()
    assert nav.get_by_role("link", name="Đơn vị của tôi").is_visible()
    assert "Cán bộ xã" in nav.inner_text()
    assert "Xã Đắk Kôi" in nav.inner_text()
    # Commune officers invite their producers; only system admins see the administration link.
    assert nav.get_by_role("link", name="Mời người dùng").is_visible()
    assert nav.get_by_role("link", name="Quản trị hệ thống").count() == 0
    page.screenshot(path=str(artifacts_dir / "login-commune-officer.png"), full_page=True)
    nav.get_by_role("link", name="Đơn vị của tôi").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Xã Đắk Kôi"
