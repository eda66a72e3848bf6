"""Closed rounds (with their entries) and issued certificates are read-only in the admin: no edit, no delete. Rows
with private files open in the admin (the files shown by stored name)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.certificates.services import certificates_create_for_decision
from apps.core.storage import private_storage
from apps.evaluation.enums import RoundState
from apps.evaluation.models import EvaluationRound, RoundEntry
from apps.reports.models import Report
from apps.traceability.models import FakeReport, StampBatch
from tests.factories.certificates import decision_with_products
from tests.factories.producers import PDF_BYTES
from tests.factories.products import ProductFactory
from tests.factories.reports import ReportFactory

pytestmark = pytest.mark.django_db


def _close(round):
    EvaluationRound.objects.filter(pk=round.pk).update(state=RoundState.CLOSED)


def test_an_open_round_entry_can_be_edited_in_the_admin(client, users, council):
    client.force_login(users.admin)
    response = client.get(reverse("admin:evaluation_roundentry_change", args=[council.entry.pk]))
    assert b'name="_save"' in response.content


@pytest.mark.parametrize("model", ["roundentry", "evaluationround"])
def test_a_closed_round_and_its_entries_are_read_only_in_the_admin(client, users, council, model):
    _close(council.round)
    pk = council.entry.pk if model == "roundentry" else council.round.pk
    client.force_login(users.admin)
    change = reverse(f"admin:evaluation_{model}_change", args=[pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change, {"total": "99"}).status_code == 403
    assert client.post(reverse(f"admin:evaluation_{model}_delete", args=[pk]), {"post": "yes"}).status_code == 403
    assert RoundEntry.objects.filter(pk=council.entry.pk).exists()
    council.entry.refresh_from_db()
    assert council.entry.total != 99


def test_an_issued_certificate_is_read_only_in_the_admin(client, users, tree):
    decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=1)
    (certificate,) = certificates_create_for_decision(decision=decision)
    client.force_login(users.admin)
    change = reverse("admin:certificates_certificate_change", args=[certificate.pk])
    assert b'name="_save"' not in client.get(change).content
    assert client.post(change, {"stars": "5"}).status_code == 403
    delete = reverse("admin:certificates_certificate_delete", args=[certificate.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.pk


def _with_private_files(kind, tree, users):
    """A row of ``kind`` whose private file fields hold a stored file (as once rendered or uploaded)."""
    name = private_storage.save("matrix/admin-file.pdf", ContentFile(PDF_BYTES))
    product = ProductFactory(commune=tree.x)
    if kind == "report":
        report = ReportFactory(unit=tree.p)
        Report.objects.filter(pk=report.pk).update(pdf=name, xlsx=name)
        return report, name
    if kind == "stampbatch":
        batch = StampBatch.objects.create(product=product, quantity=10, requested_by=users.admin)
        StampBatch.objects.filter(pk=batch.pk).update(sheet_pdf=name, roll_pdf=name, codes_csv=name)
        return batch, name
    report = FakeReport.objects.create(product=product, photo=name, photo_content_type="application/pdf")
    return report, name


@pytest.mark.parametrize(
    "kind, app", [("report", "reports"), ("stampbatch", "traceability"), ("fakereport", "traceability")]
)
def test_the_admin_shows_a_rows_private_files_by_stored_name(client, users, tree, kind, app):
    # Private files have no URL: the admin's file widget or read-only link raised a 500 on these pages.
    obj, name = _with_private_files(kind, tree, users)
    client.force_login(users.admin)
    page = client.get(reverse(f"admin:{app}_{kind}_change", args=[obj.pk]))
    assert page.status_code == 200
    assert name in page.content.decode()
