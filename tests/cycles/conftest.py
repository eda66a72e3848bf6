"""Fixtures of the cycles tests: a cycle per rule set and applications of commune X."""

import pytest

from apps.core.enums import RuleSet
from tests.factories.cycles import ApplicationFactory, CycleFactory, complete_vault
from tests.factories.products import ProductFactory


@pytest.fixture
def cycle(tree):
    """Province 22's cycle under qd148-2023 (district officers approve)."""
    return CycleFactory(unit=tree.p, rule_set=RuleSet.QD148_2023)


@pytest.fixture
def cycle_1489(tree):
    """Province 22's 2026 cycle under qd1489-2025 (province officers approve)."""
    return CycleFactory(unit=tree.p, year=2026, rule_set=RuleSet.QD1489_2025)


@pytest.fixture
def product_x(tree):
    product = ProductFactory(commune=tree.x, name="Chả mực Hạ Long")
    complete_vault(product.producer)
    return product


@pytest.fixture
def make_application(cycle, product_x, users):
    def make(state="idea_registered", *, product=None, cycle_=None, **kw):
        return ApplicationFactory(
            cycle=cycle_ or cycle, product=product or product_x, state=state, created_by=users.commune_x, **kw
        )

    return make
