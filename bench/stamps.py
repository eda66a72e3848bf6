"""Benchmark of e-stamps: generating a batch (codes, label PDFs, CSV) and the public scan page.

    .venv/bin/python bench/stamps.py [--generate 100000] [--legacy 2000] [--requests 300] [--profile]

Runs on the test settings in a throw-away database ``ocop_bench_stamps`` (``OCOP_BENCH_DB`` names another, for
runs side by side) on the server of DATABASE_URL (created and migrated first, dropped at the end). It prints:

1. for a batch of ``--generate`` stamps: wall and CPU seconds to create the codes (``bulk_create``, 1,000 per
   query), to render the label parts (A4 sheets and roll), to stream them into the two PDFs and write the CSV, the
   file sizes, and the process's peak RSS (before the generation and after it);
2. the same for the renderer before (WeasyPrint, ``bench/legacy_labels.py``) on ``--legacy`` stamps of the same
   batch (parts of the same size, merged with pypdf), extrapolated to ``--generate`` stamps, and the ratio;
3. requests per second of ``/t/<code>/`` (each request records a scan) next to ``/robots.txt`` (a trivial view on
   the same stack), both through Django's in-process test client (no network, one process), and their ratio;
   with ``--profile``, a cProfile of the scan requests first.
"""

import argparse
import io
import os
import resource
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import legacy_labels  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402

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


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Wall and CPU seconds of each step."""

    def __init__(self):
        self.steps = []
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, name):
        wall, cpu = time.perf_counter(), time.process_time()
        self.steps.append((name, wall - self.wall, cpu - self.cpu))
        self.wall, self.cpu = wall, cpu

    def total(self):
        return sum(w for _n, w, _c in self.steps), sum(c for _n, _w, c in self.steps)

    def show(self, count):
        for name, wall, cpu in self.steps:
            print(f"  {name:32s} {wall:8.1f} s wall {cpu:8.1f} s CPU  ({cpu / count * 1000:.3f} ms CPU per stamp)")
        wall, cpu = self.total()
        print(f"  {'total':32s} {wall:8.1f} s wall {cpu:8.1f} s CPU  ({cpu / count * 1000:.3f} ms CPU per stamp)")


def bench_generation(admin, product, count):
    lot = Lot.objects.create(product=product, code="BENCH-1", produced_on=timezone.localdate(), quantity=count)
    batch = services.stamp_batch_request(by=admin, product=product, lot=lot, quantity=count)
    services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=admin)
    settings.OCOP_STAMP_TASK_BUDGET_SECONDS = 10**6
    claim = services._claim(batch.pk)
    rss_before = peak_rss_mb()
    clock = Clock()
    services._create_codes(batch, claim)
    clock.lap("codes (bulk_create)")
    batch.refresh_from_db()
    assert services._render_parts(batch, claim, deadline=time.monotonic() + 10**6)
    clock.lap("label parts (sheet + roll)")
    batch.refresh_from_db()
    assert services._assemble(batch, claim)
    clock.lap("PDFs streamed from parts + CSV")
    batch.refresh_from_db()
    rss_after = peak_rss_mb()  # before the read-back below, which loads a whole PDF
    print(f"new renderer (vector PDF), {count} stamps:")
    clock.show(count)
    print(f"  peak RSS: {rss_after:.0f} MB (before generating: {rss_before:.0f} MB)")
    sizes = {f: private_storage.size(getattr(batch, f).name) for f in ("sheet_pdf", "roll_pdf", "codes_csv")}
    print("  sizes: " + ", ".join(f"{k} {v / 1_048_576:.1f} MB" for k, v in sizes.items()))
    pages = {
        f: len(PdfReader(private_storage.open(getattr(batch, f).name, "rb")).pages) for f in ("sheet_pdf", "roll_pdf")
    }
    print("  pages: " + ", ".join(f"{k} {v}" for k, v in pages.items()))
    return batch, clock


def bench_legacy(batch, count, target):
    """The renderer before, on the first ``count`` stamps of ``batch``, in parts of the same size."""
    context = services._label_context(batch)
    per_part = services._parts(batch)[0]
    stamps = list(batch.stamps.order_by("serial").values("serial", "code")[:count])
    clock = Clock()
    parts = {"sheet": [], "roll": []}
    for first in range(0, count, per_part):
        data = legacy_labels.label_data(
            stamps[first : first + per_part], gtin=context["gtin"], lot_code=context["lot_code"]
        )
        for layout, rendered in parts.items():
            rendered.append(
                legacy_labels.render_labels(
                    data, layout=layout, product_name=context["product_name"], stars=context["stars"]
                )
            )
    clock.lap("label parts (sheet + roll)")
    for rendered in parts.values():
        writer = PdfWriter()
        for part in rendered:
            writer.append(PdfReader(io.BytesIO(part)))
        writer.write(io.BytesIO())
    clock.lap("merge (pypdf)")
    print(f"old renderer (WeasyPrint + pypdf), {count} stamps (codes and CSV as above):")
    clock.show(count)
    wall, cpu = clock.total()
    print(f"  extrapolated to {target} stamps: {wall * target / count:8.0f} s wall {cpu * target / count:8.0f} s CPU")
    return wall / count, cpu / count


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
    parser.add_argument("--generate", "--stamps", type=int, default=100_000, help="stamps in the batch")
    parser.add_argument("--legacy", type=int, default=2_000, help="stamps rendered with the old renderer (0: none)")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the scan requests")
    args = parser.parse_args()
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = DB_NAME
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        admin, product, _decision = _world()
        batch, clock = bench_generation(admin, product, args.generate)
        if args.legacy:
            old_wall, old_cpu = bench_legacy(batch, min(args.legacy, args.generate), args.generate)
            n = args.generate
            # Codes are made the same way by both: compare what comes after them (old: parts + pypdf merge,
            # without the CSV; new: parts + streamed PDFs + CSV).
            wall = sum(w for name, w, _c in clock.steps if not name.startswith("codes"))
            cpu = sum(c for name, _w, c in clock.steps if not name.startswith("codes"))
            print(
                f"{n} stamps, labels and PDFs, new vs old (extrapolated): CPU {cpu:.0f} s vs {old_cpu * n:.0f} s"
                f" ({old_cpu * n / cpu:.0f}× less), wall {wall:.0f} s vs {old_wall * n:.0f} s"
            )
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
