"""Removing and replacing vault documents: jurisdiction, submitted dossiers that rely on them, file after commit."""

import datetime
import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.producers.enums import DocumentKind
from apps.producers.models import ProducerDocument
from apps.producers.services import document_remove
from tests.factories.cycles import ApplicationFactory, CycleFactory
from tests.factories.producers import DocumentFactory, pdf_upload
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(producer_x):
    return DocumentFactory(producer=producer_x, kind=DocumentKind.FOOD_SAFETY, title="Sai số giấy phép")


def _application(producer, users, tree, state, returned_from=""):
    """An application of a food product (it needs the food-safety certificate) of ``producer`` in ``state``."""
    cycle = CycleFactory(unit=tree.p, rule_set=RuleSet.QD148_2023)
    product = ProductFactory(producer=producer)
    return ApplicationFactory(
        cycle=cycle, product=product, state=state, returned_from=returned_from, created_by=users.commune_x
    )


def test_document_remove_view_removes_row_then_file_after_commit_and_audits(
    client, users, document, django_capture_on_commit_callbacks
):
    path, pk = document.file.path, document.pk
    client.force_login(users.commune_x)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("producers:document_remove", args=[pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("producers:producer_detail", args=[document.producer_id])
    assert not ProducerDocument.objects.filter(pk=pk).exists()
    assert os.path.exists(path)  # not before the commit
    for callback in callbacks:
        callback()
    assert not os.path.exists(path)
    event = AuditEvent.objects.get(action="producer.document_remove")
    assert event.actor == users.commune_x
    assert event.object_id == str(pk)
    assert event.unit == document.producer.commune
    assert event.before["kind"] == DocumentKind.FOOD_SAFETY
    assert event.before["file"] == document.file.name


def test_document_remove_rolled_back_keeps_row_and_file(users, document, django_capture_on_commit_callbacks):
    path = document.file.path
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                document_remove(document=document, by=users.commune_x)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert ProducerDocument.objects.filter(pk=document.pk).exists()
    assert os.path.exists(path)


@pytest.mark.parametrize("who", ["commune_y", "producer", "district"])
def test_document_remove_view_by_others_forbidden_and_unchanged(client, users, document, who):
    client.force_login(getattr(users, who))
    response = client.post(reverse("producers:document_remove", args=[document.pk]))
    assert response.status_code == 403
    assert ProducerDocument.objects.filter(pk=document.pk).exists()
    assert os.path.exists(document.file.path)
    assert not AuditEvent.objects.filter(action="producer.document_remove").exists()


def test_document_remove_view_get_asks_for_confirmation_and_removes_nothing(client, users, document):
    client.force_login(users.commune_x)
    response = client.get(reverse("producers:document_remove", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đồng ý, gỡ tài liệu" in html
    assert 'method="post"' in html
    assert ProducerDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize(
    ("state", "returned_from"),
    [
        (S.DOSSIER_SUBMITTED, ""),
        (S.DOSSIER_CHECKED, ""),
        (S.SENT_FOR_EVALUATION, ""),
        (S.RETURNED, S.DOSSIER_CHECKED),
    ],
)
def test_document_remove_refused_while_a_submitted_dossier_relies_on_it(
    client, users, tree, producer_x, document, state, returned_from
):
    _application(producer_x, users, tree, state, returned_from)
    client.force_login(users.commune_x)
    response = client.post(reverse("producers:document_remove", args=[document.pk]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Không thể gỡ Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm này: một hồ sơ của chủ thể đã nộp để "
        "đánh giá đang dựa vào tài liệu này." in html
    )
    assert ProducerDocument.objects.filter(pk=document.pk).exists()
    assert os.path.exists(document.file.path)
    assert not AuditEvent.objects.filter(action="producer.document_remove").exists()


def test_document_remove_allowed_when_a_valid_replacement_remains(users, tree, producer_x, document):
    _application(producer_x, users, tree, S.SENT_FOR_EVALUATION)
    DocumentFactory(producer=producer_x, kind=DocumentKind.FOOD_SAFETY, expires_on=datetime.date(2099, 1, 1))
    document_remove(document=document, by=users.commune_x)
    assert list(producer_x.documents.values_list("kind", flat=True)) == [DocumentKind.FOOD_SAFETY]
    assert not ProducerDocument.objects.filter(pk=document.pk).exists()


def test_document_remove_refused_when_only_an_expired_one_remains(users, tree, producer_x, document):
    _application(producer_x, users, tree, S.DOSSIER_SUBMITTED)
    DocumentFactory(producer=producer_x, kind=DocumentKind.FOOD_SAFETY, expires_on=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as exc:
        document_remove(document=document, by=users.commune_x)
    assert exc.value.code == "relied_on"
    assert ProducerDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("state", [S.IMPLEMENTING, S.IDEA_ACCEPTED, S.IDEA_REJECTED])
def test_document_remove_allowed_while_no_dossier_is_submitted(users, tree, producer_x, document, state):
    _application(producer_x, users, tree, state)
    document_remove(document=document, by=users.commune_x)
    assert not ProducerDocument.objects.filter(pk=document.pk).exists()


def test_document_remove_of_a_kind_no_submitted_dossier_needs_is_allowed(users, tree, producer_x):
    _application(producer_x, users, tree, S.DOSSIER_SUBMITTED)
    trademark = DocumentFactory(producer=producer_x, kind=DocumentKind.TRADEMARK)
    document_remove(document=trademark, by=users.commune_x)
    assert not ProducerDocument.objects.filter(pk=trademark.pk).exists()


def test_document_replace_view_swaps_the_file_even_when_a_submitted_dossier_relies_on_it(
    client, users, tree, producer_x, document, django_capture_on_commit_callbacks
):
    _application(producer_x, users, tree, S.DOSSIER_CHECKED)
    old_path = document.file.path
    client.force_login(users.commune_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("producers:document_replace", args=[document.pk]),
            {"title": "Số 12/2025/ATTP", "file": pdf_upload("dung.pdf"), "issued_on": "2025-01-02"},
        )
    assert response.status_code == 302
    new = producer_x.documents.get()
    assert (new.kind, new.title, new.issued_on) == (
        DocumentKind.FOOD_SAFETY,
        "Số 12/2025/ATTP",
        datetime.date(2025, 1, 2),
    )
    assert new.pk != document.pk
    assert os.path.exists(new.file.path)
    assert not os.path.exists(old_path)
    actions = list(
        AuditEvent.objects.exclude(action__startswith="auth.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["producer.document_upload", "producer.document_remove"]
    assert AuditEvent.objects.get(action="producer.document_remove").after == {"replaced_by": new.pk}


def test_document_replace_with_an_expired_file_refused_while_relied_on(client, users, tree, producer_x, document):
    _application(producer_x, users, tree, S.DOSSIER_SUBMITTED)
    client.force_login(users.commune_x)
    response = client.post(
        reverse("producers:document_replace", args=[document.pk]),
        {"file": pdf_upload("het-han.pdf"), "issued_on": "2019-01-01", "expires_on": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "Hãy tải lên bản thay thế còn hiệu lực trước" in response.content.decode()
    assert list(ProducerDocument.objects.values_list("pk", flat=True)) == [document.pk]
    assert not AuditEvent.objects.exclude(action__startswith="auth.").exists()


def test_document_replace_view_other_commune_forbidden_and_unchanged(client, users, document):
    client.force_login(users.commune_y)
    response = client.post(reverse("producers:document_replace", args=[document.pk]), {"file": pdf_upload("khac.pdf")})
    assert response.status_code == 403
    assert list(ProducerDocument.objects.values_list("pk", flat=True)) == [document.pk]


def test_producer_detail_shows_remove_buttons_only_to_editors(client, users, document):
    client.force_login(users.commune_x)
    html = client.get(reverse("producers:producer_detail", args=[document.producer_id])).content.decode()
    assert reverse("producers:document_remove", args=[document.pk]) in html
    client.force_login(users.producer)
    html = client.get(reverse("producers:producer_detail", args=[document.producer_id])).content.decode()
    assert reverse("producers:document_remove", args=[document.pk]) not in html


def test_producer_detail_queries_do_not_grow_with_documents(client, users, producer_x):
    DocumentFactory(producer=producer_x)
    client.force_login(users.commune_x)
    url = reverse("producers:producer_detail", args=[producer_x.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for kind in DocumentKind.values:
        DocumentFactory(producer=producer_x, kind=kind)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("/xoa/") == len(DocumentKind.values) + 1
    assert len(many) == len(one)
