"""The "Xuất Excel" / "Xuất CSV" links on the staff lists: present, carrying the list's filters, and the files they
lead to hold exactly the filtered rows of the user's jurisdiction (403 for a unit outside it)."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.enums import Role
from apps.certificates.models import Certificate
from apps.cycles.models import Application
from apps.evaluation import services as evaluation_services
from apps.evaluation.enums import Tier
from apps.evaluation.models import ScoreAnswer
from apps.producers.models import Producer
from apps.products.models import Product
from tests.factories import UserFactory
from tests.factories.evaluation import make_application, make_cycle, make_round, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return type(
        "Staff",
        (),
        {
            "district": UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d),
            "province": UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p),
            "producer": UserFactory(role=Role.PRODUCER, unit=world.x),
        },
    )


def export_links(page_html, name):
    """The hrefs of the page's export links to ``name`` (unescaped), by format."""
    found = re.findall(rf'href="(/quan-ly/bao-cao/xuat/{name}\.(csv|xlsx)[^"]*)"', page_html)
    return {fmt: html.unescape(href) for href, fmt in found}


def xlsx_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))[1:]


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


def lists(world):
    """(list URL with a filter, export name, the ids of exactly the rows that filter leaves, id column)."""
    return [
        (
            reverse("products:product_list") + f"?commune={world.x.pk}",
            "san-pham",
            set(Product.objects.filter(commune=world.x).values_list("pk", flat=True)),
        ),
        (
            reverse("producers:producer_list") + "?kind=hkd",
            "chu-the",
            set(
                Producer.objects.filter(kind="hkd", commune__path__startswith=world.p.path).values_list("pk", flat=True)
            ),
        ),
        (
            reverse("cycles:work_list") + "?state=returned",
            "ho-so",
            set(Application.objects.filter(state="returned").values_list("pk", flat=True)),
        ),
        (
            reverse("certificates:list") + "?status=revoked",
            "giay-chung-nhan",
            set(Certificate.objects.filter(revoked_at__isnull=False).values_list("serial", flat=True)),
        ),
    ]


def test_each_staff_list_links_its_exports_with_its_filters(client, world, staff):
    client.force_login(staff.province)
    for list_url, name, _expected in lists(world):
        page = client.get(list_url)
        assert page.status_code == 200, list_url
        links = export_links(page.content.decode(), name)
        query = list_url.split("?", 1)[1]
        assert links == {
            "csv": reverse("reports:export", args=[name, "csv"]) + "?" + query,
            "xlsx": reverse("reports:export", args=[name, "xlsx"]) + "?" + query,
        }, list_url
        assert "Xuất Excel" in page.content.decode() and "Xuất CSV" in page.content.decode()


def test_exported_files_hold_exactly_the_filtered_rows(client, world, staff):
    client.force_login(staff.province)
    for list_url, name, expected in lists(world):
        assert expected, name  # the filter leaves some rows, and not all of them
        links = export_links(client.get(list_url).content.decode(), name)
        from_xlsx = {row[0] for row in xlsx_rows(client, links["xlsx"])}
        from_csv = {row[0] for row in csv_rows(client, links["csv"])}
        assert from_xlsx == expected, name
        assert from_csv == {str(value) for value in expected}, name


def test_unfiltered_export_is_the_whole_jurisdiction_only(client, world, staff):
    client.force_login(staff.district)
    links = export_links(client.get(reverse("products:product_list")).content.decode(), "san-pham")
    assert links["xlsx"] == reverse("reports:export", args=["san-pham", "xlsx"])
    ids = {row[0] for row in xlsx_rows(client, links["xlsx"])}
    assert ids == set(Product.objects.filter(commune__parent=world.d).values_list("pk", flat=True))
    assert Product.objects.exclude(commune__parent=world.d).exists()


def test_producers_see_no_export_links(client, world, staff):
    client.force_login(staff.producer)
    page = client.get(reverse("products:product_list"))
    assert page.status_code == 200
    assert export_links(page.content.decode(), "san-pham") == {}


@pytest.mark.parametrize("name", ["san-pham", "chu-the"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_a_commune_outside_the_subtree_is_refused(client, world, staff, name, fmt):
    client.force_login(staff.district)  # Hạ Long; Phường Cẩm Trung (w) belongs to Cẩm Phả
    url = reverse("reports:export", args=[name, fmt])
    assert client.get(f"{url}?commune={world.w.pk}").status_code == 403
    assert client.get(f"{url}?commune={world.z.pk}").status_code == 403  # another province
    assert client.get(f"{url}?commune={world.x.pk}").status_code == 200


def test_export_of_a_cycle_outside_the_subtree_is_refused(client, world, staff):
    client.force_login(staff.district)
    url = reverse("reports:export", args=["ho-so", "csv"])
    assert client.get(f"{url}?cycle={world.cycle_2025.pk}").status_code == 403
    assert client.get(f"{url}?cycle={world.cycle.pk}").status_code == 200


def test_export_with_a_value_the_list_refuses_is_a_bad_request_not_the_whole_list(client, world, staff):
    client.force_login(staff.province)
    assert client.get(reverse("reports:export", args=["chu-the", "csv"]) + "?kind=bogus").status_code == 400
    assert client.get(reverse("reports:export", args=["phieu-danh-gia", "csv"]) + "?round=x1").status_code == 400


@pytest.fixture
def council(world, staff):
    """An open Hạ Long council round with one product scored by its three members."""
    cycle = make_cycle(unit=world.p)
    rnd, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=world.d, by=staff.district)
    application = make_application(commune=world.x, cycle=cycle, created_by=staff.district)
    entry = evaluation_services.entry_add(round=rnd, application=application, by=staff.district)
    for member, target in zip(members, [Decimal(60), Decimal(70), Decimal(80)], strict=True):
        score(entry=entry, member=member, target=target)
    return rnd, members


def test_round_page_links_its_sheet_export(client, world, staff, council):
    rnd, _members = council
    client.force_login(staff.district)
    links = export_links(
        client.get(reverse("evaluation:round_detail", args=[rnd.pk])).content.decode(), "phieu-danh-gia"
    )
    assert links == {
        "csv": reverse("reports:export", args=["phieu-danh-gia", "csv"]) + f"?round={rnd.pk}",
        "xlsx": reverse("reports:export", args=["phieu-danh-gia", "xlsx"]) + f"?round={rnd.pk}",
    }
    rows = xlsx_rows(client, links["xlsx"])
    assert len(rows) == ScoreAnswer.objects.filter(sheet__round=rnd).count() > 0
    assert {row[2] for row in rows} == {m.user.full_name for m in _members}


def test_council_member_exports_only_their_own_sheet(client, world, staff, council):
    rnd, members = council
    client.force_login(members[0].user)
    rows = csv_rows(client, reverse("reports:export", args=["phieu-danh-gia", "csv"]) + f"?round={rnd.pk}")
    assert len(rows) == ScoreAnswer.objects.filter(sheet__member=members[0]).count() > 0
    assert {row[2] for row in rows} == {members[0].user.full_name}


def test_sheet_export_of_a_round_outside_the_subtree_is_refused(client, world, staff, council):
    rnd, _members = council
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d2))
    assert (
        client.get(reverse("reports:export", args=["phieu-danh-gia", "xlsx"]) + f"?round={rnd.pk}").status_code == 403
    )
