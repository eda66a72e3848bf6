"""The audit trail: one append-only row per change that matters (who, when, what, before → after)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # The Celery task that wrote the row (its actor is then the user whose action queued the task).
    task = models.CharField(_("task"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def jurisdiction_unit(self):
        return self.unit


# --- Row history (issue 11): PostgreSQL triggers copy every insert, update and delete of the records that matter into
# an append-only event table, whatever wrote them (a view, the admin, a management command, a shell, raw SQL). Each
# event carries the pghistory context of its request or command (actor, IP, request id, URL or command name).
# On SQLite (the demo) the tables exist but no trigger fills them.

import pghistory  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.certificates.models import Certificate  # noqa: E402
from apps.cycles.models import Application, Dossier  # noqa: E402
from apps.evaluation.models import EvaluationRound, RecognitionDecision, RoundEntry, ScoreSheet  # noqa: E402
from apps.producers.models import Producer, ProducerDocument  # noqa: E402
from apps.products.models import Product  # noqa: E402


def _events(model, **kwargs):
    return pghistory.create_event_model(
        model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        app_label="audit",
        append_only=True,
        model_name=f"{model.__name__}Event",
        **kwargs,
    )


class ProducerEvent(_events(Producer)):
    pass


class ProducerDocumentEvent(_events(ProducerDocument)):
    pass


class ProductEvent(_events(Product)):
    pass


class ApplicationEvent(_events(Application)):
    pass


class DossierEvent(_events(Dossier)):
    pass


class EvaluationRoundEvent(_events(EvaluationRound)):
    pass


class RoundEntryEvent(_events(RoundEntry)):
    pass


class ScoreSheetEvent(_events(ScoreSheet)):
    pass


class RecognitionDecisionEvent(_events(RecognitionDecision)):
    pass


class CertificateEvent(_events(Certificate)):
    pass


class UserEvent(_events(User, fields=["email", "full_name", "role", "unit", "is_active", "is_staff", "is_superuser"])):
    pass


HISTORY_MODELS = [
    ProducerEvent,
    ProducerDocumentEvent,
    ProductEvent,
    ApplicationEvent,
    DossierEvent,
    EvaluationRoundEvent,
    RoundEntryEvent,
    ScoreSheetEvent,
    RecognitionDecisionEvent,
    CertificateEvent,
    UserEvent,
]
