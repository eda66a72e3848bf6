"""Redis down (cache and broker on one instance): pages, login and the API serve; a decision is accepted and its
certificates are rendered once Redis is back.

Everything is the test's own: a PostgreSQL cluster (``initdb`` on a spare port, migrated), a ``redis-server`` on a
spare port that is stopped for the outage (connections refused), gunicorn serving the portal on those two, and a real
Celery worker once Redis is back. The machine's shared PostgreSQL and Redis are never touched.
"""

import json

import psycopg2
import pytest
from django.urls import reverse

from apps.core.enums import RenderState
from tests.worker import Worker

from .conftest import Portal, PrivatePostgres, PrivateRedis, wait_for

PASSWORD = "mat-khau-thu-nghiem"  # tests.factories.UserFactory's

SEED = """
import json
from apps.accounts.enums import Role
from tests.factories import UserFactory, commune, district, province
from tests.factories.catalog import certified_product
p = province("22", name="Tỉnh Quảng Ninh")
x = commune(district(p, "193", name="Thành phố Hạ Long"), "06649", name="Phường Hà Khánh")
product = certified_product(commune=x, stars=4, name="Chả mực Hạ Long")
UserFactory(role=Role.COMMUNE_OFFICER, unit=x, email="xa@ocop.example")
UserFactory(role=Role.COMMUNE_OFFICER, unit=x, email="xa.khac@ocop.example")
print("SEEDED " + json.dumps({"slug": product.slug}))
"""

DECIDE = """
import json
from django.db import transaction
from apps.certificates.services import certificates_create_for_decision
from apps.core.models import OutboxMessage
from apps.geo.models import AdministrativeUnit
from tests.factories.certificates import decision_with_products
p, x = AdministrativeUnit.objects.get(code="22"), AdministrativeUnit.objects.get(code="06649")
unsent_before = OutboxMessage.objects.filter(sent_at__isnull=True).count()
decision = decision_with_products(issuing_unit=p, commune=x, count=3)
with transaction.atomic():
    certs = certificates_create_for_decision(decision=decision)
print("DECIDED " + json.dumps({
    "decision": decision.pk,
    "ids": [c.pk for c in certs],
    "unsent": OutboxMessage.objects.filter(sent_at__isnull=True).count() - unsent_before,
}))
"""

FLUSH = """
import datetime, json
from django.utils import timezone
from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_flush
# Older than the sweep's grace period, as after a minute's outage; then what beat's one-minute sweep does.
OutboxMessage.objects.filter(sent_at__isnull=True).update(created_at=timezone.now() - datetime.timedelta(minutes=1))
print("FLUSHED " + json.dumps({"sent": outbox_flush()}))
"""


class Outage:
    def __init__(self, tmp_path):
        self.pg = PrivatePostgres().init()
        self.redis = PrivateRedis(tmp_path)  # a spare port, not started: every connection is refused
        self.portal = Portal(self.pg.url, tmp_path)
        self.portal.env.update(
            {
                "REDIS_URL": f"{self.redis.url}/1",
                "CELERY_BROKER_URL": f"{self.redis.url}/0",
                "OCOP_PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
            }
        )

    def shell(self, script, marker):
        out = self.portal.manage("shell", script=script)
        line = next(line for line in out.splitlines() if line.startswith(marker))
        return json.loads(line.removeprefix(marker))

    def query(self, sql, params):
        """Rows of ``sql`` on the private database, read from this process."""
        connection = psycopg2.connect(self.pg.url.replace("postgres://", "postgresql://"))
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def login(self, email, password):
        self.portal.request(reverse("account_login"))
        data = {"login": email, "password": password, "csrfmiddlewaretoken": self.portal.csrf()}
        return self.portal.request(reverse("account_login"), data)[0]


@pytest.fixture
def outage(tmp_path):
    site = Outage(tmp_path)
    try:
        site.portal.manage("migrate", "--noinput", "-v0")
        site.seeded = site.shell(SEED, "SEEDED ")
        site.portal.serve()
        yield site
    finally:
        if getattr(site.portal, "process", None) is not None:
            site.portal.stop()
        site.redis.stop()
        site.pg.destroy()


def test_public_pages_login_api_and_the_login_throttle_without_redis(outage):
    portal = outage.portal
    for url in [
        reverse("core:home"),
        reverse("catalog:product_list"),
        reverse("catalog:product_list") + "?q=cha+muc",
        reverse("catalog:product_detail", args=[outage.seeded["slug"]]),
        reverse("catalog:statistics"),
        "/api/v1/products/",
        reverse("account_login"),
    ]:
        status, _headers, _body = portal.request(url)
        assert status == 200, url
    status, _headers, body = portal.request(reverse("catalog:product_detail", args=[outage.seeded["slug"]]))
    assert "Chả mực Hạ Long" in body
    status, _headers, body = portal.request("/readyz")
    assert status == 200  # degraded, not unavailable: the portal serves correctly without Redis
    checks = json.loads(body)["checks"]
    assert checks["database"].startswith("ok") and not checks["cache"].startswith("ok")  # really without Redis

    assert outage.login("xa@ocop.example", PASSWORD) == 302
    assert portal.request(reverse("core:dashboard"))[0] == 200

    # The failed-login throttle still counts (in process memory): after five wrong passwords the right one is
    # refused too.
    portal.jar.clear()
    for _ in range(5):
        assert outage.login("xa.khac@ocop.example", "sai-mat-khau") in (200, 429)
    assert outage.login("xa.khac@ocop.example", PASSWORD) in (200, 429)
    assert portal.request(reverse("core:dashboard"))[0] == 302  # not logged in: sent to the login page


def test_decision_accepted_while_redis_is_down_completes_after_it_returns(outage):
    decided = outage.shell(DECIDE, "DECIDED ")
    ids, decision = decided["ids"], decided["decision"]

    def certificate_states():
        sql = "SELECT render_state FROM certificates_certificate WHERE id = ANY(%s)"
        return [s for (s,) in outage.query(sql, [ids])]

    def document_states():
        sql = "SELECT render_state FROM certificates_decisiondocument WHERE decision_id = %s"
        return [s for (s,) in outage.query(sql, [decision])]

    assert certificate_states() == [RenderState.PENDING] * 3  # committed; nothing could be sent to the broker
    assert decided["unsent"] == 2  # the batch of three certificates and the decision document wait in the outbox

    outage.redis.start()  # Redis is back
    worker = Worker({**outage.portal.env}).start()
    try:
        assert outage.shell(FLUSH, "FLUSHED ")["sent"] >= 2
        assert wait_for(lambda: certificate_states() == [RenderState.READY] * 3, timeout=60)
        assert wait_for(lambda: document_states() == [RenderState.READY], timeout=60)
        attempts = outage.query("SELECT render_attempts FROM certificates_certificate WHERE id = ANY(%s)", [ids])
        assert sorted(a for (a,) in attempts) == [1, 1, 1]  # each rendered once
    finally:
        worker.kill()
