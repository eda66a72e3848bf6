"""Load test: 200 concurrent public users and 20 staff users against the production stack on loopback.

    .venv/bin/python bench/load.py [--products 5000] [--producers 2500] [--public 200] [--staff 20]
                                   [--duration 60] [--workers 4] [--keep]

1. builds a throw-away PostgreSQL database (``ocop_bench_load``) with both unit lists, the catalogue data set of
   ``bench/catalog.py``, the demo accounts, and staff work: ideas waiting for the district's decision, and an open
   district council round whose members each have a score sheet to save;
2. serves the production settings with gunicorn (``--workers``) on 127.0.0.1, with Redis (its own database) as the
   cache and broker and a real Celery worker;
3. runs, for ``--duration`` seconds, ``--public`` anonymous users (home, search with random facets, product pages,
   certificate verification) and ``--staff`` logged-in users (work list, dashboard, a score-sheet save, an idea
   accepted) as closed loops without think time, on one asyncio client with keep-alive connections; bounded in
   time and, per user, in requests;
4. prints requests, errors (must be 0) and p50/p95/p99 per page type; then drops the database.
Only loopback addresses are used.
"""

import argparse
import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import django

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import catalog as catalog_bench  # noqa: E402 — the catalogue bench's data set and helpers

catalog_bench.DB_NAME = "ocop_bench_load"
catalog_bench.REDIS_URL = os.environ.get("OCOP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
BASE_DIR = catalog_bench.BASE_DIR
PYTHON = catalog_bench.PYTHON
BROKER_URL = os.environ.get("OCOP_BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
PASSWORD = "ocop-demo-2026"
MAX_REQUESTS_PER_USER = 100_000
SEARCH_WORDS = ["nuoc mam", "mat ong", "gao", "che", "ca phe", "ruou", "tinh dau", "tho cam", "banh", "mut"]


def prepare_staff(n_staff, n_ideas):
    """Demo accounts, ideas to accept and an open district round with a sheet per member (in-process, ORM)."""

    django.setup()
    from django.db import transaction  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    from apps.accounts.enums import Role  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.accounts.models import User  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.core.enums import RuleSet  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.cycles.enums import ApplicationState  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.cycles.models import Application, Cycle  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.demo.accounts import seed_accounts  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.demo.sheets import load_sample_sheets  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.evaluation import services as evaluation  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.evaluation.enums import MemberRole, Tier  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.evaluation.models import CouncilMember  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.enums import Edition, Level  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.models import AdministrativeUnit  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.producers.models import Producer  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.products.models import Product, ProductSet  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    seed_accounts()
    load_sample_sheets()
    district = AdministrativeUnit.objects.get(edition=Edition.THREE_TIER_2024, level=Level.DISTRICT, code="614")
    province = district.parent
    communes = list(AdministrativeUnit.objects.filter(parent=district, level=Level.COMMUNE).order_by("code"))
    admin = User.objects.get(email="admin@ocop.example")
    product_set = ProductSet.objects.get(code="TP11")
    with transaction.atomic():
        cycle, _ = Cycle.objects.get_or_create(
            unit=province, year=2026, defaults={"rule_set": RuleSet.QD148_2023, "name": "Chu trình OCOP 2026 (bench)"}
        )
        producers = Producer.objects.bulk_create(
            Producer(
                name=f"Tổ hợp tác bench {i}",
                slug=f"tht-bench-{i}",
                kind="tht",
                commune=communes[i % len(communes)],
                address="Thôn 1",
                legal_representative="Nguyễn Văn Bench",
            )
            for i in range(len(communes))
        )
        products = Product.objects.bulk_create(
            Product(
                name=f"Chè bench {i}",
                slug=f"che-bench-{i}",
                product_set=product_set,
                producer=producers[i % len(producers)],
                commune=producers[i % len(producers)].commune,
            )
            for i in range(n_ideas + 10)
        )
        ideas = Application.objects.bulk_create(
            Application(cycle=cycle, product=p, state=ApplicationState.IDEA_REGISTERED, created_by=admin)
            for p in products[:n_ideas]
        )
        sent = Application.objects.bulk_create(
            Application(cycle=cycle, product=p, state=ApplicationState.SENT_FOR_EVALUATION, created_by=admin)
            for p in products[n_ideas:]
        )
        round = evaluation.round_create(
            cycle=cycle, tier=Tier.DISTRICT, unit=district, name="Hội đồng huyện Kon Rẫy (bench)", by=admin
        )
        members = []
        for i in range(n_staff):
            user, _ = User.objects.get_or_create(
                email=f"bench.hoidong.{i}@ocop.example",
                defaults={"full_name": f"Thành viên {i}", "role": Role.COUNCIL_MEMBER, "unit": district},
            )
            user.set_password(PASSWORD)
            user.save()
            role = MemberRole.CHAIR if i == 0 else MemberRole.MEMBER
            members.append(evaluation.member_add(round=round, user=user, role=role, by=admin))
            # Each staff user also has a district officer account of its own: one shared officer from one address
            # trips allauth's per-account login limit (the first run's 10 errors).
            officer, _ = User.objects.get_or_create(
                email=f"bench.huyen.{i}@ocop.example",
                defaults={"full_name": f"Cán bộ huyện {i}", "role": Role.DISTRICT_OFFICER, "unit": district},
            )
            officer.set_password(PASSWORD)
            officer.save()
        entries = [evaluation.entry_add(round=round, application=a, by=admin) for a in sent]
    assert CouncilMember.objects.filter(round=round).count() == n_staff
    return {
        "round": round.pk,
        "entries": [e.pk for e in entries],
        "ideas": [a.pk for a in ideas],
        "members": [m.user.email for m in members],
        "officers": [f"bench.huyen.{i}@ocop.example" for i in range(n_staff)],
    }


def public_targets():
    from apps.catalog.models import CatalogEntry  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.certificates.models import Certificate  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    slugs = list(CatalogEntry.objects.values_list("product__slug", flat=True)[:2000])
    provinces = list(CatalogEntry.objects.values_list("province_id", flat=True).distinct())
    tokens = list(Certificate.objects.values_list("token", flat=True)[:2000])
    return slugs, provinces, tokens


class Client:
    """One user's keep-alive HTTP/1.1 connection with its cookies."""

    def __init__(self, port):
        self.port, self.reader, self.writer, self.cookies = port, None, None, {}

    async def request(self, method, path, form=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        headers = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
        if self.cookies:
            headers.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            headers += ["Content-Type: application/x-www-form-urlencoded", f"Referer: http://127.0.0.1:{self.port}/"]
            if "csrftoken" in self.cookies:
                headers.append(f"X-CSRFToken: {self.cookies['csrftoken']}")
        headers.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = (await self.reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            name, value = name.lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
            elif name == "connection" and value.lower() == "close":
                close = True
        content = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, content

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Stats:
    def __init__(self):
        self.latencies, self.errors = defaultdict(list), defaultdict(int)

    def record(self, kind, seconds, ok):
        self.latencies[kind].append(seconds)
        if not ok:
            self.errors[kind] += 1


async def timed(stats, kind, client, method, path, form=None, expect=(200,)):
    start = time.perf_counter()
    try:
        status, body = await client.request(method, path, form)
        ok = status in expect
    except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
        client.close()
        status, body, ok = 0, b"", False
    stats.record(kind, time.perf_counter() - start, ok)
    return status, body


async def public_user(port, deadline, stats, targets, rng):
    slugs, provinces, tokens = targets
    client = Client(port)
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= deadline:
            break
        pick = rng.random()
        if pick < 0.15:
            await timed(stats, "home", client, "GET", "/")
        elif pick < 0.55:
            query = {"q": rng.choice(SEARCH_WORDS)}
            if rng.random() < 0.5:
                query["stars"] = rng.choice([3, 4, 5])
            if rng.random() < 0.5:
                query["province"] = rng.choice(provinces)
            await timed(stats, "search", client, "GET", "/san-pham/?" + urllib.parse.urlencode(query))
        elif pick < 0.9:
            await timed(stats, "product page", client, "GET", f"/san-pham/{rng.choice(slugs)}/")
        else:
            await timed(stats, "verification", client, "GET", f"/xac-thuc/{rng.choice(tokens)}/")
    client.close()


SHEET_OPTION = re.compile(rb'name="(c\d+)"[^>]*value="(\d+)"')


async def staff_user(port, deadline, stats, work, index, ideas, rng):
    client = Client(port)
    email = work["members"][index]
    await timed(stats, "staff login", client, "GET", "/accounts/login/")
    await timed(
        stats, "staff login", client, "POST", "/accounts/login/", {"login": email, "password": PASSWORD}, (302,)
    )
    officer = Client(port)  # this user's own district officer account accepts ideas and opens the work list
    await timed(stats, "staff login", officer, "GET", "/accounts/login/")
    await timed(
        stats,
        "staff login",
        officer,
        "POST",
        "/accounts/login/",
        {"login": work["officers"][index], "password": PASSWORD},
        (302,),
    )
    entry = work["entries"][index % len(work["entries"])]
    sheet_path = f"/quan-ly/danh-gia/{work['round']}/san-pham/{entry}/phieu/"
    for step in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= deadline:
            break
        turn = step % 4
        if turn == 0:
            await timed(stats, "staff dashboard", client, "GET", "/quan-ly/")
        elif turn == 1:
            await timed(stats, "staff work list", officer, "GET", "/quan-ly/chu-trinh/ho-so/")
        elif turn == 2:
            status, body = await timed(stats, "staff sheet open", client, "GET", sheet_path)
            choices = {}
            for name, value in SHEET_OPTION.findall(body):
                choices.setdefault(name.decode(), value.decode())
            if status == 200 and choices:
                choices["save"] = "1"
                await timed(stats, "staff sheet save", client, "POST", sheet_path, choices, (302,))
        elif ideas:
            pk = ideas.pop()
            form = {"to_state": "idea_accepted", "expected_state": "idea_registered", "reason": ""}
            await timed(
                stats, "staff transition", officer, "POST", f"/quan-ly/chu-trinh/ho-so/{pk}/chuyen-buoc/", form, (302,)
            )
    client.close()
    officer.close()


async def run_load(port, args, targets, work):
    stats, rng = Stats(), random.Random(2026)
    deadline = time.monotonic() + args.duration
    ideas = list(work["ideas"])
    users = [public_user(port, deadline, stats, targets, random.Random(rng.random())) for _ in range(args.public)]
    users += [staff_user(port, deadline, stats, work, i, ideas, random.Random(rng.random())) for i in range(args.staff)]
    started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*users), timeout=args.duration + 120)
    return stats, time.monotonic() - started


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--producers", type=int, default=2500)
    parser.add_argument("--public", type=int, default=200)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ideas", type=int, default=3000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    env = catalog_bench.bench_env()
    env["CELERY_BROKER_URL"] = BROKER_URL
    env["OCOP_LOGIN_RATE_LIMIT"] = "100000/1m/ip,100000/1m/key"
    # 2 logins per staff user from one address: allauth's 30/m/ip on all attempts refused the first run's 31st.
    env["OCOP_LOGIN_ATTEMPT_RATE_LIMIT"] = "100000/1m/ip"
    env["OCOP_REQUIRE_MFA"] = "false"
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    catalog_bench.recreate_database()
    processes = []
    try:
        t0 = time.monotonic()
        run = catalog_bench.run
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "import_units", "--edition", "all"], env, stdout=subprocess.DEVNULL)
        run([PYTHON, "manage.py", "compile_translations"], env, stdout=subprocess.DEVNULL)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        catalog_bench.load_data(args.products, args.producers)
        work = prepare_staff(args.staff, args.ideas)
        targets = public_targets()
        print(f"data ready in {time.monotonic() - t0:.1f}s")

        port = catalog_bench.free_port()
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        processes.append(
            subprocess.Popen(
                [
                    gunicorn,
                    "ocop_portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--worker-connections",
                    "1000",
                    "--backlog",
                    "2048",
                    "--log-level",
                    "warning",
                ],
                cwd=BASE_DIR,
                env=env,
                start_new_session=True,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "celery"),
                    "-A",
                    "ocop_portal",
                    "worker",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=BASE_DIR,
                env=env,
                start_new_session=True,
            )
        )
        catalog_bench.wait_until_up(f"http://127.0.0.1:{port}/robots.txt")
        print(
            f"load: {args.public} public + {args.staff} staff users for {args.duration}s, "
            f"gunicorn {args.workers} workers"
        )
        stats, elapsed = asyncio.run(run_load(port, args, targets, work))
        total = sum(len(v) for v in stats.latencies.values())
        errors = sum(stats.errors.values())
        print(f"\n{'page type':20} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for kind in sorted(stats.latencies):
            values = sorted(stats.latencies[kind])
            print(
                f"{kind:20} {len(values):9d} {stats.errors[kind]:7d} {percentile(values, 0.50):8.1f} "
                f"{percentile(values, 0.95):8.1f} {percentile(values, 0.99):8.1f}"
            )
        print(f"\ntotal: {total} requests in {elapsed:.1f}s ({total / elapsed:.0f} req/s), {errors} errors")
        if errors:
            sys.exit(1)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        if not args.keep:
            from django.db import connections  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

            connections.close_all()
            catalog_bench.drop_database()


if __name__ == "__main__":
    main()
