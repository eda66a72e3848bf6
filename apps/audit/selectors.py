"""Reads of the audit trail: the events of the viewer's subtree, newest first."""

from apps.core.policy import scope

from .models import AuditEvent


def audit_events_visible_to(user):
    return scope(AuditEvent.objects.select_related("actor", "unit"), user, unit_field="unit").order_by("-at", "-pk")
