"""What the council screens say: the star a sheet reaches, unmet mandatory criteria, refused answers at their
criterion, decisions that only forwarded, and numbers with the Vietnamese decimal comma."""

import re
from decimal import Decimal

from django.urls import reverse

from apps.cycles.models import Application
from apps.evaluation import services
from apps.evaluation.models import Option, RecognitionDecision, ScoreAnswer, ScoreSheet
from apps.evaluation.services import dossier_self_assess
from tests.factories.evaluation import choices_for_target, score

DECISION = {
    "number": "21/QĐ-UBND",
    "date": "2024-09-15",
    "issuer_name": "UBND thành phố Hạ Long",
    "signer_title": "Chủ tịch",
    "signer_name": "Nguyễn Văn Ký",
}


def _sheet_url(council):
    return reverse("evaluation:sheet_edit", kwargs={"pk": council.round.pk, "entry_pk": council.entry.pk})


def _mandatory(council):
    return list(council.entry.template.criteria.filter(mandatory_for_stars__isnull=False).order_by("order", "code"))


def test_sheet_shows_the_star_reached_and_the_mandatory_criteria_still_missing(client, council):
    mandatory = _mandatory(council)
    assert mandatory, "the sample sheet has mandatory criteria"
    client.force_login(council.member.user)
    # Nothing answered: every mandatory criterion is listed as missing, and the sheet reaches 1★.
    text = client.get(_sheet_url(council)).text
    assert "Tiêu chí bắt buộc chưa đạt:" in text
    for c in mandatory:
        assert re.search(rf'<li data-missing-criterion="{c.pk}">{re.escape(c.code)} ', text)
    assert "data-running-stars>1★</output>" in text

    choices = choices_for_target(council.entry.template, Decimal(64))
    services.sheet_save(
        sheet=services.sheet_open(entry=council.entry, member=council.member), choices=choices, by=council.member.user
    )
    text = client.get(_sheet_url(council)).text
    assert "data-running-stars>3★</output>" in text
    assert "data-missing-box hidden" in text
    for c in mandatory:
        assert f'<li data-missing-criterion="{c.pk}" hidden>' in text


def test_sheet_with_a_mandatory_criterion_skipped_caps_the_star(client, council):
    mandatory = [c for c in _mandatory(council) if c.mandatory_for_stars == 3]
    choices = choices_for_target(council.entry.template, Decimal(64), skip_mandatory=[mandatory[0].code])
    services.sheet_save(
        sheet=services.sheet_open(entry=council.entry, member=council.member), choices=choices, by=council.member.user
    )
    client.force_login(council.member.user)
    text = client.get(_sheet_url(council)).text
    assert "data-running-stars>2★</output>" in text
    assert f'<li data-missing-criterion="{mandatory[0].pk}">{mandatory[0].code} ' in text


def test_invalid_option_is_shown_at_its_criterion_and_nothing_is_saved(client, council):
    criterion = council.entry.template.criteria.order_by("order", "code").first()
    client.force_login(council.member.user)
    response = client.post(_sheet_url(council), {f"c{criterion.pk}": "999999", "save": "1"})
    assert response.status_code == 200
    text = response.text
    fieldset = text.split(f'data-criterion="{criterion.pk}"', 1)[1].split("</fieldset>", 1)[0]
    assert f'<p class="field-error" id="err-c{criterion.pk}">' in fieldset
    assert "Hãy chọn một lựa chọn hợp lệ" in fieldset or "Chọn một lựa chọn hợp lệ" in fieldset
    assert "Chưa có gì được lưu." in text
    assert ScoreAnswer.objects.filter(sheet__member=council.member).count() == 0


def test_sheet_totals_use_the_decimal_comma(client, council):
    option = Option.objects.filter(criterion__template=council.entry.template, points=Decimal("2.5")).first()
    if option is None:  # the sample sheets use whole points; make one half point for this check
        option = Option.objects.filter(criterion__template=council.entry.template).order_by("-points").first()
        option.points = Decimal("2.5")
        option.save(update_fields=["points"])
    services.sheet_save(
        sheet=services.sheet_open(entry=council.entry, member=council.member),
        choices={option.criterion_id: option.pk},
        by=council.member.user,
    )
    client.force_login(council.member.user)
    text = client.get(_sheet_url(council)).text
    assert "data-grand-total>2,50</output>" in text
    assert "(2,50)" in text
    visible = re.sub(r'data-points="[^"]*"', "", text)  # the script's machine-readable points keep their dot
    assert "2.50" not in visible and "2.5" not in visible


def test_decision_that_only_forwarded_says_so(client, council, users):
    # 75 points at a district round under 148: a 4★ candidate that the district forwards, with no certificate.
    for member in (council.chair, council.secretary, council.member):
        score(entry=council.entry, member=member, target=Decimal(75))
    services.round_close(round=council.round, by=council.chair.user)
    client.force_login(users.district)
    url = reverse("evaluation:decision_create", kwargs={"pk": council.round.pk})
    response = client.post(url, DECISION, follow=True)
    text = response.text
    product = council.entry.application.product.name
    assert f"1 sản phẩm được chuyển lên Hội đồng cấp trên (cấp này không cấp giấy chứng nhận): {product}." in text
    assert "giấy chứng nhận đang được" not in text
    assert RecognitionDecision.objects.get().items.count() == 0


def test_decision_that_recognised_says_certificates_follow(client, council, users):
    for member in (council.chair, council.secretary, council.member):
        score(entry=council.entry, member=member, target=Decimal(60))
    services.round_close(round=council.round, by=council.chair.user)
    client.force_login(users.district)
    url = reverse("evaluation:decision_create", kwargs={"pk": council.round.pk})
    text = client.post(url, DECISION, follow=True).text
    assert "1 sản phẩm được công nhận; giấy chứng nhận đang được lập." in text
    assert "chuyển lên" not in text


def test_refusal_reason_uses_the_decimal_comma(council, users):
    for member in (council.chair, council.secretary, council.member):
        score(entry=council.entry, member=member, target=Decimal(28))
    services.round_close(round=council.round, by=council.chair.user)
    decision = services.decision_record(round=council.round, by=users.district, **{**DECISION, "date": "2024-09-15"})
    reason = decision.refusals.get().reason
    assert "28,00" in reason and "28.00" not in reason
    assert ScoreSheet.objects.count() == 3


def test_council_sees_the_applicants_self_assessment_beside_each_sheet(client, council, users):

    application = council.entry.application
    sent = application.state
    # The commune filled the self-assessment while the dossier was still being prepared.
    Application.objects.filter(pk=application.pk).update(state="implementing")
    dossier_self_assess(
        application=application, by=users.commune_x, choices=choices_for_target(council.entry.template, Decimal(72))
    )
    Application.objects.filter(pk=application.pk).update(state=sent)
    chair_sheet = score(entry=council.entry, member=council.chair, target=Decimal(61))
    score(entry=council.entry, member=council.member, target=Decimal(63))
    client.force_login(council.member.user)
    kwargs = {"pk": council.round.pk, "entry_pk": council.entry.pk}
    result = client.get(reverse("evaluation:entry_result", kwargs=kwargs)).text
    box = result.split('data-testid="self-assessment"', 1)[1].split("</li>", 1)[0]
    assert "Chủ thể tự đánh giá" in box and "72 · 4★" in box
    detail = client.get(reverse("evaluation:sheet_detail", kwargs={**kwargs, "sheet_pk": chair_sheet.pk})).text
    assert detail.count('class="self-assessed') > 10  # one cell per criterion
    assert "72 · 4★" in detail
