"""The demo producers and products: counts, all six groups, the demo producer account, idempotence."""

import pytest
from django.db.models import Count

from apps.demo import producers as producers_demo
from apps.demo import products as products_demo
from apps.demo.accounts import seed_accounts, seed_units
from apps.producers.enums import DocumentKind
from apps.producers.models import Producer, ProducerDocument
from apps.producers.selectors import producer_missing_or_expired_documents
from apps.products.models import Product

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_and_idempotent():
    seed_units(full=False)
    seed_accounts()
    producers_demo.seed()
    products_demo.seed()
    producers_demo.seed()
    products_demo.seed()
    assert Producer.objects.count() == 60
    assert Product.objects.count() == 120
    groups = dict(Product.objects.values_list("product_set__group__code").annotate(n=Count("id")))
    assert set(groups) == {"TP", "DU", "DL", "TC", "SV", "DV"}
    provinces = {p.commune.path[:7] for p in Producer.objects.select_related("commune")}
    assert provinces == {"2024/22", "2024/62", "2025/46", "2025/92"}
    dak_koi = Producer.objects.get(name="HTX Nông sản Đắk Kôi")
    assert dak_koi.commune.path == "2024/62/614/23482/"
    assert list(dak_koi.accounts.values_list("email", flat=True)) == ["chuthe.dakkoi@ocop.example"]
    assert Product.objects.get(name="Chả mực Hạ Long").slug == "cha-muc-ha-long"
    assert Producer.objects.filter(commune__path__startswith="2024/62/614/").count() == 5
    # Four valid documents each, plus an expired food-safety certificate for every fifth producer.
    assert ProducerDocument.objects.count() == 60 * 4 + 12
    assert ProducerDocument.objects.filter(expires_on__lt="2025-01-01").count() == 12
    required = [DocumentKind.BUSINESS_REGISTRATION, DocumentKind.FOOD_SAFETY, DocumentKind.QUALITY_DECLARATION]
    assert [p for p in Producer.objects.all() if producer_missing_or_expired_documents(p, required)] == []
