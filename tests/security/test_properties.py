"""Property tests (hypothesis) over every form and service that takes user input (issue 11).

Hostile input: odd Unicode (NFD, zero-width, bidi overrides, control characters, combining marks only, lone
surrogates sent over HTTP), very long text, numbers (huge, negative, superscript, full-width, Arabic-Indic,
NaN-ish), dates (year 1, 9999, impossible days) and tax codes in other scripts' digits. Each input is either refused
with a message in Vietnamese or accepted as clean text; a refused input changes nothing; nothing is a 500.
Bounded by the ``ocop`` hypothesis profile (tests/conftest.py); README quotes the number of generated inputs.
"""

import importlib
import inspect
import pkgutil
import re
from urllib.parse import quote

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import given, settings
from hypothesis import strategies as st

import apps as project_apps
from apps.catalog.api import urls as api_urls
from apps.core.forms import CleanTextMixin
from apps.geo.models import AdministrativeUnit
from apps.producers.enums import ProducerKind
from apps.producers.forms import ProducerForm
from apps.producers.models import Producer
from apps.producers.services import producer_create
from apps.products.models import Product

from .hostile import (
    assert_clean,
    hostile_date,
    hostile_number,
    hostile_tax_code,
    hostile_text,
    is_vietnamese,
)

pytestmark = pytest.mark.django_db

# --- Every writing form: each text field, one hostile value at a time.


def _form_kwargs(users):
    none = {
        "user": users.commune_x,
        "producers": Producer.objects.none(),
        "products": Product.objects.none(),
        "sites": Producer.objects.none(),
        "cycles": Producer.objects.none(),
        "units": AdministrativeUnit.objects.none(),
        "inviter": users.province,
        "unit_queryset": AdministrativeUnit.objects.none(),
    }
    return none


def _writing_forms():
    for info in pkgutil.walk_packages(project_apps.__path__, "apps."):
        if info.name.rsplit(".", 1)[-1] != "forms":
            continue
        module = importlib.import_module(info.name)
        for _, form in inspect.getmembers(module, inspect.isclass):
            if form.__module__ == module.__name__ and issubclass(form, CleanTextMixin) and hasattr(form, "base_fields"):
                texts = [n for n, f in form.base_fields.items() if type(f) is forms.CharField]
                if texts:
                    yield pytest.param(form, texts, id=f"{module.__name__.split('.')[1]}.{form.__name__}")


def _build(form_class, data, users):
    accepted = inspect.signature(form_class.__init__).parameters
    kwargs = {k: v for k, v in _form_kwargs(users).items() if k in accepted}
    return form_class(data, **kwargs)


WRITING_FORMS = list(_writing_forms())


def test_every_form_with_text_input_cleans_its_text():
    """A form that takes text and is not a CleanTextMixin would skip NFC and the control/bidi checks."""
    unclean = []
    for info in pkgutil.walk_packages(project_apps.__path__, "apps."):
        if info.name.rsplit(".", 1)[-1] != "forms":
            continue
        module = importlib.import_module(info.name)
        for _, form in inspect.getmembers(module, inspect.isclass):
            if form.__module__ != module.__name__ or not issubclass(form, forms.BaseForm):
                continue
            has_text = any(type(f) is forms.CharField for f in form.base_fields.values())
            if has_text and not issubclass(form, CleanTextMixin) and form.__name__ not in READ_ONLY_FORMS:
                unclean.append(f"{module.__name__}.{form.__name__}")
    assert unclean == []


# Forms that only look things up (no text is stored).
READ_ONLY_FORMS = {"ProductSearchForm", "DashboardFilterForm", "GenerateForm", "CodeForm", "VerifyLookupForm"}


@pytest.mark.parametrize(("form_class", "text_fields"), WRITING_FORMS)
@settings(max_examples=30)
@given(data=st.data())
def test_a_hostile_text_is_refused_in_vietnamese_or_accepted_clean(users, form_class, text_fields, data):
    name = data.draw(st.sampled_from(text_fields), label="field")
    value = data.draw(hostile_text, label="value")
    form = _build(form_class, {name: value}, users)
    form.is_valid()
    if name in form.errors:
        assert all(is_vietnamese(m) for m in form.errors[name]), form.errors[name]
    else:
        assert_clean(form.cleaned_data[name], form.fields[name])


# --- The producer registry: form and service together, with the row count before and after.


def _producer_data(tree, **overrides):
    data = {
        "name": "HTX Chè Hà Khánh",
        "kind": ProducerKind.ENTERPRISE,
        "commune": tree.x.pk,
        "address": "Tổ 5, khu 3",
        "legal_representative": "Trần Văn Mực",
        "phone": "0912345678",
        "email": "",
        "tax_code": "5701234567",
        "founded_year": "2010",
        "members_count": "0",
        "workers_count": "12",
        "women_workers": "7",
        "ethnic_minority_workers": "2",
    }
    data.update(overrides)
    return data


