"""Every write of the councils: rounds, members, conflicts, sheets, closing, pre-checks and recognition; the
applicant's self-assessment on the councils' sheet."""

from ..eligibility import PREVIOUS_TIER
from .decisions import ImportedRecognition, decision_import, decision_record
from .entries import entries_remove_for_application, entry_add, entry_remove
from .rounds import COUNCIL_ROLES, conflict_declare, may_create_round, member_add, round_close, round_create
from .self_assessment import dossier_self_assess, self_assessment_template
from .sheets import precheck_record, sheet_compute_total, sheet_open, sheet_reopen, sheet_save
from .transitions import round_transition, sheet_transition

__all__ = [
    "COUNCIL_ROLES",
    "PREVIOUS_TIER",
    "ImportedRecognition",
    "conflict_declare",
    "decision_import",
    "decision_record",
    "dossier_self_assess",
    "entries_remove_for_application",
    "entry_add",
    "entry_remove",
    "may_create_round",
    "member_add",
    "precheck_record",
    "round_close",
    "round_create",
    "round_transition",
    "self_assessment_template",
    "sheet_compute_total",
    "sheet_open",
    "sheet_reopen",
    "sheet_save",
    "sheet_transition",
]
