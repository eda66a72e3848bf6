"""Benchmark of the public catalogue at national scale.

    .venv/bin/python bench/catalog.py [--products 20000] [--producers 10000] [--duration 10] [--keep]

1. creates a throw-away PostgreSQL database (``ocop_bench_catalog``), migrates it and imports both official unit
   lists (63 provinces / 10,051 communes before July 2025, 34 / 3,321 after);
2. bulk-loads producers, products, recognition decisions and certificates (≈74% 3★, 25% 4★, 1% 5★; about 5%
   already expired), then builds the catalogue;
3. serves the production settings with gunicorn on 127.0.0.1 and measures each URL with ``wrk`` on loopback for a
   bounded time (a small built-in client with a bounded request count when ``wrk`` is not installed);
4. prints requests/s and p95 latency of ``/san-pham/``, a filtered search and a product page next to a trivial
   view (``/robots.txt``: the same stack, no database), and the ratio; then drops the database.
"""

import argparse
import cProfile
import datetime
import os
import pstats
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import django
import psycopg2

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = os.environ.get("OCOP_BENCH_DATABASE", "ocop_bench_catalog")  # a database of your own on a shared server
PG = "postgres://postgres@127.0.0.1:5432"
# The catalogue's own Redis database (its tests use a key prefix; the bench flushes only its own keys).
REDIS_URL = os.environ.get("OCOP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
STATIC_ROOT = Path(tempfile.gettempdir()) / "ocop-bench-static"

WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(95) / 1000.0, latency.mean / 1000.0,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""

PRODUCT_WORDS = {
    "TP09": ["Nước mắm", "Nước mắm cốt", "Tương bần", "Mắm tôm"],
    "TP08": ["Chả mực", "Chà bông cá", "Tôm khô", "Lạp xưởng", "Mật ong rừng"],
    "TP03": ["Gạo ST25", "Gạo nếp cái hoa vàng", "Gạo lứt"],
    "TP06": ["Bánh đa", "Miến dong", "Bánh tráng", "Bún khô"],
    "TP07": ["Mứt gừng", "Chuối sấy", "Măng khô", "Hạt điều rang"],
    "TP11": ["Chè Shan tuyết", "Chè búp", "Trà xanh"],
    "TP13": ["Cà phê Robusta", "Cà phê Arabica", "Ca cao"],
    "DU01": ["Rượu cần", "Rượu nếp", "Rượu ngô men lá"],
    "DL03": ["Tinh dầu quế", "Tinh dầu sả chanh", "Cao sâm"],
    "TC01": ["Mây tre đan", "Gốm", "Chiếu cói"],
    "TC02": ["Thổ cẩm", "Lụa tơ tằm", "Khăn dệt"],
}


def run(cmd, env, **kw):
    subprocess.run(cmd, cwd=BASE_DIR, env=env, check=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.prod",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "OCOP_SITE_DOMAIN": "ocop-bench.example.vn",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": "",
            "OCOP_API_RATE_LIMIT": "1000000/minute",
        }
    )
    return env


def recreate_database():

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        cur.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()


def drop_database():

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    conn.close()


