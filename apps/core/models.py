"""The outgoing mail queue: a row per mail, sent by a Celery task after the commit (see apps.core.mail)."""

from django.conf import settings
from django.db import models
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
