"""Reads of the audit trail: the events and the row history of the viewer's subtree, newest first."""

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast, Coalesce
from pghistory.models import Events

from apps.core.policy import q_in_user_subtree, scope
from apps.geo.models import AdministrativeUnit

from .history import event_models
from .models import AuditEvent

if TYPE_CHECKING:
    from apps.accounts.models import User


def audit_events_visible_to(user: "User") -> QuerySet[AuditEvent]:
    return scope(AuditEvent.objects.select_related("actor", "unit"), user, unit_field="unit").order_by("-at", "-pk")


# --- Row history (the pghistory events) of the viewer's subtree. Each tracked model is placed in the unit tree
# through one field of its row: a unit, or a parent record whose own placement applies (a document through its
# producer, a sheet through its round). An event is shown when the record was in the viewer's subtree when the event
# was written (the unit in the event's own row, so a DELETED record stays in the history of the subtree it belonged
# to), or is there today.
PLACEMENT = {
    "producers.Producer": ("commune", None),
    "producers.ProducerDocument": ("producer", "producers.Producer"),
    "products.Product": ("commune", None),
    "cycles.Application": ("product", "products.Product"),
    "cycles.Dossier": ("application", "cycles.Application"),
    "evaluation.EvaluationRound": ("unit", None),
    "evaluation.RoundEntry": ("round", "evaluation.EvaluationRound"),
    "evaluation.ScoreSheet": ("round", "evaluation.EvaluationRound"),
    "evaluation.RecognitionDecision": ("issuing_unit", None),
    "certificates.Certificate": ("product", "products.Product"),
    "accounts.User": ("unit", None),
}


def _unit_field(label: str) -> str:
    field, parent = PLACEMENT[label]
    return field if parent is None else f"{field}__{_unit_field(parent)}"


# The path from each tracked model to its unit ("producer__commune"), for the rows that exist today.
HISTORY_UNIT_FIELDS = {label: _unit_field(label) for label in PLACEMENT}


def history_models() -> dict[str, Any]:
    """The event models, keyed by the label of the model they track, in the order of ``history.TRACKED``."""
    return {m.pgh_tracked_model._meta.label: m for m in event_models()}


def _event_unit(label: str) -> Any:
    """The unit id of the record an event of ``label`` was written for, as an expression over the event's own row:
    its unit field, or its parent's unit (see :func:`_record_unit`)."""
    field, parent = PLACEMENT[label]
    if parent is None:
        return F(f"{field}_id")
    return _record_unit(parent, OuterRef(f"{field}_id"))


def _record_unit(label: str, pk: Any) -> Any:
    """The unit id of the ``label`` record ``pk``: the row's today, or — the record deleted — its last snapshot's."""
    event_models = history_models()
    tracked = event_models[label].pgh_tracked_model
    today = tracked.objects.filter(pk=pk).values(HISTORY_UNIT_FIELDS[label])[:1]
    last = (
        event_models[label]
        .objects.filter(pgh_obj_id=pk)
        .order_by("-pgh_id")
        .annotate(placed_unit=_event_unit(label))
        .values("placed_unit")[:1]
    )
    return Coalesce(Subquery(today), Subquery(last), output_field=BigIntegerField())


def row_events_visible_to(
    user: "User",
    *,
    model: str | None = None,
    actor: "User | None" = None,
    date_from: "datetime.date | None" = None,
    date_to: "datetime.date | None" = None,
    unit: "AdministrativeUnit | None" = None,
) -> Any:
    """The row events (newest first) of records in the user's subtree, or in ``unit`` within it — deleted records
    included, placed by the unit of their event rows; one SQL query.

    Each event has ``pgh_data`` (the row after the change; for a deletion, the row's last values), ``pgh_diff``
    ({field: [before, after]}, against the previous event of the same row) and ``pgh_context`` (user, ip,
    request_id, url, or command / task).
    """
    event_models = history_models()
    labels = [model] if model else list(event_models)
    units_q = q_in_user_subtree(user, "")  # the units the user covers (every unit, or none, as a Q)
    if unit is not None:
        units_q &= Q(path__startswith=unit.path)
    units = AdministrativeUnit.objects.filter(units_q).values("pk")
    visible = Q()
    for label in labels:
        event_model = event_models[label]
        tracked = event_model.pgh_tracked_model
        unit_field = HISTORY_UNIT_FIELDS[label]
        objects = scope(tracked.objects.all(), user, unit_field=unit_field)
        if unit is not None:
            objects = objects.filter(**{f"{unit_field}__path__startswith": unit.path})
        placed = event_model.objects.annotate(placed_unit=_event_unit(label)).filter(placed_unit__in=units)
        visible |= Q(pgh_model=event_model._meta.label, pgh_id__in=placed.values("pgh_id")) | Q(
            pgh_obj_model=label, pgh_obj_id__in=objects.values(pk_text=Cast("pk", TextField()))
        )
    events = Events.objects.across(*(event_models[label] for label in labels)).filter(visible)
    if actor is not None:
        events = events.filter(pgh_context__user=actor.pk)
    if date_from:
        events = events.filter(pgh_created_at__date__gte=date_from)
    if date_to:
        events = events.filter(pgh_created_at__date__lte=date_to)
    # One transaction's events share their time (pghistory stamps NOW()); the event id orders them within a model.
    # Never the text slug: "…Event:9" sorts above "…Event:10".
    return events.order_by("-pgh_created_at", "-pgh_id", "pgh_model")
