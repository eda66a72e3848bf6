"""The dashboard's figures cached under the data version: served from the cache while nothing changed, and computed
again after any write to a table they read — ORM save, queryset update, bulk create, many-to-many, raw SQL."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.enums import Role
from apps.catalog.models import PointOfSale
from apps.certificates.models import Certificate
from apps.cycles.enums import TargetKind
from apps.cycles.models import Plan, Target
from apps.geo.enums import Edition
from apps.producers.models import Producer
from apps.products.models import Product
from apps.reports.selectors import dashboard_figures, figures_version, unit_figures
from tests.factories import UserFactory, commune, province

from .conftest import NOVEMBER, TODAY

pytestmark = pytest.mark.django_db


def figures_of(world):
    return dashboard_figures(unit=world.p, period=NOVEMBER, today=TODAY)


def test_cached_figures_equal_the_computed_ones_and_cost_one_query(world, django_assert_num_queries):
    first, key = figures_of(world)
    assert key is not None
    assert first == unit_figures(unit=world.p, period=NOVEMBER, today=TODAY)
    with django_assert_num_queries(1):  # the data version, nothing else
        again, same_key = figures_of(world)
    assert (again, same_key) == (first, key)


def _raw_sql(world):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE producers_producer SET workers_count = workers_count + 5")


def _queryset_update(world):
    Producer.objects.filter(commune=world.x).update(kind="dn")


def _bulk_create(world):
    plan = Plan.objects.get(unit=world.d, year=2026)
    Target.objects.bulk_create([Target(plan=plan, kind=TargetKind.NEW_FOUR_STAR, value=7)])


def _many_to_many(world):
    PointOfSale.objects.get().products.add(*Product.objects.filter(commune=world.y))


def _save(world):
    certificate = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    certificate.revoked_at = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)  # in NOVEMBER, any day
    certificate.revocation_reason = "Vi phạm"
    certificate.save()


WRITES = {
    "raw SQL": (_raw_sql, "workers"),
    "queryset update": (_queryset_update, "producers_htx"),
    "bulk create": (_bulk_create, "target_4"),
    "many-to-many add": (_many_to_many, "point_of_sale_products"),
    "model save": (_save, "certificates_revoked"),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_kind_of_write_gives_new_figures(world, write):
    change, figure = WRITES[write]
    before, key = figures_of(world)
    version = figures_version()
    change(world)
    assert figures_version() > version
    after, new_key = figures_of(world)
    assert new_key != key
    assert after == unit_figures(unit=world.p, period=NOVEMBER, today=TODAY)
    assert after["totals"][figure] != before["totals"][figure]


def _producers_table(html):
    return re.search(r'<h3 id="bang-producers">.*?</table>', html, re.S).group(0)


def test_dashboard_tables_follow_a_write(client, world):
    client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p))
    url = reverse("core:dashboard") + "?year=2026"
    first = client.get(url)
    assert _producers_table(client.get(url).content.decode()) == _producers_table(first.content.decode())
    world.producer(world.w, "dn", workers=3)
    second = client.get(url)
    assert second.context["figures"]["totals"]["producers"] == first.context["figures"]["totals"]["producers"] + 1
    assert _producers_table(second.content.decode()) != _producers_table(first.content.decode())


def test_dashboard_query_count_on_a_cache_miss_same_for_3_and_300(client):
    counts = []
    for code, n in (("85", 3), ("86", 300)):
        p = province(code, edition=Edition.TWO_TIER_2025)
        for i in range(n):
            commune(p, f"{int(code) * 1000 + i:05d}")
        client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=p))
        client.get(reverse("core:dashboard"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('reports_figures_version')")  # as any write would
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("core:dashboard")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
