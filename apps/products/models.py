"""Product classification (6 groups → 26 sets, as data), products and their photos."""

import os
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.history import history_of
from apps.core.gs1 import validate_gtin
from apps.geo.enums import Level


class ProductGroup(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class ProductSet(models.Model):
    group = models.ForeignKey(ProductGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="sets")
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveSmallIntegerField(default=0)
    # Tourism services bring no samples to the council.
    needs_samples = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("product set")
        verbose_name_plural = _("product sets")
        ordering = ["group__order", "order", "code"]

    def __str__(self):
        return self.name


class Product(models.Model):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    product_set = models.ForeignKey(
        ProductSet, verbose_name=_("product set"), on_delete=models.PROTECT, related_name="products"
    )
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("commune of origin"), on_delete=models.PROTECT, related_name="products"
    )
    description = models.TextField(_("description"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    story = models.TextField(_("product story"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    packaging = models.CharField(_("packaging"), max_length=255, blank=True)
    # Prices in Vietnamese đồng.
    price_min = models.PositiveBigIntegerField(_("lowest price (VND)"), null=True, blank=True)
    price_max = models.PositiveBigIntegerField(_("highest price (VND)"), null=True, blank=True)
    where_to_buy = models.TextField(
        _("where to buy"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    # GS1 trade item number (mã số mã vạch), when the producer has one; stamps then carry a GS1 Digital Link.
    gtin = models.CharField(_("GTIN (barcode number)"), max_length=14, blank=True, validators=[validate_gtin])
    # Name and producer name folded by apps.core.text.fold; kept current by the services.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_min__isnull=True)
                | models.Q(price_max__isnull=True)
                | models.Q(price_min__lte=models.F("price_max")),
                name="products_price_range_ordered",
            ),
            models.UniqueConstraint(fields=["gtin"], condition=~models.Q(gtin=""), name="products_gtin_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.commune

    def clean(self):
        super().clean()
        errors = {}
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            errors["price_max"] = _("The highest price cannot be lower than the lowest price.")
        if self.commune_id and self.commune.level != Level.COMMUNE:
            errors["commune"] = _("Pick a commune-level unit.")
        if errors:
            raise ValidationError(errors)


def _random_name(folder, filename):
    """Photos are public files: a random name means a draft product's photo cannot be found by guessing."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{folder}/{timezone.now():%Y}/{secrets.token_urlsafe(12)}{extension}"


def photo_upload_to(instance, filename):
    return _random_name("products", filename)


def thumbnail_upload_to(instance, filename):
    return _random_name("products/thumbs", filename)


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_upload_to)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=thumbnail_upload_to, blank=True)
    alt = models.CharField(_("description of the photo"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.alt or self.product.name

    @property
    def jurisdiction_unit(self):
        return self.product.commune


# --- Row history (apps/audit/history.py): the event tables live in audit


class ProductEvent(history_of(Product)):
    pass
