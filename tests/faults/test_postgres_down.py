"""PostgreSQL stopped under a running portal: a Vietnamese 503 with Retry-After, then full recovery.

The portal here is gunicorn on a private PostgreSQL cluster that the test creates, stops and starts on spare
ports; the machine's shared PostgreSQL is never touched.
"""

from pathlib import Path

import pytest

from .conftest import Portal, PrivatePostgres, wait_for

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
p = AdministrativeUnit.objects.create(edition=Edition.THREE_TIER_2024, level=Level.PROVINCE, code="22",
                                      name="Tỉnh Quảng Ninh", path="2024/22/")
u = User.objects.create_user(email="xa@ocop.example", password="mat-khau-dai-12345", role=Role.PROVINCE_OFFICER,
                             unit=p, full_name="Cán bộ thử")
"""
COUNT = """
from apps.audit.models import AuditEvent
from apps.accounts.models import User
from django.contrib.sessions.models import Session
print(User.objects.count(), AuditEvent.objects.count())
"""


@pytest.fixture
def portal(tmp_path):
    pg = PrivatePostgres().init()
    site = Portal(pg.url, tmp_path)
    site.manage("migrate", "--noinput", "-v0")
    site.manage("shell", script=SETUP)
    site.serve()
    site.pg = pg
    yield site
    site.stop()
    pg.destroy()


def test_database_outage_is_a_503_page_then_the_portal_recovers(portal):
    status, _headers, _body = portal.request("/accounts/login/")
    assert status == 200
    status, headers, _body = portal.request(
        "/accounts/login/",
        {"login": "xa@ocop.example", "password": "mat-khau-dai-12345", "csrfmiddlewaretoken": portal.csrf()},
    )
    assert status == 302
    assert portal.request("/quan-ly/")[0] == 200
    before = portal.manage("shell", script=COUNT)

    portal.pg.stop()
    for path, data in [
        ("/quan-ly/", None),
        ("/xac-thuc/abcdefghijkl/", None),
        ("/accounts/login/", {"login": "x@y.vn", "password": "p", "csrfmiddlewaretoken": "x"}),
    ]:
        status, headers, body = portal.request(path, data)
        assert status == 503, (path, status)
        assert headers["Retry-After"] == "30"
        assert "Hệ thống đang bảo trì" in body
    assert portal.request("/healthz")[0] == 200  # the process itself is up
    status, headers, body = portal.request("/readyz")
    assert status == 503
    assert '"database": "unavailable' in body and headers["Retry-After"] == "30"

    portal.pg.start()
    assert wait_for(lambda: portal.request("/quan-ly/")[0] == 200, timeout=30)
    status, _headers, body = portal.request("/readyz")
    assert status == 200 and '"database": "ok"' in body
    assert portal.manage("shell", script=COUNT) == before  # nothing half-written during the outage
