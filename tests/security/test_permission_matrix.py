"""Permission matrix: every URL pattern the resolver knows × 12 role variants × GET/POST, against a declared table.

The table (``tests/security/permission_matrix_table.py``) names every pattern; a pattern the resolver knows and the
table does not (a new view) fails, and so does a declared pattern that no longer exists. The records behind the
URLs are real and belong to commune X (district d, province p; see ``tests.cast.build_world``), so "same" and
"other" variants really stand on either side of the boundary. The admin's object pages open a real record of each
model (certificates, decision documents and the closed round with stored files); records the world does not hold
use an absent id (999999). The world is built once for the module and each role's run is rolled back afterwards.

Each row of the table is one pattern: one letter per role variant (order of :data:`VARIANTS`) for GET and for POST
(an empty form). Legend of the letters:

- ``A`` answered with 2xx (a page, a file, a re-rendered form with its errors)
- ``R`` redirected somewhere other than a login page (done, or refused with a message on the page it returns to)
- ``D`` denied: 403, or a redirect to the login page (the portal's or the admin's)
- ``N`` 404 (absent record, or one the role may not know of)
- ``M`` 405 (method not allowed)
- ``B`` 400 (bad request)

A 500 is never declared: it fails whatever the table says. Every POST answered ``D``, ``N``, ``M`` or ``B`` must
leave the main tables exactly as they were (row counts and contents, compared before and after).
"""

import os
import pprint
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.functional import empty
from django_celery_beat import models as beat

from apps.accounts.enums import Role
from apps.audit.models import AuditEvent
from apps.catalog.models import CatalogEntry, Fair
from apps.catalog.services import catalog_entry_refresh
from apps.certificates.models import Certificate, DecisionDocument
from apps.core.enums import RenderState
from apps.core.models import OutboxMessage
from apps.core.rendering import sha256
from apps.core.storage import private_storage
from apps.cycles.models import Plan
from apps.evaluation.models import EvaluationRound
from apps.geo.enums import Level
from apps.products.models import ProductPhoto
from apps.reports.models import Report
from apps.traceability.models import FakeReport, StampApprovalPolicy, StampBatch
from tests.cast import build_world
from tests.factories import UserFactory, commune, district, province
from tests.factories.audit import AuditEventFactory
from tests.factories.catalog import make_fair
from tests.factories.producers import DocumentFactory, png_upload

from .permission_matrix_table import TABLE

# Role variants of the matrix, in the order of the letters of each table row.
VARIANTS = (
    "anonymous",
    "producer_own",
    "commune_same",
    "commune_other",
    "district_same",
    "district_other",
    "council_seated",
    "council_unseated",
    "province_same",
    "province_other",
    "central",
    "admin",
)
METHODS = ("get", "post")
ABSENT = "999999"
# Tables whose contents a refused POST must leave unchanged (accounts: counted only, logins touch last_login).
WATCHED_TABLES = (
    "producers_producer",
    "producers_producerdocument",
    "products_product",
    "cycles_cycle",
    "cycles_application",
    "cycles_dossier",
    "cycles_plan",
    "evaluation_evaluationround",
    "evaluation_councilmember",
    "evaluation_roundentry",
    "evaluation_scoresheet",
    "evaluation_recognitiondecision",
    "certificates_certificate",
    "catalog_pointofsale",
    "catalog_fair",
    "reports_report",
    "traceability_productionsite",
    "traceability_lot",
    "traceability_stampbatch",
)


def _walk(resolver, ns=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, ":".join(x for x in [ns, p.namespace] if x) or None)
        else:
            yield (f"{ns}:" if ns else "") + (p.name or ""), p


# Unnamed patterns cannot be reversed; they are counted, not opened.
ALL_PATTERNS = list(_walk(get_resolver()))
PATTERNS = [(name, p) for name, p in ALL_PATTERNS if p.name]


