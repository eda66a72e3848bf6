"""Property tests (hypothesis) over every service that takes user input, through the view a user's POST reaches.

test_properties.py fuzzes the forms on their own and the producer registry; here each hostile input (odd Unicode,
huge strings, odd digits, NaN-ish numbers, impossible dates, odd file names and contents) is POSTed by the user whose
job it is, to the real view, which binds the form and calls the service. Each answer must be:

- refused, with every message (form errors and flashed error/warning messages) in Vietnamese, and no row of the
  watched tables (domain tables and the audit trail) changed — compared as contents, before and after; or
- accepted, with what was stored clean (NFC, no control or bidi characters, something visible, within limits) and
  within the domain's bounds (coordinates, quantities, dates);
- never a 5xx and never an uncaught exception (the test client re-raises the view's exception).

The records are those of the permission matrix (``tests.cast.build_world``), built once for the module; every example
runs in a savepoint rolled back afterwards, so examples do not see each other's rows.
"""

import functools

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.cycles.enums import ApplicationState
from apps.cycles.forms import DossierForm, EvidenceForm, IdeaForm, PlanForm
from apps.cycles.models import Application, EvidenceFile, Plan
from apps.products.forms import ProductForm
from apps.products.models import Product, ProductSet
from tests.cast import build_world
from tests.factories.cycles import ApplicationFactory
from tests.factories.products import ProductFactory

from .hostile import DIGITS, assert_clean, hostile_number, hostile_text, is_vietnamese
from .test_permission_matrix import _build_tree

pytestmark = pytest.mark.django_db

# What a refused input must leave exactly as it was: every table a user's input writes, and the audit trail.
WATCHED_TABLES = (
    "accounts_user",
    "audit_auditevent",
    "audit_producerevent",
    "audit_producerdocumentevent",
    "audit_productevent",
    "audit_applicationevent",
    "audit_dossierevent",
    "audit_evaluationroundevent",
    "audit_roundentryevent",
    "audit_scoresheetevent",
    "audit_recognitiondecisionevent",
    "audit_certificateevent",
    "audit_userevent",
    "producers_producer",
    "producers_producerdocument",
    "products_product",
    "products_productphoto",
    "cycles_cycle",
    "cycles_cyclestepperiod",
    "cycles_application",
    "cycles_applicationtransition",
    "cycles_dossier",
    "cycles_evidencefile",
    "cycles_lateallowance",
    "cycles_plan",
    "cycles_target",
    "evaluation_evaluationround",
    "evaluation_councilmember",
    "evaluation_roundentry",
    "evaluation_scoresheet",
    "evaluation_scoreanswer",
    "evaluation_conflictdeclaration",
    "evaluation_communeprecheck",
    "evaluation_recognitiondecision",
    "evaluation_recognitionitem",
    "certificates_certificate",
    "catalog_pointofsale",
    "catalog_fair",
    "reports_report",
    "reports_reporttransition",
    "traceability_productionsite",
    "traceability_sitecertification",
    "traceability_lot",
    "traceability_lotevent",
    "traceability_stampbatch",
    "traceability_stamp",
    "traceability_fakereport",
)
_FINGERPRINT_SQL = "SELECT " + ", ".join(
    f"(SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM {table} t)"
    for table in WATCHED_TABLES
)

GENERATED = {}  # test name → number of inputs generated (README quotes the total)


def _fingerprint():
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL)
        return dict(zip(WATCHED_TABLES, cursor.fetchone(), strict=True))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission matrix's records, plus an application of commune X whose dossier may still be edited."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(_build_tree())
            product = ProductFactory(producer=world.producer_x, name="Mắm ruốc Hà Khánh")
            world.editable = ApplicationFactory(
                cycle=world.cycle_x,
                product=product,
                state=ApplicationState.IMPLEMENTING,
                created_by=world.cast["admin"],
            )
            world.product_set = ProductSet.objects.order_by("code").first()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def example(test):
    """One generated input: counted, run in a savepoint that is rolled back, so the world stays as it was."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        GENERATED[test.__name__] = GENERATED.get(test.__name__, 0) + 1
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


def _as(world, role):
    client = Client(raise_request_exception=True)
    client.force_login(world.cast[role])
    return client


def _forms(response):
    if response.context is None:
        return []
    found = []
    for key in response.context.keys():  # noqa: SIM118 — a ContextList iterates over its Contexts, not keys
        value = response.context[key]
        if isinstance(value, BaseForm) and value not in found:
            found.append(value)
    return found


class Answer:
    """What the portal said to one POST: refused (with its messages) or accepted."""

    def __init__(self, response, refusals):
        self.response = response
        self.refusals = refusals

    @property
    def refused(self):
        return bool(self.refusals)


def submit(client, url, data, *, follow_files=None):
    """POST ``data`` as a user's browser would, and check the answer against the rules of the module docstring."""
    before = _fingerprint()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    refusals = [str(m) for form in _forms(response) for errors in form.errors.values() for m in errors]
    refusals += [str(m) for m in get_messages(response.wsgi_request) if m.level >= messages.WARNING]
    after = _fingerprint()
    if refusals or response.status_code >= 400:
        assert refusals, (url, response.status_code, "refused without a message")
        assert all(is_vietnamese(m) for m in refusals), refusals
        changed = [table for table in WATCHED_TABLES if before[table] != after[table]]
        assert changed == [], (refusals, changed)
    else:
        assert response.status_code in (200, 302), response.status_code
    return Answer(response, refusals)


