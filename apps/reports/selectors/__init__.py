"""Reads of the reports app: the figures, the work queue, and which reports a user may see."""

from .figures import table, unit_figures
from .reports import children_status, reports_visible_to
from .scope import scope_for
from .versioned import (
    Entry,
    cached_many,
    dashboard_figures,
    dashboard_queue,
    data_versions,
    figures_unchanged,
    figures_version,
    group_choices,
    queue_entry,
    section_key,
)
from .workqueue import closing_steps, work_queue

__all__ = [
    "Entry",
    "cached_many",
    "children_status",
    "closing_steps",
    "dashboard_figures",
    "dashboard_queue",
    "data_versions",
    "figures_unchanged",
    "figures_version",
    "group_choices",
    "queue_entry",
    "reports_visible_to",
    "scope_for",
    "section_key",
    "table",
    "unit_figures",
    "work_queue",
]
