"""Producer screens: list with filters and search, jurisdiction (403, nothing changed), vault upload/download."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.producers.enums import DocumentKind, ProducerKind
from apps.producers.models import Producer, ProducerDocument
from tests.factories.producers import PDF_BYTES, DocumentFactory, ProducerFactory, elf_upload, pdf_upload

pytestmark = pytest.mark.django_db

# Session, user, unit, count, rows, commune choices, permission look-ups: the same for 1 or 200 rows.
LIST_MAX_QUERIES = 10


def _names(response):
    return [p.name for p in response.context["page"]]


def test_producer_list_commune_officer_sees_only_own_commune(client, users, producer_x, producer_y):
    client.force_login(users.commune_x)
    response = client.get(reverse("producers:producer_list"))
    assert response.status_code == 200
    assert _names(response) == ["Chả mực Hạ Long Hà Khánh"]


def test_producer_list_district_officer_sees_subtree(client, users, producer_x, producer_y, tree):
    ProducerFactory(name="HTX Đắk Kôi", commune=tree.z)
    client.force_login(users.district)
    assert _names(client.get(reverse("producers:producer_list"))) == [
        "Chả mực Hạ Long Hà Khánh",
        "HTX Nước mắm Hà Phong",
    ]


def test_producer_list_producer_user_sees_only_linked(client, users, producer_x, producer_y, tree):
    ProducerFactory(name="Hộ kinh doanh cùng xã", commune=tree.x)
    client.force_login(users.producer)
    assert _names(client.get(reverse("producers:producer_list"))) == ["Chả mực Hạ Long Hà Khánh"]


@pytest.mark.parametrize("query", ["cha muc", "CHA MUC", "Chả mực", "muc ha long", "5700100001"])
def test_producer_list_search_ignores_diacritics(client, users, producer_x, tree, query):
    ProducerFactory(name="Nước mắm Cái Rồng", commune=tree.x)
    client.force_login(users.commune_x)
    assert _names(client.get(reverse("producers:producer_list"), {"q": query})) == ["Chả mực Hạ Long Hà Khánh"]


def test_producer_list_filters_by_kind_and_commune(client, users, producer_x, producer_y, tree):
    ProducerFactory(name="Tổ hợp tác Hà Khánh", kind=ProducerKind.COOPERATIVE_GROUP, tax_code=None, commune=tree.x)
    client.force_login(users.district)
    url = reverse("producers:producer_list")
    assert _names(client.get(url, {"kind": "tht"})) == ["Tổ hợp tác Hà Khánh"]
    assert _names(client.get(url, {"commune": tree.y.pk})) == ["HTX Nước mắm Hà Phong"]
    html = client.get(url).content.decode()
    assert "Phường Hà Khánh (06649)" in html


def test_producer_list_flags_expired_documents(client, users, producer_x):
    DocumentFactory(producer=producer_x, expires_on=datetime.date(2020, 1, 1))
    client.force_login(users.commune_x)
    response = client.get(reverse("producers:producer_list"))
    assert [p.has_expired_document for p in response.context["page"]] == [True]
    assert "Có tài liệu hết hạn" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 10, 200])
def test_producer_list_constant_queries(client, django_assert_max_num_queries, users, tree, rows):
    for i in range(rows):
        producer = ProducerFactory(commune=tree.x, name=f"Chủ thể {i:03d}")
        DocumentFactory(producer=producer, expires_on=datetime.date(2020, 1, 1))
    client.force_login(users.district)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(reverse("producers:producer_list"))
    assert response.context["page"].paginator.count == rows


def test_producer_list_queries_do_not_grow_with_rows(client, users, tree):
    client.force_login(users.district)
    counts = []
    for target in (10, 200):
        while Producer.objects.count() < target:
            ProducerFactory(commune=tree.x)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("producers:producer_list"))
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_producer_detail_other_commune_forbidden(client, users, producer_y):
    client.force_login(users.commune_x)
    assert client.get(reverse("producers:producer_detail", args=[producer_y.pk])).status_code == 403


def test_producer_detail_producer_user_own_and_other(client, users, producer_x, producer_y):
    client.force_login(users.producer)
    assert client.get(reverse("producers:producer_detail", args=[producer_x.pk])).status_code == 200
    assert client.get(reverse("producers:producer_detail", args=[producer_y.pk])).status_code == 403


def test_producer_detail_missing_is_404(client, users):
    client.force_login(users.commune_x)
    assert client.get(reverse("producers:producer_detail", args=[999999])).status_code == 404


def test_producer_detail_flags_expired_documents(client, users, producer_x):
    DocumentFactory(producer=producer_x, kind=DocumentKind.FOOD_SAFETY, expires_on=datetime.date(2020, 1, 1))
    DocumentFactory(producer=producer_x, kind=DocumentKind.TRADEMARK, expires_on=datetime.date(2099, 1, 1))
    client.force_login(users.commune_x)
    html = client.get(reverse("producers:producer_detail", args=[producer_x.pk])).content.decode()
    assert html.count('class="badge badge-expired"') == 1
    assert html.count("is-expired") == 1
    assert "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm" in html


def _post_data(tree, **overrides):
    data = {
        "name": "HTX Nông sản Hà Khánh",
        "kind": "htx",
        "commune": tree.x.pk,
        "address": "Thôn 2",
        "legal_representative": "Lê Thị Hoa",
        "phone": "0987654321",
        "email": "",
        "tax_code": "5701112223",
        "founded_year": "2015",
        "members_count": "9",
        "workers_count": "20",
        "women_workers": "12",
        "ethnic_minority_workers": "3",
    }
    data.update(overrides)
    return data


def test_producer_create_view_registers_in_own_commune(client, users, tree):
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:producer_create"), _post_data(tree, accounts=[users.producer.pk]))
    producer = Producer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("producers:producer_detail", args=[producer.pk])
    assert (producer.commune, producer.women_workers, producer.slug) == (tree.x, 12, "htx-nong-san-ha-khanh")
    assert list(producer.accounts.all()) == [users.producer]


def test_producer_create_view_refuses_other_commune(client, users, tree):
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:producer_create"), _post_data(tree, commune=tree.y.pk))
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert Producer.objects.count() == 0


def test_producer_create_view_shows_tax_code_error_in_vietnamese(client, users, tree):
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:producer_create"), _post_data(tree, tax_code="12345"))
    assert response.status_code == 200
    assert "Mã số thuế gồm 10 chữ số" in response.content.decode()
    assert Producer.objects.count() == 0


@pytest.mark.parametrize("who", ["district", "province", "producer"])
def test_producer_create_view_forbidden_for_other_roles(client, users, who):
    client.force_login(getattr(users, who))
    assert client.get(reverse("producers:producer_create")).status_code == 403


def test_producer_update_view_other_commune_forbidden_and_unchanged(client, users, tree, producer_y):
    client.force_login(users.commune_x)
    url = reverse("producers:producer_update", args=[producer_y.pk])
    response = client.post(url, _post_data(tree, name="Đã bị sửa", commune=tree.y.pk, tax_code="5700100002"))
    assert response.status_code == 403
    producer_y.refresh_from_db()
    assert producer_y.name == "HTX Nước mắm Hà Phong"


def test_producer_update_view_saves(client, users, tree, producer_x):
    client.force_login(users.commune_x)
    url = reverse("producers:producer_update", args=[producer_x.pk])
    response = client.post(url, _post_data(tree, name="Chả mực Hạ Long", kind="dn", tax_code="5700100001"))
    assert response.status_code == 302
    producer_x.refresh_from_db()
    assert producer_x.name == "Chả mực Hạ Long"
    assert producer_x.search_text.startswith("cha muc ha long")


def test_document_upload_view_stores_document(client, users, producer_x):
    client.force_login(users.producer)
    url = reverse("producers:document_upload", args=[producer_x.pk])
    response = client.post(
        url, {"kind": "food_safety", "file": pdf_upload(), "issued_on": "2025-01-01", "expires_on": "2028-01-01"}
    )
    assert response.status_code == 302
    document = ProducerDocument.objects.get()
    assert (document.kind, document.expires_on) == ("food_safety", datetime.date(2028, 1, 1))


def test_document_upload_view_refuses_executable_with_pdf_name(client, users, producer_x):
    client.force_login(users.commune_x)
    url = reverse("producers:document_upload", args=[producer_x.pk])
    response = client.post(url, {"kind": "food_safety", "file": elf_upload("virus.pdf")})
    assert response.status_code == 200
    assert "Tệp này không phải là tệp PDF, JPEG hoặc PNG thật." in response.content.decode()
    assert ProducerDocument.objects.count() == 0


def test_document_upload_view_other_commune_forbidden(client, users, producer_y):
    client.force_login(users.commune_x)
    url = reverse("producers:document_upload", args=[producer_y.pk])
    response = client.post(url, {"kind": "food_safety", "file": pdf_upload()})
    assert response.status_code == 403
    assert ProducerDocument.objects.count() == 0


def test_document_download_serves_file_to_allowed_users(client, users, producer_x):
    document = DocumentFactory(producer=producer_x)
    for user in (users.commune_x, users.producer, users.province):
        client.force_login(user)
        response = client.get(reverse("producers:document_download", args=[document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", ["commune_y", "province_q"])
def test_document_download_other_jurisdiction_forbidden(client, users, producer_x, who):
    document = DocumentFactory(producer=producer_x)
    client.force_login(getattr(users, who))
    assert client.get(reverse("producers:document_download", args=[document.pk])).status_code == 403


def test_document_download_producer_user_of_other_producer_forbidden(client, users, producer_y):
    document = DocumentFactory(producer=producer_y)
    client.force_login(users.producer)
    assert client.get(reverse("producers:document_download", args=[document.pk])).status_code == 403


def test_navigation_links_to_producers_and_products(client, users):
    client.force_login(users.commune_x)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("producers:producer_list")}"' in html
    assert f'href="{reverse("products:product_list")}"' in html


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:producers_producer_changelist",
        "admin:producers_producerdocument_changelist",
        "admin:products_product_changelist",
    ],
)
def test_admin_lists_render_read_only(client, users, producer_x, url_name):
    DocumentFactory(producer=producer_x)
    client.force_login(users.admin)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.context["has_add_permission"] is False