def _build_tree():
    p = province("22", name="Tỉnh Quảng Ninh")
    d = district(p, "193", name="Thành phố Hạ Long")
    x = commune(d, "06649", name="Phường Hà Khánh")
    y = commune(d, "06652", name="Phường Hà Phong")
    q = province("62", name="Tỉnh Kon Tum")
    dq = district(q, "614", name="Huyện Kon Rẫy")
    z = commune(dq, "23482", name="Xã Đắk Kôi")
    return type("Tree", (), {"p": p, "d": d, "x": x, "y": y, "q": q, "dq": dq, "z": z})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The records of tests.cast once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(_build_tree())
            world.document_x = DocumentFactory(producer=world.producer_x)
            world.entry_open = world.round_open.entries.get()
            world.entry_closed = world.round_closed.entries.get()
            world.invitee = UserFactory(role=Role.PRODUCER, unit=world.tree.x, email="matrix.moi@ocop.example")
            _give_files(world)
            _admin_extras(world)
            world.admin_objects = _admin_objects(world)
            assert world.tree.x.level == Level.COMMUNE
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module", autouse=True)
def _own_private_storage(tmp_path_factory):
    """The world's stored files go to a private root of this module's own (the storage is read lazily)."""
    with override_settings(PRIVATE_STORAGE_ROOT=str(tmp_path_factory.mktemp("matrix-private"))):
        private_storage._wrapped = empty
        yield
    private_storage._wrapped = empty


def _give_files(world):
    """Certificate X, its decision's document, the closed round, report X and batch X carry stored files, as they
    do once rendered: the admin's change pages of such rows (once a 500) are opened with their files."""
    ready = {"render_state": RenderState.READY, "checksum": sha256(PDF)}
    cert = world.certificate_x
    name = private_storage.save(f"certificates/matrix/{cert.serial}.pdf", ContentFile(PDF))
    Certificate.objects.filter(pk=cert.pk).update(file=name, **ready)
    decision = cert.recognition.decision
    world.decision_document_x = DecisionDocument.objects.filter(decision=decision).first()
    if world.decision_document_x is None:
        world.decision_document_x = DecisionDocument.objects.create(decision=decision)
    name = private_storage.save(f"certificates/matrix/decision-{decision.pk}.pdf", ContentFile(PDF))
    DecisionDocument.objects.filter(pk=world.decision_document_x.pk).update(file=name, **ready)
    name = private_storage.save(f"reports/matrix/report-{world.report_x.pk}.pdf", ContentFile(PDF))
    Report.objects.filter(pk=world.report_x.pk).update(pdf=name, xlsx=name)
    name = private_storage.save(f"traceability/matrix/batch-{world.batch_x.pk}.pdf", ContentFile(PDF))
    StampBatch.objects.filter(pk=world.batch_x.pk).update(sheet_pdf=name, roll_pdf=name, codes_csv=name)
    name = private_storage.save(f"minutes/matrix/round-{world.round_closed.pk}.pdf", ContentFile(PDF))
    EvaluationRound.objects.filter(pk=world.round_closed.pk).update(
        minutes=name, minutes_state=RenderState.READY, minutes_checksum=sha256(PDF)
    )


def _admin_extras(world):
    """One row of each admin model the world holds none of (made only if missing), for its object pages."""
    tree = world.tree
    makers = {
        Group: lambda: Group.objects.create(name="Nhóm thử ma trận"),
        OutboxMessage: lambda: OutboxMessage.objects.create(task_name="core.outbox_flush", kwargs={}),
        AuditEvent: lambda: AuditEventFactory(unit=tree.x),
        beat.IntervalSchedule: lambda: beat.IntervalSchedule.objects.create(every=10, period="seconds"),
        beat.CrontabSchedule: lambda: beat.CrontabSchedule.objects.create(minute="5"),
        beat.SolarSchedule: lambda: beat.SolarSchedule.objects.create(event="sunrise", latitude=21, longitude=107),
        beat.ClockedSchedule: lambda: beat.ClockedSchedule.objects.create(clocked_time=timezone.now()),
        beat.PeriodicTask: lambda: beat.PeriodicTask.objects.create(
            name="ma-tran", task="core.outbox_flush", interval=beat.IntervalSchedule.objects.first()
        ),
        ProductPhoto: lambda: ProductPhoto.objects.create(product=world.product_x, image=png_upload(size=(8, 8))),
        Plan: lambda: Plan.objects.create(unit=tree.p, year=2026, title="Kế hoạch OCOP 2026"),
        Fair: lambda: make_fair(unit=tree.p, products=[world.product_x]),
        CatalogEntry: lambda: catalog_entry_refresh(product_id=world.product_x.pk),
        StampApprovalPolicy: lambda: StampApprovalPolicy.objects.create(province=tree.p, level="province"),
        FakeReport: lambda: FakeReport.objects.create(
            product=world.product_x, photo=ContentFile(PDF, name="anh.pdf"), photo_content_type="application/pdf"
        ),
    }
    for model, make in makers.items():
        if not model._default_manager.exists():
            assert make() is not None, model


