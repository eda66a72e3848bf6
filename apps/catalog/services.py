"""Every write to the catalogue: refreshing the read model after recognition, revocation or an edit, and the
staff's management of trade promotion (points of sale, fairs and the products they carry)."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.certificates.models import Certificate
from apps.core.policy import user_covers_unit
from apps.core.text import fold, save_with_unique_slug, unique_slug
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit

from .cache import catalog_version_bump
from .models import CatalogEntry, Fair, PointOfSale
from .selectors import trade_linkable_entries, visible_entries

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from apps.accounts.models import User
    from apps.products.models import Product

# A point of sale or a fair: the two trade rows share their services.
Trade = TypeVar("Trade", PointOfSale, Fair)

_CERTIFICATE_RELATED = (
    "recognition__decision",
    "product__producer",
    "product__product_set__group",
    "product__commune__successor",
)


def _best_certificates(certificates: "QuerySet[Certificate]") -> dict[int, Certificate]:
    """One certificate per product: the most stars, then the newest."""
    best: dict[int, Certificate] = {}
    for cert in certificates.order_by("product_id", "-stars", "-valid_from", "-pk"):
        best.setdefault(cert.product_id, cert)
    return best


def _units_by_path(communes: Iterable[AdministrativeUnit]) -> dict[str, AdministrativeUnit]:
    paths = {p for commune in communes for p in commune.path_prefixes}
    return {unit.path: unit for unit in AdministrativeUnit.objects.filter(path__in=paths).select_related("successor")}


def current_units(
    province: AdministrativeUnit, commune: AdministrativeUnit
) -> tuple[AdministrativeUnit | None, AdministrativeUnit | None]:
    """The 2025 province and commune of a place (``commune`` in ``province``).

    An old commune split between several new ones has no current commune (None) until its producer is assigned;
    an old unit with no link at all (units loaded without the reform data) stands for itself.
    """
    if province.edition == Edition.TWO_TIER_2025:
        return province, commune
    current_commune = None if commune.split_on_reform else (commune.successor if commune.successor_id else commune)
    return (province.successor if province.successor_id else province), current_commune


def _former_names(units: Iterable[AdministrativeUnit | None]) -> dict[int, list[str]]:
    """{2025 unit id: names of the old units wholly merged into it}, for the 2025 units among ``units`` (one query):
    a product registered since the reform is found by the old place names too."""
    ids = {u.pk for u in units if u is not None and u.edition == Edition.TWO_TIER_2025}
    names: dict[int, list[str]] = {}
    if ids:
        rows = AdministrativeUnit.objects.filter(successor_id__in=ids, split_on_reform=False)
        for successor_id, name in rows.values_list("successor_id", "name"):
            names.setdefault(successor_id, []).append(name)
    return names


def _entry_fields(
    cert: Certificate,
    units_by_path: dict[str, AdministrativeUnit],
    former_names: dict[int, list[str]] | None = None,
) -> dict[str, Any]:
    product = cert.product
    above = [units_by_path[p] for p in product.commune.path_prefixes if p in units_by_path]
    province = next(u for u in above if u.level == Level.PROVINCE)
    district = next((u for u in above if u.level == Level.DISTRICT), None)
    recognised_on = cert.recognition.decision.date
    current_province, current_commune = current_units(province, product.commune)
    searchable = [
        product.name,
        product.producer.name,
        product.product_set.name,
        product.product_set.group.name,
        product.commune.name,
        district.name if district else "",
        province.name,
    ]
    # Found by its old or its new place name.
    for unit in (product.commune, province):
        searchable += (former_names or {}).get(unit.pk, [])
    searchable += [
        u.name for u in (current_commune, current_province) if u is not None and u.edition != province.edition
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
        "current_province": current_province,
        "current_commune": current_commune,
        "recognised_on": recognised_on,
        "recognised_year": recognised_on.year,
        "valid_from": cert.valid_from,
        "valid_until": cert.valid_until,
    }


# Every column an upsert of an entry writes (all but the key and the product).
_ENTRY_UPDATE_FIELDS = [f.name for f in CatalogEntry._meta.concrete_fields if f.name not in {"id", "product"}]


@transaction.atomic
def catalog_entries_refresh(
    *, product_ids: Iterable[int], today: datetime.date | None = None
) -> dict[int, CatalogEntry]:
    """Bring the entries of ``product_ids`` in line with their certificates in a fixed number of queries, however
    many products (a recognition decision's). Returns {product id: entry} for those certified today."""
    today = today or timezone.localdate()
    wanted = set(product_ids)
    certs = (
        Certificate.objects.currently_valid(today).filter(product_id__in=wanted).select_related(*_CERTIFICATE_RELATED)
    )
    best = _best_certificates(certs)
    entries: list[CatalogEntry] = []
    if best:
        communes = [cert.product.commune for cert in best.values()]
        units = _units_by_path(communes)
        former = _former_names([*communes, *units.values()])
        entries = [CatalogEntry(product_id=pid, **_entry_fields(cert, units, former)) for pid, cert in best.items()]
        CatalogEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["product"], update_fields=_ENTRY_UPDATE_FIELDS
        )
    deleted = 0
    if uncertified := wanted - best.keys():
        deleted, _ = CatalogEntry.objects.filter(product_id__in=uncertified).delete()
    if entries or deleted:
        catalog_version_bump()
    return {entry.product_id: entry for entry in entries}