def load_data(n_products, n_producers, seed=2026):
    """Bulk-load the national data set in-process; returns (a product slug, a province id) for the URLs."""

    django.setup()
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.core.cache import cache  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.db import connection  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.db.models import Count  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.utils import timezone  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    from apps.catalog.services import catalog_rebuild, catalog_tidy  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.certificates.models import Certificate  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.core.enums import RuleSet  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.evaluation.models import RecognitionDecision, RecognitionItem  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.enums import Level  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.models import AdministrativeUnit  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.producers.enums import ProducerKind  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.producers.models import Producer  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.products.models import Product, ProductSet  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    rng = random.Random(seed)
    communes = list(AdministrativeUnit.objects.filter(level=Level.COMMUNE).only("pk", "name", "path", "edition"))
    provinces = {u.path: u for u in AdministrativeUnit.objects.filter(level=Level.PROVINCE)}
    sets = {s.code: s for s in ProductSet.objects.all()}
    kinds = [ProducerKind.COOPERATIVE] * 38 + [ProducerKind.ENTERPRISE] * 24 + [ProducerKind.HOUSEHOLD] * 28
    kinds += [ProducerKind.COOPERATIVE_GROUP] * 10
    kind_names = {
        ProducerKind.COOPERATIVE: "Hợp tác xã",
        ProducerKind.ENTERPRISE: "Công ty TNHH",
        ProducerKind.HOUSEHOLD: "Hộ kinh doanh",
        ProducerKind.COOPERATIVE_GROUP: "Tổ hợp tác",
    }

    t0 = time.monotonic()
    producers = []
    for i in range(n_producers):
        commune = rng.choice(communes)
        kind = rng.choice(kinds)
        producers.append(
            Producer(
                name=f"{kind_names[kind]} {commune.name} {i + 1}",
                slug=f"chu-the-{i + 1}",
                kind=kind,
                commune=commune,
                address=f"Thôn {rng.randint(1, 12)}, {commune.name}",
                tax_code=None if kind == ProducerKind.COOPERATIVE_GROUP else f"{5700000000 + i:010d}",
            )
        )
    Producer.objects.bulk_create(producers, batch_size=2000)
    products = []
    for i in range(n_products):
        producer = producers[i % n_producers]
        code = rng.choice(list(PRODUCT_WORDS))
        products.append(
            Product(
                name=f"{rng.choice(PRODUCT_WORDS[code])} {producer.commune.name.split(' ', 1)[-1]} {i + 1}",
                slug=f"san-pham-{i + 1}",
                product_set=sets[code],
                producer=producer,
                commune=producer.commune,
                story="Sản phẩm truyền thống của địa phương, làm theo công thức gia truyền.",
            )
        )
    Product.objects.bulk_create(products, batch_size=2000)

    today = timezone.localdate()
    decisions = {}
    items = []
    for product in products:
        province_path = "/".join(product.commune.path.split("/")[:2]) + "/"
        expired = rng.random() < 0.05
        start = today - datetime.timedelta(days=rng.randint(1100, 1400) if expired else rng.randint(1, 1080))
        key = (province_path, start.year, start.month)
        if key not in decisions:
            decisions[key] = RecognitionDecision(
                number=f"{len(decisions) + 1}/QĐ-UBND",
                date=start.replace(day=15) if start.replace(day=15) <= today else start,
                issuing_unit=provinces[province_path],
                issuer_name=f"UBND {provinces[province_path].name}",
                signer_title="Chủ tịch",
                signer_name="Nguyễn Văn A",
                rule_set=RuleSet.QD148_2023,
            )
        roll = rng.random()
        stars = 5 if roll < 0.01 else 4 if roll < 0.26 else 3
        items.append((key, product, stars))
    RecognitionDecision.objects.bulk_create(decisions.values(), batch_size=2000)
    recognition_items = RecognitionItem.objects.bulk_create(
        [
            RecognitionItem(decision=decisions[k], product=p, stars=s, total_score={3: 60, 4: 78, 5: 92}[s])
            for k, p, s in items
        ],
        batch_size=2000,
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                recognition=item,
                product=item.product,
                serial=f"OCOP-BENCH-{n:07d}",
                token=f"bench{n:010d}",
                stars=item.stars,
                valid_from=item.decision.date,
                valid_until=item.decision.date + relativedelta(months=36),
            )
            for n, item in enumerate(recognition_items, start=1)
        ],
        batch_size=2000,
    )
    listed = catalog_rebuild()
    catalog_tidy()  # as the daily rebuild task does
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    cache.clear()
    loaded = time.monotonic() - t0
    from apps.catalog.models import CatalogEntry  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    entry = CatalogEntry.objects.filter(stars=4).order_by("pk").first()
    busiest = CatalogEntry.objects.values("province_id").annotate(n=Count("pk")).order_by("-n").first()["province_id"]
    print(
        f"loaded {n_producers} producers, {n_products} products, {len(decisions)} decisions in {loaded:.1f}s; "
        f"{listed} listed today"
    )
    return entry.product.slug, busiest


def reused_data():
    """The URLs' product slug and province of a database kept by an earlier ``--keep`` run."""

    django.setup()
    from django.core.cache import cache  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.db.models import Count  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    from apps.catalog.models import CatalogEntry  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    cache.clear()
    entry = CatalogEntry.objects.filter(stars=4).order_by("pk").first()
    busiest = CatalogEntry.objects.values("province_id").annotate(n=Count("pk")).order_by("-n").first()["province_id"]
    return entry.product.slug, busiest


def profile_urls(urls, rounds, top):
    """cProfile of ``rounds`` requests per URL through Django's test client, in this process, page cache off."""

    from django.conf import settings  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.test import Client  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    settings.OCOP_PUBLIC_PAGE_CACHE = False
    client = Client(HTTP_HOST="127.0.0.1")
    for label, path in urls:
        for _ in range(3):
            assert client.get(path).status_code == 200
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        for _ in range(rounds):
            client.get(path)
        profiler.disable()
        elapsed = (time.perf_counter() - t0) / rounds * 1000
        print(f"\n=== {label} ({path}): {elapsed:.1f} ms per request in-process (under cProfile) ===")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(top)


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer at {url}")


def measure_wrk(url, duration, connections, lua_path):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", lua_path, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    requests, duration_us, p95_ms, mean_ms, errors = line.split()[1:]
    return {
        "rps": int(requests) / (int(duration_us) / 1e6),
        "p95_ms": float(p95_ms),
        "mean_ms": float(mean_ms),
        "errors": int(errors),
    }


