"""On a 360 px phone the work list is a stack of cards: the state and whose move it is stay in view."""

import pytest
from django.urls import reverse

from apps.cycles.enums import ApplicationState as S
from tests.browser.test_council import _login
from tests.factories.cycles import ApplicationFactory, CycleFactory
from tests.factories.products import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_work_list_is_cards_on_a_phone_with_state_and_next_step_visible(live_server, page, tree, users, artifacts_dir):
    cycle = CycleFactory(unit=tree.p)
    for state in (S.DOSSIER_SUBMITTED, S.IDEA_REGISTERED, S.RETURNED):
        ApplicationFactory(
            cycle=cycle,
            product=ProductFactory(commune=tree.x, name=f"Chả mực Hạ Long loại đặc biệt thượng hạng {state}"),
            state=state,
            returned_from=S.DOSSIER_SUBMITTED if state == S.RETURNED else "",
            created_by=users.commune_x,
        )
    page.set_viewport_size({"width": 360, "height": 780})
    _login(page, live_server.url, users.commune_x.email)
    page.goto(live_server.url + reverse("cycles:work_list"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing sticks out sideways
    states = page.locator("table.table-cards .state")
    assert states.count() == 3
    for i in range(3):
        box = states.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.get_by_text("Chờ xã kiểm tra hồ sơ").is_visible()
    page.screenshot(path=str(artifacts_dir / "work-list-phone.png"), full_page=True)

    page.get_by_label("Việc chờ tôi xử lý").check()
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**waiting=on**")
    assert page.locator("table.table-cards tbody tr").count() == 2  # the idea waits for the district
