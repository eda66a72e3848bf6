"""``reports.generate_period`` through a real Celery worker: files are produced, and running it twice keeps one row
per unit, kind and period."""

import datetime

import pytest

from apps.core.storage import private_storage
from apps.reports.enums import FileState
from apps.reports.models import Report
from apps.reports.tasks import generate_period_task
from tests.certificates.conftest import Worker, purge_broker, wait_until
from tests.factories import commune, district, province
from tests.factories.evaluation import DecisionFactory, ItemFactory
from tests.factories.products import ProductFactory


@pytest.fixture
def worker(transactional_db):
    purge_broker()
    w = Worker().start()
    yield w
    w.kill()
    purge_broker()


def all_ready(count, after=None):
    rows = Report.objects.filter(period="2026-11", file_state=FileState.READY)
    if after:
        rows = rows.filter(generated_at__gt=after)
    return rows.count() == count


def test_generate_period_twice_through_the_worker(worker):
    p = province("22", name="Tỉnh Quảng Ninh")
    d = district(p, "193", name="Thành phố Hạ Long")
    x = commune(d, "06649", name="Phường Hà Khánh")
    decision = DecisionFactory(issuing_unit=d, date=datetime.date(2026, 11, 5))
    ItemFactory(decision=decision, product=ProductFactory(commune=x, tea=True), stars=3)

    generate_period_task.delay(kind="monthly", period="2026-11")
    assert wait_until(lambda: all_ready(2), timeout=90)
    first = {r.unit_id: r for r in Report.objects.all()}
    assert set(first) == {p.pk, d.pk}
    for report in first.values():
        assert private_storage.open(report.pdf.name).read(5) == b"%PDF-"
        assert report.figures["totals"]["recognised_3"] == 1

    stamp = max(r.generated_at for r in first.values())
    generate_period_task.delay(kind="monthly", period="2026-11")
    assert wait_until(lambda: all_ready(2, after=stamp), timeout=90)
    assert Report.objects.count() == 2
    assert {r.pk for r in Report.objects.all()} == {r.pk for r in first.values()}