# The admin's object pages are opened on these records (the rest of each admin's model: its first row).
ADMIN_RECORDS = {
    "certificates.certificate": "certificate_x",
    "certificates.decisiondocument": "decision_document_x",
    "evaluation.evaluationround": "round_closed",
    "evaluation.roundentry": "entry_closed",
    "producers.producer": "producer_x",
    "producers.producerdocument": "document_x",
    "products.product": "product_x",
    "cycles.application": "application_x",
    "cycles.cycle": "cycle_x",
    "accounts.user": "invitee",
    "reports.report": "report_x",
    "traceability.stampbatch": "batch_x",
}


def _admin_objects(world):
    """A real record for the object pages (change, history, delete, password) of every model in the admin: the
    world's (``ADMIN_RECORDS``) or the model's first row; a model with no row in the world fails here."""
    found = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = getattr(world, ADMIN_RECORDS[label]) if label in ADMIN_RECORDS else model._default_manager.first()
        assert obj is not None, f"the matrix world has no {label} for its admin pages"
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for page in ("change", "history", "delete"):
            found[f"{prefix}_{page}"] = {"object_id": obj.pk}
        if label == "accounts.user":
            found["admin:auth_user_password_change"] = {"id": obj.pk}
    return found


def _objects(world):
    """Keyword values per URL parameter, per pattern namespace: the world's records of commune X's side."""
    cert = world.certificate_x
    return {
        "api": {"slug": world.product_x.slug, "pk": world.tree.x.pk},
        "api:producer_detail": {"slug": world.producer_x.slug},
        "api:point_of_sale_detail": {"slug": world.point_of_sale_p.slug},
        "geo": {"pk": world.tree.x.pk},
        "accounts": {"pk": world.invitee.pk},
        "producers": {"pk": world.producer_x.pk},
        "producers:bulk_rehoming_detail": {"pk": ABSENT},
        "producers:document_download": {"pk": world.document_x.pk},
        "producers:document_replace": {"pk": world.document_x.pk},
        "producers:document_remove": {"pk": world.document_x.pk},
        "products": {"pk": world.product_x.pk},
        "products:photo_file": {"pk": ABSENT},
        "products:photo_thumbnail": {"pk": ABSENT},
        "products:photo_remove": {"pk": ABSENT},
        "products:photo_set_cover": {"pk": ABSENT},
        "cycles": {"pk": world.application_x.pk, "year": "2026"},
        "cycles:step_extend": {"pk": world.cycle_x.pk},
        "cycles:evidence_download": {"pk": ABSENT},
        "cycles:evidence_remove": {"pk": ABSENT},
        "evaluation": {"pk": world.round_open.pk, "entry_pk": world.entry_open.pk, "sheet_pk": ABSENT},
        "evaluation:self_assessment_edit": {"pk": world.application_x.pk},
        "certificates": {"pk": cert.pk},
        "certificates:decision_download": {"pk": world.decision_document_x.pk},
        "certificates:decision_retry": {"pk": world.decision_document_x.pk},
        "trade": {"pk": world.point_of_sale_p.pk},
        "trade:fair_detail": {"pk": ABSENT},
        "trade:fair_update": {"pk": ABSENT},
        "trade:fair_product_link": {"pk": ABSENT},
        "trade:fair_product_unlink": {"pk": ABSENT},
        "reports": {"pk": world.report_x.pk, "fmt": "pdf", "name": "ho-so"},
        "verify": {"token": cert.token},
        "traceability": {"pk": world.site_x.pk, "kind": "pdf"},
        "traceability:lot_detail": {"pk": world.lot_x.pk},
        "traceability:lot_event_add": {"pk": world.lot_x.pk},
        "traceability:lot_batch_request": {"pk": world.lot_x.pk},
        "traceability:lot_export_epcis": {"pk": world.lot_x.pk},
        "traceability:lot_export_csv": {"pk": world.lot_x.pk},
        "traceability:batch_detail": {"pk": world.batch_x.pk},
        "traceability:batch_decide": {"pk": world.batch_x.pk},
        "traceability:batch_void": {"pk": world.batch_x.pk},
        "traceability:batch_void_range": {"pk": world.batch_x.pk},
        "traceability:batch_file": {"pk": world.batch_x.pk, "kind": "pdf"},
        "traceability:report_photo": {"pk": ABSENT},
        "catalog": {"slug": world.product_x.slug},
        "catalog:producer_detail": {"slug": world.producer_x.slug},
        "catalog:point_of_sale_detail": {"slug": world.point_of_sale_p.slug},
        "catalog:fair_detail": {"slug": "khong-co"},
        # Django admin: one real app label, and a real record for every model's object pages.
        "admin": {"app_label": "accounts", "object_id": ABSENT},
        **world.admin_objects,
    }


