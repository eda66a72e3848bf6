"""Every write to products and their photos."""

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from apps.audit.services import audit_record
from apps.core.policy import user_covers_unit
from apps.core.storage import delete_file_on_commit
from apps.core.text import fold, save_with_unique_slug, unique_slug
from apps.core.validators import IMAGE_TYPES, validate_upload

from .models import Product, ProductPhoto
from .signals import product_photos_changed

PRODUCT_FIELDS = (
    "name",
    "product_set",
    "producer",
    "commune",
    "description",
    "story",
    "packaging",
    "price_min",
    "price_max",
    "where_to_buy",
    "gtin",
)
THUMBNAIL_WIDTH = 480


def product_search_text(product):
    return fold(f"{product.name} {product.producer.name}")


def _snapshot(product):
    data = {f: getattr(product, f) for f in PRODUCT_FIELDS if f not in ("product_set", "producer", "commune")}
    data["product_set"] = product.product_set.code if product.product_set_id else None
    data["producer"] = product.producer_id
    data["commune"] = product.commune.path if product.commune_id else None
    return data


def _check_may_edit(by, *, commune, producer):
    allowed = (
        by.has_perm("products.add_product")
        and user_covers_unit(by, commune)
        and producer is not None
        and by.has_perm("producers.change_producer", producer)
    )
    if not allowed:
        raise PermissionDenied(_("You may only register and edit products of your own commune."))


