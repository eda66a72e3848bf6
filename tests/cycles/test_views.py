"""The cycles screens: jurisdiction (403, nothing changed), uploads, search, filters and query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.cycles.enums import ApplicationState as S
from apps.cycles.enums import TargetKind
from apps.cycles.models import Application, ApplicationTransition, Cycle, Dossier, EvidenceFile, Plan
from apps.cycles.services import evidence_upload
from apps.products.models import Product, ProductSet
from tests.factories.cycles import ApplicationFactory
from tests.factories.producers import PDF_BYTES, ProducerFactory
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def pdf(name="bao-cao.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def evidence(make_application, users):
    application = make_application(S.IMPLEMENTING)
    return evidence_upload(application=application, title="Phiếu kiểm nghiệm", uploaded=pdf(), by=users.commune_x)


# --------------------------------------------------------------------------------------- jurisdiction: 403 pages


def test_application_page_of_other_commune_is_forbidden(client, make_application, users):
    application = make_application()
    client.force_login(users.commune_y)
    assert client.get(reverse("cycles:application_detail", args=[application.pk])).status_code == 403


def test_application_page_shows_timeline_and_actions(client, make_application, users):
    application = make_application(S.DOSSIER_CHECKED)
    client.force_login(users.commune_x)
    html = client.get(reverse("cycles:application_detail", args=[application.pk])).content.decode()
    assert "Chả mực Hạ Long" in html
    assert "Tiến trình" in html
    assert "Gửi lên đánh giá" in html
    assert "Trả lại để bổ sung, sửa chữa" in html
    assert "Chấp thuận ý tưởng" not in html


def test_transition_post_by_other_commune_is_forbidden_and_changes_nothing(client, make_application, users):
    application = make_application(S.IDEA_ACCEPTED)
    client.force_login(users.commune_y)
    response = client.post(
        reverse("cycles:application_transition", args=[application.pk]),
        {"to_state": S.PLAN_SUBMITTED, "expected_state": S.IDEA_ACCEPTED},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == S.IDEA_ACCEPTED
    assert ApplicationTransition.objects.count() == 0


def test_transition_post_by_district_officer_moves_the_application(client, make_application, users):
    application = make_application(S.IDEA_REGISTERED)
    client.force_login(users.district)
    response = client.post(
        reverse("cycles:application_transition", args=[application.pk]),
        {"to_state": S.IDEA_ACCEPTED, "expected_state": S.IDEA_REGISTERED},
        follow=True,
    )
    application.refresh_from_db()
    assert application.state == S.IDEA_ACCEPTED
    assert "Hồ sơ hiện ở trạng thái: Ý tưởng được chấp thuận." in response.content.decode()


def test_transition_post_twice_shows_vietnamese_refusal(client, make_application, users):
    application = make_application(S.IDEA_REGISTERED)
    client.force_login(users.district)
    url = reverse("cycles:application_transition", args=[application.pk])
    data = {"to_state": S.IDEA_ACCEPTED, "expected_state": S.IDEA_REGISTERED}
    client.post(url, data)
    html = client.post(url, data, follow=True).content.decode()
    assert "Hồ sơ đã được chuyển bước trước đó" in html
    assert ApplicationTransition.objects.filter(application=application).count() == 1


def test_return_without_reason_through_the_view_changes_nothing(client, make_application, users):
    application = make_application(S.DOSSIER_SUBMITTED)
    client.force_login(users.commune_x)
    html = client.post(
        reverse("cycles:application_transition", args=[application.pk]),
        {"to_state": S.RETURNED, "expected_state": S.DOSSIER_SUBMITTED, "reason": ""},
        follow=True,
    ).content.decode()
    assert "Cần ghi lý do khi trả hồ sơ để bổ sung, sửa chữa." in html
    application.refresh_from_db()
    assert application.state == S.DOSSIER_SUBMITTED


def test_dossier_edit_by_other_commune_is_forbidden_and_changes_nothing(client, make_application, users):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_y)
    url = reverse("cycles:dossier_edit", args=[application.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"applicant_name": "Kẻ lạ", "sample_count": 3})
    assert response.status_code == 403
    assert Dossier.objects.get(application=application).applicant_name == ""


def test_dossier_edit_saves_the_registration_form(client, make_application, users):
    # The self-assessment has its own page, on the product set's sheet (tests/cycles/test_self_assessment.py).
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:dossier_edit", args=[application.pk]),
        {"applicant_name": "Nguyễn Thị Mai", "sample_count": "5"},
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(application=application)
    assert (dossier.applicant_name, dossier.sample_count) == ("Nguyễn Thị Mai", 5)


def test_evidence_upload_by_other_commune_is_forbidden(client, make_application, users):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_y)
    response = client.post(
        reverse("cycles:evidence_upload", args=[application.pk]), {"title": "Giấy tờ", "file": pdf()}
    )
    assert response.status_code == 403
    assert EvidenceFile.objects.count() == 0


def test_evidence_upload_executable_with_pdf_name_is_refused(client, make_application, users):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    fake = pdf(name="giay-chung-nhan.pdf", content=b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = client.post(reverse("cycles:evidence_upload", args=[application.pk]), {"title": "Giấy tờ", "file": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Tệp này không phải là tệp PDF, JPEG hoặc PNG thật. Nội dung của tệp không khớp với loại được chấp nhận."
    ]
    assert EvidenceFile.objects.count() == 0


def test_evidence_upload_png_is_stored_privately(client, make_application, users, settings):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.commune_x)
    image = SimpleUploadedFile("anh.png", PNG_1PX, content_type="image/png")
    response = client.post(
        reverse("cycles:evidence_upload", args=[application.pk]), {"title": "Ảnh bao bì", "file": image}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.content_type, evidence.size) == ("image/png", len(PNG_1PX))
    assert evidence.file.path.startswith(str(settings.PRIVATE_STORAGE_ROOT))


def test_evidence_download_by_other_commune_is_forbidden(client, evidence, users):
    client.force_login(users.commune_y)
    assert client.get(reverse("cycles:evidence_download", args=[evidence.pk])).status_code == 403


def test_evidence_download_by_own_commune_and_district(client, evidence, users):
    for user in (users.commune_x, users.district):
        client.force_login(user)
        response = client.get(reverse("cycles:evidence_download", args=[evidence.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_evidence_download_anonymous_is_redirected_to_login(client, evidence):
    response = client.get(reverse("cycles:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------------------------- work list


def test_work_list_shows_only_own_commune(client, cycle, make_application, tree, users):
    make_application()
    other = ProductFactory(commune=tree.y, name="Sá sùng khô")
    make_application(product=other)
    client.force_login(users.commune_x)
    html = client.get(reverse("cycles:work_list")).content.decode()
    assert "Chả mực Hạ Long" in html
    assert "Sá sùng khô" not in html
    assert reverse("producers:producer_list") in html


def test_work_list_search_ignores_diacritics(client, make_application, tree, users):
    make_application()
    make_application(product=ProductFactory(commune=tree.x, name="Trà hoa vàng"))
    client.force_login(users.commune_x)
    html = client.get(reverse("cycles:work_list"), {"q": "cha muc"}).content.decode()
    assert "Chả mực Hạ Long" in html
    assert "Trà hoa vàng" not in html
    html = client.get(reverse("cycles:work_list"), {"q": "TRA HOA"}).content.decode()
    assert "Trà hoa vàng" in html
    assert "Chả mực Hạ Long" not in html


def test_work_list_filters_by_state_and_product_set(client, make_application, tree, users):
    make_application(S.IMPLEMENTING)
    tea = ProductFactory(commune=tree.x, name="Trà hoa vàng", product_set=ProductSet.objects.get(code="TP11"))
    make_application(S.IDEA_REGISTERED, product=tea)
    client.force_login(users.commune_x)
    html = client.get(reverse("cycles:work_list"), {"state": S.IMPLEMENTING}).content.decode()
    assert "Chả mực Hạ Long" in html and "Trà hoa vàng" not in html
    tp11 = ProductSet.objects.get(code="TP11").pk
    html = client.get(reverse("cycles:work_list"), {"product_set": tp11}).content.decode()
    assert "Trà hoa vàng" in html and "Chả mực Hạ Long" not in html


def make_many(cycle, tree, users, n):
    products = [ProductFactory(commune=tree.x if i % 2 else tree.y) for i in range(n)]
    for i, product in enumerate(products):
        state = S.values[i % len(S.values)]
        ApplicationFactory(
            cycle=cycle,
            product=product,
            state=state,
            returned_from=S.DOSSIER_SUBMITTED if state == S.RETURNED else "",
            created_by=users.commune_x,
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["cycles:work_list", "cycles:overview", "cycles:cycle_list"])
def test_list_pages_keep_constant_queries_from_10_to_200_rows(client, cycle, tree, users, url_name):
    client.force_login(users.district)
    url = reverse(url_name)
    make_many(cycle, tree, users, 10)
    few = count_queries(client, url)
    make_many(cycle, tree, users, 190)
    assert Application.objects.count() == 200
    many = count_queries(client, url)
    assert many == few
    assert few <= 13  # one of them: the cycles' dated steps, for each row's deadline


def test_plan_list_keeps_constant_queries(client, tree, users):
    client.force_login(users.province)
    Plan.objects.create(unit=tree.p, year=2024)
    url = reverse("cycles:plan_list")
    few = count_queries(client, url)
    for year in range(2025, 2045):
        plan = Plan.objects.create(unit=tree.p, year=year)
        plan.targets.create(kind=TargetKind.NEW_THREE_STAR, value=year - 2020)
    assert count_queries(client, url) == few


# ------------------------------------------------------------------------------------ overview, forms


def test_overview_counts_by_commune_and_state(client, cycle, make_application, tree, users):
    make_application(S.IMPLEMENTING)
    make_application(S.IMPLEMENTING, product=ProductFactory(commune=tree.x))
    make_application(S.RETURNED, returned_from=S.DOSSIER_SUBMITTED, product=ProductFactory(commune=tree.y))
    make_application(S.IMPLEMENTING, product=ProductFactory(commune=tree.z))
    client.force_login(users.district)
    response = client.get(reverse("cycles:overview"))
    rows = {
        r["commune"]: (r["counts"][S.IMPLEMENTING], r["counts"][S.RETURNED], r["total"])
        for r in response.context["rows"]
    }
    assert rows == {"Phường Hà Khánh": (2, 0, 2), "Phường Hà Phong": (0, 1, 1)}
    assert response.context["grand_total"] == 3


def test_overview_is_forbidden_to_commune_officers(client, users):
    client.force_login(users.commune_x)
    assert client.get(reverse("cycles:overview")).status_code == 403


def test_idea_form_creates_product_and_application(client, cycle, tree, users):
    producer = ProducerFactory(commune=tree.x, name="HTX Hà Khánh")
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:idea_create"),
        {
            "cycle": cycle.pk,
            "producer": producer.pk,
            "name": "Mắm ruốc Hà Khánh",
            "product_set": ProductSet.objects.get(code="TP09").pk,
            "description": "Mắm ruốc truyền thống",
        },
    )
    application = Application.objects.get(product__name="Mắm ruốc Hà Khánh")
    assert response.status_code == 302
    assert response["Location"] == reverse("cycles:application_detail", args=[application.pk])
    assert (application.state, application.product.commune, application.created_by) == (
        S.IDEA_REGISTERED,
        tree.x,
        users.commune_x,
    )


def test_idea_form_refuses_producer_of_other_commune(client, cycle, tree, users):
    producer = ProducerFactory(commune=tree.y)
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:idea_create"),
        {"cycle": cycle.pk, "producer": producer.pk, "name": "Ý tưởng", "product_set": ProductSet.objects.first().pk},
    )
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    assert Product.objects.filter(name="Ý tưởng").count() == 0


def test_idea_form_is_forbidden_to_district_officer(client, users):
    client.force_login(users.district)
    assert client.get(reverse("cycles:idea_create")).status_code == 403


def cycle_post(unit, year=2026, rule_set="qd148-2023"):
    data = {"unit": unit.pk, "year": year, "rule_set": rule_set, "name": ""}
    for step in range(1, 7):
        data[f"step_{step}_start"] = datetime.date(year, 2 * step - 1, 1).isoformat()
        data[f"step_{step}_end"] = datetime.date(year, 2 * step, 28).isoformat()
    return data


def test_cycle_create_by_province_officer(client, tree, users):
    client.force_login(users.province)
    response = client.post(reverse("cycles:cycle_create"), cycle_post(tree.p))
    assert response.status_code == 302
    cycle = Cycle.objects.get(unit=tree.p, year=2026)
    assert cycle.steps.count() == 6


def test_cycle_create_district_under_1489_shows_reason(client, tree, users):
    client.force_login(users.district)
    response = client.post(reverse("cycles:cycle_create"), cycle_post(tree.d, rule_set="qd1489-2025"))
    assert response.status_code == 200
    assert "không còn cấp huyện" in response.content.decode()
    assert Cycle.objects.count() == 0


def test_cycle_create_is_forbidden_to_commune_officer(client, tree, users):
    client.force_login(users.commune_x)
    assert client.post(reverse("cycles:cycle_create"), cycle_post(tree.x)).status_code == 403
    assert Cycle.objects.count() == 0


def test_plan_edit_saves_targets_of_own_unit(client, tree, users):
    client.force_login(users.district)
    response = client.post(
        reverse("cycles:plan_edit", args=[2026]),
        {"title": "Kế hoạch OCOP 2026", "target_ideas_per_commune": "1", "target_key_products_per_district": "2"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(unit=tree.d, year=2026)
    assert dict(plan.targets.values_list("kind", "value")) == {
        TargetKind.IDEAS_PER_COMMUNE: 1,
        TargetKind.KEY_PRODUCTS_PER_DISTRICT: 2,
    }
    client.force_login(users.province)
    html = client.get(reverse("cycles:plan_list")).content.decode()
    assert "Kế hoạch OCOP 2026" in html
    assert "Sản phẩm chủ lực mỗi huyện" in html


def test_plan_edit_is_forbidden_to_central_officer(client, users):
    client.force_login(users.central)
    assert client.get(reverse("cycles:plan_edit", args=[2026])).status_code == 403


@pytest.mark.parametrize(
    ("who", "url_name", "args", "heading"),
    [
        ("commune_x", "cycles:idea_create", [], "<h1>Đăng ký ý tưởng sản phẩm</h1>"),
        ("commune_x", "cycles:dossier_edit", ["app"], "<h1>Phiếu đăng ký</h1>"),
        ("commune_x", "cycles:evidence_upload", ["app"], "<h1>Tải lên tệp minh chứng</h1>"),
        ("province", "cycles:cycle_create", [], "<h1>Mở chu trình</h1>"),
        ("district", "cycles:plan_edit", [2026], "Kế hoạch và chỉ tiêu năm 2026 của Thành phố Hạ Long"),
        ("district", "cycles:overview", [], "<h1>Tổng hợp hồ sơ theo xã</h1>"),
        ("commune_x", "cycles:work_list", [], "<h1>Hồ sơ OCOP</h1>"),
    ],
)
def test_pages_render_in_vietnamese(client, make_application, users, who, url_name, args, heading):
    application = make_application(S.IMPLEMENTING)
    args = [application.pk if a == "app" else a for a in args]
    client.force_login(getattr(users, who))
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_navigation_offers_idea_registration_to_commune_officers(client, users):
    client.force_login(users.commune_x)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("cycles:idea_create") in html
    assert reverse("cycles:overview") not in html
    client.force_login(users.district)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("cycles:overview") in html
    assert reverse("cycles:idea_create") not in html


def test_linked_producer_account_sees_its_application_only(client, make_application, tree, users):
    application = make_application(S.IMPLEMENTING)
    other = make_application(product=ProductFactory(commune=tree.x))
    application.product.producer.accounts.add(users.producer)
    client.force_login(users.producer)
    assert client.get(reverse("cycles:application_detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("cycles:application_detail", args=[other.pk])).status_code == 403
    html = client.get(reverse("cycles:application_detail", args=[application.pk])).content.decode()
    assert "Trả lại để bổ sung, sửa chữa" not in html


def test_admin_application_page_renders(client, make_application, users):
    application = make_application(S.IMPLEMENTING)
    client.force_login(users.admin)
    response = client.get(reverse("admin:cycles_application_change", args=[application.pk]))
    assert response.status_code == 200
