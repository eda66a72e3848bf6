"""Writing to the audit trail. Call inside the same transaction as the change it records."""

from apps.core.actor import current_actor

from .models import AuditEvent


def audit_record(*, action, obj, by, before=None, after=None, reason="", unit=None):
    """``by`` is the acting user; inside a Celery task without one, the user whose action queued the task."""
    actor = current_actor()
    actor_id = by.pk if getattr(by, "pk", None) else None
    if actor_id is None and actor is not None and actor.task:
        actor_id = actor.user_id
    return AuditEvent.objects.create(
        actor_id=actor_id,
        task=actor.task if actor is not None else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit=unit if unit is not None else getattr(obj, "jurisdiction_unit", None),
        before=before,
        after=after,
        reason=reason,
    )
