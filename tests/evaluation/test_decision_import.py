"""Loading a recognition decision issued before the portal: its items, its audit row and its certificates; every
refusal changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate
from apps.core.enums import RuleSet
from apps.evaluation.models import RecognitionDecision, RecognitionItem
from apps.evaluation.services import ImportedRecognition, decision_import
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2024, 5, 6)


def _load(tree, by, recognitions, **kw):
    fields = {
        "number": "712/QĐ-UBND-2024",
        "date": ON,
        "issuing_unit": tree.p,
        "issuer_name": "Ủy ban nhân dân Tỉnh Quảng Ninh",
        "signer_title": "KT. Chủ tịch — Phó Chủ tịch",
        "signer_name": "Lê Thị Hạnh",
        "rule_set": RuleSet.QD148_2023,
        "recognitions": recognitions,
        "by": by,
    }
    return decision_import(**{**fields, **kw})


def _nothing_loaded():
    return (
        RecognitionDecision.objects.count(),
        RecognitionItem.objects.count(),
        Certificate.objects.count(),
        AuditEvent.objects.filter(action="evaluation.decision_imported").count(),
    ) == (0, 0, 0, 0)


def test_a_decision_from_before_the_portal_is_loaded_with_its_certificates(tree, users):
    tea, honey = ProductFactory(commune=tree.x, tea=True), ProductFactory(commune=tree.y, tea=True)
    decision = _load(
        tree,
        users.admin,
        [ImportedRecognition(tea, 3, Decimal("62.5")), ImportedRecognition(honey, 4, Decimal("78"))],
    )
    assert (decision.round, decision.date, decision.created_by) == (None, ON, users.admin)
    items = decision.items.order_by("pk")
    assert [(i.product, i.stars, i.total_score, i.application) for i in items] == [
        (tea, 3, Decimal("62.50"), None),
        (honey, 4, Decimal("78.00"), None),
    ]
    certificates = Certificate.objects.order_by("serial")
    assert [(c.product, c.stars, c.serial, c.valid_from) for c in certificates] == [
        (tea, 3, "OCOP-22-2024-00001", ON),
        (honey, 4, "OCOP-22-2024-00002", ON),
    ]
    audit = AuditEvent.objects.get(action="evaluation.decision_imported", object_id=str(decision.pk))
    assert (audit.actor, audit.after["number"]) == (users.admin, "712/QĐ-UBND-2024")


@pytest.mark.parametrize("who", ["province", "district", "commune_x"])
def test_only_a_system_administrator_loads_an_earlier_decision(tree, users, who):
    product = ProductFactory(commune=tree.x, tea=True)
    with pytest.raises(PermissionDenied) as exc:
        _load(tree, getattr(users, who), [ImportedRecognition(product, 3, Decimal(60))])
    assert "Chỉ quản trị hệ thống" in str(exc.value)
    assert _nothing_loaded()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("future", "Không thể ghi ngày quyết định ở tương lai."),
        ("empty", "Quyết định phải có ít nhất một sản phẩm."),
        ("twice", "Một sản phẩm được ghi hai lần trong quyết định này."),
        ("elsewhere", "không thuộc Tỉnh Quảng Ninh"),
        ("two-stars", "không đạt 2★"),
        ("total-too-low", "tổng điểm 69,00 không đạt 4★"),
    ],
)
def test_an_earlier_decision_that_breaks_a_rule_is_refused(tree, users, case, message):
    product = ProductFactory(commune=tree.x, tea=True)
    recognitions = {
        "future": [ImportedRecognition(product, 3, Decimal(60))],
        "empty": [],
        "twice": [ImportedRecognition(product, 3, Decimal(60)), ImportedRecognition(product, 3, Decimal(61))],
        "elsewhere": [ImportedRecognition(ProductFactory(commune=tree.z, tea=True), 3, Decimal(60))],
        "two-stars": [ImportedRecognition(product, 2, Decimal(40))],
        "total-too-low": [ImportedRecognition(product, 4, Decimal(69))],
    }[case]
    date = timezone.localdate() + datetime.timedelta(days=1) if case == "future" else ON
    with pytest.raises(ValidationError) as exc:
        _load(tree, users.admin, recognitions, date=date)
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert _nothing_loaded()
