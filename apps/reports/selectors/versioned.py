"""The dashboard's figures, cached under the data version they were computed at.

``figures_version()`` reads the sequence that the triggers of migration ``reports/0005_figures_version`` advance on
every write to a table the figures read (ORM saves, ``update()``, ``bulk_create()``, raw SQL, admin edits alike), so
a cached entry is never served after the data it counted changed. The version is read before and after computing:
figures computed while a write happened are not cached. Entries also expire after ``TIMEOUT`` seconds, a bound on
anything the version cannot see. Without the sequence (the SQLite demo) nothing is cached.

The work queue and the closing steps of the dashboard (selectors/workqueue.py) are cached the same way, per user,
under both the figures' version and ``reports_queue_version`` (migration ``reports/0006_queue_version``: the tables
the queue reads that the figures do not); ``data_versions()`` reads both in one query.

A sequence does not roll back: a transaction that writes, counts and then rolls back (a request under ATOMIC_REQUESTS
that fails, a savepoint) leaves the version it advanced to as the current one. So the keys also carry
``reports.written``, the mark the triggers (migration ``reports/0008_rollback_safe_versions``) set in the writing
transaction: whatever a transaction counts after its own write is kept under a mark no other transaction has, and
after a rollback the mark is gone with the data, so the next reader counts afresh. A transaction that has not written
(every plain page view) has no mark and shares the entries of all readers.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone, translation

from apps.core.release import release
from apps.products.models import ProductGroup

from .figures import unit_figures
from .workqueue import QueueItem, closing_steps, shows_certificates, work_queue

if TYPE_CHECKING:
    from apps.geo.models import AdministrativeUnit

TIMEOUT = 10 * 60
LOCAL_TIMEOUT = 60  # a process's own copy: a minute, so the bound above still holds within a minute
SEQUENCE = "reports_figures_version"
QUEUE_SEQUENCE = "reports_queue_version"
T = TypeVar("T")


MARK = "reports.written"


class Versions(NamedTuple):
    figures: int
    queue: int
    written: str  # this transaction's mark: '' unless it wrote a table a version follows

    def of_figures(self) -> tuple[int, str]:
        return self.figures, self.written


def figures_version() -> int | None:
    """The current data version (one query), or None on a database without the version sequence (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {SEQUENCE}")  # noqa: S608 — a module constant, no input
        last_value, is_called = cursor.fetchone()
    return last_value if is_called else last_value - 1


def data_versions() -> Versions | None:
    """Both data versions and this transaction's write mark (one query), or None on a database without the
    sequences (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(  # module constants, no input
            "SELECT f.last_value, f.is_called, q.last_value, q.is_called, "  # noqa: S608
            f"coalesce(current_setting('{MARK}', true), '') FROM {SEQUENCE} f, {QUEUE_SEQUENCE} q"
        )
        f_value, f_called, q_value, q_called, written = cursor.fetchone()
    return Versions(f_value if f_called else f_value - 1, q_value if q_called else q_value - 1, written)


def _cached(key: str, compute: Callable[[], T], unchanged: Callable[[], bool]) -> tuple[T, str | None]:
    """(value, key): the cached value under ``key``, else ``compute()`` kept under ``key`` only when ``unchanged()``
    (the version read again after computing equals the one in the key); key None when not kept.

    Looked up in this process's memory first (``caches["local"]``, kept ``LOCAL_TIMEOUT``), then in Redis (shared by
    the processes, kept ``TIMEOUT``): the key carries the version, so the memory copy is exactly as fresh."""
    local = caches["local"]
    value = local.get(key)
    if value is not None:
        return value, key
    value = cache.get(key)
    if value is not None:
        local.set(key, value, LOCAL_TIMEOUT)
        return value, key
    value = compute()
    if not unchanged():
        return value, None  # the data changed while we counted: do not keep what may be a mix
    cache.set(key, value, TIMEOUT)
    local.set(key, value, LOCAL_TIMEOUT)
    return value, key


def figures_key(
    *,
    version: int,
    written: str,
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
            release(),  # the figure tables rendered from them are cached under this key too
            version,
            written,
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
    versions: Versions | None = None,
) -> tuple[Any, str | None]:
    """(figures, key): ``unit_figures`` for these arguments from the cache when the data has not changed since,
    and the cache key (None when not cacheable) for fragments rendered from them. ``versions``: the data versions
    this request read before (saves the query), else they are read here."""
    today = today or timezone.localdate()
    arguments = {"unit": unit, "period": period, "edition": edition, "rule_set": rule_set, "group": group}
    versions = versions if versions is not None else data_versions()
    if versions is None:
        return unit_figures(today=today, **arguments), None
    key = figures_key(version=versions.figures, written=versions.written, today=today, **arguments)
    return _cached(key, lambda: unit_figures(today=today, **arguments), lambda: _figures_unchanged(versions))


def _figures_unchanged(versions: Versions) -> bool:
    now = data_versions()
    return now is not None and now.of_figures() == versions.of_figures()


def dashboard_queue(
    user: Any, *, versions: Versions | None, today: datetime.date | None = None
) -> tuple[list[QueueItem], list[Any]]:
    """(work queue, closing steps) of ``user``, from the cache while neither data version has moved since they were
    counted. Keyed by what the counts depend on besides the data: the user, role, unit and active flag (read from
    the user loaded for this request), the model permission that decides which items show (Django's own permission
    tables carry no version; the template asks the same, so it costs no query more), the day and the language."""
    today = today or timezone.localdate()

    def compute() -> tuple[list[QueueItem], list[Any]]:
        return work_queue(user, today=today), closing_steps(user, today=today)

    if versions is None:
        return compute()
    key = ":".join(
        str(part)
        for part in (
            "reports-queue",
            versions.figures,
            versions.queue,
            versions.written,
            user.pk,
            user.role,
            user.unit_id or "",
            int(user.is_active),
            int(shows_certificates(user)),
            today.isoformat(),
            translation.get_language() or "",
        )
    )
    value, _key = _cached(key, compute, lambda: data_versions() == versions)
    return value


def group_choices(versions: Versions | None) -> list[tuple[str, str]]:
    """The product groups (code, name) for the dashboard's filter, cached under the figures' version."""

    def compute() -> list[tuple[str, str]]:
        return list(ProductGroup.objects.order_by("order").values_list("code", "name"))

    if versions is None:
        return compute()
    key = f"reports-groups:{versions.figures}:{versions.written}:{translation.get_language() or ''}"
    value, _key = _cached(key, compute, lambda: _figures_unchanged(versions))
    return value
