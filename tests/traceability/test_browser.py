"""On a 360 px phone: the scan page of a genuine stamp and of a voided one, nothing overflowing sideways."""

import pytest
from playwright.sync_api import expect

from apps.traceability import services
from tests.browser.conftest import artifacts_dir, browser_context_args, browser_type_launch_args  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scan_pages_on_a_small_phone(live_server, page, artifacts_dir, ready_batch, users):  # noqa: F811
    genuine, voided = ready_batch.stamps.order_by("serial")[:2]
    services.stamps_void_range(
        batch=ready_batch, first=voided.serial, last=voided.serial, reason="Mất cuộn tem", by=users.producer
    )
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/t/{genuine.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tem OCOP chính thức")
    expect(page.get_by_text("Đồi chè Khe Lạc")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts_dir / "trace-scan-genuine-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/t/{voided.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảnh báo: hãy kiểm tra kỹ sản phẩm này")
    expect(page.get_by_role("alert")).to_contain_text("Mất cuộn tem")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts_dir / "trace-scan-voided-phone.png"), full_page=True)

    page.get_by_role("link", name="Báo nghi hàng giả").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo nghi hàng giả")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
