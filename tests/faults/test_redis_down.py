"""Redis down (cache and broker on one instance): pages, login and the API serve; a decision is accepted and its
certificates are rendered once Redis is back.

Redis here is a private ``redis-server`` the test starts on a spare port, never the machine's shared one.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.certificates.models import Certificate, DecisionDocument
from apps.certificates.services import certificates_create_for_decision
from apps.core.enums import RenderState
from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_flush
from tests.certificates.conftest import worker_factory  # noqa: F401 — the real worker fixture
from tests.conftest import PASSWORD
from tests.factories.catalog import certified_product
from tests.factories.certificates import decision_with_products

from .conftest import celery_broker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_down(settings, private_redis):
    """The cache and the broker point at the private Redis, which is not running."""
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.FailoverRedisCache",
            "LOCATION": f"{private_redis.url}/1",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5, "RETRY_AFTER": 30},
        }
    }
    with celery_broker(f"{private_redis.url}/0"):
        yield private_redis


def test_public_pages_login_and_api_serve_without_redis(client, users, tree, redis_down):
    product = certified_product(commune=tree.x, stars=4)
    for url in [
        reverse("core:home"),
        reverse("catalog:product_list"),
        reverse("catalog:product_list") + "?q=san",
        reverse("catalog:product_detail", args=[product.slug]),
        reverse("catalog:statistics"),
        "/api/v1/products/",
        reverse("account_login"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.post(reverse("account_login"), {"login": users.commune_x.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert cache.redis_is_down  # the pages really ran without Redis


def test_failed_login_throttle_still_counts_without_redis(client, users, redis_down):
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": users.commune_x.email, "password": "sai"})
        assert response.status_code == 200
    # The sixth try, even with the right password, is refused by the throttle kept in process memory.
    response = client.post(reverse("account_login"), {"login": users.commune_x.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_decision_accepted_while_redis_is_down_completes_after_it_returns(tree, redis_down, worker_factory):  # noqa: F811
    decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=3)
    with transaction.atomic():
        certs = certificates_create_for_decision(decision=decision)
    ids = [c.pk for c in certs]
    assert Certificate.objects.filter(pk__in=ids, render_state=RenderState.PENDING).count() == 3
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2  # one batch, one decision document

    redis_down.start()  # Redis is back
    worker_factory({"CELERY_BROKER_URL": f"{redis_down.url}/0", "REDIS_URL": f"{redis_down.url}/1"})
    # Older than the sweep's grace period, as after a minute's outage.
    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    assert outbox_flush() == 2  # what beat's one-minute sweep does
    assert wait_for(
        lambda: Certificate.objects.filter(pk__in=ids, render_state=RenderState.READY).count() == 3, timeout=60
    )
    assert wait_for(
        lambda: DecisionDocument.objects.filter(decision=decision, render_state=RenderState.READY).exists(),
        timeout=60,
    )
    assert sorted(Certificate.objects.filter(pk__in=ids).values_list("render_attempts", flat=True)) == [1, 1, 1]