def catalog_entry_refresh(*, product_id: int, today: datetime.date | None = None) -> CatalogEntry | None:
    """Bring one product's entry in line with its certificates; returns the entry or None when not certified."""
    return catalog_entries_refresh(product_ids=[product_id], today=today).get(product_id)


@transaction.atomic
def catalog_rebuild(*, today: datetime.date | None = None, batch_size: int = 2000) -> int:
    """Rebuild the whole catalogue from the certificates (daily, and after bulk loads). Returns the entry count."""
    today = today or timezone.localdate()
    best = _best_certificates(Certificate.objects.currently_valid(today).select_related(*_CERTIFICATE_RELATED))
    units = _units_by_path([cert.product.commune for cert in best.values()])
    former = _former_names([*(cert.product.commune for cert in best.values()), *units.values()])
    entries = [CatalogEntry(product_id=pid, **_entry_fields(cert, units, former)) for pid, cert in best.items()]
    CatalogEntry.objects.all().delete()
    CatalogEntry.objects.bulk_create(entries, batch_size=batch_size)
    catalog_version_bump()
    return len(entries)


def catalog_tidy() -> bool:
    """After a rebuild: ``VACUUM (ANALYZE)`` the entries, so that searches do not wade through the rebuild's dead
    rows in the table and its indexes until autovacuum comes by (on the bench's 20,000 entries a search took 2.6 ms
    right after a rebuild and 0.7 ms after this). PostgreSQL only, and only outside a transaction (VACUUM cannot run
    in one); returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {CatalogEntry._meta.db_table}")
    return True


def catalog_product_changed(*, product_id: int) -> None:
    """A product's name, set or commune may have changed: refresh its entry if it is listed."""
    if CatalogEntry.objects.filter(product_id=product_id).exists():
        catalog_entry_refresh(product_id=product_id)


def catalog_producer_changed(*, producer_id: int) -> None:
    """A producer's name may have changed: refresh the entries of its listed products."""
    product_ids = list(CatalogEntry.objects.filter(producer_id=producer_id).values_list("product_id", flat=True))
    if product_ids:  # all of them at once: a fixed number of queries and one version bump
        catalog_entries_refresh(product_ids=product_ids)


# --- Trade promotion -----------------------------------------------------------------------------------------

POINT_OF_SALE_FIELDS = ("name", "kind", "unit", "address", "opening_hours", "phone", "website", "is_active")
FAIR_FIELDS = ("name", "starts_on", "ends_on", "unit", "venue", "address", "organiser", "website")


def _not_your_province() -> PermissionDenied:
    return PermissionDenied(_("You may only manage the points of sale and fairs of your own province."))


def _trade_snapshot(obj: PointOfSale | Fair, names: Iterable[str]) -> dict[str, Any]:
    data = {}
    for name in names:
        value = getattr(obj, name)
        if name == "unit":
            value = value.path if value is not None else None
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


