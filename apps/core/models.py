"""Core rows: the outgoing mail queue (``apps.core.mail``) and the outbox of tasks (``apps.core.outbox``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import MailKind, MailState


class OutgoingMail(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=MailKind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    to = models.JSONField(_("recipients"), default=list)
    # The account an invitation is for: its inviter may send it again when it could not be delivered.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outgoing_mails",
    )
    state = models.CharField(_("state"), max_length=8, choices=MailState.choices, default=MailState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "kind", "state"], name="core_mail_user_kind_state")]

    def __str__(self):
        return self.subject


class OutboxMessage(models.Model):
    """One Celery task to send once the transaction that wrote it commits.

    The request never talks to the broker inside its transaction: it writes this row, and the row is sent after
    commit (or, if the broker is down then, by the one-minute sweep once it is back). The tasks themselves claim
    their work conditionally, so a message sent twice does nothing the second time.
    """

    task_name = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    # The user whose action queued the task: the task's writes are recorded as theirs (apps.core.actor).
    caused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
