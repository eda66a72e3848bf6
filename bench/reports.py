"""Benchmark of the report figures and dashboards at national scale.

    .venv/bin/python bench/reports.py [--products 20000] [--producers 10000] [--sheets 100000] [--runs 5] [--keep]
                                      [--reuse] [--profile N]

1. creates a throw-away PostgreSQL database (``$OCOP_BENCH_DATABASE``, default ``ocop_bench_reports``; the cache is
   ``$OCOP_BENCH_REDIS_URL``, see bench/catalog.py), migrates it, imports both unit lists and
   bulk-loads the catalogue benchmark's data set (bench/catalog.py: producers, products, decisions, certificates);
2. adds a 2026 cycle per province, an application per product, one closed province round per province with
   five members, and member score sheets (totals only) up to ``--sheets``;
3. prints, for the national (2025 list, old provinces rolled into their successors), the busiest province and a
   district: the median time of the figures (every table, all queries) and of the whole dashboard page (figures,
   work queue, charts, template), next to one hand-written SQL ``GROUP BY`` over the same certificates, and the
   ratio; the figures from the dashboard's cache (selectors/versioned.py) and the page with the data version
   advanced before each request, as a write would (miss: the figures and the user's work queue counted again), and
   warm (hit); the hit next to two trivial logged-in views on the same client, taken in turn with it (``trivial``:
   a view that answers "ok"; ``chrome``: "ok" inside base.html), and the number of SQL statements of a hit; then
   the floor per scope (the trivial views against the scope's SQL) and the time to generate one province's PDF and
   XLSX. Drops the database unless ``--keep``.

``--reuse`` measures a database kept by an earlier ``--keep`` run (no loading); ``--profile N`` also prints the
top N functions by cumulative time (cProfile) of each scope's dashboard hit (with the hit's SQL) and of the trivial
page, of the national dashboard's miss and of the province PDF.

    OCOP_BENCH_DATABASE=ocop_bench_reports OCOP_BENCH_REDIS_URL=redis://127.0.0.1:6380/30 \\
        .venv/bin/python bench/reports.py --keep            # once: load the data set
    OCOP_BENCH_DATABASE=... .venv/bin/python bench/reports.py --reuse --runs 5 [--profile 25]
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalog as catalog_bench  # noqa: E402

catalog_bench.DB_NAME = os.environ.get("OCOP_BENCH_DATABASE", "ocop_bench_reports")  # your own on a shared server
PYTHON = sys.executable


def add_evaluation(n_sheets, seed=2026):

    from django.utils import timezone  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    from apps.accounts.enums import Role  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.accounts.models import User  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.core.enums import RuleSet  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.cycles.enums import ApplicationState  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.cycles.models import Application, Cycle  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.demo.sheets import load_sample_sheets  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.evaluation.enums import MemberRole, RoundState, SheetState, Tier  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.evaluation.models import CouncilMember, EvaluationRound, RoundEntry, ScoreSheet, SheetTemplate  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.enums import Level  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.models import AdministrativeUnit  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.products.models import Product  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    t0 = time.monotonic()
    load_sample_sheets()
    template = SheetTemplate.objects.order_by("pk").first()
    admin = User.objects.create(email="bench@ocop.example", full_name="Bench", role=Role.SYSTEM_ADMIN)
    provinces = {u.path: u for u in AdministrativeUnit.objects.filter(level=Level.PROVINCE)}
    cycles = {
        path: Cycle(unit=u, year=2026, rule_set=RuleSet.QD148_2023, name=f"Chu trình 2026 {u.name}")
        for path, u in provinces.items()
    }
    Cycle.objects.bulk_create(cycles.values())
    products = list(Product.objects.only("pk", "commune__path").select_related("commune").order_by("pk"))
    apps = [
        Application(
            cycle=cycles["/".join(p.commune.path.split("/")[:2]) + "/"],
            product=p,
            state=ApplicationState.SENT_FOR_EVALUATION,
            created_by=admin,
        )
        for p in products
    ]
    Application.objects.bulk_create(apps, batch_size=2000)
    closed = timezone.now() - datetime.timedelta(days=20)
    rounds = {
        path: EvaluationRound(
            cycle=c,
            tier=Tier.PROVINCE,
            unit=c.unit,
            name="Đợt 1",
            state=RoundState.CLOSED,
            closed_at=closed,
            created_by=admin,
        )
        for path, c in cycles.items()
    }
    EvaluationRound.objects.bulk_create(rounds.values())
    users = User.objects.bulk_create(
        [
            User(email=f"hd{i}-{r.pk}@ocop.example", full_name=f"Ủy viên {i}", role=Role.COUNCIL_MEMBER, unit=r.unit)
            for r in rounds.values()
            for i in range(5)
        ],
        batch_size=2000,
    )
    roles = [MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER, MemberRole.MEMBER, MemberRole.MEMBER]
    members = CouncilMember.objects.bulk_create(
        [
            CouncilMember(round=r, user=users[j * 5 + i], role=roles[i])
            for j, r in enumerate(rounds.values())
            for i in range(5)
        ],
        batch_size=2000,
    )
    members_of = {}
    for m in members:
        members_of.setdefault(m.round_id, []).append(m)
    n_entries = min(len(apps), n_sheets // 5)
    entries = RoundEntry.objects.bulk_create(
        [
            RoundEntry(
                round=rounds["/".join(a.product.commune.path.split("/")[:2]) + "/"],
                application=a,
                template=template,
                total=Decimal(50 + (a.pk % 45)),
                stars=3 + (a.pk % 3 == 0),
            )
            for a in apps[:n_entries]
        ],
        batch_size=2000,
    )
    sheets = [
        ScoreSheet(
            round_id=e.round_id,
            entry=e,
            member=m,
            state=SheetState.SUBMITTED,
            total=Decimal(48 + (e.pk + m.pk) % 50),
            submitted_at=closed,
        )
        for e in entries
        for m in members_of[e.round_id]
    ]
    ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
    print(
        f"added {len(apps)} applications, {len(entries)} round entries, {len(sheets)} member sheets "
        f"in {time.monotonic() - t0:.1f}s"
    )


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def raw_sql(prefix_len, where):
    from django.db import connection  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.utils import timezone  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    sql = f"""
        SELECT substr(u.path, 1, {prefix_len}) AS k, count(*),
               count(*) FILTER (WHERE c.revoked_at IS NULL AND c.superseded_by_id IS NULL
                                AND c.valid_from <= %s AND c.valid_until >= %s)
        FROM certificates_certificate c
        JOIN products_product p ON p.id = c.product_id
        JOIN geo_administrativeunit u ON u.id = p.commune_id
        WHERE {where}
        GROUP BY 1"""  # noqa: S608 - prefix_len and where are this bench's own constants, never input
    today = timezone.localdate()

    def run():
        with connection.cursor() as cur:
            cur.execute(sql, [today, today])
            return cur.fetchall()

    return run


TRIVIAL_PAGE = '{% extends "base.html" %}{% block content %}<p>ok</p>{% endblock %}'


def trivial_urlconf():
    """A URL configuration with two trivial logged-in views in front of the site's own: ``trivial/``, a view that only
    checks the login and answers "ok" (the floor a dashboard hit cannot go under), and ``trivial-page/``, "ok" inside
    the site's chrome (base.html: header, navigation, language links), which every page, the dashboard too, pays.
    The hits and the trivial views are all measured under it, so URL resolution costs them alike."""
    import importlib  # noqa: PLC0415 — only the measurement needs it
    import types  # noqa: PLC0415 — only the measurement needs it

    from django.conf import settings  # noqa: PLC0415 — django.setup() must run first
    from django.contrib.auth.decorators import login_required  # noqa: PLC0415 — django.setup() must run first
    from django.http import HttpResponse  # noqa: PLC0415 — django.setup() must run first
    from django.template import engines  # noqa: PLC0415 — django.setup() must run first
    from django.urls import path  # noqa: PLC0415 — django.setup() must run first

    page = engines["django"].from_string(TRIVIAL_PAGE)
    module = types.ModuleType("bench_trivial_urls")
    module.urlpatterns = [
        path("trivial/", login_required(lambda request: HttpResponse("ok"))),
        path("trivial-page/", login_required(lambda request: HttpResponse(page.render({}, request)))),
        *importlib.import_module(settings.ROOT_URLCONF).urlpatterns,
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def getter(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return run


def hit_queries(client):
    """The SQL statements a dashboard hit runs (one request, caches warm)."""
    from django.db import connection  # noqa: PLC0415 — django.setup() must run first
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — django.setup() must run first

    with CaptureQueriesContext(connection) as ctx:
        client.get("/quan-ly/")
    return [q["sql"] for q in ctx.captured_queries]


def profiled(fn, top, label, repeat=1):
    import cProfile  # noqa: PLC0415 — only a --profile run needs the profiler
    import pstats  # noqa: PLC0415 — only a --profile run needs the profiler

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeat):
        fn()
    profile.disable()
    print(f"--- profile: {label}, {repeat} call(s): the project's functions by cumulative time, then all by own time")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(r"/(apps|templates)/", top)
    stats.sort_stats("tottime").print_stats(top)


def measure(runs, top=0):
    from django.db.models import Count  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.test import Client  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from django.utils import timezone  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    from apps.accounts.enums import Role  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.accounts.models import User  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.enums import Edition, Level  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.geo.models import AdministrativeUnit  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.reports import rendering  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.reports.periods import Period  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)
    from apps.reports.selectors import unit_figures  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    period = Period.whole_year(timezone.localdate().year)
    busiest = (
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, edition=Edition.THREE_TIER_2024)
        .annotate(n=Count("children__children__products"))
        .order_by("-n")
        .first()
    )
    district = (
        AdministrativeUnit.objects.filter(parent=busiest, level=Level.DISTRICT)
        .annotate(n=Count("children__products"))
        .order_by("-n")
        .first()
    )
    cases = [
        ("national (2025 list)", None, Role.CENTRAL_OFFICER, 8, "TRUE"),
        (
            f"province {busiest.name}",
            busiest,
            Role.PROVINCE_OFFICER,
            len(busiest.path) + 4,
            f"u.path LIKE '{busiest.path}%%'",
        ),
        (
            f"district {district.name}",
            district,
            Role.DISTRICT_OFFICER,
            len(district.path) + 6,
            f"u.path LIKE '{district.path}%%'",
        ),
    ]
    from django.db import connection  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    from apps.reports.selectors import dashboard_figures  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

    print(
        f"{'scope':36} {'figures':>8} {'cached':>8} {'page miss':>9} {'page hit':>9} {'raw SQL':>8} "
        f"{'trivial':>8} {'chrome':>8} {'figures/SQL':>11} {'cached/SQL':>10} {'miss/SQL':>8} {'hit/SQL':>8} "
        f"{'hit/trivial':>11} {'hit/chrome':>10} {'hit SQL':>7}"
    )
    from django.test.utils import override_settings  # noqa: PLC0415 — django.setup() must run first

    urlconf = trivial_urlconf()
    floor = []
    for label, unit, role, prefix, where in cases:
        user, _created = User.objects.get_or_create(
            email=f"bench-{role}-{unit.pk if unit else 0}@ocop.example",
            defaults={"full_name": "Bench", "role": role, "unit": unit},
        )
        client = Client()
        client.force_login(user)
        client.get("/quan-ly/")
        figures = median_time(lambda unit=unit: unit_figures(unit=unit, period=period), runs)
        dashboard_figures(unit=unit, period=period)
        cached = median_time(lambda unit=unit: dashboard_figures(unit=unit, period=period), runs)

        def page_miss(client=client):
            with connection.cursor() as cur:  # as a write would: the figures and their tables computed again
                cur.execute("SELECT nextval('reports_figures_version')")
            client.get("/quan-ly/")

        miss = median_time(page_miss, runs)
        views = [getter(client, url) for url in ("/quan-ly/", "/trivial/", "/trivial-page/")]
        with override_settings(ROOT_URLCONF=urlconf):
            for view in views:
                view()  # URL resolver, templates and the dashboard's caches warm
            # The hit and the two trivial views taken in turn, so a change of load falls on all three alike.
            hit, trivial, chrome = (
                statistics.median(times)
                for times in zip(*([median_time(view, 1) for view in views] for _ in range(runs * 3)), strict=True)
            )
            queries = hit_queries(client)
            if top:
                print("--- SQL of one hit:", *(f"    {q[:160]}" for q in queries), sep="\n")
                profiled(views[0], top, f"/quan-ly/ hit of {label}", repeat=10)
                profiled(views[2], top, f"trivial page (chrome) of {label}", repeat=10)
        sql = median_time(raw_sql(prefix, where), runs)
        print(
            f"{label:36} {figures * 1000:6.1f}ms {cached * 1000:6.1f}ms {miss * 1000:7.1f}ms {hit * 1000:7.1f}ms "
            f"{sql * 1000:6.1f}ms {trivial * 1000:6.1f}ms {chrome * 1000:6.1f}ms {figures / sql:10.1f}× "
            f"{cached / sql:9.1f}× {miss / sql:7.1f}× {hit / sql:7.1f}× {hit / trivial:10.1f}× {hit / chrome:9.1f}× "
            f"{len(queries):7}; load average {os.getloadavg()[0]:.1f}"
        )
        floor.append((label, sql, trivial, chrome))
        if top and unit is None:
            client.get("/quan-ly/")  # the site's URL resolver filled again (leaving the trivial URLconf emptied it)
            profiled(lambda client=client: page_miss(client), top, f"/quan-ly/ miss of {label}")
    for label, sql, trivial, chrome in floor:
        print(
            f"floor, {label}: the trivial logged-in view {trivial * 1000:.1f} ms (with the site's chrome "
            f"{chrome * 1000:.1f} ms) = {trivial / sql:.1f}× ({chrome / sql:.1f}×) the hand-written SQL "
            f"({sql * 1000:.1f} ms): no hit can be under that"
        )
    figs = unit_figures(unit=busiest, period=period)

    def pdf_once():
        rendering.render_pdf(
            figures=figs, unit=busiest, number="1/BC-OCOP", issued_on=timezone.localdate(), narrative={}
        )

    pdf_once()  # fonts, stylesheets and templates loaded once, as in a long-lived worker
    t, cpu = time.perf_counter(), time.process_time()
    pdf_once()
    pdf, pdf_cpu = time.perf_counter() - t, time.process_time() - cpu
    if top:
        profiled(pdf_once, top, f"province PDF of {busiest.name}")
    t = time.perf_counter()
    rendering.render_xlsx(figures=figs)
    xlsx = time.perf_counter() - t
    print(
        f"province report files ({busiest.name}, {len(figs['tables'][0]['rows'])} rows per table): "
        f"PDF {pdf:.2f}s (CPU {pdf_cpu:.2f}s), XLSX {xlsx:.2f}s; load average {os.getloadavg()[0]:.1f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--producers", type=int, default=10000)
    parser.add_argument("--sheets", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep (skip loading)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the top N functions (cProfile)")
    args = parser.parse_args()
    env = catalog_bench.bench_env()
    env.update({"DJANGO_SETTINGS_MODULE": "ocop_portal.settings.test", "DJANGO_ALLOWED_HOSTS": "testserver"})
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    if not args.reuse:
        catalog_bench.recreate_database()
    try:
        if args.reuse:
            import django  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

            django.setup()
            from django.core.cache import cache  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

            cache.clear()
        else:
            t0 = time.monotonic()
            catalog_bench.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
            catalog_bench.run([PYTHON, "manage.py", "import_units", "--edition", "all"], env, stdout=subprocess.DEVNULL)
            catalog_bench.run([PYTHON, "manage.py", "compile_translations"], env, stdout=subprocess.DEVNULL)
            print(f"database ready in {time.monotonic() - t0:.1f}s")
            catalog_bench.load_data(args.products, args.producers)
            add_evaluation(args.sheets)
            from django.db import connection  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        measure(args.runs, args.profile)
    finally:
        from django.db import connections  # noqa: PLC0415 — django.setup() must run first (the bench picks its settings and database)

        connections.close_all()
        if not args.keep and not args.reuse:
            catalog_bench.drop_database()


if __name__ == "__main__":
    main()
