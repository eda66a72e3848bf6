"""The province dashboard on a phone and on a desktop: follow a work-queue link, generate a report (a real Celery
worker renders it while the page polls) and download it."""

import datetime

import pytest

from apps.accounts.enums import Role
from apps.reports.models import Report
from tests.certificates.conftest import Worker, purge_broker
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.factories.producers import DocumentFactory
from tests.reports.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def report_worker(transactional_db):
    purge_broker()
    w = Worker().start()
    yield w
    w.kill()
    purge_broker()


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/quan-ly/")


def test_province_dashboard_phone_and_desktop(live_server, page, world, report_worker, artifacts_dir):
    officer = UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p, email="tinh.bc@ocop.example")
    producer = world.producer(world.x)
    DocumentFactory(producer=producer, expires_on=datetime.date(2026, 1, 31), issued_on=datetime.date(2025, 1, 1))

    page.set_viewport_size({"width": 360, "height": 780})
    _log_in(page, live_server, officer.email)
    page.get_by_role("heading", name="Việc đang chờ bạn").wait_for()
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    page.screenshot(path=str(artifacts_dir / "reports-dashboard-phone.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/quan-ly/?year=2026")
    assert page.locator("svg.chart").count() == 4
    page.screenshot(path=str(artifacts_dir / "reports-dashboard-desktop.png"), full_page=True)

    page.get_by_role("link", name="Chủ thể có giấy tờ đã hết hạn").click()
    page.wait_for_url(f"{live_server.url}/quan-ly/chu-the/**")
    assert producer.name in page.content()

    page.goto(f"{live_server.url}/quan-ly/")
    page.get_by_label("Kỳ báo cáo").fill("2026-11")
    page.get_by_role("button", name="Tạo báo cáo").click()
    page.get_by_role("link", name="Tải PDF").wait_for(timeout=60_000)
    report = Report.objects.get(unit=world.p, period="2026-11")
    assert report.file_state == "ready"
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    page.screenshot(path=str(artifacts_dir / "reports-detail.png"), full_page=True)
