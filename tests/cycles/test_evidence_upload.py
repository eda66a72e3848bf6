"""Uploading dossier evidence: locked against a submission happening at the same time; no file left on failure."""

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, connection, transaction

from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application, EvidenceFile
from apps.cycles.services import evidence_upload
from tests.factories.producers import PDF_BYTES


def _pdf():
    return SimpleUploadedFile("phieu-kiem-nghiem.pdf", PDF_BYTES, content_type="application/pdf")


def _stored_evidence_files():
    return sorted(p.name for p in (Path(settings.PRIVATE_STORAGE_ROOT) / "evidence").glob("*/*") if p.is_file())


@pytest.mark.django_db(transaction=True)
def test_upload_waits_for_a_submission_in_progress_and_is_then_refused(make_application, users):
    application = make_application(S.IMPLEMENTING)
    locked, release = threading.Event(), threading.Event()

    def submit_meanwhile():
        # Another officer's request: it holds the application's row while it submits the dossier.
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=application.pk)
                locked.set()
                release.wait(5)
                Application.objects.filter(pk=application.pk).update(state=S.DOSSIER_SUBMITTED)
        finally:
            connection.close()

    submitter = threading.Thread(target=submit_meanwhile)
    submitter.start()
    assert locked.wait(5)
    threading.Timer(0.5, release.set).start()  # the upload below has to wait for this commit
    files_before = _stored_evidence_files()
    with pytest.raises(ValidationError) as exc:
        evidence_upload(application=application, title="Phiếu kiểm nghiệm", uploaded=_pdf(), by=users.commune_x)
    submitter.join(5)
    assert exc.value.code == "locked"
    assert EvidenceFile.objects.count() == 0
    assert _stored_evidence_files() == files_before


@pytest.mark.django_db
def test_upload_failing_after_the_file_is_stored_leaves_no_file(make_application, users):
    application = make_application(S.IMPLEMENTING)
    files_before = _stored_evidence_files()
    with pytest.raises(DataError):  # PostgreSQL refuses the row (title over 255 characters) after the file is stored
        evidence_upload(application=application, title="T" * 300, uploaded=_pdf(), by=users.commune_x)
    assert _stored_evidence_files() == files_before
