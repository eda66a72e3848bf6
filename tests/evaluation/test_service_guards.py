"""The council services check who acts, not only their views (issue 10, one permission layer).

Each write is refused to a user its permission does not cover, with nothing changed; the council-seat rule is one
rule in two forms (``may_sit_on`` for the service, ``q_may_sit_on`` for the form's choices) that agree for everyone.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.core.enums import RuleSet
from apps.demo.sheets import load_sample_sheets
from apps.evaluation import services
from apps.evaluation.enums import Tier
from apps.evaluation.forms import MemberAddForm
from apps.evaluation.models import CommunePreCheck, ConflictDeclaration, CouncilMember, RoundEntry
from apps.evaluation.rules import may_sit_on, q_may_sit_on
from tests.factories import UserFactory
from tests.factories.evaluation import make_application, make_cycle

pytestmark = pytest.mark.django_db


def _events():
    return AuditEvent.objects.count()


def test_member_add_is_refused_to_an_officer_who_does_not_manage_the_round(council, tree, users):
    outsider = UserFactory(role=Role.DISTRICT_OFFICER, unit=tree.dq)  # the district of another province
    candidate = UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.d)
    seats, events = CouncilMember.objects.count(), _events()
    for by in (outsider, users.commune_x, council.chair.user, users.producer):
        with pytest.raises(PermissionDenied):
            services.member_add(round=council.round, user=candidate, role="member", by=by)
    assert (CouncilMember.objects.count(), _events()) == (seats, events)
    services.member_add(round=council.round, user=candidate, role="member", by=users.district)
    assert council.round.members.filter(user=candidate).exists()


def test_member_add_refuses_a_user_who_may_not_sit_and_changes_nothing(council, tree, users):
    seats = CouncilMember.objects.count()
    for user in (
        UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.dq),  # another unit's member
        UserFactory(role=Role.PRODUCER, unit=tree.d),  # a producer is never seated
        UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.d, is_active=False),
    ):
        with pytest.raises(ValidationError):
            services.member_add(round=council.round, user=user, role="member", by=users.district)
    assert CouncilMember.objects.count() == seats


def test_the_seat_rule_and_its_query_form_agree_for_every_user(council, tree, users):
    """For a district round and a central round, the form offers exactly the users the service accepts."""
    for role in Role.values:
        for unit in (tree.d, tree.x, tree.dq, None):
            national = role in (Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN)
            if (unit is None) == national or role == Role.SYSTEM_ADMIN:  # only the combinations the table allows
                UserFactory(role=role, unit=unit)
    UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.d, is_active=False)
    central = services.round_create(
        cycle=council.cycle, tier=Tier.CENTRAL, unit=council.cycle.unit, name="Đợt trung ương", by=users.central
    )
    for round in (council.round, central):
        offered = set(User.objects.filter(q_may_sit_on(round)).values_list("pk", flat=True))
        accepted = {u.pk for u in User.objects.all() if may_sit_on(u, round)}
        assert offered == accepted, round.tier
        assert offered, round.tier
        form_choices = {u.pk for u in MemberAddForm(round=round).fields["user"].queryset}
        seated = set(round.members.values_list("user_id", flat=True))
        assert form_choices == offered - seated, round.tier


def test_entry_add_is_refused_to_a_user_who_does_not_manage_the_round(council, tree, users):
    application = make_application(commune=tree.y, cycle=council.cycle, created_by=users.commune_y)
    entries, events = RoundEntry.objects.count(), _events()
    for by in (UserFactory(role=Role.DISTRICT_OFFICER, unit=tree.dq), users.commune_y, council.member.user):
        with pytest.raises(PermissionDenied):
            services.entry_add(round=council.round, application=application, by=by)
    assert (RoundEntry.objects.count(), _events()) == (entries, events)
    application.refresh_from_db()
    assert not application.round_entries.exists()


def test_conflict_declare_only_by_the_member_themself(council, users):
    events = _events()
    for by in (council.chair.user, users.district):
        with pytest.raises(PermissionDenied):
            services.conflict_declare(entry=council.entry, member=council.member, reason="Họ hàng", by=by)
    assert not ConflictDeclaration.objects.exists()
    assert _events() == events


def test_precheck_record_is_refused_to_a_user_who_does_not_manage_the_pre_check(tree, users):
    cycle = make_cycle(unit=tree.p, rule_set=RuleSet.QD1489_2025, year=2026)
    load_sample_sheets()
    pre = services.round_create(cycle=cycle, tier=Tier.COMMUNE, unit=tree.x, name="Rà soát", by=users.commune_x)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    entry = services.entry_add(round=pre, application=application, by=users.commune_x)
    checks = dict(local_materials=True, local_producer=True, legal_conditions=True, community_benefit=True)
    events = _events()
    for by in (users.commune_y, users.producer, users.province_q):
        with pytest.raises(PermissionDenied):
            services.precheck_record(entry=entry, by=by, passed=True, reason="Đạt", **checks)
    assert not CommunePreCheck.objects.exists()
    assert _events() == events
    services.precheck_record(entry=entry, by=users.commune_x, passed=True, reason="Đạt", **checks)
    assert CommunePreCheck.objects.get(entry=entry).passed is True
