"""Exact figures on the known world of conftest.py, and parent = sum of children at every level, both editions."""

import pytest

from apps.geo.enums import Edition
from apps.reports.periods import Period
from apps.reports.selectors import table, unit_figures

from .conftest import NOVEMBER, TODAY

pytestmark = pytest.mark.django_db


def figures(unit=None, edition=None, period=NOVEMBER):
    return unit_figures(unit=unit, edition=edition, period=period, today=TODAY)


def row_values(figs, code, label):
    t = table(figs, code)
    keys = [c["key"] for c in t["columns"]]
    row = next(r for r in t["rows"] if r["label"] == label)
    return dict(zip(keys, row["values"], strict=True))


def totals(figs, code):
    t = table(figs, code)
    return dict(zip([c["key"] for c in t["columns"]], t["total"], strict=True))


def assert_total_is_sum_of_rows(figs):
    for t in figs["tables"]:
        for i, column in enumerate(t["columns"]):
            if column["derived"]:
                continue
            assert t["total"][i] == sum(r["values"][i] for r in t["rows"]), (t["code"], column["key"])


def test_commune_figures_exact(world):
    figs = figures(world.x)
    assert [r["label"] for r in table(figs, "ideas")["rows"]] == ["Phường Hà Khánh"]
    assert totals(figs, "ideas") == {"ideas_registered": 1, "ideas_accepted": 1, "ideas_rejected": 1, "returned": 0}
    apps = totals(figs, "applications")
    assert (apps["state_idea_accepted"], apps["state_idea_rejected"], apps["applications"]) == (1, 1, 2)
    assert totals(figs, "evaluation") == {
        "rounds_held": 0,
        "products_scored": 2,
        "mean_score": 75.0,
        "candidates_5": 0,
        "recognised_3": 2,
        "recognised_4": 0,
        "recognised_5": 0,
        "recognised": 2,
        "recognised_new": 2,
        "recognised_upgraded": 0,
        "recognised_renewed": 0,
    }
    assert totals(figs, "producers") == {
        "producers_htx": 1,
        "producers_dn": 1,
        "producers_tht": 0,
        "producers_hkd": 0,
        "producers": 2,
        "workers": 25,
        "women_workers": 13,
        "ethnic_minority_workers": 1,
    }
    assert totals(figs, "certificates") == {
        "certificates_issued": 2,
        "certificates_valid": 2,
        "certificates_expiring": 0,
        "certificates_expired": 0,
        "certificates_revoked": 0,
    }


def test_commune_certificates_expiring_expired_revoked(world):
    assert totals(figures(world.y), "certificates") == {
        "certificates_issued": 0,
        "certificates_valid": 1,
        "certificates_expiring": 1,
        "certificates_expired": 0,
        "certificates_revoked": 0,
    }
    assert totals(figures(world.w), "certificates") == {
        "certificates_issued": 0,
        "certificates_valid": 0,
        "certificates_expiring": 0,
        "certificates_expired": 1,
        "certificates_revoked": 1,
    }


def test_district_rows_are_its_communes_plus_its_own_level(world):
    figs = figures(world.d)
    assert [r["label"] for r in table(figs, "evaluation")["rows"]] == [
        "Thành phố Hạ Long (tại đơn vị)",
        "Phường Hà Khánh",
        "Phường Hà Phong",
    ]
    assert row_values(figs, "evaluation", "Thành phố Hạ Long (tại đơn vị)")["rounds_held"] == 1
    assert row_values(figs, "ideas", "Phường Hà Phong")["returned"] == 1
    assert totals(figs, "trade") == {"points_of_sale": 0, "point_of_sale_products": 0, "fairs": 1, "fair_products": 1}
    assert totals(figs, "evaluation")["recognised"] == 3
    assert_total_is_sum_of_rows(figs)
    # The district's own plan is shown against its results, not among its children's targets.
    assert totals(figs, "targets")["target_3"] == 0


