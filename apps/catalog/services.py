"""Every write to the catalogue: refreshing the read model after recognition, revocation or an edit."""

from django.db import transaction
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.core.text import fold
from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit

from .cache import catalog_version_bump
from .models import CatalogEntry

_CERTIFICATE_RELATED = (
    "recognition__decision",
    "product__producer",
    "product__product_set__group",
    "product__commune",
)


def _best_certificates(certificates):
    """One certificate per product: the most stars, then the newest."""
    best = {}
    for cert in certificates.order_by("product_id", "-stars", "-valid_from", "-pk"):
        best.setdefault(cert.product_id, cert)
    return best


def _ancestor_paths(path):
    parts = path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(1, len(parts))]


def _units_by_path(communes):
    paths = {p for commune in communes for p in _ancestor_paths(commune.path)}
    return {unit.path: unit for unit in AdministrativeUnit.objects.filter(path__in=paths)}


def _entry_fields(cert, units_by_path):
    product = cert.product
    above = [units_by_path[p] for p in _ancestor_paths(product.commune.path) if p in units_by_path]
    province = next(u for u in above if u.level == Level.PROVINCE)
    district = next((u for u in above if u.level == Level.DISTRICT), None)
    recognised_on = cert.recognition.decision.date
    searchable = [
        product.name,
        product.producer.name,
        product.product_set.name,
        product.product_set.group.name,
        product.commune.name,
        district.name if district else "",
        province.name,
    ]
    return {
        "certificate": cert,
        "producer": product.producer,
        "name": product.name,
        "sort_name": fold(product.name)[:255],
        "search_text": fold(" ".join(searchable)),
        "stars": cert.stars,
        "group": product.product_set.group,
        "product_set": product.product_set,
        "province": province,
        "district": district,
        "commune": product.commune,
        "recognised_on": recognised_on,
        "recognised_year": recognised_on.year,
        "valid_from": cert.valid_from,
        "valid_until": cert.valid_until,
    }


@transaction.atomic
def catalog_entry_refresh(*, product_id, today=None):
    """Bring one product's entry in line with its certificates; returns the entry or None when not certified."""
    today = today or timezone.localdate()
    certs = (
        Certificate.objects.currently_valid(today).filter(product_id=product_id).select_related(*_CERTIFICATE_RELATED)
    )
    cert = _best_certificates(certs).get(product_id)
    if cert is None:
        deleted, _ = CatalogEntry.objects.filter(product_id=product_id).delete()
        if deleted:
            catalog_version_bump()
        return None
    fields = _entry_fields(cert, _units_by_path([cert.product.commune]))
    entry, _ = CatalogEntry.objects.update_or_create(product_id=product_id, defaults=fields)
    catalog_version_bump()
    return entry


@transaction.atomic
def catalog_rebuild(*, today=None, batch_size=2000):
    """Rebuild the whole catalogue from the certificates (daily, and after bulk loads). Returns the entry count."""
    today = today or timezone.localdate()
    best = _best_certificates(Certificate.objects.currently_valid(today).select_related(*_CERTIFICATE_RELATED))
    units = _units_by_path([cert.product.commune for cert in best.values()])
    entries = [CatalogEntry(product_id=pid, **_entry_fields(cert, units)) for pid, cert in best.items()]
    CatalogEntry.objects.all().delete()
    CatalogEntry.objects.bulk_create(entries, batch_size=batch_size)
    catalog_version_bump()
    return len(entries)


def catalog_product_changed(*, product_id):
    """A product's name, set or commune may have changed: refresh its entry if it is listed."""
    if CatalogEntry.objects.filter(product_id=product_id).exists():
        catalog_entry_refresh(product_id=product_id)


def catalog_producer_changed(*, producer_id):
    """A producer's name may have changed: refresh the entries of its listed products."""
    product_ids = list(CatalogEntry.objects.filter(producer_id=producer_id).values_list("product_id", flat=True))
    for product_id in product_ids:
        catalog_entry_refresh(product_id=product_id)
