"""Reads of the reports app: the figures, the work queue, and which reports a user may see."""

from .figures import table, unit_figures
from .reports import children_status, reports_visible_to
from .scope import scope_for
from .versioned import dashboard_figures, dashboard_queue, data_versions, figures_version, group_choices
from .workqueue import closing_steps, work_queue

__all__ = [
    "children_status",
    "closing_steps",
    "dashboard_figures",
    "dashboard_queue",
    "data_versions",
    "figures_version",
    "group_choices",
    "reports_visible_to",
    "scope_for",
    "table",
    "unit_figures",
    "work_queue",
]
