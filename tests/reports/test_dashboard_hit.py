"""A dashboard hit does only what the page needs: the data versions (one query) and one cache look-up for the
user's work queue and the rendered figures section; no permission, unit or product-group query, no chart, ranking or
form built. What it leaves out is still as fresh as before: a permission granted, a unit renamed, a product group
added or another query string shows on the next request."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.certificates.models import Certificate
from apps.core.enums import RenderState
from apps.geo.models import AdministrativeUnit
from apps.products.models import ProductGroup
from apps.reports import views
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("core:dashboard")
TABLES = re.compile(r'(?:FROM|JOIN) "(\w+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="\w+"')
FAILED = "Certificates whose PDF failed"
CERTIFICATES_LINK = reverse("certificates:list") + "?status=valid"


def _page(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("role", "unit"), [(Role.DISTRICT_OFFICER, "d"), (Role.PROVINCE_OFFICER, "p"), (Role.CENTRAL_OFFICER, None)]
)
def test_a_hit_reads_only_the_session_the_user_and_the_versions(client, world, role, unit):
    client.force_login(UserFactory(role=role, unit=getattr(world, unit) if unit else None))
    _page(client)
    with CaptureQueriesContext(connection) as hit:
        _page(client)
    sql = [q["sql"] for q in hit.captured_queries]
    assert {table for statement in sql for table in TABLES.findall(statement)} == {"django_session", "accounts_user"}
    assert sum("reports_figures_version" in statement for statement in sql) == 1


def test_a_hit_draws_no_chart_and_shows_the_same_page(client, world, monkeypatch):
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d))
    drawn = []
    real = views.figure_charts

    def counted(figures):
        drawn.append(figures["scope"]["name"])
        return real(figures)

    monkeypatch.setattr("apps.reports.views.figure_charts", counted)
    miss = _page(client).content.decode()
    assert drawn == [world.d.name]
    hit = _page(client).content.decode()
    assert drawn == [world.d.name]  # the charts come with the rendered section from the cache
    assert CSRF.sub("", hit) == CSRF.sub("", miss)


def _certificate_permission():
    return Permission.objects.create(
        codename="list_certificates",
        name="Can list certificates",
        content_type=ContentType.objects.get_for_model(Certificate),
    )


@pytest.mark.parametrize("grant", ["user permission", "group permission", "group membership"])
def test_a_permission_granted_shows_on_the_next_request(client, world, grant):
    """The certificate-list permission is answered from the queue's cache entry: each of Django's permission tables
    advances the queue's version, so granting it any way shows the certificate items and link at once."""
    Certificate.objects.filter(product__commune=world.x).update(render_state=RenderState.FAILED)
    permission = _certificate_permission()
    group = Group.objects.create(name="Văn phòng chứng nhận")
    user = UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d)
    client.force_login(user)
    if grant == "group permission":
        user.groups.add(group)
    elif grant == "group membership":
        group.permissions.add(permission)
    before = _page(client)
    assert _(FAILED) not in {item.label for item in before.context["queue"]}
    assert CERTIFICATES_LINK not in before.content.decode()
    _page(client)  # a hit
    if grant == "user permission":
        user.user_permissions.add(permission)
    elif grant == "group permission":
        group.permissions.add(permission)
    else:
        user.groups.add(group)
    after = _page(client)
    assert {item.label: item.count for item in after.context["queue"]}[_(FAILED)] == 2
    assert CERTIFICATES_LINK in after.content.decode()


def test_a_renamed_unit_shows_on_the_next_request(client, world):
    """A hit takes the user's unit from the cached section: units advance the figures' version, so it is fresh."""
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d))
    assert world.d.name in _page(client).content.decode()
    AdministrativeUnit.objects.filter(pk=world.d.pk).update(name="Thành phố Hạ Long mới")
    assert "Thành phố Hạ Long mới" in _page(client).content.decode()


def _year(html):
    field = re.search(r'<input[^>]*name="year"[^>]*>', html).group(0)
    value = re.search(r'value="(\d*)"', field)
    return value.group(1) if value else ""


def _groups(html):
    select = re.search(r'<select name="group".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_cached_filter_form_follows_the_query_string_and_the_product_groups(client, world):
    client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p))
    today_year = str(_page(client).context["section"]["values"]["year"])
    assert _year(_page(client).content.decode()) == today_year  # unbound: the initial year
    assert _year(_page(client, URL + "?year=2025").content.decode()) == "2025"
    assert _year(_page(client, URL + "?year=2024").content.decode()) == "2024"
    assert _year(_page(client, URL + "?other=1").content.decode()) == ""  # bound without a year, as before
    groups = _groups(_page(client).content.decode())
    ProductGroup.objects.create(code="zzthu", name="Nhóm thử", order=999)
    assert _groups(_page(client).content.decode()) == [*groups, "zzthu"]


def test_a_hit_in_another_process_asks_redis_once(client, world, monkeypatch):
    """A process that does not hold the entries yet (its memory emptied) asks Redis for the queue and the section
    in one ``get_many``, and computes nothing."""
    client.force_login(UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d))
    first = _page(client).content.decode()
    caches["local"].clear()
    asked = []
    for name in ("get", "get_many"):
        real = getattr(cache, name)

        def counted(keys, *args, name=name, real=real, **kwargs):
            asked.append((name, [keys] if isinstance(keys, str) else list(keys)))
            return real(keys, *args, **kwargs)

        monkeypatch.setattr(cache, name, counted)
    with CaptureQueriesContext(connection) as hit:
        second = _page(client).content.decode()
    reports = [(name, keys) for name, keys in asked if any(key.startswith("reports-") for key in keys)]
    assert [(name, len(keys)) for name, keys in reports] == [("get_many", 2)]
    assert {table for q in hit.captured_queries for table in TABLES.findall(q["sql"])} == {
        "django_session",
        "accounts_user",
    }
    assert CSRF.sub("", second) == CSRF.sub("", first)
