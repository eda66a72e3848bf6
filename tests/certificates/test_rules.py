"""Truth tables of the certificate permissions, and ``certificates_visible_to`` against ``view_certificate``."""

import pytest

from apps.certificates.selectors import certificates_visible_to
from tests.cast import build_world, mismatches, table

pytestmark = pytest.mark.django_db

# Roles in the order of tests.cast.ROLES: anonymous, producer own/other, commune same/other, district same/other,
# council seated/unseated, province same/other, central, admin.


@pytest.fixture
def world(tree):
    return build_world(tree)


def test_view_certificate_truth_table_and_selector_agree(world):
    expected = {"certificate_x": table("...Y.Y...Y.YY"), "certificate_z": table("......Y...YYY")}
    assert mismatches(world, "certificates.view_certificate", expected, certificates_visible_to) == []


def test_download_certificate_truth_table(world):
    # The holder's producer account too; council members never (issue 11: no certificate PDFs by seat).
    expected = {"certificate_x": table(".Y.Y.Y...Y.YY"), "certificate_z": table("......Y...YYY")}
    assert mismatches(world, "certificates.download_certificate", expected) == []


def test_revoke_and_retry_truth_table(world):
    expected = {"certificate_x": table(".........Y.YY"), "certificate_z": table("..........YYY")}
    assert mismatches(world, "certificates.revoke_certificate", expected) == []
    assert mismatches(world, "certificates.retry_render", expected) == []
    assert mismatches(world, "certificates.list_certificates", {None: table(".........YYYY")}) == []
