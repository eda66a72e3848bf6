"""Truth tables of the traceability permissions, and the staff lists against them."""

import pytest

from apps.traceability.models import Lot
from apps.traceability.rules import q_site_editor
from apps.traceability.selectors import batches_visible_to, lots_visible_to, sites_visible_to
from tests.cast import build_world, mismatches, table

pytestmark = pytest.mark.django_db

# Roles in the order of tests.cast.ROLES: anonymous, producer own/other, commune same/other, district same/other,
# council seated/unseated, province same/other, central, admin.
OWN_OR_OFFICER = {"x": table(".Y.Y.Y...Y.YY"), "z": table("......Y...YYY")}


@pytest.fixture
def world(tree):
    return build_world(tree)


@pytest.mark.parametrize(
    ("perm", "kind", "selector"),
    [
        ("traceability.view_site", "site", sites_visible_to),
        ("traceability.view_lot", "lot", lots_visible_to),
        ("traceability.view_batch", "batch", batches_visible_to),
    ],
)
def test_view_truth_table_and_selector_agree(world, perm, kind, selector):
    expected = {f"{kind}_{key}": row for key, row in OWN_OR_OFFICER.items()}
    assert mismatches(world, perm, expected, selector) == []


def test_change_site_truth_table(world):
    expected = {"site_x": table(".Y.Y........Y"), "site_z": table("............Y")}
    assert mismatches(world, "traceability.change_site", expected) == []


def test_screens_truth_table(world):
    assert mismatches(world, "traceability.use_traceability", {None: table(".YYYYYY..YYYY")}) == []
    # The fake-product reports: officers only (producers use the traceability screens but not this one).
    assert mismatches(world, "traceability.list_reports", {None: table("...YYYY..YYYY")}) == []


def lots_requestable_by(user):
    return Lot.objects.filter(q_site_editor(user, "product__producer"))


def test_request_stamps_truth_table_and_query_agree(world):
    # The lot's keepers (the producer, the commune officer) and the admin; not the district, nor the province that
    # approves the request, nor the central level.
    expected = {"lot_x": table(".Y.Y........Y"), "lot_z": table("............Y")}
    assert mismatches(world, "traceability.request_stamps", expected, lots_requestable_by) == []