def test_province_equals_sum_of_districts_and_matches_them(world):
    province = figures(world.p)
    assert [r["label"] for r in table(province, "ideas")["rows"]] == [
        "Tỉnh Quảng Ninh (tại đơn vị)",
        "Thành phố Hạ Long",
        "Thành phố Cẩm Phả",
    ]
    assert_total_is_sum_of_rows(province)
    district = figures(world.d)
    for code in ("ideas", "applications", "producers", "certificates"):
        assert row_values(province, code, "Thành phố Hạ Long") == totals(district, code)
    assert row_values(province, "trade", "Tỉnh Quảng Ninh (tại đơn vị)")["point_of_sale_products"] == 2
    targets = row_values(province, "targets", "Thành phố Hạ Long")
    assert (targets["target_3"], targets["actual_3"], targets["reached_3"]) == (4, 2, 50.0)
    plan = {row["kind"]: (row["expected"], row["actual"], row["reached"]) for row in province["plan"]}
    # One idea per commune × 3 communes, 3 ideas registered in 2026; 2 new 4★ wanted, 1 recognised.
    assert plan == {"ideas_per_commune": (3, 3, 100.0), "new_4_star": (2, 1, 50.0)}


def test_national_old_edition_rows_are_old_provinces(world):
    figs = figures(edition=Edition.THREE_TIER_2024)
    assert [r["label"] for r in table(figs, "evaluation")["rows"]] == ["Tỉnh Quảng Ninh", "Tỉnh Kon Tum"]
    assert totals(figs, "evaluation")["recognised"] == 4  # C's 2025-edition product is not in the old list
    assert row_values(figs, "certificates", "Tỉnh Quảng Ninh") == totals(figures(world.p), "certificates")
    assert_total_is_sum_of_rows(figs)


def test_2025_province_rolls_up_its_predecessor(world):
    figs = figures(world.n51)
    assert [r["label"] for r in table(figs, "evaluation")["rows"]] == [
        "Xã Đăk Kôi",
        "Tỉnh Kon Tum (trước 01/7/2025)",
    ]
    assert row_values(figs, "evaluation", "Tỉnh Kon Tum (trước 01/7/2025)") == totals(figures(world.q), "evaluation")
    assert totals(figs, "evaluation")["recognised_3"] == 1
    assert totals(figs, "evaluation")["recognised_4"] == 1
    assert_total_is_sum_of_rows(figs)


def test_national_2025_rolls_old_provinces_into_successors(world):
    figs = figures(edition=Edition.TWO_TIER_2025)
    assert [r["label"] for r in table(figs, "certificates")["rows"]] == ["Quảng Ninh", "Quảng Ngãi"]
    assert row_values(figs, "certificates", "Quảng Ninh") == totals(figures(world.p), "certificates")
    assert row_values(figs, "producers", "Quảng Ngãi") == totals(figures(world.n51), "producers")
    assert totals(figs, "evaluation")["recognised"] == 5
    assert_total_is_sum_of_rows(figs)


def test_by_set_counts_stars(world):
    figs = figures(world.p)
    assert [(r["set_code"], r["values"]) for r in figs["by_set"]] == [("TP11", [2, 1, 0, 3])]


def test_other_period_excludes_november(world):
    figs = figures(world.p, period=Period.month(2026, 10))
    assert totals(figs, "ideas")["ideas_registered"] == 1  # a2, registered in October
    assert totals(figs, "evaluation")["recognised"] == 0


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", "2026-11-01", "2026-11-30"),
        ("2026-Q4", "2026-10-01", "2026-12-31"),
        ("2026-H1", "2026-01-01", "2026-06-30"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-02-03..2026-02-10", "2026-02-03", "2026-02-10"),
    ],
)
def test_period_parse(text, start, end):
    period = Period.parse(text)
    assert (period.start.isoformat(), period.end.isoformat(), period.key) == (start, end, text)


def test_new_upgraded_and_re_evaluated(world):
    evaluation = totals(figures(edition=Edition.TWO_TIER_2025), "evaluation")
    assert (evaluation["recognised_new"], evaluation["recognised_upgraded"], evaluation["recognised_renewed"]) == (
        3,
        1,
        1,
    )
    assert row_values(figures(world.d), "evaluation", "Phường Hà Phong")["recognised_upgraded"] == 1


def test_return_reasons(world):
    assert figures(world.p)["return_reasons"] == [{"reason": "Thiếu phiếu kiểm nghiệm.", "count": 1}]


def test_rule_set_and_group_filters_narrow_the_figures(world):
    def recognised(**kw):
        figs = unit_figures(unit=None, edition=Edition.TWO_TIER_2025, period=NOVEMBER, today=TODAY, **kw)
        return totals(figs, "evaluation")["recognised"]

    assert recognised() == 5
    assert recognised(group="TP") == 5  # every product of the world is tea (TP11)
    assert recognised(group="DU") == 0
    assert recognised(rule_set="qd148-2023") == 5  # the decisions' rule set
    assert recognised(rule_set="qd1489-2025") == 0
