"""Celery tasks of the reports app: thin adapters calling one service each, with primitive arguments."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.core.outbox import enqueue

from . import services
from .models import Report
from .periods import Period


@shared_task(name="reports.render_report")
def render_report_task(*, report_id):
    if not Report.objects.filter(pk=report_id).exists():
        return False
    return services.report_render(report_id=report_id)


@shared_task(name="reports.generate_period")
def generate_period_task(*, kind, period=None):
    """Prepare every unit's report of ``period`` (default: the last complete period of ``kind``), one render each."""
    period = Period.parse(period, kind=kind) if period else Period.last_complete(kind, timezone.localdate())
    with transaction.atomic():
        reports = services.reports_prepare_period(period=period)
        ids = [r.pk for r in reports]
        for pk in ids:
            enqueue("reports.render_report", report_id=pk)
    return len(ids)


@shared_task(name="reports.remind_late")
def remind_late_task():
    return services.reports_remind_late()
