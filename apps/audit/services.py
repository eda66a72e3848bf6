"""Writing to the audit trail. Call inside the same transaction as the change it records."""

from .models import AuditEvent


def audit_record(*, action, obj, by, before=None, after=None, reason="", unit=None):
    return AuditEvent.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit=unit if unit is not None else getattr(obj, "jurisdiction_unit", None),
        before=before,
        after=after,
        reason=reason,
    )
