"""The dossier's self-assessment is the product set's own score sheet: one option per criterion, part totals,
the star the total would reach, checked on the server, and shown to the council beside each member's sheet."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Dossier
from apps.demo.sheets import load_sample_sheets
from apps.evaluation import services
from apps.evaluation.selectors import template_for
from tests.factories.evaluation import choices_for_target
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(product_x):
    load_sample_sheets()
    return template_for(rule_set="qd148-2023", product_set=product_x.product_set)


def _url(application):
    return reverse("evaluation:self_assessment_edit", args=[application.pk])


def test_self_assessment_page_is_the_product_sets_sheet(client, make_application, users, sheet):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    text = client.get(_url(application)).text
    for criterion in sheet.criteria.all()[:5]:
        assert f'name="c{criterion.pk}"' in text
        assert criterion.text in text
    assert "data-running-stars>1★</output>" in text


def test_self_assessment_saves_options_part_totals_and_star(client, make_application, users, sheet):
    application = make_application(S.IMPLEMENTING)
    choices = choices_for_target(sheet, Decimal(64))
    client.force_login(users.commune_x)
    response = client.post(_url(application), {f"c{c}": o for c, o in choices.items()})
    assert response.status_code == 302
    dossier = Dossier.objects.get(application=application)
    assert sum(dossier.self_assessment_totals.values()) == 64
    assert set(dossier.self_assessment_totals) == {"A", "B", "C"}
    assert dossier.self_assessment_sheet["template"] == sheet.pk
    assert {int(k): v for k, v in dossier.self_assessment_sheet["choices"].items()} == choices
    text = client.get(_url(application)).text
    assert "data-grand-total>64</output>" in text
    assert "data-running-stars>3★</output>" in text
    detail = client.get(reverse("cycles:application_detail", args=[application.pk])).text
    assert "Tổng: 64" in detail


def test_free_text_self_assessment_is_gone(client, make_application, users):
    # "Z9 = 100" used to be accepted (a total of 109): the registration form no longer takes scores at all.
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    client.post(
        reverse("cycles:dossier_edit", args=[application.pk]),
        {"applicant_name": "Nguyễn Văn A", "self_assessment_text": "A1 = 9\nZ9 = 100"},
    )
    assert Dossier.objects.get(application=application).self_assessment == {}


def test_option_of_another_criterion_refused_at_the_criterion_and_nothing_saved(client, make_application, users, sheet):
    application = make_application(S.IMPLEMENTING)
    first, second = list(sheet.criteria.order_by("order", "code")[:2])
    foreign = second.options.first()
    client.force_login(users.commune_x)
    response = client.post(_url(application), {f"c{first.pk}": foreign.pk})
    assert response.status_code == 200
    fieldset = response.text.split(f'data-criterion="{first.pk}"', 1)[1].split("</fieldset>", 1)[0]
    assert f'<p class="field-error" id="err-c{first.pk}">' in fieldset
    assert Dossier.objects.get(application=application).self_assessment == {}
    # The service checks it too (a form is not the only way in), naming the criterion.
    with pytest.raises(ValidationError) as exc:
        services.dossier_self_assess(application=application, by=users.commune_x, choices={first.pk: foreign.pk})
    assert exc.value.message_dict == {f"c{first.pk}": [f"Lựa chọn này không thuộc tiêu chí {first.code}."]}
    assert Dossier.objects.get(application=application).self_assessment_sheet == {}


def test_service_refuses_a_criterion_from_another_sheet_and_changes_nothing(make_application, users, sheet):
    application = make_application(S.IMPLEMENTING)
    other = next(t for t in load_sample_sheets() if t.pk != sheet.pk)
    criterion = other.criteria.first()
    with pytest.raises(ValidationError):
        services.dossier_self_assess(
            application=application, by=users.commune_x, choices={criterion.pk: criterion.options.first().pk}
        )
    assert Dossier.objects.get(application=application).self_assessment_sheet == {}


def test_self_assessment_refused_to_other_commune_and_after_submission(make_application, users, sheet):
    choices = choices_for_target(sheet, Decimal(60))
    with pytest.raises(PermissionDenied):
        services.dossier_self_assess(application=make_application(S.IMPLEMENTING), by=users.commune_y, choices=choices)
    submitted = make_application(S.DOSSIER_SUBMITTED, product=ProductFactory(commune=users.commune_x.unit))
    with pytest.raises(ValidationError):
        services.dossier_self_assess(application=submitted, by=users.commune_x, choices=choices)
    assert not Dossier.objects.exclude(self_assessment_sheet={}).exists()
