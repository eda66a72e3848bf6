"""Rounds, their councils and the products they rate; members' sheets and the commune pre-check."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.enums import RenderState, Stars
from apps.core.rendering import RenderFields, RenderLifecycle
from apps.core.storage import get_private_storage

from ..enums import COUNTED_SHEET_STATES, SCORABLE_SHEET_STATES, Aggregation, MemberRole, RoundState, SheetState, Tier
from .sheets import Criterion, Option, SheetTemplate


class EvaluationRound(RenderLifecycle, models.Model):
    cycle = models.ForeignKey("cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="rounds")
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("council unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=255)
    council_decision_number = models.CharField(_("council decision number"), max_length=64, blank=True)
    council_decision_date = models.DateField(_("council decision date"), null=True, blank=True)
    council_decision_signer = models.CharField(_("council decision signed by"), max_length=255, blank=True)
    aggregation = models.CharField(
        _("aggregation"), max_length=8, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    quorum_requires_chair = models.BooleanField(_("the chair must have scored"), default=True)
    spread_threshold = models.DecimalField(
        _("spread threshold (points)"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    state = models.CharField(_("state"), max_length=8, choices=RoundState.choices, default=RoundState.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.FileField(
        _("minutes (PDF)"), upload_to="evaluation/minutes/%Y/", storage=get_private_storage, blank=True
    )
    # The minutes' render lifecycle (apps.core.rendering): blank until the round closes, then pending →
    # rendering → ready | failed. A worker claims the row with a conditional UPDATE stamping minutes_claim.
    minutes_state = models.CharField(
        _("minutes generation state"), max_length=12, choices=RenderState.choices, blank=True, default=""
    )
    minutes_checksum = models.CharField(_("minutes SHA-256 checksum"), max_length=64, blank=True)
    minutes_error = models.TextField(_("minutes generation error"), blank=True)
    minutes_attempts = models.PositiveSmallIntegerField(_("minutes generation attempts"), default=0)
    minutes_claim = models.UUIDField(null=True, blank=True, editable=False)
    minutes_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_rendered_at = models.DateTimeField(_("minutes generated at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The minutes follow the one render lifecycle (apps.core.rendering) under their own field names.
    render_fields = RenderFields(
        state="minutes_state",
        claim="minutes_claim",
        started_at="minutes_started_at",
        attempts="minutes_attempts",
        error="minutes_error",
        file="minutes",
        checksum="minutes_checksum",
        rendered_at="minutes_rendered_at",
        queued_at="closed_at",
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_numerator__gte=1, quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="evaluation_round_quorum_fraction",
            ),
            models.CheckConstraint(
                condition=Q(spread_threshold__gte=0, spread_threshold__lte=100), name="evaluation_round_spread_range"
            ),
            models.CheckConstraint(
                condition=~Q(minutes_state=RenderState.READY) | (~Q(minutes="") & ~Q(minutes_checksum="")),
                name="evaluation_round_ready_minutes_have_file",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.unit

    @property
    def rule_set(self):
        return self.cycle.rule_set

    @property
    def is_open(self):
        return self.state == RoundState.OPEN


class CouncilMember(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("council role"), max_length=10, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["round", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="evaluation_member_once_per_round"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(role=MemberRole.CHAIR), name="evaluation_member_one_chair"
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name()} ({self.get_role_display()})"

    @property
    def jurisdiction_unit(self):
        return self.round.unit


class RoundEntry(models.Model):
    """An application assigned to a round, with the council's result frozen when the round closes."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        "cycles.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="round_entries"
    )
    template = models.ForeignKey(
        SheetTemplate, verbose_name=_("score sheet"), on_delete=models.PROTECT, related_name="entries"
    )
    total = models.DecimalField(_("council total"), max_digits=5, decimal_places=2, null=True, blank=True)
    star_band = models.PositiveSmallIntegerField(_("star band"), null=True, blank=True, choices=Stars.choices)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True, choices=Stars.choices)
    missing_mandatory = models.JSONField(_("missing mandatory criteria"), default=list, blank=True)
    forwarded = models.BooleanField(_("forwarded to the next tier"), default=False)

    class Meta:
        verbose_name = _("product in a round")
        verbose_name_plural = _("products in a round")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="evaluation_entry_once_per_round"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=100), name="evaluation_entry_total_range"
            ),
        ]

    def __str__(self):
        return f"{self.application.product} · {self.round}"

    @property
    def jurisdiction_unit(self):
        return self.round.unit


class ConflictDeclaration(models.Model):
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"), max_length=2000, validators=[MaxLengthValidator(2000)])
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["entry", "member"], name="evaluation_conflict_once")]

    def __str__(self):
        return f"{self.member} — {self.entry}"


class ScoreSheet(models.Model):
    """One member's sheet for one product in one round."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="sheets")
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    state = models.CharField(_("state"), max_length=10, choices=SheetState.choices, default=SheetState.DRAFT)
    # Written only by services.sheet_compute_total.
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, default=Decimal(0))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["entry", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "entry", "round"], name="evaluation_sheet_once_per_member"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="evaluation_sheet_total_range"),
            models.CheckConstraint(condition=Q(state__in=SheetState.values), name="evaluation_sheet_state_known"),
        ]

    def __str__(self):
        return f"{self.member} — {self.entry}"

    @property
    def is_scorable(self):
        """The member may still choose options: a draft, or a sheet the chair reopened (while the round is open)."""
        return self.state in SCORABLE_SHEET_STATES

    @property
    def is_counted(self):
        """The sheet counts towards the product's result: submitted, or locked at closing."""
        return self.state in COUNTED_SHEET_STATES

    @property
    def jurisdiction_unit(self):
        return self.round.unit


class ScoreAnswer(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="evaluation_answer_once_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0, points__lte=40), name="evaluation_answer_points_range"),
        ]

    def __str__(self):
        return f"{self.sheet_id}: {self.criterion_id} → {self.option_id}"


class CommunePreCheck(models.Model):
    """The commune's pre-check under qd1489-2025: the four local criteria and a yes/no with its reason."""

    entry = models.OneToOneField(RoundEntry, on_delete=models.CASCADE, related_name="precheck")
    local_materials = models.BooleanField(_("made from local raw materials or local know-how"))
    local_producer = models.BooleanField(_("producer established and operating in the commune"))
    legal_conditions = models.BooleanField(_("meets the legal conditions for production and sale"))
    community_benefit = models.BooleanField(_("benefits the local community and environment"))
    passed = models.BooleanField(_("forward to the province"))
    reason = models.TextField(_("reason"), max_length=2000, validators=[MaxLengthValidator(2000)])
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commune pre-check")
        verbose_name_plural = _("commune pre-checks")

    def __str__(self):
        return str(self.entry)

    @property
    def jurisdiction_unit(self):
        return self.entry.round.unit
