"""On a phone: search, filter by stars, open a product, follow its certificate to the verification page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories.catalog import certified_product, make_point_of_sale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_a_product_and_verifies_its_certificate(live_server, page, artifacts_dir, tree):
    fish = certified_product(commune=tree.x, name="Nước mắm Phú Quốc truyền thống", stars=4, story="Ủ chượp 12 tháng.")
    certified_product(commune=tree.x, name="Nước mắm cốt nhĩ Cái Rồng", stars=3)
    certified_product(commune=tree.z, name="Rượu cần Đắk Kôi", stars=5, set_code="DU01")
    make_point_of_sale(unit=tree.x, products=[fish], name="Trung tâm OCOP Hạ Long")
    cert = fish.certificates.get()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/san-pham/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sản phẩm OCOP được chứng nhận")

    # On a phone the products come first: the facets are folded, and the first card shows without scrolling.
    expect(page.locator("details.more-filters")).not_to_have_attribute("open", "")
    assert page.locator(".product-card").first.bounding_box()["y"] < 844

    page.get_by_label("Tìm kiếm").fill("nuoc mam")
    page.get_by_role("button", name="Xem sản phẩm").click()
    expect(page.locator(".results-count")).to_have_text("2 sản phẩm được chứng nhận")

    page.get_by_text("Bộ lọc và sắp xếp").click()
    page.get_by_role("radio", name=re.compile(r"^4 sao")).check()
    page.get_by_role("button", name="Xem sản phẩm").click()
    expect(page.locator(".results-count")).to_have_text("1 sản phẩm được chứng nhận")
    assert "stars=4" in page.url and "q=nuoc+mam" in page.url
    expect(page.locator("details.more-filters > summary")).to_have_text("Bộ lọc và sắp xếp (1)")  # open, one in use
    expect(page.get_by_role("radio", name=re.compile(r"^4 sao"))).to_be_checked()
    # Nothing overflows sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "catalog-search-phone.png"), full_page=True)

    page.get_by_role("link", name=re.compile("Nước mắm Phú Quốc truyền thống")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nước mắm Phú Quốc truyền thống")
    expect(page.get_by_role("img", name="4 sao").first).to_be_visible()
    expect(page.get_by_role("link", name="Trung tâm OCOP Hạ Long")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "catalog-product-phone.png"), full_page=True)

    link = page.get_by_role("link", name="Đối chiếu giấy chứng nhận với hồ sơ chính thức")
    assert link.get_attribute("href") == f"/xac-thuc/{cert.token}/"
    link.click()
    page.wait_for_url(f"{live_server.url}/xac-thuc/{cert.token}/")
    assert cert.serial in page.content()
    assert "Nước mắm Phú Quốc truyền thống" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "catalog-verification-phone.png"), full_page=True)