_FALLBACK = {"path": "khong-co.png", "key": "khong-co", "uidb36": "1", "token": "khong-co"}


def _url(name, pattern, objects):
    values = {**objects.get(name.split(":")[0], {}), **objects.get(name, {})} if ":" in name else {}
    kwargs = {}
    for group in pattern.pattern.regex.groupindex:
        kwargs[group] = str(values.get(group, _FALLBACK.get(group, ABSENT if group.endswith("pk") else "khong-co")))
    return reverse(name, kwargs=kwargs)


def _outcome(response):
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        login = location.startswith(reverse("account_login")) or reverse("admin:login") in location
        return "D" if login else "R"
    return {403: "D", 404: "N", 405: "M", 400: "B", 500: "E"}.get(code, "A" if 200 <= code < 300 else "?")


_FINGERPRINT_SQL = (
    "SELECT "
    + ", ".join(
        f"(SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t.id)), '') FROM {table} t)"
        for table in WATCHED_TABLES
    )
    + ", (SELECT count(*) FROM accounts_user)"
)


def _fingerprint():
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL)
        return cursor.fetchone()


def _client(world, variant):
    client = Client()
    user = None if variant == "anonymous" else world.cast[variant]
    if user is not None:
        client.force_login(user)
    return client


def test_every_pattern_is_declared_exactly_once():
    names = [name for name, _ in PATTERNS]
    assert len(names) == len(set(names))
    assert sorted(set(names) - set(TABLE)) == []  # new views: declare them
    assert sorted(set(TABLE) - set(names)) == []  # gone views: remove them
    assert all(re.fullmatch(r"[ARDNMB]{12}", row) for pair in TABLE.values() for row in pair)
    # The only unnamed ones are the admin's redirect from <object_id>/ to its change page and its catch-all.
    assert {str(p.pattern) for _, p in ALL_PATTERNS if not p.name} <= {"<path:object_id>/", "(?P<url>.*)$"}


OBSERVED = {}


@pytest.mark.parametrize("variant", VARIANTS)
def test_permission_matrix(world, db, variant):
    """One role variant on every pattern, GET then POST; the whole run of a variant is rolled back afterwards."""
    index = VARIANTS.index(variant)
    objects = _objects(world)
    client = _client(world, variant)
    wrong, changed = [], []
    before = _fingerprint()
    for name, pattern in PATTERNS:
        url = _url(name, pattern, objects)
        for m, method in enumerate(METHODS):
            got = _outcome(getattr(client, method)(url))
            OBSERVED.setdefault(name, [["?"] * len(VARIANTS), ["?"] * len(VARIANTS)])[m][index] = got
            expected = TABLE.get(name, ("?" * len(VARIANTS),) * 2)[m][index]
            if got != expected:
                wrong.append((name, method, url, expected, got))
            if method == "post":
                if name in ("account_logout", "admin:logout") and variant != "anonymous":  # logged out: again
                    client.force_login(world.cast[variant])
                after = _fingerprint()
                if got in "DNMB" and after != before:
                    changed.append((name, url, got))
                before = after
    assert wrong == []
    assert changed == []


def test_matrix_size():
    """The size quoted in the README: named patterns × role variants × methods."""
    assert len(VARIANTS) == 12
    assert len(PATTERNS) * len(VARIANTS) * len(METHODS) == len(TABLE) * 24
    assert len(PATTERNS) > 300


def teardown_module():
    # OCOP_MATRIX_WRITE=path writes what was observed (to review, then paste into the table after checking it).
    path = os.environ.get("OCOP_MATRIX_WRITE")
    if path and OBSERVED:
        rows = {name: ("".join(get), "".join(post)) for name, (get, post) in OBSERVED.items()}
        with open(path, "w", encoding="utf-8") as out:
            out.write(pprint.pformat(rows, width=120, sort_dicts=False))


def test_the_fingerprint_sees_a_changed_row(world, db):
    # The check on refused POSTs would be blind if an update of a watched row left the fingerprint as it was.
    before = _fingerprint()
    world.application_x.__class__.objects.filter(pk=world.application_x.pk).update(state="withdrawn")
    assert _fingerprint() != before
