"""The transactional outbox: a task to send is a row written in the same transaction as the change it follows."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One Celery task to send once the transaction that wrote it commits.

    The request never talks to the broker inside its transaction: it writes this row, and the row is sent after
    commit (or, if the broker is down then, by the one-minute sweep once it is back). The tasks themselves claim
    their work conditionally, so a message sent twice does nothing the second time.
    """

    task_name = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set by the sender that claims the row; cleared again if the broker refused it.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["pk"]
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="core_outbox_unsent")]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"
