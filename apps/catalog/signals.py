"""Keep the catalogue in step with certificates, products and producers the moment they are saved."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.certificates.models import Certificate
from apps.producers.models import Producer
from apps.products.models import Product

from .services import catalog_entry_refresh, catalog_producer_changed, catalog_product_changed

# Saves touching only other fields (the PDF's rendering state, reminders) leave the listing as it is.
LISTED_CERTIFICATE_FIELDS = {"product", "stars", "valid_from", "valid_until", "revoked_at", "superseded_by"}


@receiver(post_save, sender=Certificate, dispatch_uid="catalog_certificate_saved")
def certificate_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # Issue, revocation, supersession: the product's listing changes in the same transaction.
    if raw or (update_fields is not None and not LISTED_CERTIFICATE_FIELDS & set(update_fields)):
        return
    catalog_entry_refresh(product_id=instance.product_id)


@receiver(post_save, sender=Product, dispatch_uid="catalog_product_saved")
def product_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        catalog_product_changed(product_id=instance.pk)


@receiver(post_save, sender=Producer, dispatch_uid="catalog_producer_saved")
def producer_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        catalog_producer_changed(producer_id=instance.pk)
