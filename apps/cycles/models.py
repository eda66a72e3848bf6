"""The annual OCOP cycle, the applications (hồ sơ) that move through it, their dossiers and the yearly plans."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.history import history_of
from apps.core.enums import LOWEST_RECOGNISED_STARS, RuleSet, Stars
from apps.core.storage import get_private_storage

from .enums import ApplicationPurpose, ApplicationState, CycleStep, TargetKind


class Cycle(models.Model):
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rule_set = models.CharField(_("rule set"), max_length=16, choices=RuleSet.choices)
    name = models.CharField(_("name"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("OCOP cycle")
        verbose_name_plural = _("OCOP cycles")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="cycles_cycle_one_per_unit_year")]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.unit


class CycleStepPeriod(models.Model):
    """The dates of one of the six steps inside a cycle."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("step"), choices=CycleStep.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("cycle step")
        verbose_name_plural = _("cycle steps")
        ordering = ["cycle", "step"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "step"], name="cycles_step_one_per_cycle"),
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")), name="cycles_step_ordered"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"

    @property
    def jurisdiction_unit(self):
        return self.cycle.unit


class Application(models.Model):
    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="applications")
    product = models.ForeignKey(
        "products.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(
        _("state"), max_length=24, choices=ApplicationState.choices, default=ApplicationState.IDEA_REGISTERED
    )
    # The check state an application was returned from; resubmitting takes it back there.
    returned_from = models.CharField(
        _("returned from"), max_length=24, choices=ApplicationState.choices, blank=True, default=""
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=ApplicationPurpose.choices, default=ApplicationPurpose.NEW
    )
    # The stars of the recognition decision, once the application is recognised (its outcome).
    stars = models.PositiveSmallIntegerField(_("recognised stars"), null=True, blank=True, choices=Stars.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    # When the idea was registered: now, or the replayed day (``application_create(at=...)``).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "product"], name="cycles_application_one_per_product_cycle"),
            models.CheckConstraint(
                condition=models.Q(state=ApplicationState.RETURNED, returned_from__gt="")
                | (~models.Q(state=ApplicationState.RETURNED) & models.Q(returned_from="")),
                name="cycles_application_returned_from_only_when_returned",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    state=ApplicationState.RECOGNISED, stars__gte=LOWEST_RECOGNISED_STARS, stars__lte=Stars.FIVE
                )
                | (~models.Q(state=ApplicationState.RECOGNISED) & models.Q(stars__isnull=True)),
                name="cycles_application_stars_only_when_recognised",
            ),
        ]
        indexes = [models.Index(fields=["state"], name="cycles_application_state")]

    def __str__(self):
        return f"{self.product} · {self.cycle}"

    @property
    def rule_set(self):
        return self.cycle.rule_set

    @property
    def jurisdiction_unit(self):
        return self.product.commune


class ApplicationTransition(models.Model):
    """One row of an application's history: who moved it from which state to which, when and why."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("from"), max_length=24, choices=ApplicationState.choices)
    to_state = models.CharField(_("to"), max_length=24, choices=ApplicationState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    # When the move was made: now, or the replayed moment (``application_transition(at=...)``).
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    reason = models.TextField(_("reason"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])

    class Meta:
        verbose_name = _("application transition")
        verbose_name_plural = _("application transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.from_state} → {self.to_state}"

    @property
    def jurisdiction_unit(self):
        return self.application.jurisdiction_unit


class LateAllowance(models.Model):
    """The organiser let one application through a step after its window closed, for a recorded reason."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="late_allowances"
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=CycleStep.choices)
    reason = models.TextField(_("reason"), max_length=2000, validators=[MaxLengthValidator(2000)])
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("late allowance")
        verbose_name_plural = _("late allowances")
        constraints = [models.UniqueConstraint(fields=["application", "step"], name="cycles_late_once_per_step")]

    def __str__(self):
        return f"{self.application} · {self.get_step_display()}"

    @property
    def jurisdiction_unit(self):
        return self.application.jurisdiction_unit


class Dossier(models.Model):
    """The dossier of an application: the registration form (phiếu đăng ký), self-assessment and samples."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="dossier"
    )
    applicant_name = models.CharField(_("applicant (representative)"), max_length=150, blank=True)
    applicant_position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    production_address = models.CharField(_("production address"), max_length=255, blank=True)
    annual_capacity = models.CharField(_("annual production capacity"), max_length=255, blank=True)
    raw_materials = models.TextField(
        _("origin of raw materials"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    markets = models.TextField(_("current markets"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    sample_count = models.PositiveSmallIntegerField(_("number of samples"), null=True, blank=True)
    # The producer's self-assessment: {criterion code: points}, and {part code: total} computed from it.
    self_assessment = models.JSONField(_("self-assessment"), default=dict, blank=True)
    self_assessment_totals = models.JSONField(_("self-assessment totals"), default=dict, blank=True)
    # The options picked on the product set's score sheet: {"template": id, "choices": {criterion id: option id}}.
    self_assessment_sheet = models.JSONField(_("self-assessment sheet"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self):
        return str(self.application)

    @property
    def jurisdiction_unit(self):
        return self.application.jurisdiction_unit

    @property
    def self_assessment_total(self):
        return sum(self.self_assessment_totals.values()) if self.self_assessment_totals else 0


class EvidenceFile(models.Model):
    """A file attached to a dossier (test report, trademark, traceability...). Private storage only."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="evidence/%Y/", storage=get_private_storage)
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def jurisdiction_unit(self):
        return self.dossier.application.product.commune


class Plan(models.Model):
    """A unit's yearly OCOP plan with its targets; reports compare them with actuals."""

    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ocop_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("OCOP plan")
        verbose_name_plural = _("OCOP plans")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="cycles_plan_one_per_unit_year")]

    def __str__(self):
        return self.title or f"{self.unit} {self.year}"

    @property
    def jurisdiction_unit(self):
        return self.unit


class Target(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("target"), max_length=32, choices=TargetKind.choices)
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "kind"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="cycles_target_one_per_plan_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def jurisdiction_unit(self):
        return self.plan.unit


# --- Row history (apps/audit/history.py): the event tables live in audit


class ApplicationEvent(history_of(Application)):
    pass


class DossierEvent(history_of(Dossier)):
    pass
