"""The demo: sites, lots with events, printed batches, and one stamp that shows the counterfeit warning."""

import pytest
from django.urls import reverse

from apps.accounts.enums import Role
from apps.demo import traceability as demo
from apps.traceability.enums import BatchState, Signal
from apps.traceability.models import Lot, StampBatch
from tests.factories import UserFactory
from tests.factories.catalog import certified_product

pytestmark = pytest.mark.django_db


def test_demo_seeds_printed_batches_and_a_copied_stamp(tree, client):
    UserFactory(role=Role.SYSTEM_ADMIN, unit=None, email="admin@ocop.example", is_superuser=True)
    for name in ("Chè Đường Hoa", "Nước mắm Cái Rồng"):
        certified_product(commune=tree.x, name=name, stars=4, set_code="TP11")
    demo.seed()
    demo.seed()  # idempotent
    assert Lot.objects.filter(code=demo.LOT_CODE).count() == 2
    batches = StampBatch.objects.order_by("pk")
    assert [b.state for b in batches] == [BatchState.READY, BatchState.READY]
    assert all(b.stamps.count() == demo.DEMO_STAMPS for b in batches)
    assert all(lot.events.count() == 5 for lot in Lot.objects.all())
    copied = batches[0].stamps.order_by("serial").last()
    response = client.get(reverse("trace_scan:stamp", kwargs={"code": copied.code}))
    assert response.context["verdict"].signals == [Signal.TOO_MANY_SCANS]
    assert "Tem này đã được quét 37 lần ở 5 tỉnh — có thể là tem giả" in response.content.decode()
    genuine = batches[1].stamps.first()
    assert client.get(reverse("trace_scan:stamp", kwargs={"code": genuine.code})).context["verdict"].genuine
