"""Truth tables of the cycles permissions, and the proof that the list selectors agree with them.

``applications_visible_to`` and ``plans_visible_to`` filter with the query forms of ``cycles.view_application`` and
``cycles.view_plan``; for every role variant and every application state the two answers must be the same.
"""

import pytest
import rules

from apps.accounts.models import User
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState
from apps.cycles.enums import Tier as ActingTier
from apps.cycles.models import Plan
from apps.cycles.rules import (
    is_approving_officer_of,
    is_commune_officer_of,
    is_cycle_organiser,
    may_open_cycle_for,
    q_approving_officers_of,
    q_commune_officers_of,
    user_tiers,
)
from apps.cycles.selectors import applications_visible_to, next_actors, plans_visible_to
from apps.demo.sheets import load_sample_sheets
from apps.evaluation.enums import RoundState, Tier
from apps.evaluation.models import ConflictDeclaration, EvaluationRound, RoundEntry, SheetTemplate
from tests.cast import ROLES, build_cast, seat, table
from tests.factories.cycles import ApplicationFactory, CycleFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    """One application per state in commune X (on an open district round), one in commune Z, plans of p and q."""
    cast = build_cast(tree)
    load_sample_sheets()
    cycle = CycleFactory(unit=tree.p)
    producer = ProducerFactory(commune=tree.x)
    producer.accounts.add(cast["producer_own"])
    apps = {}
    for state in ApplicationState.values:
        extra = {"returned_from": ApplicationState.DOSSIER_SUBMITTED} if state == ApplicationState.RETURNED else {}
        if state == ApplicationState.RECOGNISED:
            extra["stars"] = 3
        product = ProductFactory(commune=tree.x, producer=producer)
        apps[state] = ApplicationFactory(
            cycle=cycle, product=product, state=state, created_by=cast["commune_same"], **extra
        )
    other_cycle = CycleFactory(unit=tree.q)
    apps["other_commune"] = ApplicationFactory(
        cycle=other_cycle, product=ProductFactory(commune=tree.z), created_by=cast["commune_same"]
    )
    template = SheetTemplate.objects.order_by("pk").first()
    open_round = EvaluationRound.objects.create(
        cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, name="Đợt mở", created_by=cast["district_same"]
    )
    closed_round = EvaluationRound.objects.create(
        cycle=cycle,
        tier=Tier.DISTRICT,
        unit=tree.d,
        name="Đợt đã đóng",
        state=RoundState.CLOSED,
        created_by=cast["district_same"],
    )
    member = seat(open_round, cast["council_seated"])
    seat(closed_round, cast["council_unseated"])
    for application in apps.values():
        RoundEntry.objects.create(round=open_round, application=application, template=template)
    conflicted = RoundEntry.objects.get(round=open_round, application=apps[ApplicationState.RETURNED])
    ConflictDeclaration.objects.create(entry=conflicted, member=member, reason="Họ hàng của chủ thể")
    RoundEntry.objects.create(round=closed_round, application=apps[ApplicationState.IDEA_REGISTERED], template=template)
    plans = {"p": Plan.objects.create(unit=tree.p, year=2025), "q": Plan.objects.create(unit=tree.q, year=2025)}
    return type("World", (), {"cast": cast, "apps": apps, "plans": plans, "tree": tree})


# Roles in the order of tests.cast.ROLES: anonymous, producer own/other, commune same/other, district same/other,
# council seated/unseated, province same/other, central, admin.
VIEW_APPLICATION_X = table(".Y.Y.Y.Y.Y.YY")
VIEW_APPLICATION_Z = table("......YY..YYY")
# The seated member declared a conflict on the returned application: no view for them there.
VIEW_APPLICATION_CONFLICTED = {**VIEW_APPLICATION_X, "council_seated": False}


def _expected(world, key):
    if key == "other_commune":
        return VIEW_APPLICATION_Z
    if key == ApplicationState.RETURNED:
        return VIEW_APPLICATION_CONFLICTED
    return VIEW_APPLICATION_X


@pytest.mark.parametrize("role", ROLES)
def test_view_application_truth_table_and_selector_agree(world, role, django_assert_max_num_queries):
    user = world.cast[role]
    with django_assert_max_num_queries(3):
        visible = set(applications_visible_to(user).values_list("pk", flat=True))
    for key, application in world.apps.items():
        allowed = rules.has_perm("cycles.view_application", user, application)
        assert allowed is _expected(world, key)[role], (role, key)
        assert (application.pk in visible) is allowed, (role, key)
    assert len(visible) == sum(_expected(world, key)[role] for key in world.apps)


@pytest.mark.parametrize("role", ROLES)
def test_view_plan_truth_table_and_selector_agree(world, role):
    user = world.cast[role]
    expected = {
        "p": table(".........Y.YY")[role],
        "q": table("..........YYY")[role],
    }
    visible = set(plans_visible_to(user).values_list("pk", flat=True))
    for key, plan in world.plans.items():
        assert rules.has_perm("cycles.view_plan", user, plan) is expected[key], (role, key)
        assert (plan.pk in visible) is expected[key], (role, key)


# Only an officer bound to exactly the plan's unit (the province officer of p); the admin passes as a superuser.
CHANGE_PLAN_P = table(".........Y..Y")


@pytest.mark.parametrize("role", ROLES)
def test_change_plan_truth_table(world, role):
    assert world.cast[role].has_perm("cycles.change_plan", world.tree.p) is CHANGE_PLAN_P[role]


