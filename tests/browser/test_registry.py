"""On a phone-sized screen a commune officer registers a producer and uploads a document; the district sees it."""

import pytest

from apps.producers.models import Producer, ProducerDocument
from tests.browser.helpers import open_menu
from tests.conftest import PASSWORD
from tests.factories.producers import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/quan-ly/")


def test_commune_officer_registers_producer_and_uploads_document(
    live_server, page, users, tree, artifacts_dir, tmp_path
):
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server, users.commune_x.email)
    open_menu(page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chủ thể").first.click()
    page.get_by_role("link", name="Đăng ký chủ thể").click()
    page.get_by_label("Tên").fill("Chả mực Hạ Long Hà Khánh")
    page.get_by_label("Loại hình").select_option("dn")
    page.get_by_label("Địa chỉ").fill("Tổ 3, khu 4")
    page.get_by_label("Người đại diện theo pháp luật").fill("Trần Văn Mực")
    page.get_by_label("Mã số đăng ký / mã số thuế").fill("5701234567")
    page.get_by_label("Số lao động").fill("12")
    page.get_by_label("Lao động nữ").fill("7")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("heading", level=1, name="Chả mực Hạ Long Hà Khánh").wait_for()
    producer = Producer.objects.get()
    assert (producer.commune_id, producer.tax_code, producer.women_workers) == (tree.x.pk, "5701234567", 7)

    page.get_by_role("link", name="Tải lên tài liệu").click()
    pdf = tmp_path / "giay-attp.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("Loại tài liệu").select_option("food_safety")
    page.get_by_label("Tệp (PDF, JPEG hoặc PNG)").set_input_files(str(pdf))
    page.get_by_label("Ngày hết hạn").fill("2020-01-31")
    page.get_by_role("button", name="Tải lên").click()
    page.get_by_role("heading", level=1, name="Chả mực Hạ Long Hà Khánh").wait_for()
    assert ProducerDocument.objects.filter(producer=producer).count() == 1
    assert page.locator(".registry-item.is-expired").count() == 1
    page.screenshot(path=str(artifacts_dir / "registry-producer-detail.png"), full_page=True)

    page.context.clear_cookies()
    _log_in(page, live_server, users.district.email)
    page.goto(f"{live_server.url}/quan-ly/chu-the/?q=cha+muc")
    page.get_by_role("link", name="Chả mực Hạ Long Hà Khánh").click()
    with page.expect_download() as download:
        page.locator("a[href*='/tai-lieu/']").first.click()
    assert download.value.path().read_bytes() == PDF_BYTES