def measure_builtin(url, requests_total, connections):
    """Fallback load: ``connections`` threads sharing a bounded number of requests."""
    latencies, errors, lock = [], [0], threading.Lock()
    remaining = [requests_total]

    def worker():
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    r.read()
                    ok = r.status == 200
            except OSError:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - t)
                errors[0] += not ok

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "mean_ms": statistics.mean(latencies) * 1000,
        "errors": errors[0],
    }


# The issue's targets. Its p95 was taken on a machine where the trivial view served 3,726 req/s (page cache off,
# 20 connections); at a fixed number of connections a request's latency scales with 1 / throughput, so the bench
# scales the 60 ms by the trivial view's throughput in the same run (a same-run ratio like the others).
TARGET_RATIO = {"off": 0.15, "on": 0.7}
ISSUE_P95_MS = 60
ISSUE_TRIVIAL_RPS = 3726


def scaled_p95_target(trivial_rps):
    return ISSUE_P95_MS * ISSUE_TRIVIAL_RPS / trivial_rps


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--producers", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL (wrk)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per URL without wrk")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", type=int, default=0, help="cProfile this many requests per URL, no load")
    parser.add_argument("--top", type=int, default=30, help="functions shown per profile")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database (skip loading)")
    parser.add_argument(
        "--page-cache", choices=["off", "on", "both"], default="both", help="the public page cache (both: off, then on)"
    )
    args = parser.parse_args()

    env = bench_env()
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    if not args.reuse:
        recreate_database()
    server = None
    try:
        t0 = time.monotonic()
        if args.reuse:
            run([PYTHON, "manage.py", "compile_translations"], env, stdout=subprocess.DEVNULL)
            run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
            slug, province_id = reused_data()
        else:
            run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
            run([PYTHON, "manage.py", "import_units", "--edition", "all"], env, stdout=subprocess.DEVNULL)
            run([PYTHON, "manage.py", "compile_translations"], env, stdout=subprocess.DEVNULL)
            run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
            print(f"database ready in {time.monotonic() - t0:.1f}s")
            slug, province_id = load_data(args.products, args.producers)

        urls = [
            ("trivial view (/robots.txt)", "/robots.txt"),
            ("catalogue /san-pham/", "/san-pham/"),
            ("filtered search", f"/san-pham/?q=nuoc+mam&stars=3&province={province_id}&sort=name"),
            ("product page", f"/san-pham/{slug}/"),
        ]
        use_wrk = shutil.which("wrk") is not None
        budget = f"{args.duration}s per URL" if use_wrk else f"{args.requests} requests per URL"
        print(f"load: {'wrk' if use_wrk else 'built-in client'}, {args.connections} connections, {budget}")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.profile:
            profile_urls(urls, args.profile, args.top)
            return
        modes = ["off", "on"] if args.page_cache == "both" else [args.page_cache]
        for mode in modes:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "gunicorn"),
                    "ocop_portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--log-level",
                    "warning",
                ],
                cwd=BASE_DIR,
                env={**env, "OCOP_PUBLIC_PAGE_CACHE": "true" if mode == "on" else "false"},
                start_new_session=True,
            )
            wait_until_up(f"{base}/robots.txt")
            results = {}
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
                lua.write(WRK_LUA)
            try:
                for label, path in urls:
                    for _ in range(args.workers * 2):  # warm caches and every worker's connections
                        urllib.request.urlopen(base + path, timeout=30).read()
                    if use_wrk:
                        results[label] = measure_wrk(base + path, args.duration, args.connections, lua.name)
                    else:
                        results[label] = measure_builtin(base + path, args.requests, args.connections)
            finally:
                os.unlink(lua.name)
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
                server = None

            trivial = results[urls[0][0]]["rps"]
            p95_target = scaled_p95_target(trivial) if mode == "off" else None
            print(f"\npage cache {mode}")
            print(
                f"{'URL':34} {'req/s':>9} {'p95 ms':>9} {'mean ms':>9} {'errors':>7} {'vs trivial':>11} {'target':>7}"
            )
            for label, _ in urls:
                r = results[label]
                met = r["rps"] / trivial >= TARGET_RATIO[mode] and (p95_target is None or r["p95_ms"] <= p95_target)
                print(
                    f"{label:34} {r['rps']:9.0f} {r['p95_ms']:9.1f} {r['mean_ms']:9.1f} {r['errors']:7d} "
                    f"{r['rps'] / trivial:10.2f}x {'' if label == urls[0][0] else ('met' if met else 'NOT met'):>7}"
                )
            print(
                f"targets: ≥ {TARGET_RATIO[mode]}× the trivial view"
                + (
                    f"; p95 ≤ {ISSUE_P95_MS} ms on the issue's machine, where the trivial view served "
                    f"{ISSUE_TRIVIAL_RPS:,} req/s: scaled to this run's {trivial:,.0f} req/s, p95 ≤ {p95_target:.0f} ms"
                    if p95_target is not None
                    else ""
                )
            )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep:
            from django.db import connections  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

            connections.close_all()
            drop_database()


if __name__ == "__main__":
    main()
