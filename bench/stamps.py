"""Benchmark of e-stamps: generating a batch (codes, label PDFs, CSV) and the public scan page.

    .venv/bin/python bench/stamps.py [--stamps 100000] [--requests 300] [--profile]

Runs on the test settings in a throw-away database ``ocop_bench_stamps`` (``OCOP_BENCH_DB`` names another, for
runs side by side) on the server of DATABASE_URL (created and migrated first, dropped at the end). It prints:

1. seconds to create the codes (``bulk_create``, 1,000 per query), to render the label parts (A4 sheets and
   roll), to merge them with pypdf and write the CSV, and the resulting PDF sizes;
2. requests per second of ``/t/<code>/`` (each request records a scan) next to ``/robots.txt`` (a trivial view on
   the same stack), both through Django's in-process test client (no network, one process), and their ratio;
   with ``--profile``, a cProfile of the scan requests first.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.enums import Role  # noqa: E402
from apps.accounts.models import User  # noqa: E402
from apps.certificates.services import certificates_create_for_decision  # noqa: E402
from apps.core.storage import private_storage  # noqa: E402
from apps.geo.models import AdministrativeUnit  # noqa: E402
from apps.traceability import services  # noqa: E402
from apps.traceability.enums import BatchState  # noqa: E402
from apps.traceability.models import Lot  # noqa: E402
from tests.factories.certificates import decision_with_products  # noqa: E402

DB_NAME = os.environ.get("OCOP_BENCH_DB", "ocop_bench_stamps")  # helpers running side by side each name their own


def _world():
    province, _ = AdministrativeUnit.objects.get_or_create(
        edition="2024", level="province", code="97", defaults={"name": "Tỉnh Thử Bench", "path": "2024/97/"}
    )
    commune, _ = AdministrativeUnit.objects.get_or_create(
        edition="2024",
        level="commune",
        code="97001",
        defaults={"name": "Xã Thử Bench", "path": "2024/97/97001/", "parent": province},
    )
    admin, _ = User.objects.get_or_create(
        email="bench-admin@ocop.example", defaults={"role": Role.SYSTEM_ADMIN, "full_name": "Bench"}
    )
    decision = decision_with_products(issuing_unit=province, commune=commune, count=1, date=timezone.localdate())
    certificate = certificates_create_for_decision(decision=decision)[0]
    return admin, certificate.product, decision


def bench_generation(admin, product, count):

    lot = Lot.objects.create(product=product, code="BENCH-1", produced_on=timezone.localdate(), quantity=count)
    batch = services.stamp_batch_request(by=admin, product=product, lot=lot, quantity=count)
    services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=admin)
    settings.OCOP_STAMP_TASK_BUDGET_SECONDS = 10**6
    claim = services._claim(batch.pk)
    t0 = time.perf_counter()
    services._create_codes(batch, claim)
    t1 = time.perf_counter()
    batch.refresh_from_db()
    assert services._render_parts(batch, claim, deadline=time.monotonic() + 10**6)
    t2 = time.perf_counter()
    batch.refresh_from_db()
    assert services._assemble(batch, claim)
    t3 = time.perf_counter()
    batch.refresh_from_db()
    sizes = {f: private_storage.size(getattr(batch, f).name) for f in ("sheet_pdf", "roll_pdf", "codes_csv")}
    print(f"stamps: {count}")
    print(f"  codes (bulk_create):        {t1 - t0:8.1f} s")
    print(f"  label parts (sheet + roll): {t2 - t1:8.1f} s  ({(t2 - t1) / count * 1000:.2f} ms per stamp)")
    print(f"  merge (pypdf) + CSV:        {t3 - t2:8.1f} s")
    print(f"  total:                      {t3 - t0:8.1f} s")
    print("  sizes: " + ", ".join(f"{k} {v / 1_048_576:.1f} MB" for k, v in sizes.items()))
    return batch


def requests_per_second(client, path, n):
    client.get(path)
    start = time.perf_counter()
    for _ in range(n):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return n / (time.perf_counter() - start)


def profile(client, path, n):
    """The scan requests under cProfile: the 30 most expensive functions by cumulative and by own time."""
    import cProfile  # noqa: PLC0415 — only with --profile
    import pstats  # noqa: PLC0415

    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stamps", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the scan requests")
    args = parser.parse_args()
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = DB_NAME
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        admin, product, _decision = _world()
        batch = bench_generation(admin, product, args.stamps)
        stamp = batch.stamps.order_by("serial").first()
        client = Client()
        if args.profile:
            profile(client, f"/t/{stamp.code}/", args.requests)
        scan = requests_per_second(client, f"/t/{stamp.code}/", args.requests)
        trivial = requests_per_second(client, "/robots.txt", args.requests)
        print(f"scan page /t/<code>/: {scan:7.1f} req/s   /robots.txt: {trivial:7.1f} req/s")
        print(f"ratio: {scan / trivial:.2f}")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
