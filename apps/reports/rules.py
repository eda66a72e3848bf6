"""Who may see a report: staff of the unit's subtree and of the levels above it (never producers or the public)."""

import rules
from django.db.models import Q

from apps.accounts.enums import Role
from apps.core.policy import NOTHING, is_active_account, is_staff_member, q_in_user_subtree, q_when, user_covers_unit

# The officers who prepare and submit their own unit's report.
REPORTING_OFFICERS = {Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER}


@rules.predicate
def in_report_chain(user, report):
    """The user's unit is the report's unit, above it, or below it (a commune reads its province's report)."""
    if report is None:
        return False
    if user_covers_unit(user, report.unit):
        return True
    return bool(user.unit_id) and user.unit.path.startswith(report.unit.path)


def q_in_report_chain(user):
    """Query form of :func:`in_report_chain` on reports."""
    above = NOTHING
    if is_active_account(user) and user.unit_id:
        parts = user.unit.path.strip("/").split("/")
        above = Q(unit__path__in=["/".join(parts[: i + 1]) + "/" for i in range(len(parts))])
    return q_in_user_subtree(user, "unit") | above


@rules.predicate
def is_unit_officer(user, unit):
    """An officer bound to exactly ``unit``: the one who prepares and submits its reports."""
    return bool(
        unit is not None and is_active_account(user) and user.role in REPORTING_OFFICERS and user.unit_id == unit.pk
    )


rules.add_perm("reports.view_report", is_staff_member & in_report_chain)
rules.add_perm("reports.view_dashboard", is_staff_member)
# Generating a unit's report (checked on the unit).
rules.add_perm("reports.generate_report", is_unit_officer)


def q_view_report(user):
    """Query form of ``reports.view_report`` on reports."""
    return q_when(is_staff_member, user) & q_in_report_chain(user)
