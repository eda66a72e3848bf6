"""Reads of the audit trail: the events of the viewer's subtree, newest first."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from apps.core.policy import scope

from .models import AuditEvent

if TYPE_CHECKING:
    from apps.accounts.models import User


def audit_events_visible_to(user: "User") -> QuerySet[AuditEvent]:
    return scope(AuditEvent.objects.select_related("actor", "unit"), user, unit_field="unit").order_by("-at", "-pk")
