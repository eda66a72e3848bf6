"""Three council members score a product in the browser, the chair closes the round, the star appears."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.evaluation import services
from apps.evaluation.enums import Tier
from apps.evaluation.models import Option
from tests.browser.helpers import open_menu
from tests.conftest import PASSWORD
from tests.factories.evaluation import choices_for_target, make_application, make_cycle, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/quan-ly/")


def test_three_members_score_chair_closes_star_appears(live_server, page, tree, users, artifacts_dir):
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x, name="Chè Hà Khánh")
    entry = services.entry_add(round=round, application=application, by=users.district)
    choices = choices_for_target(entry.template, Decimal(66))
    expected = sum(Option.objects.filter(pk__in=choices.values()).values_list("points", flat=True))
    base = live_server.url
    sheet_url = base + reverse("evaluation:sheet_edit", kwargs={"pk": round.pk, "entry_pk": entry.pk})
    page.set_viewport_size({"width": 390, "height": 844})

    for index, member in enumerate(members):
        _login(page, base, member.user.email)
        open_menu(page)
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hội đồng đánh giá").click()
        page.get_by_role("link", name=round.name).click()
        page.get_by_role("link", name="Chấm điểm").click()
        page.wait_for_url(sheet_url)
        for option_id in choices.values():
            page.locator(f"input[type=radio][value='{option_id}']").check()
        # The running total follows the choices before anything is saved.
        assert page.locator("[data-grand-total]").inner_text() == format(expected.normalize(), "f")
        if index == 0:
            page.screenshot(path=str(artifacts_dir / "council-sheet.png"), full_page=False)
        page.get_by_role("button", name="Nộp phiếu").click()
        page.get_by_text("Đã nộp phiếu.").wait_for()
        assert page.locator(".sheet-state").inner_text() == "Đã nộp"

    _login(page, base, members[0].user.email)
    page.goto(base + reverse("evaluation:round_detail", kwargs={"pk": round.pk}))
    page.get_by_role("button", name="Kết thúc đợt đánh giá").click()
    page.get_by_text("Đợt đánh giá đã kết thúc; mọi phiếu đã bị khóa.").wait_for()
    row = page.get_by_role("row").filter(has_text="Chè Hà Khánh")
    assert row.locator(".stars").inner_text() == "3★"
    page.screenshot(path=str(artifacts_dir / "council-closed.png"), full_page=True)
    # Once closed, a member no longer opens the dossiers' results (least privilege); the round's officer does.
    assert row.get_by_role("link", name="Kết quả").count() == 0
    _login(page, base, users.district.email)
    page.goto(base + reverse("evaluation:round_detail", kwargs={"pk": round.pk}))
    page.get_by_role("row").filter(has_text="Chè Hà Khánh").get_by_role("link", name="Kết quả").click()
    assert page.get_by_test_id("stars").inner_text() == "3★"
