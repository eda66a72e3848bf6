"""The public catalogue's read model and trade promotion (step 6 of the cycle).

``CatalogEntry`` is one row per product that holds a currently valid certificate, denormalised from products,
producers, units and certificates so that every facet is one indexed column and search is one folded column.
Only :mod:`apps.catalog.services` writes it (on recognition, revocation and edits); the catalogue reads it.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.enums import LOWEST_RECOGNISED_STARS, Stars

from .enums import PointOfSaleKind


class CatalogEntryQuerySet(models.QuerySet):
    def visible(self, today):
        """Entries whose certificate is valid on ``today``; the certificate row is checked, not only the copy."""
        return self.filter(
            valid_from__lte=today,
            valid_until__gte=today,
            certificate__revoked_at__isnull=True,
            certificate__superseded_by__isnull=True,
            certificate__valid_until__gte=today,
        )


class CatalogEntry(models.Model):
    product = models.OneToOneField(
        "products.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="catalog_entry"
    )
    certificate = models.ForeignKey(
        "certificates.Certificate", verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="+"
    )
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.CASCADE, related_name="catalog_entries"
    )
    name = models.CharField(_("name"), max_length=255)
    # Folded (no diacritics, lower case): the name for sorting and everything searchable.
    sort_name = models.CharField(max_length=255)
    search_text = models.TextField()
    stars = models.PositiveSmallIntegerField(_("stars"), choices=Stars.choices)
    group = models.ForeignKey(
        "products.ProductGroup", verbose_name=_("group"), on_delete=models.PROTECT, related_name="+"
    )
    product_set = models.ForeignKey(
        "products.ProductSet", verbose_name=_("product set"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    # The 2025 map: the province and commune the product's place belongs to now. For a product registered before
    # the reform, its old province's and (wholly merged) old commune's successors; a commune split in 2025 has no
    # current commune until its producer is assigned one. The public side groups by these by default.
    current_province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("province (since 1 July 2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("commune (since 1 July 2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recognised_on = models.DateField(_("recognised on"))
    recognised_year = models.PositiveSmallIntegerField(_("year of recognition"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=LOWEST_RECOGNISED_STARS, stars__lte=Stars.FIVE),
                name="catalog_entry_recognised_stars",
            ),
            models.CheckConstraint(condition=Q(valid_from__lt=F("valid_until")), name="catalog_entry_valid_range"),
        ]
        indexes = [
            models.Index(fields=["-stars", "sort_name"], name="catalog_entry_stars_name"),
            models.Index(fields=["-recognised_on", "sort_name"], name="catalog_entry_newest"),
            models.Index(fields=["sort_name"], name="catalog_entry_name"),
            models.Index(fields=["recognised_year"], name="catalog_entry_year"),
            models.Index(fields=["valid_until"], name="catalog_entry_valid_until"),
        ]

    def __str__(self):
        return self.name


class PointOfSale(models.Model):
    """An OCOP showroom or point of sale (điểm giới thiệu và bán sản phẩm OCOP)."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PointOfSaleKind.choices, default=PointOfSaleKind.SHOWROOM)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=255)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    products = models.ManyToManyField(
        "products.Product", verbose_name=_("products carried"), blank=True, related_name="points_of_sale"
    )
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("point of sale")
        verbose_name_plural = _("points of sale")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.unit


class Fair(models.Model):
    """A trade fair (hội chợ) where OCOP products are shown and sold."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+"
    )
    venue = models.CharField(_("venue"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    products = models.ManyToManyField(
        "products.Product", verbose_name=_("products shown"), blank=True, related_name="fairs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="catalog_fair_dates_ordered")
        ]
        indexes = [models.Index(fields=["ends_on"], name="catalog_fair_ends_on")]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.unit
