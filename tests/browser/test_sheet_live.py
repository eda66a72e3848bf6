"""The score sheet in a phone's browser: the running total with a decimal comma, the star it reaches and the
mandatory criteria still unmet, all updated as the member picks options, before anything is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.evaluation import services
from apps.evaluation.enums import Tier
from apps.evaluation.models import Option
from tests.browser.test_council import _login
from tests.factories.evaluation import choices_for_target, make_application, make_cycle, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sheet_shows_star_missing_mandatory_and_decimal_comma_live(live_server, page, tree, users, artifacts_dir):
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x, name="Chè Hà Khánh")
    entry = services.entry_add(round=round, application=application, by=users.district)
    choices = choices_for_target(entry.template, Decimal(64))
    # One chosen option is worth half a point more, so the total has decimals.
    half = Option.objects.get(pk=next(iter(choices.values())))
    half.points += Decimal("0.5")
    half.save(update_fields=["points"])
    expected = sum(Option.objects.filter(pk__in=choices.values()).values_list("points", flat=True))
    mandatory = entry.template.criteria.filter(mandatory_for_stars__isnull=False)
    page.set_viewport_size({"width": 360, "height": 780})
    _login(page, live_server.url, members[2].user.email)
    page.goto(live_server.url + reverse("evaluation:sheet_edit", kwargs={"pk": round.pk, "entry_pk": entry.pk}))

    assert page.locator("[data-running-stars]").inner_text() == "1★"
    assert page.locator("[data-missing-box]").is_visible()
    for option_id in choices.values():
        page.locator(f"input[type=radio][value='{option_id}']").check()
    assert page.locator("[data-grand-total]").inner_text() == format(expected, "f").replace(".", ",")
    assert "," in page.locator("[data-grand-total]").inner_text()
    assert page.locator("[data-running-stars]").inner_text() == "3★"
    assert not page.locator("[data-missing-box]").is_visible()
    page.screenshot(path=str(artifacts_dir / "council-sheet-live.png"), full_page=False)

    # Dropping a mandatory criterion's points caps the star and lists it again.
    first = mandatory.order_by("order", "code").first()
    zero = first.options.order_by("points").first()
    page.locator(f"input[type=radio][value='{zero.pk}']").check()
    assert page.locator(f'[data-missing-criterion="{first.pk}"]').is_visible()
    assert page.locator("[data-running-stars]").inner_text() == f"{first.mandatory_for_stars - 1}★"
