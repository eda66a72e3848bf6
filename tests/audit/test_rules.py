"""Truth table of who browses the audit trail (each row is then scoped by the audit selector)."""

import pytest

from tests.cast import build_cast, table

pytestmark = pytest.mark.django_db


def test_browse_audit_truth_table(tree):
    cast = build_cast(tree)
    expected = table(".........YYYY")
    assert {role: user.has_perm("audit.browse_audit") for role, user in cast.items()} == expected
