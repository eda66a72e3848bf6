"""Every write of the cycles app, by theme; import from here (``from apps.cycles.services import x``).

- :mod:`.transitions`: the one function that moves an application's state (its table: :mod:`apps.cycles.workflow`,
  re-exported here).
- :mod:`.checks`: what a dossier must hold before it can be submitted, and what a submitted one relies on.
- :mod:`.cycle`: opening a yearly cycle.
- :mod:`.applications`: registering a product idea.
- :mod:`.dossier`: the commune's edits to a dossier and its evidence files (the self-assessment on the councils'
  sheet is in :mod:`apps.evaluation.services.self_assessment`).
- :mod:`.plans`: yearly plans and targets.
"""

from ..rules import user_tiers
from ..workflow import (
    CHECK_STATES,
    NEXT_ACTOR,
    REASON_REQUIRED,
    RESUBMIT_TIERS,
    TRANSITIONS,
    WITHDRAWABLE_STATES,
    allowed_targets,
)
from .applications import application_create, duplicate_product, idea_register
from .checks import (
    FOOD_SAFETY_GROUPS,
    VAULT_RELIANT_RETURNS,
    VAULT_RELIANT_STATES,
    dossier_problems,
    required_document_kinds,
    vault_kinds_relied_on,
)
from .cycle import StepDates, cycle_create
from .dossier import (
    DOSSIER_EDITABLE_STATES,
    DOSSIER_FIELDS,
    dossier_update,
    evidence_remove,
    evidence_upload,
    require_dossier_editor,
    self_assessment_totals,
)
from .plans import may_edit_plan, plan_save
from .transitions import (
    ACTION_LABELS,
    RESUBMIT_LABEL,
    TransitionNotAllowed,
    application_transition,
)
from .windows import (
    STEP_OF_MOVE,
    cycle_step_extend,
    late_allowance_grant,
    require_step_open,
    step_window_problem,
)

__all__ = [
    "ACTION_LABELS",
    "CHECK_STATES",
    "DOSSIER_EDITABLE_STATES",
    "DOSSIER_FIELDS",
    "FOOD_SAFETY_GROUPS",
    "NEXT_ACTOR",
    "REASON_REQUIRED",
    "RESUBMIT_LABEL",
    "RESUBMIT_TIERS",
    "STEP_OF_MOVE",
    "TRANSITIONS",
    "VAULT_RELIANT_RETURNS",
    "VAULT_RELIANT_STATES",
    "WITHDRAWABLE_STATES",
    "StepDates",
    "TransitionNotAllowed",
    "allowed_targets",
    "application_create",
    "application_transition",
    "cycle_create",
    "cycle_step_extend",
    "dossier_problems",
    "dossier_update",
    "duplicate_product",
    "evidence_remove",
    "evidence_upload",
    "idea_register",
    "late_allowance_grant",
    "may_edit_plan",
    "plan_save",
    "require_dossier_editor",
    "require_step_open",
    "required_document_kinds",
    "self_assessment_totals",
    "step_window_problem",
    "user_tiers",
    "vault_kinds_relied_on",
]
