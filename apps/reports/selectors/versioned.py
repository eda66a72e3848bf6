"""The dashboard's figures, cached under the data version they were computed at.

``figures_version()`` reads the sequence that the triggers of migration ``reports/0005_figures_version`` advance on
every write to a table the figures read (ORM saves, ``update()``, ``bulk_create()``, raw SQL, admin edits alike), so
a cached entry is never served after the data it counted changed. The version is read before and after computing:
figures computed while a write happened are not cached. Entries also expire after ``TIMEOUT`` seconds, a bound on
anything the version cannot see. Without the sequence (the SQLite demo) nothing is cached.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from .figures import unit_figures

if TYPE_CHECKING:
    from apps.geo.models import AdministrativeUnit

TIMEOUT = 10 * 60
SEQUENCE = "reports_figures_version"


def figures_version() -> int | None:
    """The current data version (one query), or None on a database without the version sequence (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {SEQUENCE}")  # noqa: S608 — a module constant, no input
        last_value, is_called = cursor.fetchone()
    return last_value if is_called else last_value - 1


def figures_key(
    *,
    version: int,
    unit: "AdministrativeUnit | None",
    period: Any,
    edition: str | None,
    today: datetime.date,
    rule_set: str | None,
    group: str | None,
) -> str:
    scope = f"u{unit.pk}" if unit is not None else f"n{edition or ''}"
    return ":".join(
        str(part)
        for part in (
            "reports-figures",
            version,
            scope,
            period.key,
            today.isoformat(),
            rule_set or "",
            group or "",
            translation.get_language() or "",
        )
    )


def dashboard_figures(
    *,
    unit: "AdministrativeUnit | None" = None,
    period: Any,
    edition: str | None = None,
    rule_set: str | None = None,
    group: str | None = None,
    today: datetime.date | None = None,
) -> tuple[Any, str | None]:
    """(figures, key): ``unit_figures`` for these arguments from the cache when the data has not changed since,
    and the cache key (None when not cacheable) for fragments rendered from them."""
    today = today or timezone.localdate()
    arguments = {"unit": unit, "period": period, "edition": edition, "rule_set": rule_set, "group": group}
    version = figures_version()
    if version is None:
        return unit_figures(today=today, **arguments), None
    key = figures_key(version=version, today=today, **arguments)
    figures = cache.get(key)
    if figures is not None:
        return figures, key
    figures = unit_figures(today=today, **arguments)
    if figures_version() != version:
        return figures, None  # the data changed while we counted: do not keep what may be a mix
    cache.set(key, figures, TIMEOUT)
    return figures, key
