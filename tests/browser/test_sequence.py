"""The sequence in a browser: a district officer sets up its own council and can add only eligible products; on a
phone, a commune officer registers the re-evaluation of a certified product."""

import datetime

import pytest
from django.urls import reverse

from apps.certificates.enums import CertificateStatus
from apps.certificates.services import certificates_create_for_decision
from apps.cycles.enums import ApplicationPurpose
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application
from apps.demo.sheets import load_sample_sheets
from apps.evaluation.enums import Tier
from apps.evaluation.models import EvaluationRound
from tests.conftest import PASSWORD
from tests.factories.certificates import decision_with_products
from tests.factories.cycles import ApplicationFactory, CycleFactory
from tests.factories.evaluation import make_application, make_cycle
from tests.factories.products import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/quan-ly/")


def test_district_officer_creates_its_round_and_adds_only_eligible_products(live_server, page, tree, users):
    load_sample_sheets()
    cycle = make_cycle(unit=tree.p, year=2026)
    sent = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x, name="Chả mực Hà Khánh")
    make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x, name="Mắm ruốc bị từ chối",
                     state=S.IDEA_REJECTED)  # fmt: skip
    make_application(commune=tree.y, cycle=cycle, created_by=users.commune_y, name="Trà mới đăng ký",
                     state=S.IDEA_REGISTERED)  # fmt: skip
    base = live_server.url
    _login(page, base, users.district.email)
    page.goto(base + reverse("evaluation:round_list"))
    page.get_by_role("link", name="Tạo đợt đánh giá").click()
    page.wait_for_url(base + reverse("evaluation:round_create"))
    page.locator("select[name=cycle]").select_option(str(cycle.pk))
    assert page.locator("select[name=tier] option").all_inner_texts() == ["Hội đồng cấp huyện"]
    page.locator("select[name=unit]").select_option(str(tree.d.pk))
    page.locator("input[name=name]").fill("Hội đồng OCOP thành phố Hạ Long năm 2026")
    page.locator("input[name=council_decision_number]").fill("15/QĐ-UBND")
    page.locator("input[name=council_decision_date]").fill("2026-08-01")
    page.locator("input[name=council_decision_signer]").fill("Chủ tịch UBND thành phố Hạ Long")
    page.get_by_role("button", name="Tạo đợt").click()
    page.get_by_role("heading", name="Hội đồng OCOP thành phố Hạ Long năm 2026").wait_for()
    round = EvaluationRound.objects.get()
    assert (round.tier, round.unit_id, round.created_by_id) == (Tier.DISTRICT, tree.d.pk, users.district.pk)

    options = page.locator("select[name=application] option").all_inner_texts()
    assert [o for o in options if o.strip("- ")] == [str(sent)]
    page.locator("select[name=application]").select_option(str(sent.pk))
    page.get_by_role("button", name="Thêm sản phẩm").click()
    page.get_by_text("Đã đưa sản phẩm vào đợt đánh giá.").wait_for()
    assert page.get_by_role("row").filter(has_text="Chả mực Hà Khánh").count() == 1
    assert list(round.entries.values_list("application", flat=True)) == [sent.pk]
    # Nothing ineligible is left to add.
    assert [o for o in page.locator("select[name=application] option").all_inner_texts() if o.strip("- ")] == []


def test_phone_commune_officer_registers_a_re_evaluation(live_server, page, tree, users, artifacts_dir):
    product = ProductFactory(commune=tree.x, name="Chả mực Hạ Long")
    old_cycle = CycleFactory(unit=tree.p, year=2024)
    ApplicationFactory(cycle=old_cycle, product=product, state=S.RECOGNISED, stars=4, created_by=users.commune_x)
    decision = decision_with_products(
        issuing_unit=tree.p, commune=tree.x, count=1, products=[product], stars=4, date=datetime.date(2024, 11, 1)
    )
    (certificate,) = certificates_create_for_decision(decision=decision)
    cycle = CycleFactory(unit=tree.p, year=2026)  # its windows are open today
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 780})
    _login(page, base, users.commune_x.email)
    page.goto(base + reverse("cycles:work_list"))
    page.get_by_role("link", name="Đăng ký ý tưởng sản phẩm").first.click()
    page.wait_for_url(base + reverse("cycles:idea_create"))
    page.locator("select[name=cycle]").select_option(str(cycle.pk))
    page.locator("select[name=producer]").select_option(str(product.producer.pk))
    page.get_by_label("Sản phẩm đã có (đánh giá lại)").select_option(str(product.pk))
    page.get_by_label("Mục đích").select_option(ApplicationPurpose.RE_EVALUATION)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Đăng ký ý tưởng").click()
    page.get_by_text("Đã đăng ký ý tưởng sản phẩm.").wait_for()
    page.screenshot(path=str(artifacts_dir / "re-evaluation-phone.png"), full_page=True)
    application = Application.objects.get(cycle=cycle)
    assert (application.product_id, application.purpose) == (product.pk, ApplicationPurpose.RE_EVALUATION)
    assert page.locator("#application-purpose").inner_text() == "Đánh giá lại khi giấy chứng nhận sắp hết hạn"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    certificate.refresh_from_db()
    assert certificate.status() == CertificateStatus.VALID
