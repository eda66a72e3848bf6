"""Every write of the councils: rounds, members, conflicts, sheets, closing, pre-checks and recognition."""

from .decisions import decision_record
from .rounds import COUNCIL_ROLES, PREVIOUS_TIER, conflict_declare, entry_add, member_add, round_close, round_create
from .sheets import precheck_record, sheet_compute_total, sheet_open, sheet_reopen, sheet_save

__all__ = [
    "COUNCIL_ROLES",
    "PREVIOUS_TIER",
    "conflict_declare",
    "decision_record",
    "entry_add",
    "member_add",
    "precheck_record",
    "round_close",
    "round_create",
    "sheet_compute_total",
    "sheet_open",
    "sheet_reopen",
    "sheet_save",
]