def _assert_clean_fields(obj, form_class, fields):
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, str):
            assert_clean(value, form_class.base_fields[name])


# --- Products: create and update (text fields, GTIN, prices), and two products of one name (the slug clash).

GTIN_13 = "8935049500049"
hostile_gtin = st.one_of(
    hostile_number,
    st.text(st.sampled_from(DIGITS), min_size=8, max_size=14),
    st.sampled_from([GTIN_13, "８９３５０４９５０００４９", "٨٩٣٥٠٤٩٥٠٠٠٤٩", f" {GTIN_13} ", f"{GTIN_13}\n", "0" * 14]),
)
PRODUCT_TEXTS = ("name", "description", "story", "packaging", "where_to_buy")


def _product_data(world, **overrides):
    data = {
        "name": "Chả mực Hạ Long",
        "product_set": world.product_set.pk,
        "producer": world.producer_x.pk,
        "commune": world.tree.x.pk,
        "description": "Chả mực giã tay",
        "story": "",
        "packaging": "Hộp 500 g",
        "price_min": "100000",
        "price_max": "200000",
        "where_to_buy": "",
        "gtin": "",
    }
    data.update(overrides)
    return data


def _check_product(answer):
    if not answer.refused and answer.response.status_code == 302:
        product = Product.objects.get(pk=answer.response["Location"].rstrip("/").split("/")[-1])
        _assert_clean_fields(product, ProductForm, PRODUCT_TEXTS)
        assert product.gtin == "" or (product.gtin.isascii() and product.gtin.isdigit())
        assert product.price_min is None or 0 <= product.price_min <= (product.price_max or product.price_min)
        return product
    return None


@settings(max_examples=25)
@given(field=st.sampled_from(PRODUCT_TEXTS), value=hostile_text)
def test_product_create_text(world, field, value):
    @example
    def check():
        client = _as(world, "commune_same")
        _check_product(submit(client, reverse("products:product_create"), _product_data(world, **{field: value})))

    check()


@settings(max_examples=25)
@given(field=st.sampled_from(["gtin", "price_min", "price_max"]), value=st.one_of(hostile_gtin, hostile_number))
def test_product_create_numbers(world, field, value):
    @example
    def check():
        client = _as(world, "commune_same")
        _check_product(submit(client, reverse("products:product_create"), _product_data(world, **{field: value})))

    check()


@settings(max_examples=20)
@given(field=st.sampled_from([*PRODUCT_TEXTS, "gtin", "price_min"]), value=st.one_of(hostile_text, hostile_gtin))
def test_product_update(world, field, value):
    @example
    def check():
        client = _as(world, "commune_same")
        url = reverse("products:product_update", args=[world.product_x.pk])
        answer = submit(client, url, _product_data(world, **{"name": world.product_x.name, field: value}))
        if not answer.refused:
            product = Product.objects.get(pk=world.product_x.pk)
            _assert_clean_fields(product, ProductForm, PRODUCT_TEXTS)
            assert product.slug == world.product_x.slug  # public links keep working

    check()


@settings(max_examples=15)
@given(name=hostile_text, gtin=st.sampled_from(["", GTIN_13]))
def test_two_products_of_one_name_get_two_slugs_or_a_message(world, name, gtin):
    @example
    def check():
        client = _as(world, "commune_same")
        first = _check_product(submit(client, reverse("products:product_create"), _product_data(world, name=name)))
        second = _check_product(
            submit(client, reverse("products:product_create"), _product_data(world, name=name, gtin=gtin))
        )
        if first and second:
            assert first.slug != second.slug

    check()


