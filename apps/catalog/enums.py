"""Choices of the public catalogue: sort orders and kinds of point of sale."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CatalogSort(models.TextChoices):
    STARS = "stars", _("Most stars")
    NEWEST = "newest", _("Newest recognition")
    NAME = "name", pgettext_lazy("sort order", "Name (A–Z)")


class PointOfSaleKind(models.TextChoices):
    SHOWROOM = "showroom", _("OCOP showroom")
    POINT_OF_SALE = "point_of_sale", _("OCOP point of sale")
    SHOP = "shop", _("Partner shop")
