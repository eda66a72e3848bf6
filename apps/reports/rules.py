"""Who may see a report: staff of the unit's subtree and of the levels above it (never producers or the public)."""

import rules

from apps.core.policy import is_staff_member, user_covers_unit


@rules.predicate
def in_report_chain(user, report):
    """The user's unit is the report's unit, above it, or below it (a commune reads its province's report)."""
    if report is None:
        return False
    if user_covers_unit(user, report.unit):
        return True
    return bool(user.unit_id) and user.unit.path.startswith(report.unit.path)


rules.add_perm("reports.view_report", is_staff_member & in_report_chain)
rules.add_perm("reports.view_dashboard", is_staff_member)
rules.add_perm("reports.generate_report", is_staff_member)
