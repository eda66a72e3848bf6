"""Reads of the audit trail: the events and the row history of the viewer's subtree, newest first."""

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from pghistory.models import Events

from apps.core.policy import scope

from .models import HISTORY_MODELS, AuditEvent


def audit_events_visible_to(user):
    return scope(AuditEvent.objects.select_related("actor", "unit"), user, unit_field="unit").order_by("-at", "-pk")


# --- Row history (the pghistory events) of the viewer's subtree. Each tracked model is placed in the unit tree
# through the field its jurisdiction follows; an event is shown when its object is, today, in the viewer's subtree
# (events of deleted rows are read in the admin).
HISTORY_UNIT_FIELDS = {
    "producers.Producer": "commune",
    "producers.ProducerDocument": "producer__commune",
    "products.Product": "commune",
    "cycles.Application": "product__commune",
    "cycles.Dossier": "application__product__commune",
    "evaluation.EvaluationRound": "unit",
    "evaluation.RoundEntry": "round__unit",
    "evaluation.ScoreSheet": "round__unit",
    "evaluation.RecognitionDecision": "issuing_unit",
    "certificates.Certificate": "product__commune",
    "accounts.User": "unit",
}


def history_models():
    """The event models, keyed by the label of the model they track, in the order of ``HISTORY_MODELS``."""
    return {m.pgh_tracked_model._meta.label: m for m in HISTORY_MODELS}


def row_events_visible_to(user, *, model=None, actor=None, date_from=None, date_to=None, unit=None):
    """The row events (newest first) of objects in the user's subtree, or in ``unit`` within it; one SQL query.

    Each event has ``pgh_data`` (the row after the change), ``pgh_diff`` ({field: [before, after]}, against the
    previous event of the same row) and ``pgh_context`` (user, ip, request_id, url, or command / task).
    """
    event_models = history_models()
    labels = [model] if model else list(event_models)
    visible = Q()
    for label in labels:
        tracked = event_models[label].pgh_tracked_model
        unit_field = HISTORY_UNIT_FIELDS[label]
        objects = scope(tracked.objects.all(), user, unit_field=unit_field)
        if unit is not None:
            objects = objects.filter(**{f"{unit_field}__path__startswith": unit.path})
        visible |= Q(pgh_obj_model=label, pgh_obj_id__in=objects.values(pk_text=Cast("pk", TextField())))
    events = Events.objects.across(*(event_models[label] for label in labels)).filter(visible)
    if actor is not None:
        events = events.filter(pgh_context__user=actor.pk)
    if date_from:
        events = events.filter(pgh_created_at__date__gte=date_from)
    if date_to:
        events = events.filter(pgh_created_at__date__lte=date_to)
    return events.order_by("-pgh_created_at", "-pgh_slug")
