"""Reads about products: who sees which product and the list page's rows."""

from django.db.models import OuterRef, Subquery

from apps.producers.rules import q_can_view

from .models import Product, ProductGroup, ProductPhoto, ProductSet


def products_visible_to(user):
    """The products ``user`` may view (``products.view_product``): staff those whose commune of origin is in their
    subtree, producer accounts their producers' products."""
    return Product.objects.filter(q_can_view(user, producer_field="producer", unit_field="commune"))


def product_list(user):
    """The list page's rows with set, group, producer, commune and the first photo's id in one query."""
    first_photo = ProductPhoto.objects.filter(product=OuterRef("pk")).order_by("order", "pk").values("pk")[:1]
    return (
        products_visible_to(user)
        .select_related("product_set__group", "producer", "commune")
        .annotate(first_photo_id=Subquery(first_photo))
        .order_by("name", "pk")
    )


def product_photos(product):
    return product.photos.order_by("order", "pk")


def product_sets():
    return ProductSet.objects.select_related("group").order_by("group__order", "order", "code")


def product_groups():
    return ProductGroup.objects.order_by("order", "code")
