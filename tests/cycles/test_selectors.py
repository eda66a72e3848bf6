"""Reads of the cycles app that follow the state machine's table: the buttons offered, who is asked next, and
which cycles an idea may join (the units above its commune)."""

import pytest

from apps.accounts.enums import Role
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.cycles.selectors import available_actions, cycles_open_for, next_actors
from apps.geo.enums import Edition
from tests.factories import UserFactory, commune, province
from tests.factories.cycles import CycleFactory

pytestmark = pytest.mark.django_db


def test_available_actions_follow_the_table(make_application, users):
    application = make_application(S.DOSSIER_CHECKED)
    assert available_actions(users.commune_x, application) == [S.SENT_FOR_EVALUATION, S.RETURNED, S.WITHDRAWN]
    assert available_actions(users.district, application) == [S.RETURNED]
    assert available_actions(users.commune_y, application) == []
    assert available_actions(users.province, application) == []


def test_next_actors_are_the_approving_officers_of_the_units_above_the_commune(make_application, users, tree):
    other_district = UserFactory(role=Role.DISTRICT_OFFICER, unit=tree.dq, email="huyen.q@ocop.example")
    UserFactory(role=Role.DISTRICT_OFFICER, unit=tree.d, email="cu@ocop.example", is_active=False)
    application = make_application(S.IDEA_REGISTERED)
    assert list(next_actors(application, S.IDEA_REGISTERED)) == [users.district]
    assert other_district not in next_actors(application, S.PLAN_SUBMITTED)
    assert list(next_actors(application, S.IDEA_ACCEPTED)) == [users.commune_x]


def test_next_actors_under_1489_are_the_province_officers_above_the_commune(make_application, users, cycle_1489):
    application = make_application(S.IDEA_REGISTERED, cycle_=cycle_1489)
    assert list(next_actors(application, S.SENT_FOR_EVALUATION)) == [users.province]


def test_cycles_open_for_a_commune_are_those_of_its_province_and_district_only(tree, cycle):
    district_cycle = CycleFactory(unit=tree.d, year=2027, rule_set=RuleSet.QD148_2023)
    CycleFactory(unit=tree.q, rule_set=RuleSet.QD148_2023)
    CycleFactory(unit=tree.y, year=2028, rule_set=RuleSet.QD148_2023)
    assert set(cycles_open_for(tree.x)) == {cycle, district_cycle}
    assert set(cycles_open_for(tree.d)) == {cycle, district_cycle}
    assert set(cycles_open_for(tree.p)) == {cycle}


def test_cycles_open_for_a_2025_commune_are_its_2025_provinces(tree, cycle):
    new_province = province("22", edition=Edition.TWO_TIER_2025, name="Quảng Ninh")
    new_commune = commune(new_province, "06649", name="Phường Hà Khánh")
    new_cycle = CycleFactory(unit=new_province, year=2026, rule_set=RuleSet.QD1489_2025)
    assert list(cycles_open_for(new_commune)) == [new_cycle]