def _register(users, data):
    """The view's path: bind the form, call the service. Returns (created producer or None, messages)."""
    before = Producer.objects.count()
    form = ProducerForm(data, user=users.commune_x)
    if not form.is_valid():
        assert Producer.objects.count() == before
        return None, [m for errors in form.errors.values() for m in errors]
    fields = {k: v for k, v in form.cleaned_data.items() if k != "accounts"}
    try:
        with transaction.atomic():
            producer = producer_create(by=users.commune_x, **fields)
    except ValidationError as exc:
        assert Producer.objects.count() == before
        return None, exc.messages
    assert Producer.objects.count() == before + 1
    return producer, []


def _rolled_back(test):
    """Each example in its own savepoint, rolled back: examples do not see each other's producers."""

    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@settings(max_examples=40)
@given(field=st.sampled_from(["name", "address", "legal_representative"]), value=hostile_text)
def test_producer_text_fields_through_form_and_service(tree, users, field, value):
    @_rolled_back
    def check():
        producer, messages = _register(users, _producer_data(tree, **{field: value}))
        if producer is None:
            assert messages and all(is_vietnamese(m) for m in messages), messages
        else:
            assert_clean(getattr(producer, field), ProducerForm.base_fields[field])

    check()


@settings(max_examples=40)
@given(field=st.sampled_from(["founded_year", "members_count", "workers_count", "women_workers"]), value=hostile_number)
def test_producer_numbers_through_form_and_service(tree, users, field, value):
    @_rolled_back
    def check():
        producer, messages = _register(users, _producer_data(tree, **{field: value}))
        if producer is None:
            assert messages and all(is_vietnamese(m) for m in messages), messages
        else:
            assert 0 <= getattr(producer, field) <= 2**31 - 1

    check()


@settings(max_examples=40)
@given(tax_code=hostile_tax_code)
def test_producer_tax_codes_are_ascii_digits_only(tree, users, tax_code):
    @_rolled_back
    def check():
        producer, messages = _register(users, _producer_data(tree, tax_code=tax_code))
        if producer is None:
            assert messages and all(is_vietnamese(m) for m in messages), messages
        else:
            assert producer.tax_code.isascii() and producer.tax_code.replace("-", "").isdigit()

    check()


# --- Dates: the decision form (the one date a user types that goes on a certificate).


@settings(max_examples=40)
@given(value=hostile_date)
def test_decision_dates_are_refused_in_vietnamese_or_sane(users, value):
    from apps.evaluation.forms import DecisionForm  # noqa: PLC0415 — imported where this one test uses it

    form = DecisionForm(
        {"number": "12/QĐ-UBND", "date": value, "issuer_name": "UBND", "signer_title": "Chủ tịch", "signer_name": "An"}
    )
    if form.is_valid():
        assert 2000 <= form.cleaned_data["date"].year <= 9998
    else:
        assert set(form.errors) == {"date"} and all(is_vietnamese(m) for m in form.errors["date"]), form.errors


# --- Over HTTP: query strings and path parts of the public pages and the API, as raw bytes (lone surrogates,
# overlong UTF-8, NUL) — never a 500.

PUBLIC_GETS = ["/san-pham/", "/api/v1/products/", "/api/v1/producers/", "/api/v1/units/", "/api/v1/fairs/"]
raw_bytes = st.one_of(
    st.binary(max_size=24),
    st.sampled_from(
        [b"\xed\xa0\x80", b"\xc0\xaf", b"\x00", b"\xff\xfe", "²".encode(), "１２".encode(), b"-1", b"9" * 40]
    ),
)


@settings(max_examples=50)
@given(
    url=st.sampled_from(PUBLIC_GETS),
    key=st.sampled_from(["q", "year", "province", "stars", "page", "page_size", "sort", "date_from", "commune"]),
    value=st.one_of(raw_bytes, hostile_number.map(str.encode), hostile_date.map(str.encode)),
)
def test_public_lists_never_answer_a_server_error(client, tree, url, key, value):
    response = client.get(f"{url}?{key}={quote(value, safe='')}")
    assert response.status_code < 500, (url, key, value)


@settings(max_examples=30)
@given(part=raw_bytes)
def test_public_path_parts_never_answer_a_server_error(client, tree, part):
    for prefix in ("/xac-thuc/", "/san-pham/", "/api/v1/products/"):
        response = client.get(f"{prefix}{quote(part, safe='')}/")
        assert response.status_code < 500, (prefix, part)


# --- The API: schemathesis runs over the whole OpenAPI schema (tests/catalog/test_api.py, with
# ``not_a_server_error``); this makes sure the schema it reads lists every endpoint the resolver serves.


def test_every_api_endpoint_is_in_the_schema_that_schemathesis_runs_over():
    def as_openapi(pattern):
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + ("id" if m.group(1) == "pk" else m.group(1)) + "}", pattern)
        return f"/api/v1/{path}"

    served = {as_openapi(str(p.pattern)) for p in api_urls.urlpatterns} - {"/api/v1/schema/"}
    documented = set(SchemaGenerator().get_schema(request=None, public=True)["paths"])
    assert sorted(served - documented) == []
    assert len(served) == 12
