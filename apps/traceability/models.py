"""Traceability (TCVN 12850 / GS1 GTS2: identify – capture – share): production sites, lots and their events,
stamp batches and their stamps, scans of stamps and shoppers' reports of suspected fakes.

Every row belongs to a producer; its ``jurisdiction_unit`` is the producer's commune, so the project policy
(``apps.core.policy``) decides who sees it.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.gs1 import is_valid_ai_value
from apps.core.storage import get_private_storage

from .enums import ApprovalLevel, BatchState, CertificationKind, EventKind, ReportState, SiteKind

MAX_STAMPS_PER_BATCH = 100_000


class ProductionSite(models.Model):
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="production_sites"
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=SiteKind.choices, default=SiteKind.WORKSHOP)
    commune = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    products = models.ManyToManyField(
        "products.Product", verbose_name=_("products made here"), blank=True, related_name="production_sites"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("production site")
        verbose_name_plural = _("production sites")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="traceability_site_coordinates",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.producer.commune


class SiteCertification(models.Model):
    site = models.ForeignKey(
        ProductionSite, verbose_name=_("production site"), on_delete=models.CASCADE, related_name="certifications"
    )
    kind = models.CharField(_("certification"), max_length=16, choices=CertificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=64, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("site certification")
        verbose_name_plural = _("site certifications")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def producer(self):
        return self.site.producer

    @property
    def jurisdiction_unit(self):
        return self.site.producer.commune

    def is_valid_on(self, day=None):
        return self.valid_until is None or self.valid_until >= (day or timezone.localdate())


def validate_lot_code(value):

    if not is_valid_ai_value(value):
        raise ValidationError(
            _("A lot code has 1 to 20 letters, digits or - . _ (no spaces, no slash, no Vietnamese letters)."),
            code="bad_lot_code",
        )


class Lot(models.Model):
    product = models.ForeignKey(
        "products.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="lots"
    )
    code = models.CharField(_("lot code"), max_length=20, validators=[validate_lot_code])
    sites = models.ManyToManyField(ProductionSite, verbose_name=_("production sites"), blank=True, related_name="lots")
    produced_on = models.DateField(_("production date"))
    expires_on = models.DateField(_("expiry / best before"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=32, default="kg")
    inputs = models.TextField(
        _("key inputs and their origin"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-produced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="traceability_lot_code_per_product"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("produced_on")),
                name="traceability_lot_expires_after_production",
            ),
        ]

    def __str__(self):
        return f"{self.product} · {self.code}"

    @property
    def producer(self):
        return self.product.producer

    @property
    def jurisdiction_unit(self):
        return self.product.producer.commune

    def is_expired(self, day=None):
        return self.expires_on is not None and self.expires_on < (day or timezone.localdate())


class LotEvent(models.Model):
    """EPCIS-style: what (kind, on this lot), when, where (site or place), why (note), who (actor)."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    site = models.ForeignKey(
        ProductionSite, verbose_name=_("where"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place (if not a production site)"), max_length=255, blank=True)
    actor = models.CharField(_("who"), max_length=255)
    note = models.TextField(_("why / details"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lot event")
        verbose_name_plural = _("lot events")
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%d/%m/%Y}"

    @property
    def where(self):
        return self.site.name if self.site_id else self.place


class StampApprovalPolicy(models.Model):
    """Who approves stamp requests in a province (the setting OCOP_STAMP_APPROVAL_LEVEL when absent)."""

    province = models.OneToOneField(
        "geo.AdministrativeUnit", verbose_name=_("province"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(_("approved by"), max_length=12, choices=ApprovalLevel.choices)

    class Meta:
        verbose_name = _("stamp approval policy")
        verbose_name_plural = _("stamp approval policies")

    def __str__(self):
        return f"{self.province}: {self.get_level_display()}"


class StampBatch(models.Model):
    """N stamps requested for a lot (or a product without a lot). Its row is the truth about its files."""

    product = models.ForeignKey(
        "products.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="stamp_batches"
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="stamp_batches"
    )
    quantity = models.PositiveIntegerField(
        _("number of stamps"), validators=[MinValueValidator(1), MaxValueValidator(MAX_STAMPS_PER_BATCH)]
    )
    state = models.CharField(_("state"), max_length=12, choices=BatchState.choices, default=BatchState.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    # Generation, resumable: codes are created in committed chunks, label pages in numbered part files.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    parts_done = models.PositiveIntegerField(default=0, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    error = models.TextField(blank=True)
    sheet_pdf = models.FileField(upload_to="traceability/", storage=get_private_storage, blank=True)
    roll_pdf = models.FileField(upload_to="traceability/", storage=get_private_storage, blank=True)
    codes_csv = models.FileField(upload_to="traceability/", storage=get_private_storage, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stamp batch")
        verbose_name_plural = _("stamp batches")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_STAMPS_PER_BATCH), name="traceability_batch_quantity"
            ),
            models.CheckConstraint(
                condition=~Q(state=BatchState.READY) | (~Q(sheet_pdf="") & ~Q(codes_csv="")),
                name="traceability_ready_batch_has_files",
            ),
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="traceability_batch_state")]

    def __str__(self):
        return f"#{self.pk} · {self.product} × {self.quantity}"

    @property
    def producer(self):
        return self.product.producer

    @property
    def jurisdiction_unit(self):
        return self.product.producer.commune


class Stamp(models.Model):
    batch = models.ForeignKey(StampBatch, on_delete=models.CASCADE, related_name="stamps")
    serial = models.PositiveIntegerField(_("number in the batch"))
    # 13 Crockford base-32 characters = 65 random bits from ``secrets``; the only thing the QR code carries.
    code = models.CharField(_("stamp code"), max_length=16, unique=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(
        _("reason for voiding"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    scan_count = models.PositiveIntegerField(default=0)
    first_scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stamp")
        verbose_name_plural = _("stamps")
        ordering = ["batch", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "serial"], name="traceability_stamp_serial_per_batch"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""), name="traceability_void_has_reason"
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def jurisdiction_unit(self):
        return self.batch.product.producer.commune


class StampScan(models.Model):
    """One scan. Nothing personal: the address is cut to its network prefix, the place is a city at best."""

    stamp = models.ForeignKey(Stamp, on_delete=models.CASCADE, related_name="scans")
    scanned_at = models.DateTimeField(default=timezone.now)
    ip_prefix = models.CharField(max_length=64, blank=True)
    region = models.CharField(_("province / region"), max_length=128, blank=True)
    latitude = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    longitude = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # The signals shown on that scan, comma-separated ``Signal`` values (empty: green tick).
    signals = models.CharField(max_length=128, blank=True)
    # Set on scans that went through the Redis buffer (apps/traceability/scanbuffer.py): a flush repeated after a
    # crash inserts each of them once.
    record_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-scanned_at", "-pk"]
        indexes = [
            models.Index(fields=["stamp", "scanned_at"], name="traceability_scan_stamp_time"),
            models.Index(fields=["scanned_at"], name="traceability_scan_time"),
        ]

    def __str__(self):
        return f"{self.stamp_id} @ {self.scanned_at:%Y-%m-%d %H:%M}"

    @property
    def jurisdiction_unit(self):
        return self.stamp.batch.product.producer.commune


def report_photo_upload_to(instance, filename):

    return f"traceability/reports/{timezone.now():%Y}/{secrets.token_urlsafe(12)}"


class FakeReport(models.Model):
    """A shopper's report of a suspected fake, with a photo (private: it may show a shop or a person)."""

    stamp = models.ForeignKey(Stamp, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    product = models.ForeignKey(
        "products.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="fake_reports"
    )
    code = models.CharField(_("code on the package"), max_length=64, blank=True)
    photo = models.FileField(_("photo"), upload_to=report_photo_upload_to, storage=get_private_storage)
    photo_content_type = models.CharField(max_length=64)
    where_bought = models.CharField(_("where you bought it"), max_length=255, blank=True)
    message = models.TextField(
        _("what looks wrong"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    contact = models.CharField(_("phone or e-mail (optional)"), max_length=128, blank=True)
    ip_prefix = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=12, choices=ReportState.choices, default=ReportState.NEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report of a suspected fake")
        verbose_name_plural = _("reports of suspected fakes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.code or '?'} ({self.created_at:%Y-%m-%d})"

    @property
    def jurisdiction_unit(self):
        return self.product.producer.commune if self.product_id else None
