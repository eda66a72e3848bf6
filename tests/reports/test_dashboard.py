"""The dashboard: work queue per role, figures, and a constant number of queries for 3 and 300 communes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.enums import Role
from apps.cycles.enums import ApplicationState
from apps.geo.enums import Edition
from apps.reports import services
from apps.reports.periods import Period
from tests.factories import UserFactory, commune, district, province
from tests.factories.producers import ProducerFactory
from tests.querycount import assert_same_queries, page_queries

pytestmark = pytest.mark.django_db


def test_province_dashboard_shows_figures_and_queue(client, world):
    officer = UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p)
    client.force_login(officer)
    html = client.get(reverse("core:dashboard") + "?year=2026").content.decode()
    assert "Việc đang chờ bạn" in html
    assert "Thành phố Hạ Long" in html and "<svg" in html
    assert "Tổng" in html


def test_commune_officer_queue_links_to_filtered_list(client, world):
    officer = UserFactory(role=Role.COMMUNE_OFFICER, unit=world.y)
    client.force_login(officer)
    html = client.get(reverse("core:dashboard")).content.decode()
    url = reverse("cycles:work_list") + f"?state={ApplicationState.RETURNED}"
    assert f'href="{url}"' in html  # Y's returned application waits to be corrected


def _province_with(n):
    p = province("80", edition=Edition.TWO_TIER_2025, name="Tỉnh Thử")
    for i in range(n):
        c = commune(p, f"{90000 + i:05d}")
        if i % 50 == 0:
            ProducerFactory(commune=c)
    return p


@pytest.mark.parametrize("communes", [3, 300])
def test_dashboard_queries_constant(client, django_assert_max_num_queries, communes):
    unit = _province_with(communes)
    officer = UserFactory(role=Role.PROVINCE_OFFICER, unit=unit)
    client.force_login(officer)
    client.get(reverse("core:dashboard"))  # warm the session and caches
    with django_assert_max_num_queries(40):
        response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('class="chart"') == 4  # the four figure charts (a map may follow)


def test_dashboard_query_count_same_for_3_and_300(client, django_db_blocker):

    counts = []
    for code, n in (("81", 3), ("82", 300)):
        p = province(code, edition=Edition.TWO_TIER_2025)
        for i in range(n):
            commune(p, f"{int(code) * 1000 + i:05d}")
        client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=p))
        client.get(reverse("core:dashboard"))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("core:dashboard"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_report_pages_query_count_same_for_3_and_300(client):

    counts = []
    for code, n in (("83", 3), ("84", 300)):
        p = province(code, edition=Edition.TWO_TIER_2025)
        for i in range(n):
            commune(p, f"{int(code) * 1000 + i:05d}")
        report = services.report_prepare(unit=p, period=Period.month(2026, 11))
        services.report_render(report_id=report.pk)
        client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=p))
        pages = [
            reverse("reports:report_list") + "?kind=monthly&period=2026-11",
            reverse("reports:report_detail", args=[report.pk]),
        ]
        for url in pages:
            client.get(url)
        per_page = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            per_page.append(len(ctx.captured_queries))
        counts.append(per_page)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.CENTRAL_OFFICER, Role.COUNCIL_MEMBER, Role.PRODUCER, Role.DISTRICT_OFFICER])
def test_every_role_gets_its_dashboard(client, world, role):
    unit = {Role.CENTRAL_OFFICER: None, Role.COUNCIL_MEMBER: world.d, Role.PRODUCER: world.x}.get(role, world.d)
    client.force_login(UserFactory(role=role, unit=unit))
    response = client.get(reverse("core:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert ("<svg" in html) == (role != Role.PRODUCER)  # producers see their queue, not the unit's figures
    if role == Role.CENTRAL_OFFICER:
        assert "Quảng Ngãi" in html and "Quảng Ninh" in html  # the 2025 provinces, old ones rolled in


@pytest.mark.parametrize("name", ["ho-so", "san-pham", "chu-the", "phieu-danh-gia"])
def test_exports_answer_with_a_header_row(client, world, name):
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d))
    response = client.get(reverse("reports:export", args=[name, "csv"]))
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) >= 1 and lines[0].count(",") >= 3


def test_certificate_export_needs_the_certificate_office(client, world):
    client.force_login(UserFactory(role=Role.COMMUNE_OFFICER, unit=world.x))
    assert client.get(reverse("reports:export", args=["giay-chung-nhan", "csv"])).status_code == 403
    client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p))
    response = client.get(reverse("reports:export", args=["giay-chung-nhan", "csv"]) + "?status=revoked")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2  # header + W's revoked certificate


def _unit_of_2024(level, code, n):
    """A 2024 province with one district of ``n`` communes (a producer in every 50th); the province or the district."""
    p = province(code, name=f"Tỉnh Thử {code}")
    d = district(p, f"{code}1", name=f"Huyện Thử {code}")
    for i in range(n):
        c = commune(d, f"{int(code) * 1000 + i:05d}")
        if i % 50 == 0:
            ProducerFactory(commune=c)
    return p if level == "province" else d


@pytest.mark.parametrize("cache", ["hit", "miss"])
@pytest.mark.parametrize(("level", "role"), [("province", Role.PROVINCE_OFFICER), ("district", Role.DISTRICT_OFFICER)])
def test_province_and_district_dashboards_same_queries_for_3_and_300_communes(client, level, role, cache):
    pages = []
    for code, n in (("87", 3), ("88", 300)):
        client.force_login(UserFactory(role=role, unit=_unit_of_2024(level, code, n)))
        client.get(reverse("core:dashboard"))  # warm the session and the caches
        if cache == "miss":
            with connection.cursor() as cursor:  # as any write would: figures and work queue counted again
                cursor.execute("SELECT nextval('reports_figures_version')")
        queries, _response = page_queries(client, reverse("core:dashboard"))
        pages.append(queries)
    assert_same_queries(*pages)
