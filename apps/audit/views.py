"""Province staff browse and export (CSV) the audit trail of their subtree."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from apps.accounts.models import User
from apps.core.policy import user_covers_unit
from apps.core.text import ascii_int
from apps.geo.models import AdministrativeUnit

from .forms import RowHistoryFilterForm
from .selectors import audit_events_visible_to, history_models, row_events_visible_to

EXPORT_SLICE = 500  # history rows per query of the CSV export

PAGE_SIZE = 50
CSV_COLUMNS = ["at", "actor", "action", "object_type", "object_id", "object_repr", "unit", "ip", "request_id"]


class _Echo:
    def write(self, value):
        return value


def _csv_rows(events):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for e in events.iterator(chunk_size=500):
        yield writer.writerow(
            [
                e.at.isoformat(),
                e.actor.email if e.actor_id else "",
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.unit.path if e.unit_id else "",
                e.ip or "",
                e.request_id,
            ]
        )


@login_required
@require_GET
def audit_list(request):
    if not request.user.has_perm("audit.browse_audit"):
        raise PermissionDenied
    events = audit_events_visible_to(request.user)
    action = request.GET.get("action", "")[:64]
    if action:
        events = events.filter(action=action)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="nhat-ky-kiem-tra.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"page": page, "action": action})


CHANGES = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}
HISTORY_CSV_COLUMNS = ["at", "record_type", "object_id", "change", "actor", "ip", "request_id", "origin", "fields"]


def _history_filters(request):
    """The page's filters: (form, selector kwargs); a unit outside the viewer's subtree is a 403."""
    form = RowHistoryFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    unit = None
    if data["unit"]:
        unit = AdministrativeUnit.objects.filter(pk=data["unit"]).first()
        if unit is None or not user_covers_unit(request.user, unit):
            raise PermissionDenied
    actor = None
    if data["actor"]:
        actor = User.objects.filter(email__iexact=data["actor"]).first() or User(pk=0)  # unknown: no events
    kwargs = {"model": data["model"] or None, "actor": actor, "unit": unit}
    return form, {**kwargs, "date_from": data["date_from"], "date_to": data["date_to"]}


def _with_actors(events):
    """Attach ``actor`` (the user named in each event's context) to ``events`` with one query."""
    ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    actors = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    for e in events:
        e.actor = actors.get((e.pgh_context or {}).get("user"))
    return events


def _origin(context):
    context = context or {}
    return context.get("task") or context.get("command") or context.get("url") or ""


def _history_csv_rows(events):
    writer = csv.writer(_Echo())
    yield writer.writerow(HISTORY_CSV_COLUMNS)
    for start in range(0, 10**9, EXPORT_SLICE):  # in slices: the events query is a CTE, not for a server-side cursor
        chunk = _with_actors(list(events[start : start + EXPORT_SLICE]))
        for e in chunk:
            context = e.pgh_context or {}
            changes = e.pgh_diff if e.pgh_label == "update" else e.pgh_data
            yield writer.writerow(
                [
                    e.pgh_created_at.isoformat(),
                    e.pgh_obj_model,
                    e.pgh_obj_id,
                    e.pgh_label,
                    e.actor.email if e.actor else "",
                    context.get("ip") or "",
                    context.get("request_id") or "",
                    _origin(context),
                    json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
                ]
            )
        if len(chunk) < EXPORT_SLICE:
            return


@login_required
@require_GET
def row_history(request):
    """The field-level history of the records of the viewer's subtree (the database triggers' events)."""
    if not request.user.has_perm("audit.browse_audit"):
        raise PermissionDenied
    form, filters = _history_filters(request)
    events = row_events_visible_to(request.user, **filters) if filters is not None else None
    if events is not None and request.GET.get("format") == "csv":
        response = StreamingHttpResponse(_history_csv_rows(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lich-su-ban-ghi.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    number = max(1, min(ascii_int(request.GET.get("page")) or 1, 10**6))
    rows = list(events[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1]) if events is not None else []
    has_next = len(rows) > PAGE_SIZE
    rows = _with_actors(rows[:PAGE_SIZE])
    names = {label: m.pgh_tracked_model._meta.verbose_name for label, m in history_models().items()}
    for e in rows:
        e.record_type = names.get(e.pgh_obj_model, e.pgh_obj_model)
        e.changes = sorted((e.pgh_diff or {}).items()) if e.pgh_label == "update" else None
        # A creation shows the row's first values, a deletion its last ones (the record itself is gone).
        e.values = sorted((e.pgh_data or {}).items()) if e.changes is None else None
        e.deleted = e.pgh_label == "delete"
        e.origin = _origin(e.pgh_context)
        e.change = CHANGES.get(e.pgh_label, e.pgh_label)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "events": rows, "page_number": number, "has_next": has_next, "query": query.urlencode()}
    return render(request, "audit/row_history.html", context)
