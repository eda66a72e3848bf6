"""The dashboard's figures, cached under the data version they were computed at.

``figures_version()`` reads the sequence that the triggers of migration ``reports/0005_figures_version`` advance on
every write to a table the figures read (ORM saves, ``update()``, ``bulk_create()``, raw SQL, admin edits alike), so
a cached entry is never served after the data it counted changed. The version is read before and after computing:
figures computed while a write happened are not cached. Entries also expire after ``TIMEOUT`` seconds, a bound on
anything the version cannot see. Without the sequence (the SQLite demo) nothing is cached.

The work queue and the closing steps of the dashboard (selectors/workqueue.py) are cached the same way, per user,
under both the figures' version and ``reports_queue_version`` (migration ``reports/0006_queue_version``: the tables
the queue reads that the figures do not, and Django's permission tables since ``reports/0009_permission_version``, so
the entry can hold the user's certificate-list permission too); ``data_versions()`` reads both in one query. The
dashboard's rendered figures section (``section_key``) is kept under the figures' version; a hit looks the queue
and the section up together (``cached_many``: one look-up in memory, one in Redis for what memory lacks).

A sequence does not roll back: a transaction that writes, counts and then rolls back (a request under ATOMIC_REQUESTS
that fails, a savepoint) leaves the version it advanced to as the current one. So the keys also carry
``reports.written``, the mark the triggers (migration ``reports/0008_rollback_safe_versions``) set in the writing
transaction: whatever a transaction counts after its own write is kept under a mark no other transaction has, and
after a rollback the mark is gone with the data, so the next reader counts afresh. A transaction that has not written
(every plain page view) has no mark and shares the entries of all readers.
"""

import datetime
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from urllib.parse import urlencode

from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone, translation

from apps.core.release import release
from apps.products.models import ProductGroup

from .figures import unit_figures, without_jit
from .workqueue import QueueItem, closing_steps, work_queue

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


class Entry(NamedTuple):
    """A cache entry to look up: ``compute()`` gives the value when it is found nowhere, and ``unchanged()`` (the
    versions read again after computing equal the ones in the key) says whether it may be kept. Key None: never
    cached (a database without the versions)."""

    key: str | None
    compute: Callable[[], Any]
    unchanged: Callable[[], bool]


def cached_many(entries: list[Entry]) -> list[tuple[Any, str | None]]:
    """(value, key) for each entry, in order: looked up in this process's memory first (``caches["local"]``, kept
    ``LOCAL_TIMEOUT``), then what memory lacks in Redis (shared by the processes, kept ``TIMEOUT``) — one
    ``get_many`` each, so a page asks Redis once at most; the rest computed, and kept under its key only when
    ``unchanged()`` (key None in the answer when not kept: the data changed while it was counted). The key carries
    the version, so the memory copy is exactly as fresh as Redis's."""
    local = caches["local"]
    keys = [entry.key for entry in entries if entry.key is not None]
    found = local.get_many(keys) if keys else {}
    missing = [key for key in keys if key not in found]
    if missing:
        shared = cache.get_many(missing)
        if shared:
            local.set_many(shared, LOCAL_TIMEOUT)
            found.update(shared)
    answers = []
    for entry in entries:
        if entry.key in found:
            answers.append((found[entry.key], entry.key))
            continue
        value = entry.compute()
        if entry.key is None or not entry.unchanged():
            answers.append((value, None))  # not cacheable, or a mix of before and after a write: not kept
            continue
        cache.set(entry.key, value, TIMEOUT)
        local.set(entry.key, value, LOCAL_TIMEOUT)
        answers.append((value, entry.key))
    return answers


def _cached(key: str, compute: Callable[[], T], unchanged: Callable[[], bool]) -> tuple[T, str | None]:
    """(value, key) of one entry (see ``cached_many``)."""
    return cached_many([Entry(key, compute, unchanged)])[0]


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


def section_key(
    *, versions: Versions | None, unit_id: int | None, filters: dict[str, str], today: datetime.date
) -> str | None:
    """The key of the dashboard's rendered figures section (filter form, key figures, ranking, charts and tables)
    for the filter values as the request sent them (``filters``: the raw query-string values of the filter form's
    fields; a digest, since they are the client's), under the figures' version: the section is derived from the
    figures and the product groups alone. None without the versions (nothing cached)."""
    if versions is None:
        return None
    digest = hashlib.blake2b(urlencode(sorted(filters.items())).encode(), digest_size=12).hexdigest()
    return ":".join(
        str(part)
        for part in (
            "reports-section",
            release(),
            versions.figures,
            versions.written,
            unit_id or "n",
            digest,
            today.isoformat(),
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
    return _cached(key, lambda: unit_figures(today=today, **arguments), lambda: figures_unchanged(versions))


def figures_unchanged(versions: Versions) -> bool:
    now = data_versions()
    return now is not None and now.of_figures() == versions.of_figures()


class Queue(NamedTuple):
    items: list[QueueItem]
    steps: list[Any]  # the closing steps
    lists_certificates: bool  # the user may open the certificates list (the key figures link to it)


def queue_entry(user: Any, *, versions: Versions | None, today: datetime.date) -> Entry:
    """The cache entry of ``user``'s work queue, closing steps and certificate-list permission, kept while neither
    data version has moved since they were counted. Keyed by what they depend on besides the data: the user, role,
    unit, active and superuser flags (read from the user loaded for this request), the day and the language. Django's
    permission tables (user and group permissions, groups, permissions, content types) advance the queue's version
    (migration ``reports/0009_permission_version``), so the permission is answered from the entry, not asked of the
    model backend (two queries) on every request."""

    def compute() -> Queue:
        with without_jit():
            return Queue(
                work_queue(user, today=today),
                closing_steps(user, today=today),
                user.has_perm("certificates.list_certificates"),
            )

    if versions is None:
        return Entry(None, compute, lambda: False)
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
            int(user.is_superuser),
            today.isoformat(),
            translation.get_language() or "",
        )
    )
    return Entry(key, compute, lambda: data_versions() == versions)


def dashboard_queue(
    user: Any, *, versions: Versions | None, today: datetime.date | None = None
) -> tuple[list[QueueItem], list[Any]]:
    """(work queue, closing steps) of ``user``, from the cache while the data has not changed (``queue_entry``)."""
    queue, _key = cached_many([queue_entry(user, versions=versions, today=today or timezone.localdate())])[0]
    return queue.items, queue.steps


def group_choices(versions: Versions | None) -> list[tuple[str, str]]:
    """The product groups (code, name) for the dashboard's filter, cached under the figures' version."""

    def compute() -> list[tuple[str, str]]:
        return list(ProductGroup.objects.order_by("order").values_list("code", "name"))

    if versions is None:
        return compute()
    key = f"reports-groups:{versions.figures}:{versions.written}:{translation.get_language() or ''}"
    value, _key = _cached(key, compute, lambda: figures_unchanged(versions))
    return value
