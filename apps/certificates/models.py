"""Certificates (giấy chứng nhận) and recognition-decision documents, both rendered to PDF by Celery workers.

A rendered document's row is the truth about its file: ``render_state`` follows the one render lifecycle of
``apps.core.rendering`` (pending → rendering → ready | failed); a worker claims rows with a conditional UPDATE
that stamps ``render_claim``, so two workers never render the same row, and a row left "rendering" by a dead
worker can be claimed again once stale.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.history import history_of
from apps.core.enums import LOWEST_RECOGNISED_STARS, RenderState, Stars
from apps.core.rendering import RenderedDocument

from .enums import CertificateStatus, Replacement


def verification_path(token):
    """The site-relative address of the public page that verifies a certificate's token (its QR code's target).

    In the active language: Vietnamese pages have no prefix, English ones live under /en/.
    """
    return reverse("verify:certificate", kwargs={"token": token})


class CertificateQuerySet(models.QuerySet):
    def currently_valid(self, today=None):
        """Valid today: 3★ or more, not revoked, not superseded, not expired."""
        today = today or timezone.localdate()
        return self.filter(
            stars__gte=LOWEST_RECOGNISED_STARS,
            revoked_at__isnull=True,
            superseded_by__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        )

    def with_status(self, status, today=None):
        """Rows whose :meth:`Certificate.status` is ``status`` today (same precedence, in SQL)."""
        today = today or timezone.localdate()
        revoked = Q(revoked_at__isnull=False)
        superseded = Q(superseded_by__isnull=False)
        conditions = {
            CertificateStatus.REVOKED: revoked,
            CertificateStatus.SUPERSEDED: ~revoked & superseded,
            CertificateStatus.EXPIRED: ~revoked & ~superseded & Q(valid_until__lt=today),
            CertificateStatus.NOT_YET_VALID: ~revoked & ~superseded & Q(valid_from__gt=today),
            CertificateStatus.VALID: ~revoked & ~superseded & Q(valid_from__lte=today, valid_until__gte=today),
        }
        return self.filter(conditions[CertificateStatus(status)])


class Certificate(RenderedDocument):
    recognition = models.OneToOneField(
        "evaluation.RecognitionItem",
        verbose_name=_("recognition"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    product = models.ForeignKey(
        "products.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="certificates"
    )
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    # Random, unguessable, short: the only thing the QR code carries.
    token = models.CharField(_("verification token"), max_length=32, unique=True)
    stars = models.PositiveSmallIntegerField(_("stars"), choices=Stars.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(
        _("reason for revocation"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # Set once by the daily job, so the holder is warned once, not every day.
    reminder_sent_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("marked expired at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-valid_from", "serial"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lt=models.F("valid_until")), name="certificates_valid_range"
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=LOWEST_RECOGNISED_STARS, stars__lte=Stars.FIVE),
                name="certificates_recognised_stars",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificates_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(render_state=RenderState.READY) | (~Q(file="") & ~Q(checksum="")),
                name="certificates_ready_has_file",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "valid_until"], name="certificates_product_validity"),
            models.Index(fields=["render_state"], name="certificates_render_state"),
        ]

    def __str__(self):
        return self.serial

    @property
    def jurisdiction_unit(self):
        return self.product.commune

    @property
    def verification_path(self):
        return verification_path(self.token)

    @property
    def replacement(self):
        """Renewed, upgraded or downgraded: how the certificate that superseded this one changed the stars."""
        if not self.superseded_by_id:
            return None
        return replacement_kind(self.stars, self.superseded_by.stars)

    @property
    def replacement_label(self):
        kind = self.replacement
        if kind is None:
            return ""
        new = self.superseded_by
        if kind == Replacement.RENEWED:
            text = _("Renewed at %(stars)s★ by certificate %(serial)s.")
        elif kind == Replacement.UPGRADED:
            text = _("Upgraded from %(old)s★ to %(stars)s★ by certificate %(serial)s.")
        else:
            text = _("Downgraded from %(old)s★ to %(stars)s★ by certificate %(serial)s.")
        return text % {"old": self.stars, "stars": new.stars, "serial": new.serial}

    def status(self, today=None):
        today = today or timezone.localdate()
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.superseded_by_id:
            return CertificateStatus.SUPERSEDED
        if self.valid_until < today:
            return CertificateStatus.EXPIRED
        if self.valid_from > today:
            return CertificateStatus.NOT_YET_VALID
        return CertificateStatus.VALID


def replacement_kind(old_stars, new_stars):
    if new_stars == old_stars:
        return Replacement.RENEWED
    return Replacement.UPGRADED if new_stars > old_stars else Replacement.DOWNGRADED


class DecisionDocument(RenderedDocument):
    """The recognition decision (quyết định công nhận) as a PDF, with the annexed list of products."""

    decision = models.OneToOneField(
        "evaluation.RecognitionDecision",
        verbose_name=_("recognition decision"),
        on_delete=models.PROTECT,
        related_name="document",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision document")
        verbose_name_plural = _("decision documents")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(render_state=RenderState.READY) | (~Q(file="") & ~Q(checksum="")),
                name="certificates_decision_ready_has_file",
            ),
        ]

    def __str__(self):
        return str(self.decision)

    @property
    def jurisdiction_unit(self):
        return self.decision.issuing_unit


# --- Row history (apps/audit/history.py): the event tables live in audit


class CertificateEvent(history_of(Certificate)):
    pass
