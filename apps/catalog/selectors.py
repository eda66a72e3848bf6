"""Every read of the public catalogue (no login: it is all public data), and the staff's reads of trade promotion."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from apps.certificates.models import Certificate
from apps.geo import maps
from apps.geo.enums import Edition
from apps.geo.models import AdministrativeUnit
from apps.producers.models import Producer
from apps.products.models import ProductPhoto, ProductSet

from .cache import cache_key, cached
from .filters import CatalogFilter, search_words
from .models import CatalogEntry, Fair, PointOfSale
from .rules import q_view_trade_promotion

if TYPE_CHECKING:
    from apps.products.models import Product

FACET_COLUMNS = {
    # By default the public side speaks the 2025 map: old records count under their successors.
    "province": "current_province_id",
    "commune": "current_commune_id",
    # The old list (``edition=2024``), for people who still think in old names.
    "old_province": "province_id",
    "district": "district_id",
    "old_commune": "commune_id",
    "group": "group_id",
    "product_set": "product_set_id",
    "stars": "stars",
    "year": "recognised_year",
}


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@lru_cache(maxsize=2)
def _visible_on(today: datetime.date) -> QuerySet[CatalogEntry]:
    return CatalogEntry.objects.visible(today)


def visible_entries(today: datetime.date | None = None) -> QuerySet[CatalogEntry]:
    """The listed entries: a copy of the day's query, built once (building its five lookups took a catalogue page
    a quarter of a millisecond); the shared one is never evaluated."""
    return _visible_on(today or timezone.localdate()).all()


def with_card_data(entries: QuerySet[CatalogEntry]) -> QuerySet[CatalogEntry]:
    """What a product card needs but its places (see :func:`attach_places`), in two queries.

    Few joins on purpose: at national scale PostgreSQL spends far longer planning a ten-table join than running it.
    """
    photos = Prefetch("product__photos", queryset=ProductPhoto.objects.order_by("order", "pk"), to_attr="photo_list")
    return entries.select_related("product", "producer", "group").prefetch_related(photos)


def attach_places(entries: Iterable[CatalogEntry]) -> list[CatalogEntry]:
    """Set province, district and commune on ``entries`` from one query; returns them as a list."""
    entries = list(entries)
    columns = ("province_id", "district_id", "commune_id", "current_province_id", "current_commune_id")
    ids = {pk for e in entries for pk in (getattr(e, c) for c in columns) if pk}
    # The successor comes along so a card can say which 2025 province an old one is now part of.
    units = AdministrativeUnit.objects.select_related("successor").in_bulk(ids) if ids else {}
    for entry in entries:
        # An entry's required province and commune are always among the ids read here.
        entry.province = units.get(entry.province_id)  # type: ignore[assignment]
        entry.commune = units.get(entry.commune_id)  # type: ignore[assignment]
        entry.district = units.get(entry.district_id) if entry.district_id else None
        entry.current_province = units.get(entry.current_province_id) if entry.current_province_id else None
        entry.current_commune = units.get(entry.current_commune_id) if entry.current_commune_id else None
    return entries


def card_entries(entries: QuerySet[CatalogEntry]) -> list[CatalogEntry]:
    return attach_places(with_card_data(entries))


def catalog_filter(data: Mapping[str, Any] | None, *, today: datetime.date | None = None) -> CatalogFilter:
    return CatalogFilter(data, queryset=visible_entries(today))


def _facet_dimensions(cleaned: dict[str, Any]) -> list[str]:
    """Province, group, set, stars and year always; communes once a province is chosen (the old list: districts
    and communes). Dimensions keep their public names; ``FACET_COLUMNS`` says which column each groups by."""
    old = cleaned.get("edition") == Edition.THREE_TIER_2024 or bool(
        # A pre-2025 province picked by its own id (an old link, or a province with no successor): its districts.
        cleaned.get("province")
        and AdministrativeUnit.objects.filter(pk=cleaned["province"], edition=Edition.THREE_TIER_2024).exists()
    )
    dims = ["old_province" if old else "province", "group", "product_set", "stars", "year"]
    if cleaned.get("province") or cleaned.get("district"):
        dims[1:1] = ["district", "old_commune"] if old else ["commune"]
    return dims


def _public_names(facets: dict[str, Any]) -> dict[str, Any]:
    """The old list's dimensions under the names the form and the API use."""
    renamed = {"old_province": "province", "old_commune": "commune"}
    return {renamed.get(k, k): v for k, v in facets.items()}


