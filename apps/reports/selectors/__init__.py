"""Reads of the reports app: the figures, the work queue, and which reports a user may see."""

from .figures import table, unit_figures
from .scope import scope_for

__all__ = ["scope_for", "table", "unit_figures"]
