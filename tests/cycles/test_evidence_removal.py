"""Removing dossier evidence files: only the product's commune officer, only while the dossier is editable."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application, EvidenceFile
from apps.cycles.services import DOSSIER_EDITABLE_STATES, evidence_remove, evidence_upload
from tests.factories.producers import PDF_BYTES

pytestmark = pytest.mark.django_db

LOCKED_STATES = [s for s in S.values if s not in DOSSIER_EDITABLE_STATES]
OUTCOME_STATES = [S.WITHDRAWN, S.FORWARDED_PROVINCE, S.FORWARDED_CENTRAL, S.NOT_PROPOSED, S.RECOGNISED,
                  S.NOT_RECOGNISED]  # fmt: skip


def _pdf(name="phieu-kiem-nghiem.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def application(make_application):
    return make_application(S.IMPLEMENTING)


@pytest.fixture
def evidence(application, users):
    return evidence_upload(application=application, title="Phiếu kiểm nghiệm", uploaded=_pdf(), by=users.commune_x)


def _lock(application, state):
    returned_from = S.DOSSIER_CHECKED if state == S.RETURNED else ""
    Application.objects.filter(pk=application.pk).update(state=state, returned_from=returned_from)


def test_locked_states_are_the_states_after_submission():
    assert sorted(LOCKED_STATES) == sorted(
        [S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION, S.IDEA_REJECTED, *OUTCOME_STATES]
    )


@pytest.mark.parametrize("state", DOSSIER_EDITABLE_STATES)
def test_evidence_remove_view_removes_row_then_file_after_commit_and_audits(
    client, users, application, evidence, state, django_capture_on_commit_callbacks
):
    _lock(application, state)
    path, pk = evidence.file.path, evidence.pk
    client.force_login(users.commune_x)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("cycles:evidence_remove", args=[pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cycles:application_detail", args=[application.pk])
    assert not EvidenceFile.objects.filter(pk=pk).exists()
    assert os.path.exists(path)  # not before the commit
    for callback in callbacks:
        callback()
    assert not os.path.exists(path)
    event = AuditEvent.objects.get(action="evidence.remove")
    assert (event.actor, event.object_id, event.unit) == (users.commune_x, str(pk), application.product.commune)
    assert event.before == {"title": "Phiếu kiểm nghiệm", "type": "application/pdf", "file": evidence.file.name}


@pytest.mark.parametrize("who", ["commune_y", "district", "province", "central", "admin", "producer"])
def test_evidence_remove_view_by_others_forbidden_and_unchanged(client, users, evidence, who):
    client.force_login(getattr(users, who))
    response = client.post(reverse("cycles:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 403
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert os.path.exists(evidence.file.path)
    assert not AuditEvent.objects.filter(action="evidence.remove").exists()


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_evidence_remove_view_refused_once_submitted_and_nothing_changes(
    client, users, application, evidence, state, django_capture_on_commit_callbacks
):
    _lock(application, state)
    client.force_login(users.commune_x)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("cycles:evidence_remove", args=[evidence.pk]), follow=True)
    assert response.redirect_chain == [(reverse("cycles:application_detail", args=[application.pk]), 302)]
    label = str(S(state).label)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        f"Không thể gỡ tệp minh chứng này nữa: hồ sơ đang ở trạng thái “{label}” và không thể sửa được nữa. "
        "Không có gì bị thay đổi."
    ]
    assert callbacks == []
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert os.path.exists(evidence.file.path)
    assert not AuditEvent.objects.filter(action="evidence.remove").exists()


def test_evidence_remove_service_refuses_locked_state(users, application, evidence):
    _lock(application, S.DOSSIER_SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        evidence_remove(evidence=evidence, by=users.commune_x)
    assert exc.value.code == "locked"
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_evidence_remove_view_get_asks_for_confirmation_and_removes_nothing(client, users, evidence):
    client.force_login(users.commune_x)
    response = client.get(reverse("cycles:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 200
    assert "Đồng ý, gỡ tệp" in response.content.decode()
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_evidence_remove_view_get_in_locked_state_goes_back_without_a_form(client, users, application, evidence):
    _lock(application, S.SENT_FOR_EVALUATION)
    client.force_login(users.commune_x)
    response = client.get(reverse("cycles:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cycles:application_detail", args=[application.pk])
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_application_page_offers_removal_only_while_editable(client, users, application, evidence):
    client.force_login(users.commune_x)
    url = reverse("cycles:application_detail", args=[application.pk])
    remove_url = reverse("cycles:evidence_remove", args=[evidence.pk])
    assert remove_url in client.get(url).content.decode()
    _lock(application, S.DOSSIER_CHECKED)
    assert remove_url not in client.get(url).content.decode()


def test_application_page_queries_do_not_grow_with_evidence_files(client, users, application, evidence):
    client.force_login(users.commune_x)
    url = reverse("cycles:application_detail", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(4):
        evidence_upload(application=application, title=f"Minh chứng {i}", uploaded=_pdf(), by=users.commune_x)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("/xoa/") == 5
    assert len(many) == len(one)
