"""Seconds per certificate: WeasyPrint's own layout of a page, one document per certificate, one per batch, and
(``--end-to-end``) a committed decision to every certificate ready through a real Celery worker.

Run with ``.venv/bin/python bench/certificates.py [count]`` (test settings). Without ``--end-to-end`` no database
is touched: the certificates are in-memory objects. Batched rendering also splits the document into one PDF per
page. The reference is WeasyPrint laying out the same certificate page as one of 100 pages of one document
(parsing, styles and layout, nothing drawn): every other figure is printed as a multiple of it, measured in the
same run, because the machine's speed moves from run to run.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import HTML  # noqa: E402
from weasyprint.text import ffi as weasyprint_ffi  # noqa: E402

from apps.certificates import rendering  # noqa: E402
from apps.certificates.models import Certificate  # noqa: E402
from apps.certificates.services import new_token  # noqa: E402
from apps.evaluation.models import RecognitionDecision, RecognitionItem  # noqa: E402
from apps.geo.enums import DivisionType, Edition, Level  # noqa: E402
from apps.geo.models import AdministrativeUnit  # noqa: E402
from apps.producers.enums import ProducerKind  # noqa: E402
from apps.producers.models import Producer  # noqa: E402
from apps.products.models import Product, ProductSet  # noqa: E402

BATCH = 25
# The issue's figures: WeasyPrint laid out the page in 0.011 s (one of 100 pages) on the machine where it set its
# targets, batched ≤ 0.015 s and end to end ≤ 0.03 s per certificate. The bench scales them by its own layout
# reference, measured in the same run (1.36× and 2.73× the reference).
ISSUE_LAYOUT_S = 0.011
ISSUE_BATCHED_S = 0.015
ISSUE_END_TO_END_S = 0.03


def certificates(count):
    province = AdministrativeUnit(path="2024/22/", code="22", name="Tỉnh Quảng Ninh", level="province")
    commune = AdministrativeUnit(
        path="2024/22/193/06649/", code="06649", name="Phường Hà Khánh", level="commune", parent=province
    )
    decision = RecognitionDecision(
        number="1234/QĐ-UBND",
        date=datetime.date(2026, 3, 15),
        issuing_unit=province,
        issuer_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        signer_title="KT. Chủ tịch — Phó Chủ tịch",
        signer_name="Nguyễn Văn Thắng",
    )
    product_set = ProductSet(code="TP11", name="Chè (trà)")
    result = []
    for n in range(count):
        producer = Producer(
            name=f"Hợp tác xã Chè Đường Hoa {n}", address="Thôn Khe Lạc, xã Đường Hoa, huyện Hải Hà", commune=commune
        )
        product = Product(
            name=f"Trà hoa vàng Ba Chẽ đặc biệt {n}", product_set=product_set, producer=producer, commune=commune
        )
        item = RecognitionItem(decision=decision, product=product, stars=3 + n % 3, total_score=Decimal("80"))
        result.append(
            Certificate(
                recognition=item,
                product=product,
                serial=f"OCOP-22-2026-{n + 1:05d}",
                token=new_token(),
                stars=item.stars,
                valid_from=decision.date,
                valid_until=datetime.date(2029, 3, 15),
            )
        )
    return result


def layout_seconds(certs, pages=100):
    """(layout, layout + drawing and writing the PDF) CPU seconds per page of one ``pages``-page document."""
    certs = (certs * (pages // len(certs) + 1))[:pages]
    html = rendering.certificates_html(certs)
    # As the certificates are rendered: the cycle collector paused (it costs WeasyPrint a fifth of its layout time).
    with rendering._without_cycle_collection():
        cpu = time.process_time()
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        layout = time.process_time() - cpu
        document.write_pdf()
        written = time.process_time() - cpu
    assert len(document.pages) == pages
    return layout / pages, written / pages


def seconds_per_certificate(certs, *, batched, batch=BATCH):
    """(wall-clock, CPU) seconds per certificate. CPU time is the fairer figure on a shared, loaded machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    pdfs = []
    if batched:
        for i in range(0, len(certs), batch):
            pdfs += rendering.render_certificates(certs[i : i + batch], batched=True)
    else:
        pdfs = rendering.render_certificates(certs, batched=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert len(pdfs) == len(certs)
    return wall / len(certs), cpu / len(certs)


# --- End to end: a committed decision to ready files, through a real Celery worker ---------------------------

E2E_DB = os.environ.get(
    "OCOP_BENCH_E2E_DATABASE", "ocop_bench_certificates"
)  # a database of your own on a shared server
PG = "postgres://postgres@127.0.0.1:5432"


def _e2e_env(batch=None):
    return {
        **os.environ,
        **({"OCOP_CERTIFICATES_PER_DOCUMENT": str(batch)} if batch else {}),
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.test",
        "DATABASE_URL": f"{PG}/{E2E_DB}",
        "REDIS_URL": os.environ.get("OCOP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
        "CELERY_BROKER_URL": os.environ.get("OCOP_BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"),
        "OCOP_PRIVATE_STORAGE_ROOT": tempfile.mkdtemp(prefix="ocop-bench-certificates-"),
    }


def _recreate_e2e_database(drop_only=False):
    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{E2E_DB}"')
        if not drop_only:
            cur.execute(f'CREATE DATABASE "{E2E_DB}"')
    conn.close()


def _e2e_decision(count):
    """A province, a commune, ``count`` producers and products, and one decision recognising them all."""
    edition = Edition.TWO_TIER_2025
    province = AdministrativeUnit.objects.create(
        edition=edition,
        level=Level.PROVINCE,
        code="22",
        name="Tỉnh Quảng Ninh",
        division_type=DivisionType.TINH,
        path=f"{edition}/22/",
    )
    commune = AdministrativeUnit.objects.create(
        edition=edition,
        level=Level.COMMUNE,
        code="06649",
        name="Phường Hà Khánh",
        division_type=DivisionType.XA,
        parent=province,
        path=f"{edition}/22/06649/",
    )
    product_set = ProductSet.objects.get(code="TP11")
    producers = Producer.objects.bulk_create(
        Producer(
            name=f"Hợp tác xã Chè Đường Hoa {n}",
            slug=f"htx-che-{n}",
            kind=ProducerKind.COOPERATIVE,
            commune=commune,
            address="Thôn Khe Lạc, phường Hà Khánh",
            tax_code=f"57{n:08d}",
        )
        for n in range(count)
    )
    products = Product.objects.bulk_create(
        Product(
            name=f"Trà hoa vàng Ba Chẽ đặc biệt {n}",
            slug=f"tra-hoa-vang-{n}",
            product_set=product_set,
            producer=producers[n],
            commune=commune,
        )
        for n in range(count)
    )
    decision = RecognitionDecision.objects.create(
        number="1234/QĐ-UBND",
        date=timezone.localdate(),
        issuing_unit=province,
        issuer_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        signer_title="KT. Chủ tịch — Phó Chủ tịch",
        signer_name="Nguyễn Văn Thắng",
        rule_set="qd148-2023",
    )
    RecognitionItem.objects.bulk_create(
        RecognitionItem(decision=decision, product=p, stars=3 + n % 3, total_score=Decimal("80"))
        for n, p in enumerate(products)
    )
    return decision


def end_to_end(count, concurrency, batch=None, timeout=600):
    """Seconds from the commit of a ``count``-product decision until every certificate is ready (stored, with its
    checksum), rendered by a real Celery worker on PostgreSQL and Redis, ``batch`` certificates per task (the
    setting when None). Returns a dict of figures."""
    env = _e2e_env(batch)
    _recreate_e2e_database()
    worker = None
    worker_log = open(Path(env["OCOP_PRIVATE_STORAGE_ROOT"]) / "worker.log", "w")  # noqa: SIM115
    try:
        base = Path(__file__).resolve().parents[1]
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=base, env=env, check=True)
        celery = str(Path(python).parent / "celery")
        subprocess.run(
            [celery, "-A", "ocop_portal", "purge", "-f"], cwd=base, env=env, check=True, stdout=subprocess.DEVNULL
        )
        worker = subprocess.Popen(
            [
                celery,
                "-A",
                "ocop_portal",
                "worker",
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=base,
            env=env,
            start_new_session=True,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        _wait_for_worker(worker_log.name, timeout=120)
        script = f"""
import os, sys, time, json
sys.path.insert(0, {str(base)!r})
import django
django.setup()
from django.db import transaction
from bench.certificates import _e2e_decision
from apps.core.enums import RenderState
from apps.certificates.models import Certificate, DecisionDocument
from apps.certificates.services import certificates_create_for_decision
decision = _e2e_decision({count})
t0 = time.perf_counter()
with transaction.atomic():
    certificates_create_for_decision(decision=decision)
committed = time.perf_counter() - t0
first = doc = total_certs = None
while time.perf_counter() - t0 < {timeout}:
    ready = Certificate.objects.filter(recognition__decision=decision, render_state=RenderState.READY).count()
    failed = Certificate.objects.filter(recognition__decision=decision, render_state=RenderState.FAILED).count()
    if ready and first is None:
        first = time.perf_counter() - t0
    if doc is None and DecisionDocument.objects.filter(decision=decision, render_state=RenderState.READY).exists():
        doc = time.perf_counter() - t0
    if ready + failed >= {count} and total_certs is None:
        total_certs = time.perf_counter() - t0
    if total_certs is not None and (doc is not None or time.perf_counter() - t0 > 2 * total_certs):
        break
    time.sleep(0.05)
total = total_certs or time.perf_counter() - t0
rows = Certificate.objects.filter(recognition__decision=decision)
missing_file = sum(1 for c in rows if not c.file or not c.checksum)
print("E2E " + json.dumps(dict(committed=committed, first=first, doc=doc, total=total, ready=ready, failed=failed,
                              missing_file=missing_file)))
"""
        out = subprocess.run([python, "-c", script], cwd=base, env=env, check=True, capture_output=True, text=True)
        line = next(line for line in out.stdout.splitlines() if line.startswith("E2E "))

        return json.loads(line[4:])
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        worker_log.close()
        _recreate_e2e_database(drop_only=True)


def _wait_for_worker(log_path, timeout):
    """Until the worker logs that it is ready (its pool processes are up), so that start-up is not measured."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if " ready." in Path(log_path).read_text():
            return
        time.sleep(0.1)
    raise RuntimeError(f"the worker did not start within {timeout} s: see {log_path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=200)
    parser.add_argument("--batches", default="", help="batch sizes to compare, e.g. 10,25,50,100")
    parser.add_argument("--end-to-end", action="store_true", help="also a decision through a real Celery worker")
    parser.add_argument("--concurrency", type=int, default=min(2, os.cpu_count() or 1), help="worker processes")
    parser.add_argument(
        "--e2e-batches", default="", help="certificates per task to compare end to end, e.g. 25,100 (else the setting)"
    )
    args = parser.parse_args()
    count = args.count
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # Without the HarfBuzz-Subset library (Debian's libharfbuzz-subset0) WeasyPrint subsets fonts with fontTools,
    # in Python: writing a PDF costs several times more.
    print(f"font subsetting: {'HarfBuzz' if weasyprint_ffi.harfbuzz_subset else 'fontTools (no libharfbuzz-subset0)'}")
    certs = certificates(count)
    rendering.render_certificates(certs[:1])  # load fonts and templates once, outside the measurement
    layout, written = layout_seconds(certs)
    single_wall, single_cpu = seconds_per_certificate(certs, batched=False)
    batched_wall, batched_cpu = seconds_per_certificate(certs, batched=True)
    print(f"{count} certificates, A4 landscape, WeasyPrint; seconds per certificate (wall clock / CPU)")
    print(f"WeasyPrint's layout of a page of a 100-page document (CPU): {layout:.4f} (the reference, 1.0×)")
    print(f"  the same with drawing and writing the PDF (CPU):       {written:.4f} ({written / layout:.2f}×)")
    print(
        f"one document per certificate:                  {single_wall:.3f} / {single_cpu:.3f} "
        f"({single_cpu / layout:.2f}×)"
    )
    print(
        f"batched, {BATCH} per document, split with pypdf: {batched_wall:.3f} / {batched_cpu:.3f} "
        f"({batched_cpu / layout:.2f}×)"
    )
    print(f"speed-up: {single_wall / batched_wall:.1f}× wall clock, {single_cpu / batched_cpu:.1f}× CPU")
    scale = layout / ISSUE_LAYOUT_S
    batched_target, e2e_target = ISSUE_BATCHED_S * scale, ISSUE_END_TO_END_S * scale
    batched_worst = max(batched_wall, batched_cpu)
    print(
        f"targets scaled to this run (the issue's layout reference {ISSUE_LAYOUT_S} s is {layout:.4f} s here, "
        f"×{scale:.2f}): batched ≤ {ISSUE_BATCHED_S} → {batched_target:.4f} s "
        f"({'met' if batched_worst <= batched_target else 'NOT met'}: {batched_worst:.4f}), "
        f"end to end ≤ {ISSUE_END_TO_END_S} → {e2e_target:.4f} s"
    )
    for size in [int(x) for x in args.batches.split(",") if x]:
        wall, cpu = seconds_per_certificate(certs, batched=True, batch=size)
        print(f"batched, {size:3d} per document:                   {wall:.3f} / {cpu:.3f} ({cpu / layout:.2f}×)")
    if args.end_to_end:
        for batch in [int(x) for x in args.e2e_batches.split(",") if x] or [None]:
            r = end_to_end(count, args.concurrency, batch)
            per = r["total"] / count
            print(
                f"end to end, {count} certificates, {batch or settings.OCOP_CERTIFICATES_PER_DOCUMENT} per task, "
                f"worker concurrency {args.concurrency}: commit {r['committed']:.2f}s, "
                f"first ready {r['first']:.2f}s, decision document {r['doc'] or float('nan'):.2f}s, "
                f"all {r['ready']} ready in {r['total']:.2f}s = {per:.4f} s per certificate "
                f"({per / batched_wall:.2f}× batched wall clock, {per / layout:.2f}× the layout reference; "
                f"failed {r['failed']}, without file or checksum {r['missing_file']}; "
                f"{'met' if per <= ISSUE_END_TO_END_S * layout / ISSUE_LAYOUT_S else 'NOT met'} the scaled target)"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
