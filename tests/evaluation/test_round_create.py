"""Each tier sets up its own councils: districts run their own rounds under qd148-2023; communes only pre-check."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.enums import Role
from apps.core.enums import RuleSet
from apps.evaluation import services
from apps.evaluation.enums import Tier
from apps.evaluation.forms import RoundCreateForm
from apps.evaluation.models import EvaluationRound
from apps.geo.enums import Edition
from tests.factories import UserFactory, commune, district, province
from tests.factories.evaluation import make_cycle

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hạ Long năm 2026",
    "council_decision_number": "15/QĐ-UBND",
    "council_decision_date": "2026-08-01",
    "council_decision_signer": "Chủ tịch UBND thành phố Hạ Long",
    "aggregation": "mean",
    "quorum_numerator": 2,
    "quorum_denominator": 3,
    "quorum_requires_chair": "on",
    "spread_threshold": "10",
}


def test_district_officer_creates_its_own_round_in_the_province_cycle(client, tree, users):
    cycle = make_cycle(unit=tree.p, year=2026)
    form = RoundCreateForm(user=users.district)
    assert list(form.fields["cycle"].queryset) == [cycle]
    assert [value for value, _label in form.fields["tier"].choices] == [Tier.DISTRICT]
    assert list(form.fields["unit"].queryset) == [tree.d]
    client.force_login(users.district)
    assert "/quan-ly/danh-gia/dot-moi/" in client.get(reverse("evaluation:round_list")).text
    response = client.post(
        reverse("evaluation:round_create"), {**FORM, "cycle": cycle.pk, "tier": Tier.DISTRICT, "unit": tree.d.pk}
    )
    round = EvaluationRound.objects.get()
    assert response.status_code == 302
    assert (round.tier, round.unit, round.created_by) == (Tier.DISTRICT, tree.d, users.district)


@pytest.mark.parametrize(
    ("who", "tier", "unit"),
    [
        ("district", Tier.PROVINCE, "p"),  # a district does not set up the province's council
        ("province", Tier.DISTRICT, "d"),  # nor the province the district's
        ("commune_x", Tier.DISTRICT, "d"),
        ("central", Tier.DISTRICT, "d"),
        ("province_q", Tier.PROVINCE, "p"),  # another province
    ],
)
def test_round_for_another_tier_or_unit_is_refused(tree, users, who, tier, unit):
    cycle = make_cycle(unit=tree.p, year=2026)
    with pytest.raises(PermissionDenied):
        services.round_create(cycle=cycle, tier=tier, unit=getattr(tree, unit), name="Thử", by=getattr(users, who))
    assert EvaluationRound.objects.count() == 0


def test_another_districts_round_is_refused(tree, users):
    other = district(tree.p, "194", name="Thành phố Cẩm Phả")
    cycle = make_cycle(unit=tree.p, year=2026)
    with pytest.raises(PermissionDenied):
        services.round_create(cycle=cycle, tier=Tier.DISTRICT, unit=other, name="Thử", by=users.district)
    assert EvaluationRound.objects.count() == 0


def test_commune_officer_under_148_has_no_create_button(client, tree, users):
    make_cycle(unit=tree.p, year=2026)
    client.force_login(users.commune_x)
    assert "/quan-ly/danh-gia/dot-moi/" not in client.get(reverse("evaluation:round_list")).text
    assert client.get(reverse("evaluation:round_create")).status_code == 403
    assert EvaluationRound.objects.count() == 0


def test_commune_officer_under_1489_sets_up_only_its_precheck(client):
    hue = province("46", edition=Edition.TWO_TIER_2025, name="Thành phố Huế")
    ward = commune(hue, "19753", name="Phường Thuận Hóa")
    officer = UserFactory(role=Role.COMMUNE_OFFICER, unit=ward)
    cycle = make_cycle(unit=hue, rule_set=RuleSet.QD1489_2025, year=2026)
    form = RoundCreateForm(user=officer)
    assert [value for value, _label in form.fields["tier"].choices] == [Tier.COMMUNE]
    client.force_login(officer)
    assert "/quan-ly/danh-gia/dot-moi/" in client.get(reverse("evaluation:round_list")).text
    with pytest.raises(PermissionDenied):
        services.round_create(cycle=cycle, tier=Tier.PROVINCE, unit=hue, name="Thử", by=officer)
    round = services.round_create(cycle=cycle, tier=Tier.COMMUNE, unit=ward, name="Rà soát", by=officer)
    assert list(EvaluationRound.objects.all()) == [round]
