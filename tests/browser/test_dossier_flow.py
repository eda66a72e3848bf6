"""A commune officer registers a producer, uploads a document to its vault and submits a product idea on a
phone-sized screen; the district officer then sees it in the district overview and accepts it."""

import datetime

import pytest

from apps.accounts.models import User
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application
from apps.cycles.services import StepDates, cycle_create
from apps.demo.accounts import DEMO_PASSWORD, seed_accounts, seed_units
from apps.geo.models import AdministrativeUnit
from apps.producers.models import Producer, ProducerDocument
from tests.browser.helpers import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/quan-ly/")


def test_commune_registers_producer_and_idea_and_district_sees_it(live_server, page, artifacts_dir, tmp_path):
    seed_units(full=False)
    seed_accounts()
    kon_tum = AdministrativeUnit.objects.get(edition="2024", level="province", code="62")
    steps = [StepDates(s, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) for s in range(1, 7)]
    cycle_create(
        unit=kon_tum,
        year=2026,
        rule_set=RuleSet.QD148_2023,
        steps=steps,
        by=User.objects.get(email="tinh.kontum@ocop.example"),
    )
    page.set_viewport_size({"width": 390, "height": 844})

    # The commune officer of Đắk Kôi registers the producer.
    log_in(page, live_server, "xa.dakkoi@ocop.example")
    page.goto(f"{live_server.url}/quan-ly/chu-the/them/")
    page.locator("[name=name]").fill("HTX Sâm dây Đắk Kôi")
    page.locator("[name=kind]").select_option("htx")
    page.locator("[name=address]").fill("Thôn 4, xã Đắk Kôi")
    page.locator("[name=legal_representative]").fill("A Thuận")
    page.locator("[name=tax_code]").fill("6101234567")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/quan-ly/chu-the/*/")
    producer = Producer.objects.get(name="HTX Sâm dây Đắk Kôi")

    # ... uploads its business registration to the document vault ...
    page.goto(f"{live_server.url}/quan-ly/chu-the/{producer.pk}/tai-lieu/them/")
    page.locator("[name=kind]").select_option("business_registration")
    pdf = tmp_path / "giay-dang-ky.pdf"
    pdf.write_bytes(PDF)
    page.locator("[name=file]").set_input_files(str(pdf))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/quan-ly/chu-the/{producer.pk}/")
    assert ProducerDocument.objects.filter(producer=producer, kind="business_registration").count() == 1

    # ... and submits the product idea from the navigation.
    page.goto(f"{live_server.url}/quan-ly/")
    open_menu(page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đăng ký ý tưởng sản phẩm").click()
    page.locator("[name=producer]").select_option(str(producer.pk))
    page.locator("[name=name]").fill("Rượu sâm dây Đắk Kôi")
    page.locator("[name=product_set]").select_option(label="DU02 — Đồ uống có cồn khác")
    page.locator("#id_description").fill("Rượu ngâm sâm dây trồng dưới tán rừng.")
    page.get_by_role("button", name="Đăng ký ý tưởng").click()
    page.wait_for_url("**/quan-ly/chu-trinh/ho-so/*/")
    assert page.locator("#application-state").inner_text() == "Đã đăng ký ý tưởng"
    page.screenshot(path=str(artifacts_dir / "dossier-flow-commune.png"), full_page=True)
    application = Application.objects.get(product__name="Rượu sâm dây Đắk Kôi")
    assert application.state == ApplicationState.IDEA_REGISTERED

    # The district officer of Kon Rẫy sees it in the district overview and accepts the idea.
    page.context.clear_cookies()
    log_in(page, live_server, "huyen.konray@ocop.example")
    open_menu(page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tổng hợp hồ sơ theo xã").click()
    counts = page.locator("table.counts tbody tr", has_text="Xã Đắk Kôi")
    assert counts.locator("td").first.inner_text() == "1"
    page.screenshot(path=str(artifacts_dir / "dossier-flow-overview.png"), full_page=True)
    page.get_by_role("link", name="Rượu sâm dây Đắk Kôi").click()
    page.get_by_role("button", name="Chấp thuận ý tưởng", exact=True).click()
    assert page.locator("#application-state").inner_text() == "Ý tưởng được chấp thuận"
    page.screenshot(path=str(artifacts_dir / "dossier-flow-district.png"), full_page=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.IDEA_ACCEPTED
    assert list(application.transitions.values_list("by__email", flat=True)) == ["huyen.konray@ocop.example"]