# --- Ideas, business plans, dossiers, evidence uploads and the self-assessment.


@settings(max_examples=25)
@given(field=st.sampled_from(["name", "description", "purpose"]), value=hostile_text)
def test_idea_register(world, field, value):
    @example
    def check():
        client = _as(world, "commune_same")
        data = {
            "cycle": world.cycle_x.pk,
            "producer": world.producer_x.pk,
            "name": "Nước mắm Cái Rồng",
            "product_set": world.product_set.pk,
            "description": "Ý tưởng",
        }
        data[field] = value
        before = Application.objects.count()
        answer = submit(client, reverse("cycles:idea_create"), data)
        if not answer.refused:
            assert Application.objects.count() == before + 1
            application = Application.objects.order_by("-pk").first()
            assert_clean(application.product.name, IdeaForm.base_fields["name"])

    check()


@settings(max_examples=25)
@given(
    field=st.sampled_from(["title", "target_ideas_per_commune", "target_new_3_star", "target_new_5_star"]),
    value=st.one_of(hostile_text, hostile_number),
)
def test_business_plan(world, field, value):
    @example
    def check():
        client = _as(world, "commune_same")
        year = timezone.localdate().year
        answer = submit(client, reverse("cycles:plan_edit", args=[year]), {"title": "Kế hoạch OCOP", field: value})
        if not answer.refused:
            plan = Plan.objects.get(unit=world.tree.x, year=year)
            assert_clean(plan.title, PlanForm.base_fields["title"])
            assert all(0 <= t.value <= 100000 for t in plan.targets.all())

    check()


DOSSIER_TEXTS = ("applicant_name", "applicant_position", "phone", "email", "production_address", "raw_materials")


@settings(max_examples=25)
@given(
    field=st.sampled_from([*DOSSIER_TEXTS, "annual_capacity", "sample_count", "markets"]),
    value=st.one_of(hostile_text, hostile_number),
)
def test_dossier_edit(world, field, value):
    @example
    def check():
        client = _as(world, "commune_same")
        data = {"applicant_name": "Trần Văn Mực", "sample_count": "5", field: value}
        answer = submit(client, reverse("cycles:dossier_edit", args=[world.editable.pk]), data)
        if not answer.refused:
            dossier = Application.objects.get(pk=world.editable.pk).dossier
            _assert_clean_fields(dossier, DossierForm, DOSSIER_TEXTS)

    check()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
file_name = st.builds(
    lambda stem, ext: stem + ext,
    st.one_of(hostile_text.map(lambda s: s[:80]), st.sampled_from(["../../etc/passwd", "CON", "a" * 300, ""])),
    st.sampled_from([".pdf", ".PDF", ".hta", ".html", ".svg", ".pdf.exe", ".png", "", ".", "\u202efdp.exe"]),
)
file_body = st.one_of(
    st.sampled_from([PDF, PNG_1PX, b"", b"<html><script>alert(1)</script>", b"\xff\xd8\xff", b"%PDF"]),
    st.binary(max_size=64),
    st.sampled_from([PDF + b"0" * (10 * 1024 * 1024), b"\x00" * (10 * 1024 * 1024 + 1)]),
)
content_type = st.sampled_from(["application/pdf", "text/html", "image/svg+xml", "", "application/x-msdownload"])


def _upload(name, body, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415 — only the upload tests build files

    return SimpleUploadedFile(name or "x", body, content_type=kind or "application/octet-stream")


@settings(max_examples=25)
@given(title=hostile_text, name=file_name, body=file_body, kind=content_type)
def test_evidence_upload(world, title, name, body, kind):
    @example
    def check():
        client = _as(world, "commune_same")
        url = reverse("cycles:evidence_upload", args=[world.editable.pk])
        answer = submit(client, url, {"title": title, "file": _upload(name, body, kind)})
        if not answer.refused:
            evidence = EvidenceFile.objects.filter(dossier__application=world.editable).order_by("-pk").first()
            assert_clean(evidence.title, EvidenceForm.base_fields["title"])
            assert evidence.content_type in ("application/pdf", "image/png", "image/jpeg")
            assert evidence.file.name.rsplit(".", 1)[-1] in ("pdf", "png", "jpg")

    check()
