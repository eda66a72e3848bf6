"""Reads about products: who sees which product and the list page's rows."""

from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery

from apps.producers.rules import q_can_view

from .models import Product, ProductGroup, ProductPhoto, ProductSet

if TYPE_CHECKING:
    from apps.accounts.models import User


def products_visible_to(user: "User") -> QuerySet[Product]:
    """The products ``user`` may view (``products.view_product``): staff those whose commune of origin is in their
    subtree, producer accounts their producers' products."""
    return Product.objects.filter(q_can_view(user, producer_field="producer", unit_field="commune"))


def product_list(user: "User") -> QuerySet[Product]:
    """The list page's rows with set, group, producer, commune and the first photo's id in one query."""
    first_photo = ProductPhoto.objects.filter(product=OuterRef("pk")).order_by("order", "pk").values("pk")[:1]
    return (
        products_visible_to(user)
        .select_related("product_set__group", "producer", "commune")
        .annotate(first_photo_id=Subquery(first_photo))
        .order_by("name", "pk")
    )


def product_photos(product: Product) -> QuerySet[ProductPhoto]:
    return product.photos.order_by("order", "pk")


def product_sets() -> QuerySet[ProductSet]:
    return ProductSet.objects.select_related("group").order_by("group__order", "order", "code")


def product_groups() -> QuerySet[ProductGroup]:
    return ProductGroup.objects.order_by("order", "code")
