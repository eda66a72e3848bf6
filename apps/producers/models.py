"""Producers (chủ thể OCOP) and their document vault."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.history import history_of
from apps.core.storage import get_private_storage
from apps.geo.enums import Level

from .enums import ACTIVE_REHOMING_STATES, DocumentKind, ProducerKind, RehomingState

# Mã số thuế: 10 digits, or 10 + "-" + 3 digits for a branch. ASCII digits only: "\d" would also take Arabic-Indic
# and full-width digits, and "５７００…" would then pass uniqueness beside "5700…".
TAX_CODE_REGEX = r"^[0-9]{10}(-[0-9]{3})?$"
tax_code_validator = RegexValidator(
    TAX_CODE_REGEX,
    _("A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch (e.g. 5700123456-001)."),
    code="bad_tax_code",
)
FOUNDED_YEAR_MIN = 1900


class Producer(models.Model):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("type"), max_length=8, choices=ProducerKind.choices)
    commune = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="producers"
    )
    address = models.CharField(_("address"), max_length=255)
    legal_representative = models.CharField(_("legal representative"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    tax_code = models.CharField(
        _("registration number / tax code"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        validators=[tax_code_validator],
        error_messages={"unique": _("Another producer already has this tax code.")},
    )
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("members"), default=0)
    workers_count = models.PositiveIntegerField(_("workers"), default=0)
    women_workers = models.PositiveIntegerField(_("women workers"), default=0)
    ethnic_minority_workers = models.PositiveIntegerField(_("ethnic-minority workers"), default=0)
    # Name, tax code, representative and address folded by apps.core.text.fold; kept current by the services.
    search_text = models.TextField(editable=False, blank=True, default="")
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("producer accounts"),
        blank=True,
        related_name="producers",
        help_text=_("Producer users who may see this producer, its products and documents."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(women_workers__lte=models.F("workers_count")),
                name="producers_women_within_workers",
            ),
            models.CheckConstraint(
                condition=models.Q(ethnic_minority_workers__lte=models.F("workers_count")),
                name="producers_minorities_within_workers",
            ),
            models.CheckConstraint(
                condition=models.Q(founded_year__isnull=True)
                | models.Q(founded_year__gte=FOUNDED_YEAR_MIN, founded_year__lte=2100),
                name="producers_founded_year_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ProducerKind.COOPERATIVE_GROUP) | models.Q(tax_code__isnull=False),
                name="producers_tax_code_required_unless_tht",
            ),
        ]
        indexes = [models.Index(fields=["commune", "kind"], name="producers_commune_kind")]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.commune

    def clean(self):
        super().clean()
        errors = {}
        if not self.tax_code and self.kind and self.kind != ProducerKind.COOPERATIVE_GROUP:
            errors["tax_code"] = _("A tax code is required for this type of producer (only a THT may have none).")
        this_year = timezone.localdate().year
        if self.founded_year is not None and not FOUNDED_YEAR_MIN <= self.founded_year <= this_year:
            errors["founded_year"] = _("The year founded must be between %(min)s and %(max)s.") % {
                "min": FOUNDED_YEAR_MIN,
                "max": this_year,
            }
        for field in ("women_workers", "ethnic_minority_workers"):
            if (
                getattr(self, field) is not None
                and self.workers_count is not None
                and getattr(self, field) > self.workers_count
            ):
                errors[field] = _("This cannot be more than the number of workers.")
        if self.commune_id and self.commune.level != Level.COMMUNE:
            errors["commune"] = _("Pick a commune-level unit.")
        if errors:
            raise ValidationError(errors)


class ProducerDocument(models.Model):
    """The producer's document vault: reused by every dossier of that producer."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="producer-documents/%Y/", storage=get_private_storage)
    content_type = models.CharField(max_length=40, blank=True, editable=False)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("producer document")
        verbose_name_plural = _("producer documents")
        ordering = ["kind", "-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(expires_on__isnull=True)
                | models.Q(issued_on__lte=models.F("expires_on")),
                name="producers_document_dates_ordered",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.producer}"

    @property
    def jurisdiction_unit(self):
        return self.producer.commune

    def clean(self):
        super().clean()
        if self.issued_on and self.expires_on and self.issued_on > self.expires_on:
            raise ValidationError({"expires_on": _("The expiry date cannot be before the issue date.")})

    def is_expired(self, today=None):
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())


class BulkRehoming(models.Model):
    """A province officer's one action: move every producer of an old commune (or district, or province) whose
    commune was wholly merged into a 2025 commune there, exactly as previewed (``planned``).

    ``planned`` is a list of ``{"producer", "from", "to"}`` unit/producer ids; ``moved`` and ``skipped`` fill up as
    the task works (``skipped`` entries carry a ``reason``), so the page shows progress and a re-run resumes.
    """

    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("pre-2025 unit"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=RehomingState.choices, default=RehomingState.QUEUED)
    planned = models.JSONField(default=list)
    moved = models.JSONField(default=list)
    skipped = models.JSONField(default=list)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bulk move to 2025 communes")
        verbose_name_plural = _("bulk moves to 2025 communes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(state__in=ACTIVE_REHOMING_STATES),
                name="producers_one_active_rehoming_per_unit",
            )
        ]

    def __str__(self):
        return f"{self.unit} ({self.get_state_display()})"

    @property
    def jurisdiction_unit(self):
        return self.unit

    @property
    def total(self):
        return len(self.planned)

    @property
    def done_count(self):
        return len(self.moved) + len(self.skipped)

    @property
    def is_active(self):
        return self.state in ACTIVE_REHOMING_STATES


# --- Row history (apps/audit/history.py): the event tables live in audit


class ProducerEvent(history_of(Producer)):
    pass


class ProducerDocumentEvent(history_of(ProducerDocument)):
    pass
