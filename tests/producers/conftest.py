"""Fixtures of the registry tests: a producer in commune X (with a linked producer account) and one in Y."""

import pytest

from apps.producers.enums import ProducerKind
from tests.factories.producers import ProducerFactory


@pytest.fixture
def producer_x(tree, users):
    producer = ProducerFactory(
        name="Chả mực Hạ Long Hà Khánh", kind=ProducerKind.ENTERPRISE, commune=tree.x, tax_code="5700100001"
    )
    producer.accounts.add(users.producer)
    return producer


@pytest.fixture
def producer_y(tree):
    return ProducerFactory(name="HTX Nước mắm Hà Phong", commune=tree.y, tax_code="5700100002")
