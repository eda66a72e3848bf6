"""Figures and work queue computed inside a transaction that then rolls back are never served afterwards.

A write advances the data version at once (a sequence, which a rollback does not undo), so whatever the writing
transaction computes is keyed by a version nobody else's write will give again; without more, the next reader after
the rollback would find the rolled-back counts under the current version. Both ways a transaction ends are tried:
a savepoint rolled back inside the test's own transaction (pytest-django's default, and a request under
ATOMIC_REQUESTS inside a test), and the outermost transaction rolled back (a real request under ATOMIC_REQUESTS)."""

import pytest
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.certificates.models import Certificate
from apps.core.enums import RenderState
from apps.producers.models import Producer
from apps.reports.selectors import dashboard_figures, unit_figures
from tests.factories import UserFactory

from .conftest import NOVEMBER, TODAY, build_world

URL = reverse("core:dashboard") + "?year=2026"
FAILED = "Certificates whose PDF failed"


class Rollback(Exception):
    pass


def figures_of(world):
    return dashboard_figures(unit=world.p, period=NOVEMBER, today=TODAY)[0]


def queue_of(client):
    response = client.get(URL)
    assert response.status_code == 200
    return {item.label: item.count for item in response.context["queue"]}


def _figures_after_a_rolled_back_write(world):
    committed = figures_of(world)
    with pytest.raises(Rollback), transaction.atomic():
        Producer.objects.update(workers_count=F("workers_count") + 5)
        inside = figures_of(world)
        assert inside["totals"]["workers"] > committed["totals"]["workers"]  # the writer sees its own write
        raise Rollback
    return committed


def _queue_after_a_rolled_back_write(client, world):
    client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p))
    committed = queue_of(client)
    assert _(FAILED) not in committed
    with pytest.raises(Rollback), transaction.atomic():
        Certificate.objects.filter(product__commune=world.x).update(render_state=RenderState.FAILED)
        assert queue_of(client)[_(FAILED)] == 2  # the request inside the transaction sees the write
        raise Rollback
    return committed


@pytest.mark.django_db
def test_figures_of_a_rolled_back_savepoint_are_not_served(world):
    committed = _figures_after_a_rolled_back_write(world)
    assert figures_of(world) == committed == unit_figures(unit=world.p, period=NOVEMBER, today=TODAY)


@pytest.mark.django_db
def test_queue_of_a_rolled_back_savepoint_is_not_served(client, world):
    committed = _queue_after_a_rolled_back_write(client, world)
    assert queue_of(client) == committed


@pytest.mark.django_db
def test_dashboard_tables_of_a_rolled_back_savepoint_are_not_served(client, world):
    """The rendered figure tables are cached under the figures' key: they must not outlive the rollback either."""
    client.force_login(UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p))
    committed = client.get(URL)
    with pytest.raises(Rollback), transaction.atomic():
        Producer.objects.update(workers_count=F("workers_count") + 5)
        inside = client.get(URL).context["figures"]["totals"]["workers"]
        assert inside > committed.context["figures"]["totals"]["workers"]
        raise Rollback
    response = client.get(URL)
    assert response.context["figures"] == committed.context["figures"]
    assert _tables(response.content.decode()) == _tables(committed.content.decode())


def _tables(html):
    start = html.index('<h3 id="bang-producers">')
    return html[start : html.index("</table>", start)]


@pytest.mark.django_db(transaction=True)
def test_figures_of_a_rolled_back_transaction_are_not_served():
    world = build_world()
    committed = _figures_after_a_rolled_back_write(world)
    assert figures_of(world) == committed == unit_figures(unit=world.p, period=NOVEMBER, today=TODAY)


@pytest.mark.django_db(transaction=True)
def test_queue_of_a_rolled_back_transaction_is_not_served(client):
    world = build_world()
    committed = _queue_after_a_rolled_back_write(client, world)
    assert queue_of(client) == committed
