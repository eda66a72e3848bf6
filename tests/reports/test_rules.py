"""Truth tables of the report permissions, and ``reports_visible_to`` against ``view_report``.

A report is seen by the staff of its unit's subtree and by the staff of the units below it (a commune reads its
province's report); council members hold no subtree, so they read their own unit's and those above.
"""

import pytest

from apps.reports.selectors import reports_visible_to
from tests.cast import build_world, mismatches, table

pytestmark = pytest.mark.django_db

# Roles in the order of tests.cast.ROLES: anonymous, producer own/other, commune same/other, district same/other,
# council seated/unseated, province same/other, central, admin.


@pytest.fixture
def world(tree):
    return build_world(tree)


def test_view_report_truth_table_and_selector_agree(world):
    expected = {
        "report_x": table("...Y.Y...Y.YY"),
        "report_d": table("...YYY.YYY.YY"),
        "report_p": table("...YYY.YYY.YY"),
        "report_q": table("......Y...YYY"),
    }
    assert mismatches(world, "reports.view_report", expected, reports_visible_to) == []


def test_generate_report_truth_table(world):
    world.unit_x = world.tree.x
    # Only the officer bound to exactly the unit (and the admin, a superuser).
    assert mismatches(world, "reports.generate_report", {"unit_x": table("...Y........Y")}) == []
    assert mismatches(world, "reports.view_dashboard", {None: table("...YYYYYYYYYY")}) == []
