"""The registry forms offer exactly the fields their services accept: one list each, in the service."""

from apps.producers.forms import ProducerForm
from apps.producers.services import PRODUCER_FIELDS
from apps.products.forms import ProductForm
from apps.products.services import PRODUCT_FIELDS


def test_producer_form_edits_the_fields_producer_update_accepts():
    assert tuple(ProducerForm._meta.fields) == PRODUCER_FIELDS
    assert set(ProducerForm.base_fields) == {*PRODUCER_FIELDS, "accounts"}


def test_product_form_edits_the_fields_product_update_accepts():
    assert tuple(ProductForm._meta.fields) == PRODUCT_FIELDS
    assert set(ProductForm.base_fields) == set(PRODUCT_FIELDS)
