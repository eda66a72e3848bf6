"""Province staff browse and export (CSV) the audit trail of their subtree."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import audit_events_visible_to

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