def _grouped_counts(queryset: QuerySet[CatalogEntry], dims: Iterable[str]) -> dict[str, Any]:
    """{dimension: {value: count}} for ``dims`` over ``queryset``: one query on PostgreSQL (GROUPING SETS)."""
    columns = [FACET_COLUMNS[d] for d in dims]
    base = queryset.order_by().values(*columns)
    counts: dict[str, dict[Any, int]] = {d: {} for d in dims}
    if connection.vendor == "postgresql":
        inner_sql, params = base.query.sql_with_params()
        grouping = ", ".join(f"GROUPING({c})" for c in columns)
        sets = ", ".join(f"({c})" for c in columns)
        sql = (
            f"SELECT {', '.join(columns)}, {grouping}, COUNT(*) FROM ({inner_sql}) AS facets "  # noqa: S608
            f"GROUP BY GROUPING SETS ({sets})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        n = len(columns)
        for row in rows:
            values, flags, count = row[:n], row[n : 2 * n], row[2 * n]
            for dim, value, flag in zip(dims, values, flags, strict=True):
                if flag == 0 and value is not None:
                    counts[dim][value] = count
    else:
        for dim, column in zip(dims, columns, strict=True):
            for row in base.values(column).annotate(n=Count("pk")):
                if row[column] is not None:
                    counts[dim][row[column]] = row["n"]
    return counts


def _unit_label(name: str, edition: str, clashes: set[str]) -> str:
    return f"{name} ({edition})" if name in clashes else name


def _label_counts(counts: dict[str, Any]) -> dict[str, list[FacetOption]]:
    """Attach names and order: units by name, groups and sets in the official order, stars and years descending."""
    unit_dims = ("province", "district", "commune", "old_province", "old_commune")
    unit_ids = {v for d in unit_dims for v in counts.get(d, {})}
    rows = AdministrativeUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name", "edition") if unit_ids else []
    units = {pk: (name, edition) for pk, name, edition in rows}
    result = {}
    for dim, by_value in counts.items():
        if dim in unit_dims:
            names = [units.get(v, ("", ""))[0] for v in by_value]
            # Both editions may hold a unit of the same name (Cần Thơ before and after July 2025): say which.
            clashes = {name for name in names if names.count(name) > 1}
            options = sorted(
                (FacetOption(str(v), _unit_label(*units.get(v, ("", "")), clashes), n) for v, n in by_value.items()),
                key=lambda o: o.label,
            )
        elif dim in ("group", "product_set"):
            options = [FacetOption(str(v), "", n) for v, n in by_value.items()]
        else:
            options = [
                FacetOption(str(v), str(v), n) for v, n in sorted(by_value.items(), key=lambda i: i[0], reverse=True)
            ]
        result[dim] = options
    if "group" in result or "product_set" in result:
        sets = list(ProductSet.objects.select_related("group"))
        groups = {s.group_id: s.group for s in sets}
        group_counts = {int(o.value): o.count for o in result.get("group", [])}
        set_counts = {int(o.value): o.count for o in result.get("product_set", [])}
        result["group"] = [
            FacetOption(g.code, g.name, group_counts[g.pk])
            for g in sorted(groups.values(), key=lambda g: (g.order, g.code))
            if g.pk in group_counts
        ]
        result["product_set"] = [FacetOption(s.code, s.name, set_counts[s.pk]) for s in sets if s.pk in set_counts]
    return result


def _facet_params(filterset: CatalogFilter) -> dict[str, Any]:
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    return {k: v for k, v in cleaned.items() if v not in (None, "") and k != "sort"}


def catalog_facets(filterset: CatalogFilter, *, today: datetime.date | None = None) -> Any:
    """Counts per facet under the current filters, cached until the catalogue changes or the day ends."""
    today = today or timezone.localdate()
    params = _facet_params(filterset)

    def compute() -> Any:
        dims = _facet_dimensions(params)
        return _public_names(_label_counts(_grouped_counts(filterset.qs, dims)))

    return cached("facets", today, compute, **params)


def catalog_facets_key(filterset: CatalogFilter, *, today: datetime.date | None = None) -> str:
    """The cache key :func:`catalog_facets` reads (for a caller that reads it with other keys in one round trip)."""
    return cache_key("facets", today or timezone.localdate(), **_facet_params(filterset))


def catalog_filters_fragment_key(filterset: CatalogFilter, *, today: datetime.date | None = None) -> str:
    """Names the rendered filter form: same facets, same selection, same sort order."""
    today = today or timezone.localdate()
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    return cache_key("filters", today, sort=cleaned.get("sort") or "", **_facet_params(filterset))


def catalog_statistics(*, today: datetime.date | None = None) -> Any:
    """Certified products by stars, group and province, with the totals (cached)."""
    today = today or timezone.localdate()

    def compute() -> Any:
        entries = visible_entries(today)
        facets = _label_counts(_grouped_counts(entries, ["stars", "group", "province", "old_province"]))
        totals = entries.aggregate(
            products=Count("pk"),
            producers=Count("producer_id", distinct=True),
            provinces=Count("current_province_id", distinct=True),
        )
        return {"totals": totals, **facets}

    return cached("statistics", today, compute)


def featured_entries(*, limit: int = 8, today: datetime.date | None = None) -> list[CatalogEntry]:
    return attach_places(
        with_card_data(visible_entries(today).order_by("-stars", "-recognised_on", "sort_name", "pk"))[:limit]
    )


def product_entry(*, slug: str, today: datetime.date | None = None) -> CatalogEntry:
    """The catalogue entry of a certified product, with everything its page shows; 404 when not certified."""
    entries = visible_entries(today).select_related("product", "producer", "certificate", "group")
    entry = get_object_or_404(entries, product__slug=slug)
    attach_places([entry])
    entry.product_set = ProductSet.objects.select_related("group").get(pk=entry.product_set_id)
    entry.group = entry.product_set.group
    return entry


def former_product(*, slug: str, today: datetime.date | None = None) -> dict[str, Any] | None:
    """A product that was certified but is no longer (revoked, expired): its last certificate, or None.

    Its public page stays, to say so, instead of vanishing: a buyer holding the packaging must learn the status.
    """

    certificate = (
        Certificate.objects.filter(product__slug=slug, superseded_by__isnull=True)
        .select_related("product__producer", "product__commune", "product__product_set", "recognition__decision")
        .order_by("-valid_until", "-pk")
        .first()
    )
    if certificate is None:
        return None
    return {"certificate": certificate, "product": certificate.product, "status": certificate.status(today)}


def product_photos(product: "Product") -> list[ProductPhoto]:
    return list(ProductPhoto.objects.filter(product=product).order_by("order", "pk"))


def product_points_of_sale(product: "Product") -> list[PointOfSale]:
    return list(PointOfSale.objects.filter(products=product, is_active=True).select_related("unit").order_by("name"))


def product_fairs(product: "Product", *, today: datetime.date | None = None) -> list[Fair]:
    today = today or timezone.localdate()
    return list(Fair.objects.filter(products=product, ends_on__gte=today).select_related("unit").order_by("starts_on"))


def producer_with_entries(*, slug: str, today: datetime.date | None = None) -> tuple[Producer, list[CatalogEntry]]:
    """A producer with at least one certified product, and those products; 404 otherwise."""
    producer = get_object_or_404(Producer.objects.select_related("commune"), slug=slug)
    entries = card_entries(visible_entries(today).filter(producer=producer))
    if not entries:
        raise Http404
    return producer, entries


def public_producers(*, today: datetime.date | None = None) -> QuerySet[Producer]:
    """Producers with at least one certified product, with how many."""
    visible = visible_entries(today)
    return (
        Producer.objects.filter(catalog_entries__in=visible)
        .annotate(certified_products=Count("catalog_entries", distinct=True))
        .select_related("commune")
        .order_by("name", "pk")
    )


def _certified_products_count(today: datetime.date | None) -> Count:
    today = today or timezone.localdate()
    return Count(
        "products",
        filter=Q(products__catalog_entry__valid_from__lte=today, products__catalog_entry__valid_until__gte=today),
        distinct=True,
    )


def points_of_sale(
    *, province: AdministrativeUnit | None = None, today: datetime.date | None = None
) -> QuerySet[PointOfSale]:
    qs = (
        PointOfSale.objects.filter(is_active=True)
        .select_related("unit")
        .annotate(n_products=_certified_products_count(today))
    )
    if province is not None:
        qs = qs.filter(unit__path__startswith=province.path)
    return qs.order_by("name")


def fairs(*, today: datetime.date | None = None, past: bool = False) -> QuerySet[Fair]:
    today = today or timezone.localdate()
    qs = Fair.objects.select_related("unit").annotate(n_products=_certified_products_count(today))
    if past:
        return qs.filter(ends_on__lt=today).order_by("-starts_on", "name")
    return qs.filter(ends_on__gte=today).order_by("starts_on", "name")


def point_of_sale_with_entries(
    *, slug: str, today: datetime.date | None = None
) -> tuple[PointOfSale, list[CatalogEntry]]:
    pos = get_object_or_404(PointOfSale.objects.select_related("unit"), slug=slug, is_active=True)
    entries = card_entries(visible_entries(today).filter(product__points_of_sale=pos))
    return pos, entries


def fair_with_entries(*, slug: str, today: datetime.date | None = None) -> tuple[Fair, list[CatalogEntry]]:
    fair = get_object_or_404(Fair.objects.select_related("unit"), slug=slug)
    entries = card_entries(visible_entries(today).filter(product__fairs=fair))
    return fair, entries


def unit_ancestors(unit: AdministrativeUnit | None) -> list[AdministrativeUnit]:
    return list(unit.ancestors()) if unit else []


# --- Trade promotion: the open-data API and the staff screens ------------------------------------------------


def attach_provinces(rows: list[Any]) -> list[Any]:
    """Set ``province`` on points of sale or fairs (each with its ``unit`` loaded) from one query; returns a list."""
    rows = list(rows)
    paths = {row.unit.province_path for row in rows}
    by_path = {unit.path: unit for unit in AdministrativeUnit.objects.filter(path__in=paths)} if paths else {}
    for row in rows:
        row.province = by_path.get(row.unit.province_path)
    return rows


def public_points_of_sale(*, today: datetime.date | None = None) -> QuerySet[PointOfSale]:
    """Open points of sale with how many certified products each carries today."""
    return points_of_sale(today=today).order_by("name", "pk")


def public_fairs(*, today: datetime.date | None = None) -> QuerySet[Fair]:
    """Every fair, newest first, with how many certified products each shows."""
    return (
        Fair.objects.select_related("unit")
        .annotate(n_products=_certified_products_count(today))
        .order_by("-starts_on", "name", "pk")
    )


def listed_entries(obj: PointOfSale | Fair, *, today: datetime.date | None = None) -> QuerySet[CatalogEntry]:
    """The catalogue entries of the products a point of sale or fair carries: certified today only."""
    related = "product__points_of_sale" if isinstance(obj, PointOfSale) else "product__fairs"
    return visible_entries(today).filter(**{related: obj}).select_related("product").order_by("sort_name", "pk")


def points_of_sale_visible_to(user: Any) -> QuerySet[PointOfSale]:
    """The points of sale ``user`` may view (``catalog.view_pointofsale``), open or closed."""
    return PointOfSale.objects.select_related("unit").filter(q_view_trade_promotion(user))


def fairs_visible_to(user: Any) -> QuerySet[Fair]:
    """The fairs ``user`` may view (``catalog.view_fair``)."""
    return Fair.objects.select_related("unit").filter(q_view_trade_promotion(user))


def trade_staff_rows(queryset: QuerySet[Any], *, today: datetime.date | None = None) -> QuerySet[Any]:
    """A staff list's rows: how many products are linked and how many of those the public sees today.

    Fairs come newest first, points of sale by name.
    """
    ordering = ("-starts_on", "name", "pk") if queryset.model is Fair else ("name", "pk")
    return queryset.annotate(
        n_linked=Count("products", distinct=True), n_products=_certified_products_count(today)
    ).order_by(*ordering)


def trade_linkable_entries(obj: PointOfSale | Fair, *, today: datetime.date | None = None) -> QuerySet[CatalogEntry]:
    """What ``obj`` may carry: products certified today; a point of sale only those of its own province.

    Fairs gather producers from all over the country, so any certified product may be shown at one; a point of sale
    is the province's own showroom for its OCOP products.
    """
    entries = visible_entries(today)
    if isinstance(obj, PointOfSale):
        # Products certified before the 2025 reform point at the old province that became part of this one.
        path = obj.unit.province_path
        entries = entries.filter(Q(province__path=path) | Q(province__successor__path=path))
    return entries


def trade_linked_products(obj: PointOfSale | Fair, *, today: datetime.date | None = None) -> "QuerySet[Product]":
    """The products linked to ``obj``, each flagged ``listed`` when the public sees it today."""
    listed = visible_entries(today).filter(product=OuterRef("pk"))
    return obj.products.select_related("producer").annotate(listed=Exists(listed)).order_by("name", "pk")


def trade_product_candidates(
    obj: PointOfSale | Fair, *, query: str = "", limit: int = 20, today: datetime.date | None = None
) -> list[CatalogEntry]:
    """Up to ``limit`` products ``obj`` may carry and does not yet, matching every word of ``query``."""
    entries = trade_linkable_entries(obj, today=today).exclude(product_id__in=obj.products.values("pk"))
    for word in search_words(query or ""):
        entries = entries.filter(search_text__contains=word)
    return list(entries.select_related("product", "producer", "province").order_by("sort_name", "pk")[:limit])


# --- Maps (server-rendered SVG, apps/geo/maps.py) -----------------------------------------------------------------


def _map_counts(province: AdministrativeUnit | None, today: datetime.date) -> list[tuple[AdministrativeUnit, int]]:
    """{unit: certified products} on the 2025 map: per province, or per commune within a 2025 ``province`` (a
    product of a split old commune, with no 2025 commune yet, counts at its old commune). Two queries."""
    entries = visible_entries(today).order_by()
    counts = {}
    if province is None:
        for pk, n in entries.values_list("current_province_id").annotate(n=Count("pk")):
            if pk:
                counts[pk] = n
    else:
        rows = entries.filter(current_province_id=province.pk).values_list("current_commune_id", "commune_id")
        for current, old, n in rows.annotate(n=Count("pk")):
            counts[current or old] = counts.get(current or old, 0) + n
    units = AdministrativeUnit.objects.filter(pk__in=counts, latitude__isnull=False).only(
        "pk", "name", "code", "edition", "level", "latitude", "longitude"
    )
    return [(u, counts[u.pk]) for u in units.order_by("name", "pk")]


def catalog_map(*, province: AdministrativeUnit | None = None, today: datetime.date | None = None) -> Any:
    """Certified products per 2025 province, or per commune within ``province`` (a 2025 province), as an SVG map
    (cached until the catalogue changes)."""
    today = today or timezone.localdate()

    def compute() -> Any:
        facet = "commune" if province else "province"
        markers = [
            {
                "lat": u.latitude,
                "lon": u.longitude,
                "count": n,
                "label": u.name,
                "href": f"{reverse('catalog:product_list')}?{facet}={u.pk}",
            }
            for u, n in _map_counts(province, today)
        ]
        land = maps.unit_points(parent_path=province.path if province else None)
        bounds = maps.bounds_of(land) if province else None
        return maps.draw(land_points=land, markers=markers, bounds=bounds, width=360 if province else 320)

    # The markers link to the catalogue in the visitor's language.
    return cached("map", today, compute, province=province.pk if province else "", language=get_language())


def catalog_map_features(*, province: AdministrativeUnit | None = None, today: datetime.date | None = None) -> Any:
    """The same counts as GeoJSON features (points, WGS 84 longitude/latitude), cached."""
    today = today or timezone.localdate()

    def compute() -> Any:
        return [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [u.longitude, u.latitude]},
                "properties": {
                    "id": u.pk,
                    "edition": u.edition,
                    "level": u.level,
                    "code": u.code,
                    "name": u.name,
                    "certified_products": n,
                },
            }
            for u, n in _map_counts(province, today)
        ]

    return cached("map-features", today, compute, province=province.pk if province else "")


def product_locator(entry: CatalogEntry) -> Any:
    """A small map of Vietnam with a dot where ``entry``'s product comes from (its places already attached)."""
    places = [getattr(entry, "current_commune", None), entry.commune, getattr(entry, "current_province", None)]
    spot = next((u for u in places if u is not None and u.latitude is not None), None)

    def compute() -> Any:
        markers = []
        if spot is not None:
            markers.append(
                {"lat": spot.latitude, "lon": spot.longitude, "count": 1, "label": spot.name, "highlight": True}
            )
        return maps.draw(land_points=maps.unit_points(), markers=markers, width=120, max_radius=3.5)

    # Drawing the country's outline is most of a product page's work: once per place, until the catalogue changes.
    return cached("locator", timezone.localdate(), compute, unit=spot.pk if spot else "")
