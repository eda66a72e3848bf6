"""Staff screens of trade promotion: who may see and change which point of sale or fair, and what it may carry."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.enums import Role
from apps.audit.models import AuditEvent
from apps.catalog.enums import PointOfSaleKind
from apps.catalog.models import Fair, PointOfSale
from apps.catalog.services import (
    fair_product_link,
    fair_update,
    point_of_sale_product_link,
    point_of_sale_update,
)
from apps.core.navigation import navigation_for
from tests.factories import UserFactory
from tests.factories.catalog import bulk_certified_products, make_fair, make_point_of_sale

pytestmark = pytest.mark.django_db

END_BEFORE_START = "Ngày kết thúc không được trước ngày bắt đầu."
NOT_CERTIFIED = "Chỉ thêm được sản phẩm có giấy chứng nhận OCOP còn hiệu lực."
NOT_OWN_PROVINCE = "Điểm bán chỉ nhận sản phẩm OCOP được chứng nhận của tỉnh mình."


def point_url(name, point):
    return reverse(f"trade:point_of_sale_{name}", args=[point.pk])


def fair_url(name, fair):
    return reverse(f"trade:fair_{name}", args=[fair.pk])


def point_form(unit, **overrides):
    data = {
        "name": "Điểm giới thiệu sản phẩm OCOP Bãi Cháy",
        "kind": PointOfSaleKind.POINT_OF_SALE,
        "unit": unit.pk,
        "address": "Số 9 đường Hạ Long",
        "opening_hours": "8:00–22:00",
        "phone": "0203 3845 678",
        "website": "",
        "is_active": "on",
    }
    return {**data, **overrides}


def fair_form(unit, **overrides):
    starts = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "name": "Hội chợ OCOP Hạ Long mùa thu",
        "starts_on": starts.isoformat(),
        "ends_on": (starts + datetime.timedelta(days=3)).isoformat(),
        "unit": unit.pk,
        "venue": "Quảng trường 30/10",
        "address": "Phường Hồng Hải",
        "organiser": "Sở Công Thương",
        "website": "https://hoicho.example.vn",
    }
    return {**data, **overrides}


def audit_actions(obj):
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- Permissions -----------------------------------------------------------------------------------------------

# (user, perm, on the showroom in commune X of province 22?) → expected
PERMISSION_TABLE = [
    ("province", "catalog.add_pointofsale", False, True),
    ("province", "catalog.view_pointofsale", True, True),
    ("province", "catalog.change_pointofsale", True, True),
    ("province_q", "catalog.view_pointofsale", True, False),
    ("province_q", "catalog.change_pointofsale", True, False),
    ("district", "catalog.view_pointofsale", True, True),
    ("district", "catalog.change_pointofsale", True, False),
    ("district", "catalog.add_pointofsale", False, False),
    ("commune_x", "catalog.view_pointofsale", True, True),
    ("commune_x", "catalog.change_pointofsale", True, False),
    ("commune_y", "catalog.view_pointofsale", True, False),
    ("central", "catalog.view_pointofsale", True, True),
    ("central", "catalog.change_pointofsale", True, False),
    ("admin", "catalog.change_pointofsale", True, True),
    ("producer", "catalog.view_trade_promotion", False, False),
    ("province", "catalog.view_trade_promotion", False, True),
    ("commune_x", "catalog.view_trade_promotion", False, True),
]


@pytest.mark.parametrize(
    ("who", "perm", "on_object", "expected"), PERMISSION_TABLE, ids=[f"{r[0]}-{r[1]}" for r in PERMISSION_TABLE]
)
def test_trade_permission_truth_table(users, trade, who, perm, on_object, expected):
    user = getattr(users, who)
    assert user.has_perm(perm, trade.showroom if on_object else None) is expected


def test_trade_council_member_has_no_trade_screens(client, tree):
    member = UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.p, email="hoidong@ocop.example")
    client.force_login(member)
    assert client.get(reverse("trade:point_of_sale_list")).status_code == 403


@pytest.mark.parametrize(
    "url_name", ["point_of_sale_list", "point_of_sale_create", "fair_list", "fair_create"], ids=lambda n: n
)
def test_trade_anonymous_is_sent_to_login(client, url_name):
    response = client.get(reverse(f"trade:{url_name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_trade_anonymous_post_changes_nothing(client, trade, catalog):
    response = client.post(point_url("product_link", trade.showroom), {"product": catalog.squid.pk})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not trade.showroom.products.filter(pk=catalog.squid.pk).exists()


def test_trade_navigation_for_staff_not_producers(users):
    labels = [str(item["label"]) for item in navigation_for(users.commune_x)]
    assert "Điểm bán OCOP" in labels and "Hội chợ xúc tiến thương mại" in labels
    assert [str(i["label"]) for i in navigation_for(users.producer) if "OCOP" in str(i["label"])] == []


# --- Lists --------------------------------------------------------------------------------------------------


def test_trade_list_shows_own_province_only(staff_client, users, trade):
    html = staff_client(users.province).get(reverse("trade:point_of_sale_list")).content.decode()
    assert "Trung tâm OCOP Hạ Long" in html
    assert "Điểm bán OCOP Kon Tum" not in html
    assert reverse("trade:point_of_sale_create") in html
    fairs = staff_client(users.province_q).get(reverse("trade:fair_list"))
    assert [f.name for f in fairs.context["page"]] == ["Hội chợ OCOP Kon Tum cũ"]


def test_trade_list_counts_public_products_apart_from_linked(staff_client, users, trade):
    page = staff_client(users.province).get(reverse("trade:point_of_sale_list")).context["page"]
    row = next(p for p in page if p.pk == trade.showroom.pk)
    # Fish is certified, the draft is linked but hidden from the public.
    assert (row.n_products, row.n_linked) == (1, 2)


def test_trade_commune_officer_sees_own_commune_read_only(staff_client, users, trade, catalog):
    officer = staff_client(users.commune_x)
    listed = officer.get(reverse("trade:point_of_sale_list"))
    assert [p.name for p in listed.context["page"]] == ["Trung tâm OCOP Hạ Long"]
    assert reverse("trade:point_of_sale_create") not in listed.content.decode()
    detail = officer.get(point_url("detail", trade.showroom))
    assert detail.status_code == 200
    assert point_url("update", trade.showroom) not in detail.content.decode()
    assert detail.context["candidates"] == []
    assert officer.get(point_url("update", trade.showroom)).status_code == 403
    assert officer.post(point_url("product_link", trade.showroom), {"product": catalog.squid.pk}).status_code == 403
    assert not trade.showroom.products.filter(pk=catalog.squid.pk).exists()


def test_trade_commune_officer_cannot_create(staff_client, users, tree):
    officer = staff_client(users.commune_x)
    assert officer.get(reverse("trade:point_of_sale_create")).status_code == 403
    assert officer.post(reverse("trade:point_of_sale_create"), point_form(tree.x)).status_code == 403
    assert officer.post(reverse("trade:fair_create"), fair_form(tree.x)).status_code == 403
    assert (PointOfSale.objects.count(), Fair.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(action__in=["point_of_sale.create", "fair.create"]).exists()


@pytest.mark.parametrize("n", [1, 40])
def test_trade_list_query_count_is_constant(staff_client, users, tree, django_assert_max_num_queries, n):
    products = bulk_certified_products(5, communes=[tree.x])
    for i in range(n):
        make_point_of_sale(unit=tree.x if i % 2 else tree.y, products=products)
        make_fair(unit=tree.p, products=products)
    officer = staff_client(users.province)
    with django_assert_max_num_queries(8):
        points = officer.get(reverse("trade:point_of_sale_list"))
    with django_assert_max_num_queries(8):
        fairs = officer.get(reverse("trade:fair_list"))
    assert points.context["page"].paginator.count == fairs.context["page"].paginator.count == n
    assert {p.n_products for p in points.context["page"]} == {5}


@pytest.mark.parametrize("n", [1, 60])
def test_trade_detail_query_count_is_constant(staff_client, users, tree, django_assert_max_num_queries, n):
    products = bulk_certified_products(n + 5, communes=[tree.x, tree.y])
    point = make_point_of_sale(unit=tree.x, products=products[:n])
    fair = make_fair(unit=tree.p, products=products[:n])
    officer = staff_client(users.province)
    with django_assert_max_num_queries(10):
        response = officer.get(point_url("detail", point), {"q": "san pham"})
    with django_assert_max_num_queries(10):
        officer.get(fair_url("detail", fair))
    assert len(response.context["linked"]) == min(n, 50)
    assert len(response.context["candidates"]) == 5


# --- Create and edit ----------------------------------------------------------------------------------------


def test_trade_point_of_sale_create_succeeds_with_audit(staff_client, users, tree):
    response = staff_client(users.province).post(reverse("trade:point_of_sale_create"), point_form(tree.y))
    point = PointOfSale.objects.get()
    assert response.status_code == 302
    assert response["Location"] == point_url("detail", point)
    assert (point.name, point.slug, point.unit, point.is_active) == (
        "Điểm giới thiệu sản phẩm OCOP Bãi Cháy",
        "diem-gioi-thieu-san-pham-ocop-bai-chay",
        tree.y,
        True,
    )
    event = AuditEvent.objects.get(action="point_of_sale.create")
    assert (event.actor, event.object_id, event.unit) == (users.province, str(point.pk), tree.y)
    assert event.after["unit"] == tree.y.path


def test_trade_fair_create_succeeds(staff_client, users, tree):
    response = staff_client(users.province).post(reverse("trade:fair_create"), fair_form(tree.d))
    fair = Fair.objects.get()
    assert response["Location"] == fair_url("detail", fair)
    assert (fair.venue, fair.ends_on - fair.starts_on) == ("Quảng trường 30/10", datetime.timedelta(days=3))
    assert audit_actions(fair) == ["fair.create"]


@pytest.mark.parametrize(
    ("kind", "model", "form_data"),
    [("point_of_sale", PointOfSale, point_form), ("fair", Fair, fair_form)],
    ids=["point_of_sale", "fair"],
)
def test_trade_double_submitted_create_saves_once(
    staff_client, users, tree, kind, model, form_data, django_capture_on_commit_callbacks
):
    officer = staff_client(users.province)
    page = officer.get(reverse(f"trade:{kind}_create"))
    token = re.search(r'name="submit_token" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    data = {**form_data(tree.y), "submit_token": token}
    with django_capture_on_commit_callbacks(execute=True):
        first = officer.post(reverse(f"trade:{kind}_create"), data)
    again = officer.post(reverse(f"trade:{kind}_create"), data, follow=True)
    created = model.objects.get()
    assert first["Location"] == again.redirect_chain[0][0] == reverse(f"trade:{kind}_detail", args=[created.pk])
    assert "Biểu mẫu này đã được gửi; hệ thống chỉ lưu một lần." in again.content.decode()
    assert AuditEvent.objects.filter(action=f"{kind}.create").count() == 1


def test_trade_refused_create_releases_its_token(staff_client, users, tree):
    officer = staff_client(users.province)
    page = officer.get(reverse("trade:fair_create"))
    token = re.search(r'name="submit_token" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    wrong_dates = fair_form(tree.d, starts_on="2026-10-10", ends_on="2026-10-09", submit_token=token)
    refused = officer.post(reverse("trade:fair_create"), wrong_dates)
    assert (refused.status_code, Fair.objects.count()) == (200, 0)
    corrected = officer.post(reverse("trade:fair_create"), fair_form(tree.d, submit_token=token))
    assert corrected["Location"] == fair_url("detail", Fair.objects.get())


def test_trade_form_page_names_the_record_and_cancels_to_it(staff_client, users, trade):
    officer = staff_client(users.province)
    new = officer.get(reverse("trade:point_of_sale_create")).content.decode()
    edit = officer.get(fair_url("update", trade.fair)).content.decode()
    assert "<h1>Đăng ký điểm bán</h1>" in new
    assert f'<a href="{reverse("trade:point_of_sale_list")}">Hủy</a>' in new
    assert "<h1>Sửa hội chợ</h1>" in edit
    assert f'<a href="{fair_url("detail", trade.fair)}">{trade.fair.name}</a>' in edit
    assert f'<a href="{fair_url("detail", trade.fair)}">Hủy</a>' in edit


def test_trade_fair_end_before_start_is_refused_in_vietnamese(staff_client, users, tree):
    data = fair_form(tree.d, starts_on="2026-10-10", ends_on="2026-10-09")
    response = staff_client(users.province).post(reverse("trade:fair_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == [END_BEFORE_START]
    assert END_BEFORE_START in response.content.decode()
    assert not Fair.objects.exists()
    assert not AuditEvent.objects.filter(action="fair.create").exists()


def test_trade_fair_update_end_before_start_is_refused_and_nothing_changes(staff_client, users, trade):
    before = (trade.fair.starts_on, trade.fair.ends_on)
    data = fair_form(trade.fair.unit, starts_on="2026-10-10", ends_on="2026-10-01")
    response = staff_client(users.province).post(fair_url("update", trade.fair), data)
    assert response.context["form"].errors["ends_on"] == [END_BEFORE_START]
    trade.fair.refresh_from_db()
    assert (trade.fair.starts_on, trade.fair.ends_on) == before
    with pytest.raises(ValidationError) as refused:
        fair_update(fair=trade.fair, by=users.province, ends_on=trade.fair.starts_on - datetime.timedelta(days=1))
    assert refused.value.message_dict == {"ends_on": [END_BEFORE_START]}
    trade.fair.refresh_from_db()
    assert (trade.fair.starts_on, trade.fair.ends_on) == before
    assert audit_actions(trade.fair) == []


def test_trade_one_day_fair_is_allowed(staff_client, users, tree):
    data = fair_form(tree.d, starts_on="2026-10-10", ends_on="2026-10-10")
    assert staff_client(users.province).post(reverse("trade:fair_create"), data).status_code == 302
    assert Fair.objects.get().ends_on == datetime.date(2026, 10, 10)


def test_trade_create_in_another_province_is_refused(staff_client, users, tree):
    response = staff_client(users.province).post(reverse("trade:point_of_sale_create"), point_form(tree.z))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not PointOfSale.objects.exists()


def test_trade_point_of_sale_update_records_the_change(staff_client, users, trade):
    data = point_form(trade.showroom.unit, name="Trung tâm OCOP Hạ Long mới", is_active="")
    response = staff_client(users.province).post(point_url("update", trade.showroom), data)
    assert response["Location"] == point_url("detail", trade.showroom)
    trade.showroom.refresh_from_db()
    assert (trade.showroom.name, trade.showroom.is_active) == ("Trung tâm OCOP Hạ Long mới", False)
    event = AuditEvent.objects.get(action="point_of_sale.update")
    assert event.before["name"] == "Trung tâm OCOP Hạ Long" and event.after["is_active"] is False


def test_trade_other_province_officer_gets_404_and_nothing_changes(staff_client, users, trade, catalog):
    other = staff_client(users.province_q)
    name = trade.showroom.name
    assert other.get(point_url("detail", trade.showroom)).status_code == 404
    assert other.get(point_url("update", trade.showroom)).status_code == 404
    data = point_form(trade.showroom.unit, name="Bị sửa trái phép")
    assert other.post(point_url("update", trade.showroom), data).status_code == 404
    assert other.post(point_url("product_unlink", trade.showroom), {"product": catalog.fish.pk}).status_code == 404
    assert other.post(fair_url("product_link", trade.fair), {"product": catalog.brocade.pk}).status_code == 404
    trade.showroom.refresh_from_db()
    assert trade.showroom.name == name
    assert set(trade.showroom.products.all()) == {catalog.fish, catalog.draft}
    assert catalog.brocade not in trade.fair.products.all()
    assert audit_actions(trade.showroom) == audit_actions(trade.fair) == []


def test_trade_services_refuse_another_province_directly(users, trade, catalog):
    with pytest.raises(PermissionDenied):
        point_of_sale_update(point_of_sale=trade.showroom, by=users.province_q, name="Bị sửa trái phép")
    with pytest.raises(PermissionDenied):
        fair_product_link(fair=trade.fair, product=catalog.squid, by=users.province_q)
    with pytest.raises(PermissionDenied):
        # Moving one's own point into another province is refused too.
        point_of_sale_update(point_of_sale=trade.kon_tum, by=users.province_q, unit=users.province.unit)
    trade.showroom.refresh_from_db()
    assert trade.showroom.name == "Trung tâm OCOP Hạ Long"


# --- Products carried ---------------------------------------------------------------------------------------


def test_trade_link_certified_product_of_own_province(staff_client, users, trade, catalog):
    response = staff_client(users.province).post(
        point_url("product_link", trade.showroom), {"product": catalog.squid.pk}, follow=True
    )
    assert catalog.squid in trade.showroom.products.all()
    assert messages_of(response) == ["Chả mực Hạ Long đã được thêm vào điểm bán này."]
    assert audit_actions(trade.showroom) == ["point_of_sale.link_product"]


def test_trade_link_draft_product_is_refused(staff_client, users, trade, catalog):
    officer = staff_client(users.province)
    trade.fair.products.remove(catalog.draft)
    response = officer.post(fair_url("product_link", trade.fair), {"product": catalog.draft.pk}, follow=True)
    assert messages_of(response) == [NOT_CERTIFIED]
    assert catalog.draft not in trade.fair.products.all()
    assert audit_actions(trade.fair) == []


def test_trade_link_revoked_product_is_refused(users, trade, catalog):
    cert = catalog.squid.certificates.get()
    cert.revoked_at, cert.revocation_reason = timezone.now(), "Vi phạm an toàn thực phẩm"
    cert.save()
    with pytest.raises(ValidationError) as refused:
        point_of_sale_product_link(point_of_sale=trade.showroom, product=catalog.squid, by=users.province)
    assert refused.value.message_dict == {"product": [NOT_CERTIFIED]}


def test_trade_point_of_sale_takes_only_its_own_province_products(staff_client, users, trade, catalog):
    officer = staff_client(users.province)
    response = officer.post(point_url("product_link", trade.showroom), {"product": catalog.wine.pk}, follow=True)
    assert messages_of(response) == [NOT_OWN_PROVINCE]
    assert catalog.wine not in trade.showroom.products.all()
    candidates = officer.get(point_url("detail", trade.showroom)).context["candidates"]
    assert [e.name for e in candidates] == ["Chả mực Hạ Long"]


def test_trade_fair_takes_certified_products_of_any_province(staff_client, users, trade, catalog):
    officer = staff_client(users.province)
    candidates = officer.get(fair_url("detail", trade.fair)).context["candidates"]
    assert {e.name for e in candidates} == {"Chả mực Hạ Long", "Thổ cẩm Kon Rẫy"}
    officer.post(fair_url("product_link", trade.fair), {"product": catalog.brocade.pk})
    assert catalog.brocade in trade.fair.products.all()


def test_trade_candidates_search_ignores_diacritics(staff_client, users, trade):
    response = staff_client(users.province).get(fair_url("detail", trade.fair), {"q": "THO CAM"})
    assert [e.name for e in response.context["candidates"]] == ["Thổ cẩm Kon Rẫy"]


def test_trade_linking_twice_changes_nothing(users, trade, catalog):
    point_of_sale_product_link(point_of_sale=trade.showroom, product=catalog.fish, by=users.province)
    assert trade.showroom.products.filter(pk=catalog.fish.pk).count() == 1
    assert audit_actions(trade.showroom) == []


def test_trade_unlink_product_even_when_no_longer_certified(staff_client, users, trade, catalog):
    officer = staff_client(users.province)
    response = officer.post(point_url("product_unlink", trade.showroom), {"product": catalog.draft.pk}, follow=True)
    assert messages_of(response) == ["Nước mắm nháp chưa chứng nhận không còn được giới thiệu ở điểm bán này."]
    assert list(trade.showroom.products.all()) == [catalog.fish]
    event = AuditEvent.objects.get(action="point_of_sale.unlink_product")
    assert event.before == {"product": catalog.draft.slug}


def test_trade_detail_flags_linked_products_hidden_from_the_public(staff_client, users, trade):
    response = staff_client(users.province).get(point_url("detail", trade.showroom))
    assert {(p.name, p.listed) for p in response.context["linked"]} == {
        ("Nước mắm Phú Quốc truyền thống", True),
        ("Nước mắm nháp chưa chứng nhận", False),
    }
    assert "ẩn khỏi trang công khai" in response.content.decode()


def test_trade_incomplete_link_request_changes_nothing(staff_client, users, trade):
    response = staff_client(users.province).post(point_url("product_link", trade.showroom), {}, follow=True)
    assert messages_of(response) == ["Yêu cầu chưa đầy đủ; không có gì thay đổi."]
    assert trade.showroom.products.count() == 2


# --- The public pages follow at once ------------------------------------------------------------------------


def test_trade_public_pages_show_an_edit_at_once(
    client, staff_client, users, trade, catalog, django_capture_on_commit_callbacks
):
    public_list = reverse("catalog:point_of_sale_list")
    public_fair = reverse("catalog:fair_detail", args=[trade.fair.slug])
    product_page = reverse("catalog:product_detail", args=[catalog.squid.slug])
    assert "Trung tâm OCOP Hạ Long" in client.get(public_list).content.decode()  # now cached
    assert "Chả mực Hạ Long" not in client.get(public_fair).content.decode()
    assert "Hội chợ OCOP Quảng Ninh" not in client.get(product_page).content.decode()
    officer = staff_client(users.province)
    with django_capture_on_commit_callbacks(execute=True):
        data = point_form(trade.showroom.unit, name="Trung tâm OCOP Bãi Cháy")
        officer.post(point_url("update", trade.showroom), data)
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(fair_url("product_link", trade.fair), {"product": catalog.squid.pk})
    html = client.get(public_list).content.decode()
    assert "Trung tâm OCOP Bãi Cháy" in html and "Trung tâm OCOP Hạ Long" not in html
    assert "Chả mực Hạ Long" in client.get(public_fair).content.decode()
    assert "Hội chợ OCOP Quảng Ninh" in client.get(product_page).content.decode()


def test_trade_closing_a_point_hides_it_at_once(client, users, trade, django_capture_on_commit_callbacks):
    public_page = reverse("catalog:point_of_sale_detail", args=[trade.showroom.slug])
    assert client.get(public_page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        point_of_sale_update(point_of_sale=trade.showroom, by=users.province, is_active=False)
    assert client.get(public_page).status_code == 404


def test_trade_promotion_address_leads_to_the_points_of_sale(client):
    response = client.get("/quan-ly/xuc-tien-thuong-mai/")
    assert (response.status_code, response["Location"]) == (302, "/quan-ly/xuc-tien-thuong-mai/diem-ban/")
