"""Fixtures of the councils: a district round of Hạ Long (qd148-2023) with three members and one product."""

import pytest

from apps.evaluation import services
from apps.evaluation.enums import Tier
from tests.factories.evaluation import make_application, make_cycle, make_round


@pytest.fixture
def council(tree, users):
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    entry = services.entry_add(round=round, application=application, by=users.district)
    chair, secretary, member = members
    return type(
        "Council",
        (),
        {"cycle": cycle, "round": round, "entry": entry, "chair": chair, "secretary": secretary, "member": member},
    )
