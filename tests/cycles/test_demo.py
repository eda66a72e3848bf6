"""The demo seed: cycles of the seed provinces, applications over every state with a legal history, plans."""

import pytest

from apps.accounts.enums import Role
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application, ApplicationTransition, Cycle, Plan
from apps.cycles.services import TRANSITIONS
from apps.demo import cycles as demo
from tests.factories import UserFactory
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


def test_seed_covers_every_state_with_legal_history_and_is_idempotent(tree, users):
    for i in range(12):
        ProductFactory(commune=tree.x if i % 2 else tree.y)
    ProductFactory(commune=tree.z)

    demo.seed()
    counts = (Cycle.objects.count(), Application.objects.count(), ApplicationTransition.objects.count())
    demo.seed()

    assert (Cycle.objects.count(), Application.objects.count(), ApplicationTransition.objects.count()) == counts
    assert set(Cycle.objects.values_list("unit__code", "rule_set")) == {("22", "qd148-2023"), ("62", "qd148-2023")}
    # The councils' outcomes (and withdrawals) come from the evaluation demo, not from this one.
    outcomes = {to for (_frm, to), tiers in TRANSITIONS.items() if tiers == {"council"}} | {S.WITHDRAWN}
    assert set(Application.objects.values_list("state", flat=True)) == set(S.values) - outcomes
    for application in Application.objects.prefetch_related("transitions"):
        state = S.IDEA_REGISTERED
        for row in application.transitions.all():
            assert row.from_state == state
            legal = (state, row.to_state) in TRANSITIONS
            assert legal, (state, row.to_state)
            if row.to_state == S.RETURNED:
                assert row.reason
            state = row.to_state
        assert state == application.state
    accepted = ApplicationTransition.objects.filter(to_state=S.IDEA_ACCEPTED).select_related("by")
    assert {row.by for row in accepted} == {users.district}
    submitted = ApplicationTransition.objects.filter(to_state=S.PLAN_SUBMITTED).select_related("by")
    assert {row.by for row in submitted} == {users.commune_x, users.commune_y}
    assert Plan.objects.filter(year=2025).count() == 2


def test_seed_without_admin_does_nothing(tree):
    UserFactory(role=Role.COMMUNE_OFFICER, unit=tree.x)
    demo.seed()
    assert Cycle.objects.count() == 0
