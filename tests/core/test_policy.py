"""The policy module: who covers which unit, and the 403 it produces through real views."""

import pytest
from django.urls import reverse

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.core.policy import q_users_covering, scope, user_covers_unit
from apps.geo.models import AdministrativeUnit
from tests.conftest import PASSWORD
from tests.factories import UserFactory, commune

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "unit", "expected"),
    [
        ("commune_x", "x", True),
        ("commune_x", "y", False),
        ("commune_x", "d", False),
        ("commune_x", "z", False),
        ("district", "x", True),
        ("district", "y", True),
        ("district", "d", True),
        ("district", "p", False),
        ("district", "z", False),
        ("province", "x", True),
        ("province", "p", True),
        ("province", "z", False),
        ("province_q", "z", True),
        ("province_q", "x", False),
        ("central", "x", True),
        ("central", "z", True),
        ("admin", "z", True),
        ("producer", "x", True),
        ("producer", "y", False),
    ],
)
def test_user_covers_unit_truth_table(users, tree, who, unit, expected):
    assert user_covers_unit(getattr(users, who), getattr(tree, unit)) is expected


def test_inactive_user_covers_nothing(users, tree):
    users.province.is_active = False
    assert user_covers_unit(users.province, tree.x) is False


def test_scope_filters_to_subtree(users, tree):
    visible = set(scope(AdministrativeUnit.objects.all(), users.district, unit_field=None))
    assert visible == {tree.d, tree.x, tree.y}
    assert set(scope(AdministrativeUnit.objects.all(), users.central, unit_field=None)) == set(
        AdministrativeUnit.objects.all()
    )


def test_commune_officer_is_refused_403_on_another_communes_unit(client, users, tree):
    client.force_login(users.commune_x)
    response = client.get(reverse("geo:unit_detail", args=[tree.y.pk]))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_commune_officer_sees_own_commune(client, users, tree):
    client.force_login(users.commune_x)
    response = client.get(reverse("geo:unit_detail", args=[tree.x.pk]))
    assert response.status_code == 200
    assert response.context["unit"] == tree.x


def test_district_officer_sees_commune_below_but_not_province(client, users, tree):
    client.force_login(users.district)
    assert client.get(reverse("geo:unit_detail", args=[tree.x.pk])).status_code == 200
    assert client.get(reverse("geo:unit_detail", args=[tree.p.pk])).status_code == 403
    assert client.get(reverse("geo:unit_detail", args=[tree.z.pk])).status_code == 403


def test_producer_is_not_staff_and_cannot_open_unit_pages(client, users, tree):
    client.force_login(users.producer)
    assert client.get(reverse("geo:unit_detail", args=[tree.x.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, tree):
    response = client.get(reverse("geo:unit_detail", args=[tree.x.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unknown_unit_is_404_in_vietnamese(client, users):
    client.force_login(users.central)
    response = client.get(reverse("geo:unit_detail", args=[999999]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_unit_page_query_count_is_constant(client, users, tree, django_assert_max_num_queries):

    client.force_login(users.province)
    url = reverse("geo:unit_detail", args=[tree.d.pk])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    for i in range(40):
        commune(tree.d, f"07{i:03d}")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["children"]) == 42


def test_login_with_demo_style_password(client, users):
    response = client.post(reverse("account_login"), {"login": "xa.x@ocop.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def _covering(unit):
    return set(User.objects.filter(q_users_covering(unit)).values_list("pk", flat=True))


def test_q_users_covering_is_user_covers_unit_over_users(users, tree, django_assert_num_queries):
    """The query form over users (next_actors mails them) agrees with the predicate for every user and unit."""
    everyone = [getattr(users, name) for name in vars(users) if not name.startswith("_")]
    users.district.is_active = False  # an inactive officer covers nothing, in both forms
    users.district.save(update_fields=["is_active"])
    council = UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.d)  # no jurisdiction: seats only
    everyone.append(council)
    for unit in AdministrativeUnit.objects.all():
        with django_assert_num_queries(1):
            covering = _covering(unit)
        expected = {u.pk for u in everyone if user_covers_unit(u, unit)}
        assert covering == expected, unit.path
    assert users.district.pk not in _covering(tree.x) and council.pk not in _covering(tree.x)
    assert _covering(tree.x) >= {users.commune_x.pk, users.province.pk, users.central.pk, users.admin.pk}


def test_q_users_covering_follows_the_2025_successors(reform):
    """A 2025 province covers the communes of the old provinces merged into it; the query form finds its officer."""
    merged = commune(reform.kon_tum, "23483", name="Xã Đắk Ruồng")
    for unit in (reform.dak_koi, reform.ha_khanh, reform.kon_tum, reform.new_quang_ngai, merged):
        expected = {u.pk for u in User.objects.all() if user_covers_unit(u, unit)}
        assert _covering(unit) == expected, unit.path
    assert reform.quang_ngai.pk in _covering(merged)
    assert reform.quang_ninh.pk not in _covering(merged)
