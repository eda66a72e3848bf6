"""The demo seed: cycles of the seed provinces, applications over every state with a legal history, plans."""

import datetime

import pytest
from django.utils import timezone

from apps.accounts.enums import Role
from apps.cycles.enums import ApplicationState as S
from apps.cycles.enums import CycleStep
from apps.cycles.models import Application, ApplicationTransition, Cycle, Plan
from apps.cycles.services import TRANSITIONS
from apps.demo import cycles as demo
from tests.demo_trail import untraced
from tests.factories import UserFactory
from tests.factories.cycles import complete_vault
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


def test_seed_covers_every_state_with_legal_history_and_is_idempotent(tree, users):
    # The dossiers are submitted through the service, which needs the producers' vault documents.
    for i in range(12):
        complete_vault(ProductFactory(commune=tree.x if i % 2 else tree.y).producer)
    complete_vault(ProductFactory(commune=tree.z).producer)

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
    # Quảng Ninh's moves are made by its officers; Kon Tum's commune and district have none, so the demo creates
    # one officer for each (without a password) to make them through the services.
    accepted = ApplicationTransition.objects.filter(to_state=S.IDEA_ACCEPTED).select_related("by")
    assert {row.by for row in accepted if row.application.product.commune != tree.z} == {users.district}
    submitted = ApplicationTransition.objects.filter(to_state=S.PLAN_SUBMITTED).select_related("by")
    assert {row.by for row in submitted if row.application.product.commune != tree.z} == {
        users.commune_x,
        users.commune_y,
    }
    kon_tum = {
        (row.by.role, row.by.unit) for row in ApplicationTransition.objects.filter(application__product__commune=tree.z)
    }
    assert kon_tum <= {(Role.COMMUNE_OFFICER, tree.z), (Role.DISTRICT_OFFICER, tree.dq)}
    assert not any(
        row.by.has_usable_password()
        for row in ApplicationTransition.objects.filter(application__product__commune=tree.z)
    )
    assert Plan.objects.filter(year=2025).count() == 2
    # Every state was reached through the cycles services (their audit rows), none written directly.
    assert untraced() == []
    # And the trail tells: a timestamp set afterwards, a state written directly.
    first, second = Application.objects.filter(transitions__isnull=False).distinct().order_by("pk")[:2]
    move = first.transitions.order_by("pk").first()
    ApplicationTransition.objects.filter(pk=move.pk).update(at=move.at - datetime.timedelta(days=1))
    Application.objects.filter(pk=second.pk).update(state=S.WITHDRAWN)
    assert sorted(problem.split(" ")[1] for problem in untraced()) == sorted([f"{first.pk}:", str(second.pk)])


def test_seed_without_admin_does_nothing(tree):
    UserFactory(role=Role.COMMUNE_OFFICER, unit=tree.x)
    demo.seed()
    assert Cycle.objects.count() == 0


def test_a_replay_in_this_years_cycle_keeps_inside_its_closer_windows(tree, users):
    """This year's cycle has windows ten days apart around today: the replayed moves are scaled into them, in order,
    none in the future (the reports demo replays its 2026 applications there)."""
    demo.seed()
    cycle = Cycle.objects.get(unit=tree.p, year=timezone.localdate().year)
    product = ProductFactory(commune=tree.x)
    complete_vault(product.producer)
    application = demo.replay_application(cycle=cycle, product=product, target=S.SENT_FOR_EVALUATION, index=14)
    assert application.state == S.SENT_FOR_EVALUATION
    application.refresh_from_db()
    moments = [application.created_at, *application.transitions.order_by("pk").values_list("at", flat=True)]
    assert moments == sorted(moments)
    assert moments[-1] < timezone.now()
    windows = dict(cycle.steps.values_list("step", "starts_on"))
    assert timezone.localdate(moments[0]) >= windows[CycleStep.IDEAS]
    assert timezone.localdate(moments[-1]) >= windows[CycleStep.EVALUATION]
    assert untraced() == []