# The organiser of a cycle: the officer of exactly its unit (province p, or district d for a cycle d opened) and the
# admin, who passes through its role (the predicate the window services call), not only as a superuser.
ORGANISE_CYCLE = {"p": table(".........Y..Y"), "q": table("..........Y.Y"), "d": table(".....Y......Y")}


@pytest.mark.parametrize("role", ROLES)
def test_organise_cycle_truth_table(world, role):
    cycles = {
        "p": world.apps[ApplicationState.IDEA_REGISTERED].cycle,
        "q": world.apps["other_commune"].cycle,
        "d": CycleFactory(unit=world.tree.d),
    }
    user = world.cast[role]
    for key, cycle in cycles.items():
        assert user.has_perm("cycles.organise_cycle", cycle) is ORGANISE_CYCLE[key][role], (role, key)
        assert is_cycle_organiser(user, cycle) is ORGANISE_CYCLE[key][role], (role, key)


def test_a_deactivated_organiser_organises_nothing(world):
    user = world.cast["province_same"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert is_cycle_organiser(user, world.apps[ApplicationState.IDEA_REGISTERED].cycle) is False


@pytest.mark.parametrize("role", ["producer_own", "commune_same", "council_seated", "central"])
def test_a_deactivated_account_sees_no_application(world, role):
    user = world.cast[role]
    user.is_active = False
    user.save(update_fields=["is_active"])
    application = world.apps[ApplicationState.IDEA_REGISTERED]
    assert rules.has_perm("cycles.view_application", user, application) is False
    assert list(applications_visible_to(user)) == []


# Who acts for an application of commune X (apps.cycles.rules.user_tiers, asked by application_transition, the
# dossier services and the page's buttons): the commune tier is X's officer; the approving tier is the district
# officer above X under qd148-2023, the province officer above X under qd1489-2025. Nobody else, not even the admin.
ACTS_COMMUNE = table("...Y.........")
ACTS_APPROVING = {RuleSet.QD148_2023: table(".....Y......."), RuleSet.QD1489_2025: table(".........Y...")}


@pytest.mark.parametrize("rule_set", list(ACTS_APPROVING))
def test_user_tiers_truth_table(world, rule_set):
    application = world.apps[ApplicationState.IDEA_REGISTERED]
    application.cycle.rule_set = rule_set
    application.cycle.save(update_fields=["rule_set"])
    application.refresh_from_db()
    # The same rules as queries over users (next_actors mails whoever they select): the same people, for every role.
    commune_officers = set(User.objects.filter(q_commune_officers_of(application)).values_list("pk", flat=True))
    approving_officers = set(User.objects.filter(q_approving_officers_of(application)).values_list("pk", flat=True))
    for role in ROLES:
        user = world.cast[role]
        assert (user.pk in commune_officers) is ACTS_COMMUNE[role], role
        assert (user.pk in approving_officers) is ACTS_APPROVING[rule_set][role], role
        expected = {ActingTier.COMMUNE} if ACTS_COMMUNE[role] else set()
        expected |= {ActingTier.APPROVING} if ACTS_APPROVING[rule_set][role] else set()
        assert user_tiers(user, application) == expected, role
        assert is_commune_officer_of(user, application) is ACTS_COMMUNE[role], role
        assert is_approving_officer_of(user, application) is ACTS_APPROVING[rule_set][role], role
    # Commune Z's application (province q's cycle, qd148-2023): only the district officer above Z approves for it.
    acting_for_z = {r: user_tiers(world.cast[r], world.apps["other_commune"]) for r in ROLES}
    assert {r: t for r, t in acting_for_z.items() if t} == {"district_other": {ActingTier.APPROVING}}


def test_a_deactivated_officer_acts_as_no_tier(world):
    application = world.apps[ApplicationState.IDEA_REGISTERED]
    for role in ("commune_same", "district_same"):
        world.cast[role].is_active = False
        world.cast[role].save(update_fields=["is_active"])
        assert user_tiers(world.cast[role], application) == set(), role


# Who opens a cycle for a unit (cycle_create): the province or district officer of exactly that unit, or a national
# account (central officer, admin). Nobody opens one for a commune's officers (the service refuses communes anyway).
OPEN_CYCLE = {"p": table(".........Y.YY"), "q": table("..........YYY"), "d": table(".....Y.....YY")}


def test_may_open_cycle_truth_table(world):
    for role in ROLES:
        for key, row in OPEN_CYCLE.items():
            assert may_open_cycle_for(world.cast[role], getattr(world.tree, key)) is row[role], (role, key)
    for role in ("province_same", "central", "admin"):
        world.cast[role].is_active = False
        world.cast[role].save(update_fields=["is_active"])
        assert may_open_cycle_for(world.cast[role], world.tree.p) is False, role


def test_next_actors_under_the_2025_map_are_the_new_provinces_officers(reform):
    """qd1489-2025: an old Kon Tum commune's dossier goes to the officer of new Quảng Ngãi, its successor, as the
    predicate says; the old province's officer still covers it; new Quảng Ninh's does not."""
    cycle = CycleFactory(unit=reform.new_quang_ngai, rule_set=RuleSet.QD1489_2025)
    application = ApplicationFactory(
        cycle=cycle, product=ProductFactory(commune=reform.dak_koi), created_by=reform.new_commune
    )
    actors = set(next_actors(application, ApplicationState.SENT_FOR_EVALUATION))
    assert actors == {reform.quang_ngai, reform.old_kon_tum}
    for user in (reform.quang_ngai, reform.quang_ninh, reform.old_kon_tum, reform.new_commune):
        assert is_approving_officer_of(user, application) is (user in actors), user.email
