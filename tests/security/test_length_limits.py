"""Every text field a user can fill in has a length limit, in the model (a validator, so services' full_clean()
refuses too) and in the form (issue 11: a 5 MB story went public)."""

import importlib
import inspect
import pkgutil

import pghistory.models
import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

import apps as project_apps

# Text written by the system, never by a user: error traces, mail bodies, search keys, rule-set texts loaded by
# migrations, and the audit trail's copy of a reason already limited where it was entered.
SYSTEM_TEXT = {
    "audit.AuditEvent.reason",
    "catalog.CatalogEntry.search_text",
    "certificates.Certificate.render_error",
    "certificates.DecisionDocument.render_error",
    "core.OutgoingMail.body",
    "core.OutboxMessage.last_error",
    "evaluation.EvaluationRound.minutes_error",
    "evaluation.Criterion.text",
    "evaluation.Option.text",
    "producers.BulkRehoming.error",
    "reports.Report.render_error",
    "traceability.StampBatch.error",
}


def _project_text_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("apps.") or issubclass(model, pghistory.models.Event):
            continue  # Django's and libraries' models, and the row-history copies of our own
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField) and field.editable:
                yield f"{model._meta.app_label}.{model.__name__}.{field.name}", field


TEXT_FIELDS = dict(_project_text_fields())
USER_TEXT = sorted(name for name in TEXT_FIELDS if name not in SYSTEM_TEXT)


def test_the_system_text_list_names_only_real_fields():
    assert sorted(SYSTEM_TEXT - set(TEXT_FIELDS)) == []


@pytest.mark.parametrize("name", USER_TEXT)
def test_every_user_text_field_has_a_length_limit_in_the_model(name):
    field = TEXT_FIELDS[name]
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    assert field.max_length is not None and limits == [field.max_length], name
    with pytest.raises(ValidationError) as refused:
        field.run_validators("a" * (field.max_length + 1))
    assert refused.value.messages == [
        f"Giá trị này chỉ có tối đa {field.max_length} kí tự (hiện có {field.max_length + 1})"
    ]
    field.run_validators("a" * field.max_length)  # the limit itself is accepted


def _project_forms():
    for module_info in pkgutil.walk_packages(project_apps.__path__, "apps."):
        if not module_info.name.rsplit(".", 1)[-1].startswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield form


def test_every_text_input_of_every_form_has_a_length_limit():
    unlimited = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if type(field) is forms.CharField and field.max_length is None
    ]
    assert unlimited == []