def _check_fields(model: type[PointOfSale | Fair], names: Iterable[str], fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(names)
    if unknown:
        raise TypeError(f"{model.__name__} got unexpected fields {sorted(unknown)}")


def _check_dates(obj: PointOfSale | Fair) -> None:
    if isinstance(obj, Fair) and obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


def _public_pages_changed() -> None:
    # Public pages and API answers are cached under the catalogue's version: bump it once the change is visible.
    transaction.on_commit(catalog_version_bump)


@transaction.atomic
def _trade_create(
    *, model: type[Trade], names: Iterable[str], action: str, by: "User", fields: dict[str, Any]
) -> Trade:
    _check_fields(model, names, fields)
    if not by.has_perm(f"catalog.add_{model._meta.model_name}") or not user_covers_unit(by, fields.get("unit")):
        raise _not_your_province()
    obj = model(**_normalise(fields))
    _check_dates(obj)
    slug_length = model._meta.get_field("slug").max_length
    obj.slug = unique_slug(model, obj.name, max_length=slug_length)
    obj.full_clean()
    save_with_unique_slug(obj, text=obj.name, max_length=slug_length)
    audit_record(action=action, obj=obj, by=by, after=_trade_snapshot(obj, names))
    _public_pages_changed()
    return obj


@transaction.atomic
def _trade_update(*, obj: Trade, names: Iterable[str], action: str, by: "User", fields: dict[str, Any]) -> Trade:
    model = type(obj)
    _check_fields(model, names, fields)
    obj = model.objects.select_for_update().select_related("unit").get(pk=obj.pk)
    if not by.has_perm(f"catalog.change_{model._meta.model_name}", obj):
        raise _not_your_province()
    if "unit" in fields and not user_covers_unit(by, fields["unit"]):
        raise _not_your_province()
    before = _trade_snapshot(obj, names)
    for name, value in _normalise(fields).items():
        setattr(obj, name, value)
    _check_dates(obj)
    obj.full_clean()
    after = _trade_snapshot(obj, names)
    changed = [name for name in names if before[name] != after[name]]
    if changed:
        obj.save()
        audit_record(
            action=action,
            obj=obj,
            by=by,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        _public_pages_changed()
    return obj


def _locked_for_products(obj: Trade, by: "User") -> Trade:
    model = type(obj)
    obj = model.objects.select_for_update().select_related("unit").get(pk=obj.pk)
    if not by.has_perm(f"catalog.change_{model._meta.model_name}", obj):
        raise _not_your_province()
    return obj


@transaction.atomic
def _trade_product_link(*, obj: Trade, product: "Product", action: str, by: "User") -> Trade:
    obj = _locked_for_products(obj, by)
    if not trade_linkable_entries(obj).filter(product=product).exists():
        if isinstance(obj, PointOfSale) and visible_entries().filter(product=product).exists():
            message = _("A point of sale carries only the certified products of its own province.")
        else:
            message = _("Only products with a currently valid OCOP certificate can be added.")
        raise ValidationError({"product": message})
    if obj.products.filter(pk=product.pk).exists():
        return obj
    obj.products.add(product)
    obj.save(update_fields=["updated_at"])
    audit_record(action=action, obj=obj, by=by, after={"product": product.slug})
    _public_pages_changed()
    return obj


@transaction.atomic
def _trade_product_unlink(*, obj: Trade, product: "Product", action: str, by: "User") -> Trade:
    obj = _locked_for_products(obj, by)
    if not obj.products.filter(pk=product.pk).exists():
        return obj
    obj.products.remove(product)
    obj.save(update_fields=["updated_at"])
    audit_record(action=action, obj=obj, by=by, before={"product": product.slug})
    _public_pages_changed()
    return obj


def point_of_sale_create(*, by: "User", **fields: Any) -> PointOfSale:
    """Register a point of sale in a unit the user covers (province staff: their province)."""
    return _trade_create(
        model=PointOfSale, names=POINT_OF_SALE_FIELDS, action="point_of_sale.create", by=by, fields=fields
    )


def point_of_sale_update(*, point_of_sale: PointOfSale, by: "User", **fields: Any) -> PointOfSale:
    """Change a point of sale's details (closing it hides it from the public); the slug, its public address, stays."""
    return _trade_update(
        obj=point_of_sale, names=POINT_OF_SALE_FIELDS, action="point_of_sale.update", by=by, fields=fields
    )


def point_of_sale_product_link(*, point_of_sale: PointOfSale, product: "Product", by: "User") -> PointOfSale:
    """Add a certified product of the point's province to what it carries (nothing happens if already there)."""
    return _trade_product_link(obj=point_of_sale, product=product, action="point_of_sale.link_product", by=by)


def point_of_sale_product_unlink(*, point_of_sale: PointOfSale, product: "Product", by: "User") -> PointOfSale:
    """Stop listing a product at the point of sale, certified or not (nothing happens if it was not there)."""
    return _trade_product_unlink(obj=point_of_sale, product=product, action="point_of_sale.unlink_product", by=by)


def fair_create(*, by: "User", **fields: Any) -> Fair:
    """Register a fair held in a unit the user covers; it ends on or after the day it starts."""
    return _trade_create(model=Fair, names=FAIR_FIELDS, action="fair.create", by=by, fields=fields)


def fair_update(*, fair: Fair, by: "User", **fields: Any) -> Fair:
    return _trade_update(obj=fair, names=FAIR_FIELDS, action="fair.update", by=by, fields=fields)


def fair_product_link(*, fair: Fair, product: "Product", by: "User") -> Fair:
    """Add a product certified today, from any province, to those shown at the fair."""
    return _trade_product_link(obj=fair, product=product, action="fair.link_product", by=by)


def fair_product_unlink(*, fair: Fair, product: "Product", by: "User") -> Fair:
    return _trade_product_unlink(obj=fair, product=product, action="fair.unlink_product", by=by)
