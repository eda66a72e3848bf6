"""Producer services: tax codes by type, unique tax code, worker counts, jurisdiction, document vault."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.producers.enums import DocumentKind, ProducerKind
from apps.producers.models import Producer, ProducerDocument
from apps.producers.selectors import producer_missing_or_expired_documents
from apps.producers.services import document_upload, producer_create, producer_update
from tests.factories.producers import PDF_BYTES, DocumentFactory, ProducerFactory, elf_upload, pdf_upload
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


def _fields(tree, **overrides):
    data = {
        "name": "Chả mực Hạ Long",
        "kind": ProducerKind.ENTERPRISE,
        "commune": tree.x,
        "address": "Tổ 5, khu 3",
        "legal_representative": "Trần Văn Mực",
        "phone": "0912345678",
        "tax_code": "5701234567",
        "workers_count": 12,
        "women_workers": 7,
        "ethnic_minority_workers": 2,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("kind", "tax_code", "valid"),
    [
        (ProducerKind.ENTERPRISE, "5701234567", True),
        (ProducerKind.COOPERATIVE, "5701234567-001", True),
        (ProducerKind.HOUSEHOLD, "  5701234567  ", True),
        (ProducerKind.COOPERATIVE_GROUP, "", True),
        (ProducerKind.COOPERATIVE_GROUP, "5701234567", True),
        (ProducerKind.ENTERPRISE, "", False),
        (ProducerKind.COOPERATIVE, None, False),
        (ProducerKind.HOUSEHOLD, "570123456", False),
        (ProducerKind.ENTERPRISE, "57012345678", False),
        (ProducerKind.ENTERPRISE, "5701234567-01", False),
        (ProducerKind.ENTERPRISE, "5701234567001", False),
        (ProducerKind.COOPERATIVE_GROUP, "MST-12345", False),
    ],
)
def test_producer_create_tax_code_by_kind(tree, users, kind, tax_code, valid):
    if valid:
        producer = producer_create(by=users.commune_x, **_fields(tree, kind=kind, tax_code=tax_code))
        assert producer.tax_code == ((tax_code or "").strip() or None)
    else:
        with pytest.raises(ValidationError) as exc:
            producer_create(by=users.commune_x, **_fields(tree, kind=kind, tax_code=tax_code))
        assert list(exc.value.message_dict) == ["tax_code"]
        assert Producer.objects.count() == 0


def test_producer_create_duplicate_tax_code_refused(tree, users):
    producer_create(by=users.commune_x, **_fields(tree))
    with pytest.raises(ValidationError) as exc:
        producer_create(by=users.commune_x, **_fields(tree, name="Công ty khác"))
    assert exc.value.message_dict["tax_code"] == ["Chủ thể khác đã dùng mã số thuế này."]
    assert Producer.objects.count() == 1


def test_producer_tax_code_unique_in_database(tree):
    ProducerFactory(commune=tree.x, tax_code="5709999999")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProducerFactory(commune=tree.y, tax_code="5709999999")


def test_producer_without_tax_code_unless_tht_refused_by_database(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProducerFactory(commune=tree.x, kind=ProducerKind.ENTERPRISE, tax_code=None)


def test_producer_women_more_than_workers_refused(tree, users):
    with pytest.raises(ValidationError) as exc:
        producer_create(
            by=users.commune_x, **_fields(tree, workers_count=3, women_workers=4, ethnic_minority_workers=4)
        )
    assert set(exc.value.message_dict) == {"women_workers", "ethnic_minority_workers"}
    with pytest.raises(IntegrityError), transaction.atomic():
        ProducerFactory(commune=tree.x, workers_count=3, women_workers=4)


@pytest.mark.parametrize("year", [1850, timezone.localdate().year + 1])
def test_producer_founded_year_out_of_range_refused(tree, users, year):
    with pytest.raises(ValidationError) as exc:
        producer_create(by=users.commune_x, **_fields(tree, founded_year=year))
    assert list(exc.value.message_dict) == ["founded_year"]


def test_producer_create_slug_and_search_text_from_folded_name(tree, users):
    first = producer_create(by=users.commune_x, **_fields(tree))
    second = producer_create(by=users.commune_x, **_fields(tree, tax_code="5701234568"))
    assert first.slug == "cha-muc-ha-long"
    assert second.slug == "cha-muc-ha-long-2"
    assert "cha muc ha long" in first.search_text
    assert "tran van muc" in first.search_text


def test_producer_create_records_audit(tree, users):
    producer = producer_create(by=users.commune_x, **_fields(tree))
    event = AuditEvent.objects.get(action="producer.create")
    assert (event.actor, event.object_id, event.unit) == (users.commune_x, str(producer.pk), tree.x)
    assert event.after["tax_code"] == "5701234567"


def test_producer_create_in_other_commune_refused(tree, users):
    with pytest.raises(PermissionDenied):
        producer_create(by=users.commune_x, **_fields(tree, commune=tree.y))
    assert Producer.objects.count() == 0


@pytest.mark.parametrize("who", ["district", "province", "producer", "central"])
def test_producer_create_by_non_commune_roles_refused(tree, users, who):
    with pytest.raises(PermissionDenied):
        producer_create(by=getattr(users, who), **_fields(tree))
    assert Producer.objects.count() == 0


def test_producer_update_by_other_commune_refused_and_unchanged(users, producer_y):
    with pytest.raises(PermissionDenied):
        producer_update(producer=producer_y, by=users.commune_x, name="Đổi tên")
    producer_y.refresh_from_db()
    assert producer_y.name == "HTX Nước mắm Hà Phong"
    assert not AuditEvent.objects.filter(action="producer.update").exists()


def test_producer_update_cannot_move_producer_out_of_commune(tree, users, producer_x):
    with pytest.raises(PermissionDenied):
        producer_update(producer=producer_x, by=users.commune_x, commune=tree.y)
    producer_x.refresh_from_db()
    assert producer_x.commune == tree.x


def test_producer_update_refreshes_search_text_of_producer_and_products(users, producer_x):
    product = ProductFactory(name="Chả mực giã tay", producer=producer_x)
    producer_update(producer=producer_x, by=users.commune_x, name="Công ty Mực Hạ Long")
    producer_x.refresh_from_db()
    product.refresh_from_db()
    assert producer_x.search_text.startswith("cong ty muc ha long")
    assert product.search_text == "cha muc gia tay cong ty muc ha long"
    event = AuditEvent.objects.get(action="producer.update")
    assert event.before == {"name": "Chả mực Hạ Long Hà Khánh"}
    assert event.after == {"name": "Công ty Mực Hạ Long"}


def test_producer_update_links_accounts_with_audit(users, producer_x):
    other = users.producer.__class__.objects.create_user(
        "chuthe2@ocop.example", full_name="Chủ thể 2", role="producer", unit=producer_x.commune
    )
    producer_update(producer=producer_x, by=users.commune_x, accounts=[users.producer, other])
    assert sorted(producer_x.accounts.values_list("email", flat=True)) == [
        "chuthe2@ocop.example",
        "chuthe@ocop.example",
    ]
    event = AuditEvent.objects.get(action="producer.update")
    assert event.before == {"accounts": ["chuthe@ocop.example"]}
    assert event.after == {"accounts": ["chuthe2@ocop.example", "chuthe@ocop.example"]}


def test_producer_update_links_only_producer_accounts(users, producer_x):
    with pytest.raises(ValidationError):
        producer_update(producer=producer_x, by=users.commune_x, accounts=[users.commune_y])
    assert list(producer_x.accounts.all()) == [users.producer]


def _stored_files(stem):
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    return sorted(p.name for p in root.rglob(f"{stem}*")) if root.exists() else []


def test_document_upload_stores_file_in_private_storage(users, producer_x):
    document = document_upload(
        producer=producer_x,
        by=users.commune_x,
        kind=DocumentKind.FOOD_SAFETY,
        file=pdf_upload("attp-hop-le-7c1.pdf"),
        issued_on=datetime.date(2025, 1, 2),
        expires_on=datetime.date(2028, 1, 1),
    )
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.read_bytes().startswith(b"%PDF-")
    assert document.content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="producer.document_upload", object_id=str(document.pk)).count() == 1


def test_document_upload_executable_with_pdf_name_refused(users, producer_x):
    with pytest.raises(ValidationError) as exc:
        document_upload(
            producer=producer_x, by=users.commune_x, kind=DocumentKind.FOOD_SAFETY, file=elf_upload("elf-3f9a.pdf")
        )
    assert exc.value.message_dict["file"] == [
        "Tệp này không phải là tệp PDF, JPEG hoặc PNG thật. Nội dung của tệp không khớp với loại được chấp nhận."
    ]
    assert ProducerDocument.objects.count() == 0
    assert _stored_files("elf-3f9a") == []


def test_document_upload_oversized_refused(settings, users, producer_x):
    settings.OCOP_MAX_UPLOAD_BYTES = 1_048_576
    big = SimpleUploadedFile("lon-8d2.pdf", PDF_BYTES + b"0" * 1_600_000, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        document_upload(producer=producer_x, by=users.commune_x, kind=DocumentKind.TEST_REPORT, file=big)
    assert exc.value.error_dict["file"][0].code == "too_large"
    assert exc.value.message_dict["file"] == ["Tệp quá lớn (1.5 MB); giới hạn là 1.0 MB."]
    assert ProducerDocument.objects.count() == 0
    assert _stored_files("lon-8d2") == []


def test_document_upload_by_linked_producer_user_allowed(users, producer_x):
    document = document_upload(
        producer=producer_x, by=users.producer, kind=DocumentKind.TRADEMARK, file=pdf_upload("nhan-hieu.pdf")
    )
    assert document.uploaded_by == users.producer


@pytest.mark.parametrize("who", ["commune_x", "producer", "district"])
def test_document_upload_to_other_commune_producer_refused(users, producer_y, who):
    with pytest.raises(PermissionDenied):
        document_upload(
            producer=producer_y, by=getattr(users, who), kind=DocumentKind.TRADEMARK, file=pdf_upload("khac.pdf")
        )
    assert ProducerDocument.objects.count() == 0


def test_document_upload_expiry_before_issue_refused(users, producer_x):
    with pytest.raises(ValidationError):
        document_upload(
            producer=producer_x,
            by=users.commune_x,
            kind=DocumentKind.FOOD_SAFETY,
            file=pdf_upload(),
            issued_on=datetime.date(2025, 5, 1),
            expires_on=datetime.date(2025, 4, 1),
        )
    assert ProducerDocument.objects.count() == 0


def test_missing_or_expired_documents(producer_x):
    today = datetime.date(2026, 6, 1)
    DocumentFactory(producer=producer_x, kind=DocumentKind.FOOD_SAFETY, expires_on=datetime.date(2026, 5, 31))
    DocumentFactory(producer=producer_x, kind=DocumentKind.BUSINESS_REGISTRATION, expires_on=None)
    DocumentFactory(producer=producer_x, kind=DocumentKind.QUALITY_DECLARATION, expires_on=today)
    kinds = [
        DocumentKind.BUSINESS_REGISTRATION,
        DocumentKind.FOOD_SAFETY,
        DocumentKind.QUALITY_DECLARATION,
        DocumentKind.TEST_REPORT,
    ]
    missing = producer_missing_or_expired_documents(producer_x, kinds, today=today)
    assert missing == [DocumentKind.FOOD_SAFETY, DocumentKind.TEST_REPORT]
    DocumentFactory(producer=producer_x, kind=DocumentKind.FOOD_SAFETY, expires_on=datetime.date(2029, 1, 1))
    assert producer_missing_or_expired_documents(producer_x, kinds, today=today) == [DocumentKind.TEST_REPORT]
