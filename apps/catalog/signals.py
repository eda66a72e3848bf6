"""Keep the catalogue in step with certificates, products and producers the moment they are saved, with product
photos once they are committed, and with the 2025 successors after an import of the unit lists."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.certificates.models import Certificate
from apps.certificates.signals import certificates_issued
from apps.geo.signals import units_imported
from apps.producers.models import Producer
from apps.products.models import Product
from apps.products.signals import product_photos_changed

from .models import CatalogEntry
from .services import (
    catalog_entries_refresh,
    catalog_entry_refresh,
    catalog_producer_changed,
    catalog_product_changed,
    catalog_rebuild,
)

# Saves touching only other fields (the PDF's rendering state, reminders) leave the listing as it is.
LISTED_CERTIFICATE_FIELDS = {"product", "stars", "valid_from", "valid_until", "revoked_at", "superseded_by"}


@receiver(post_save, sender=Certificate, dispatch_uid="catalog_certificate_saved")
def certificate_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # Issue, revocation, supersession: the product's listing changes in the same transaction.
    if raw or (update_fields is not None and not LISTED_CERTIFICATE_FIELDS & set(update_fields)):
        return
    catalog_entry_refresh(product_id=instance.product_id)


@receiver(certificates_issued, dispatch_uid="catalog_certificates_issued")
def certificates_issued_received(sender, product_ids, **kwargs):
    # A recognition decision's certificates, created in bulk: all its products' entries at once, in its transaction.
    catalog_entries_refresh(product_ids=product_ids)


@receiver(post_save, sender=Product, dispatch_uid="catalog_product_saved")
def product_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        catalog_product_changed(product_id=instance.pk)


@receiver(post_save, sender=Producer, dispatch_uid="catalog_producer_saved")
def producer_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        catalog_producer_changed(producer_id=instance.pk)


@receiver(product_photos_changed, dispatch_uid="catalog_product_photos_changed")
def product_photos_changed_received(sender, product_id, **kwargs):
    catalog_product_changed(product_id=product_id)


@receiver(units_imported, dispatch_uid="catalog_units_imported")
def units_imported_received(sender, **kwargs):
    """The catalogue groups by the 2025 successors: rebuild it when there is one."""
    if CatalogEntry.objects.exists():
        return f"catalogue rebuilt: {catalog_rebuild()} entries"
    return None
