"""Periodic reports (báo cáo định kỳ): one row per unit, kind and period, with its files and its way up the chain.

The row is the truth about its files: ``file_state`` follows the one render lifecycle of ``apps.core.rendering``
(pending → rendering → ready | failed), and a worker claims the row with a conditional UPDATE stamping
``render_claim``. ``state`` is the report's place in the chain
(draft → submitted → accepted, or returned and submitted again), changed only by
:func:`apps.reports.services.report_transition`.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.rendering import RenderFields, RenderLifecycle
from apps.core.storage import get_private_storage

from .enums import FileState, ReportKind, ReportState

# Each narrative part of a report (results, difficulties, proposals): about ten pages of text.
NARRATIVE_MAX_LENGTH = 20000


class Report(RenderLifecycle, models.Model):
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ocop_reports"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=24, help_text=_("2026-11, 2026-Q4, 2026-H2 or 2026"))
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    number = models.CharField(_("number"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    # The figures as generated (frozen once the report is accepted), and the narrative the unit's officer writes.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    results = models.TextField(
        _("results achieved"),
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[MaxLengthValidator(NARRATIVE_MAX_LENGTH)],
    )
    difficulties = models.TextField(
        _("difficulties and shortcomings"),
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[MaxLengthValidator(NARRATIVE_MAX_LENGTH)],
    )
    proposals = models.TextField(
        _("proposals and recommendations"),
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[MaxLengthValidator(NARRATIVE_MAX_LENGTH)],
    )
    return_reason = models.TextField(
        _("reason for return"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("accepted or returned at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_state = models.CharField(_("files"), max_length=12, choices=FileState.choices, default=FileState.PENDING)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", storage=get_private_storage, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to="reports/%Y/", storage=get_private_storage, blank=True)
    render_error = models.TextField(_("generation error"), blank=True)
    render_claim = models.UUIDField(null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    # Set once by the daily job when the level above is told this report is late.
    late_reminder_sent_at = models.DateTimeField(_("late reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Two files (PDF and XLSX), no attempt counter: the report stores its files itself (services.report_render).
    render_fields = RenderFields(
        state="file_state",
        claim="render_claim",
        started_at="updated_at",
        attempts=None,
        error="render_error",
        file="pdf",
        checksum=None,
        rendered_at="generated_at",
        queued_at="updated_at",
    )
    # A row left "rendering" this long by a worker that died may be claimed again.
    render_stale_seconds = 20 * 60

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "period"], name="reports_one_per_unit_kind_period"),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="reports_period_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.RETURNED) | ~Q(return_reason=""), name="reports_return_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(file_state=FileState.READY) | (~Q(pdf="") & ~Q(xlsx="")), name="reports_ready_has_files"
            ),
        ]
        indexes = [models.Index(fields=["kind", "period"], name="reports_kind_period")]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()} {self.period}"

    @property
    def jurisdiction_unit(self):
        return self.unit

    @property
    def is_locked(self):
        return self.state == ReportState.ACCEPTED


class ReportTransition(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=12, choices=ReportState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=ReportState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    # When the move was made: now, or the replayed moment (``report_transition(at=...)``).
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    reason = models.TextField(_("reason"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report_id}: {self.from_state} → {self.to_state}"

    @property
    def jurisdiction_unit(self):
        return self.report.unit