def _strip(fields):
    for name in ("name", "description", "story", "packaging", "where_to_buy", "gtin"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    return fields


@transaction.atomic
def product_create(*, by, **fields):
    """Register a product of a producer the user may edit, with its commune of origin in the user's commune."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"product_create() got unexpected fields {sorted(unknown)}")
    _check_may_edit(by, commune=fields.get("commune"), producer=fields.get("producer"))
    product = Product(**_strip(fields))
    product.slug = unique_slug(Product, product.name)
    product.search_text = product_search_text(product)
    product.full_clean()
    save_with_unique_slug(product, text=product.name)
    audit_record(action="product.create", obj=product, by=by, after=_snapshot(product))
    return product


@transaction.atomic
def product_update(*, product, by, **fields):
    """Change a product; the slug stays as it was so public links keep working."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"product_update() got unexpected fields {sorted(unknown)}")
    product = (
        Product.objects.select_for_update().select_related("commune", "producer", "product_set").get(pk=product.pk)
    )
    if not by.has_perm("products.change_product", product):
        raise PermissionDenied(_("You may only register and edit products of your own commune."))
    if "commune" in fields or "producer" in fields:
        _check_may_edit(
            by, commune=fields.get("commune", product.commune), producer=fields.get("producer", product.producer)
        )
    before = _snapshot(product)
    for name, value in _strip(fields).items():
        setattr(product, name, value)
    product.search_text = product_search_text(product)
    product.full_clean()
    product.save()
    after = _snapshot(product)
    changed = [f for f in after if before[f] != after[f]]
    if changed:
        audit_record(
            action="product.update",
            obj=product,
            by=by,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return product


def products_refresh_search_text(*, producer):
    """Recompute the search text of a producer's products (after the producer was renamed)."""
    products = list(producer.products.all())
    for product in products:
        product.producer = producer
        product.search_text = product_search_text(product)
    Product.objects.bulk_update(products, ["search_text"])


def make_thumbnail(image_file, *, width=THUMBNAIL_WIDTH):
    """A JPEG at most ``width`` pixels wide, upright (EXIF orientation applied) and without metadata."""
    image_file.seek(0)
    with Image.open(image_file) as img:
        if img.width * img.height > settings.OCOP_MAX_IMAGE_PIXELS:
            raise ValidationError({"image": _("The photo is too large in pixels; please resize it first.")})
        img = ImageOps.exif_transpose(img)
        if img.mode != "RGB":
            img = img.convert("RGB")
        if img.width > width:
            img = img.resize((width, max(1, round(img.height * width / img.width))), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=82, optimize=True)
    image_file.seek(0)
    return ContentFile(out.getvalue())


@transaction.atomic
def photo_add(*, product, by, image, alt=""):
    """Add a checked image (JPEG/PNG by content) to a product, with a resized JPEG thumbnail."""
    if not by.has_perm("products.change_product", product):
        raise PermissionDenied(_("You may only register and edit products of your own commune."))
    try:
        content_type = validate_upload(image, allowed=IMAGE_TYPES)
    except ValidationError as exc:
        raise ValidationError({"image": exc.error_list}) from exc
    try:
        thumbnail = make_thumbnail(image)
    except Image.DecompressionBombError as exc:
        raise ValidationError({"image": _("The photo is too large in pixels; please resize it first.")}) from exc
    next_order = (product.photos.aggregate(m=Max("order"))["m"] or 0) + 1
    # The stored name is random (see the model); its extension follows the content, never the uploaded name.
    image.name = "photo.png" if content_type == "image/png" else "photo.jpg"
    photo = ProductPhoto(product=product, image=image, alt=alt.strip(), order=next_order)
    photo.thumbnail.save("thumbnail.jpg", thumbnail, save=False)
    photo.full_clean()
    photo.save()
    audit_record(
        action="product.photo_add",
        obj=photo,
        by=by,
        after={"image": photo.image.name, "thumbnail": photo.thumbnail.name},
    )
    _refresh_catalog_on_commit(product)
    return photo


def _refresh_catalog_on_commit(product):
    """The public catalogue shows a listed product's photos, and anonymous visitors get cached pages: once the
    change is committed, tell it (``product_photos_changed``) so that it refreshes the product's entry, which bumps
    the catalogue's cache version."""
    product_id = product.pk
    transaction.on_commit(lambda: product_photos_changed.send(sender=Product, product_id=product_id), robust=True)


def _locked_photo(photo):
    """Lock the photo's product (photo order changes one product at a time) and re-read the photo."""
    product = (
        Product.objects.select_for_update(of=("self",)).select_related("commune", "producer").get(pk=photo.product_id)
    )
    photo = ProductPhoto.objects.get(pk=photo.pk, product=product)
    photo.product = product
    return photo


@transaction.atomic
def photo_remove(*, photo, by):
    """Remove a product photo; the image and its thumbnail are deleted from storage after the commit.

    A photo of a product in the public catalogue may be removed: the catalogue reads photos live and its
    page cache is invalidated after the commit.
    """
    photo = _locked_photo(photo)
    if not by.has_perm("products.delete_productphoto", photo):
        raise PermissionDenied(_("You may only register and edit products of your own commune."))
    audit_record(
        action="product.photo_remove",
        obj=photo,
        by=by,
        before={"image": photo.image.name, "thumbnail": photo.thumbnail.name, "alt": photo.alt, "order": photo.order},
    )
    delete_file_on_commit(photo.image)
    delete_file_on_commit(photo.thumbnail)
    photo.delete()
    _refresh_catalog_on_commit(photo.product)


@transaction.atomic
def photo_set_cover(*, photo, by):
    """Make ``photo`` the product's cover (first in order: the lists and the catalogue show the first photo).

    The other photos keep their relative order; orders are renumbered 1, 2, 3...
    """
    photo = _locked_photo(photo)
    if not by.has_perm("products.change_productphoto", photo):
        raise PermissionDenied(_("You may only register and edit products of your own commune."))
    photos = list(ProductPhoto.objects.filter(product=photo.product).order_by("order", "pk"))
    before = [p.pk for p in photos]
    after = [photo.pk, *(pk for pk in before if pk != photo.pk)]
    if after == before and [p.order for p in photos] == list(range(1, len(photos) + 1)):
        return photo
    by_pk = {p.pk: p for p in photos}
    for position, pk in enumerate(after, start=1):
        by_pk[pk].order = position
    ProductPhoto.objects.bulk_update(photos, ["order"])
    audit_record(action="product.photo_cover", obj=photo, by=by, before={"order": before}, after={"order": after})
    _refresh_catalog_on_commit(photo.product)
    return by_pk[photo.pk]
