"""Each former 500 of issue 11, reached as a user would reach it: now a clear answer and nothing changed."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.certificates.models import Certificate, DecisionDocument
from apps.certificates.services import certificates_create_for_decision
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import EvidenceFile
from apps.evaluation import services
from apps.evaluation.enums import SheetState, Tier
from apps.evaluation.models import ConflictDeclaration, EvaluationRound, RecognitionDecision, ScoreAnswer, ScoreSheet
from apps.producers.models import ProducerDocument
from apps.products.models import ProductPhoto
from tests.factories.certificates import decision_with_products
from tests.factories.evaluation import make_application, make_cycle, make_round, score
from tests.factories.producers import PDF_BYTES, DocumentFactory

from .conftest import bomb_png

pytestmark = pytest.mark.django_db

TOO_MANY_PIXELS = "Ảnh quá lớn về số điểm ảnh (tối đa 40 megapixel); vui lòng thu nhỏ ảnh trước."


# ------------------------------------------------------------------------------------------ public pages


@pytest.mark.parametrize("year", ["-1", "0", "99999", "99999999999999999999", "1e400", "2024.5"])
def test_catalogue_with_an_impossible_year_shows_the_unfiltered_catalogue(client, year):
    response = client.get(reverse("catalog:product_list"), {"year": year})
    assert response.status_code == 200
    assert response.context["selected"].get("year", "") == ""


@pytest.mark.parametrize("path", ["/xac-thuc/%00/", "/xac-thuc/abc%00def/", "/xac-thuc/%E2%80%AE/"])
def test_verification_with_a_nul_or_odd_token_is_unknown(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "certificates/verify_unknown.html" in [t.name for t in response.templates]


# ------------------------------------------------------------------------- decompression bombs, four forms

BOMBS = [
    pytest.param((100_000, 100_000), id="beyond-pillow-error-limit"),
    pytest.param((10_000, 10_000), id="beyond-pillow-warning-limit"),
    pytest.param((8_000, 6_000), id="beyond-portal-pixel-cap"),
]


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_document_upload_is_refused(client, users, product_x, size):
    producer = product_x.producer
    before = ProducerDocument.objects.count()
    client.force_login(users.commune_x)
    response = client.post(
        reverse("producers:document_upload", args=[producer.pk]), {"kind": "food_safety", "file": bomb_png(*size)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [TOO_MANY_PIXELS]
    assert ProducerDocument.objects.count() == before


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_document_replace_is_refused(client, users, product_x, size):
    document = DocumentFactory(producer=product_x.producer, kind="trademark")
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:document_replace", args=[document.pk]), {"file": bomb_png(*size)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [TOO_MANY_PIXELS]
    document.refresh_from_db()
    assert document.content_type == "application/pdf"
    assert ProducerDocument.objects.filter(producer=product_x.producer, kind="trademark").count() == 1


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_evidence_upload_is_refused(client, users, make_application, size):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:evidence_upload", args=[application.pk]), {"title": "Ảnh bao bì", "file": bomb_png(*size)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [TOO_MANY_PIXELS]
    assert EvidenceFile.objects.count() == 0


@pytest.mark.parametrize("size", BOMBS)
def test_bomb_png_on_photo_upload_is_refused(client, users, product_x, size):
    client.force_login(users.commune_x)
    response = client.post(reverse("products:photo_upload", args=[product_x.pk]), {"image": bomb_png(*size)})
    assert response.status_code == 200
    assert response.context["form"].errors["image"] == [TOO_MANY_PIXELS]
    assert ProductPhoto.objects.count() == 0


# ------------------------------------------------------------------------------------------------ councils


@pytest.fixture
def council4(tree, users):
    """A district round with four scoring seats and one product; the first three members can close it."""
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district, size=4)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    entry = services.entry_add(round=round, application=application, by=users.district)
    return type("Council", (), {"round": round, "entry": entry, "members": members})


def _sheet_url(council, name="sheet_edit"):
    return reverse(f"evaluation:{name}", kwargs={"pk": council.round.pk, "entry_pk": council.entry.pk})


@pytest.mark.parametrize("value", ["²", "¹²", "١٢", "１２"])
def test_superscript_or_foreign_digit_in_a_score_field_is_an_invalid_choice(client, council4, value):
    member = council4.members[3]
    client.force_login(member.user)
    criterion = council4.entry.template.parts.first().groups.first().criteria.first()
    response = client.post(_sheet_url(council4), {f"c{criterion.pk}": value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"c{criterion.pk}"]
    assert ScoreAnswer.objects.filter(sheet__member=member).count() == 0


@pytest.mark.parametrize("value", ["²", "١", "１"])
def test_superscript_producer_id_on_product_create_is_ignored(client, users, value):
    client.force_login(users.commune_x)
    response = client.get(reverse("products:product_create"), {"producer": value})
    assert response.status_code == 200
    assert "producer" not in response.context["form"].initial


def test_opening_a_closed_rounds_sheet_without_one_says_the_round_is_closed(client, council4):
    scorers, late = council4.members[:3], council4.members[3]
    for member, target in zip(scorers, (60, 62, 64), strict=True):
        score(entry=council4.entry, member=member, target=Decimal(target))
    services.round_close(round=council4.round, by=scorers[0].user)
    client.force_login(late.user)
    response = client.get(_sheet_url(council4), follow=True)
    assert response.redirect_chain == [(reverse("evaluation:round_detail", args=[council4.round.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["Đợt đánh giá này đã kết thúc; các phiếu đã bị khóa."]
    assert ScoreSheet.objects.filter(member=late).count() == 0


def test_declaring_a_conflict_in_a_closed_round_is_forbidden(client, council4):
    scorers = council4.members[:3]
    for member, target in zip(scorers, (60, 62, 64), strict=True):
        score(entry=council4.entry, member=member, target=Decimal(target))
    services.round_close(round=council4.round, by=scorers[0].user)
    client.force_login(scorers[1].user)
    response = client.post(_sheet_url(council4, "conflict_declare"), {"reason": "Họ hàng"})
    assert response.status_code == 403
    assert ConflictDeclaration.objects.count() == 0
    assert ScoreSheet.objects.filter(member=scorers[1], state=SheetState.LOCKED).count() == 1


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("9999-12-31", "Ngày quyết định không thể ở tương lai."),
        ("0001-01-01", "Ngày quyết định quá xa trong quá khứ."),
    ],
)
def test_decision_dated_9999_12_31_is_refused_in_the_form(client, council4, users, date, message):
    for member, target in zip(council4.members[:3], (60, 62, 64), strict=True):
        score(entry=council4.entry, member=member, target=Decimal(target))
    services.round_close(round=council4.round, by=council4.members[0].user)
    client.force_login(users.district)
    data = {
        "number": "21/QĐ-UBND",
        "date": date,
        "issuer_name": "UBND thành phố Hạ Long",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn Ký",
    }
    response = client.post(reverse("evaluation:decision_create", args=[council4.round.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": [message]}
    assert RecognitionDecision.objects.count() == 0
    assert Certificate.objects.count() == 0


# ----------------------------------------------------------------------------- admin pages of private files


@pytest.fixture
def stored_files(tree, users):
    """A certificate, its decision's document and a closed round, each with a private file stored."""
    decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=1)
    (certificate,) = certificates_create_for_decision(decision=decision)
    certificate.file.save("giay-chung-nhan.pdf", ContentFile(PDF_BYTES))
    document = DecisionDocument.objects.get(decision=decision)
    document.file.save("quyet-dinh.pdf", ContentFile(PDF_BYTES))
    round = EvaluationRound.objects.create(
        cycle=make_cycle(unit=tree.p),
        tier=Tier.DISTRICT,
        unit=tree.d,
        name="Đợt có biên bản",
        created_by=users.district,
    )
    round.minutes.save("bien-ban.pdf", ContentFile(PDF_BYTES))
    return {"certificate": certificate, "decisiondocument": document, "evaluationround": round}


@pytest.mark.parametrize(
    ("app", "model"),
    [("certificates", "certificate"), ("certificates", "decisiondocument"), ("evaluation", "evaluationround")],
)
def test_admin_change_page_of_a_row_with_a_private_file_shows_its_name(client, users, stored_files, app, model):
    obj = stored_files[model]
    name = (obj.minutes if model == "evaluationround" else obj.file).name
    client.force_login(users.admin)
    response = client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert response.status_code == 200
    assert name in response.text
    assert f'href="{name}' not in response.text
