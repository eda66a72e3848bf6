"""Public pages: catalogue, product, producer, statistics, points of sale and fairs. No login anywhere here."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from apps.certificates.enums import CertificateStatus
from apps.core.text import ascii_int
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit

from . import selectors
from .cache import cache_key, cache_public_page, read_many, write_many
from .enums import CatalogSort
from .filters import RECOGNISED_STARS
from .seo import product_json_ld


def home(request):
    """The public front page (``core:home``): search, the catalogue's figures and featured certified products."""
    return render(
        request,
        "core/home.html",
        {"featured": list(selectors.featured_entries(limit=8)), "stats": selectors.catalog_statistics()},
    )


PAGE_SIZE = 24


class CountedPaginator(Paginator):
    """A paginator told its count (from the cached facet counts) instead of running COUNT(*) on each page."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def _card_keys(entry_ids, today):
    prefix = cache_key("card", today, lang=get_language())  # one digest per page, not one per card
    return {pk: f"{prefix}:{pk}" for pk in entry_ids}


def product_cards(entry_ids, *, today=None, found=None):
    """The rendered product cards of ``entry_ids``, in that order.

    A card is rendered once per catalogue version, day and language and then read from the cache with the page's
    other cards in one round trip (``found``: what the caller already read in its own round trip): a catalogue
    page that missed the page cache (its own search words, a rare facet combination) renders and queries only the
    cards no page has shown since the catalogue last changed.
    """
    today = today or timezone.localdate()
    keys = _card_keys(entry_ids, today)
    if found is None:
        found = read_many(list(keys.values())) if keys else {}
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        template = get_template("catalog/includes/_product_card.html")
        entries = selectors.card_entries(selectors.visible_entries(today).filter(pk__in=missing))
        fresh = {keys[e.pk]: template.render({"entry": e}) for e in entries}
        write_many(fresh)
        found = {**found, **fresh}
    return [mark_safe(found[keys[pk]]) for pk in entry_ids if keys[pk] in found]  # noqa: S308 - our own template


def _page_guess(raw):
    """The page number asked for, before the count is known (the paginator has the last word)."""
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1


@require_GET
@cache_public_page
def product_list(request):
    today = timezone.localdate()
    filterset = selectors.catalog_filter(request.GET, today=today)
    selected = filterset.form.cleaned_data if filterset.is_valid() else {}
    filtered = any(v not in (None, "") for k, v in selected.items() if k != "sort")
    # Facets in use (the search box stays outside the folded part of the form, which opens when one is).
    active_filters = sum(v not in (None, "") for k, v in selected.items() if k not in ("q", "sort"))
    # The page's entries by id and name only (one cheap query, rows as named tuples: no model instances), then the
    # facet counts, the rendered filter form and the rendered cards from this process's memory or else in one cache
    # round trip; only what the cache lacks is computed.
    entries = filterset.qs.values_list("pk", "name", named=True)
    guess = _page_guess(request.GET.get("page"))
    guessed = list(entries[(guess - 1) * PAGE_SIZE : guess * PAGE_SIZE])
    facets_key = selectors.catalog_facets_key(filterset, today=today)
    form_key = selectors.catalog_filters_fragment_key(filterset, today=today) + f":{get_language()}"
    found = read_many([facets_key, form_key, *_card_keys([e.pk for e in guessed], today).values()])
    facets = found.get(facets_key)
    if facets is None:
        facets = selectors.catalog_facets(filterset, today=today)
    # Every listed product has exactly one star level: the cached star counts add up to the total.
    total = sum(option.count for option in facets["stars"])
    page = CountedPaginator(entries, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    # Out of range or not a number: the page the paginator chose instead (and its cards read on their own).
    page.object_list = guessed if page.number == guess else list(page.object_list)
    selection = {k: ("" if v is None else str(v)) for k, v in selected.items()}
    filters_form = found.get(form_key)
    if filters_form is None:
        context = {
            "facets": facets,
            "selected": selection,
            "filtered": filtered,
            "active_filters": active_filters,
            "sort_choices": CatalogSort.choices,
            "star_choices": RECOGNISED_STARS,
        }
        filters_form = str(render_to_string("catalog/includes/_catalog_filters.html", context))
        write_many({form_key: filters_form})
    return render(
        request,
        "catalog/product_list.html",
        {
            "page_obj": page,
            "cards": product_cards([entry.pk for entry in page.object_list], today=today, found=found),
            "facets": facets,
            "selected": selection,
            "filtered": filtered,
            "filters_form": mark_safe(filters_form),  # noqa: S308 - our own template
        },
    )


def product_page(request, slug, *, today=None):
    """What a product page shows, with its main content already rendered, once per catalogue version and day.

    The page's six queries and the article's template are paid once per version (every change a product page shows
    bumps it: certificate, product, producer, photo, point of sale, fair); a logged-in visitor, a page missed by the
    page cache and the next request after a change of another product read it back in one round trip. Keyed by the
    language and the host (the JSON-LD holds absolute links). Raises Http404 when the product is not certified.
    """
    today = today or timezone.localdate()
    key = cache_key(
        "product-page", today, slug=slug, lang=get_language(), host=request.get_host(), scheme=request.scheme
    )
    page = read_many([key]).get(key)
    if page is None:
        entry = selectors.product_entry(slug=slug, today=today)
        product = entry.product
        photos = selectors.product_photos(product)
        verify_url = entry.certificate.verification_path
        page = {
            "entry": entry,
            "product": product,
            "photos": photos,
            "points_of_sale": selectors.product_points_of_sale(product),
            "fairs": selectors.product_fairs(product, today=today),
            "verify_url": verify_url,
            "locator": selectors.product_locator(entry),
            "today": today,
        }
        page["article"] = str(render_to_string("catalog/includes/_product_article.html", page))
        page["json_ld"] = str(product_json_ld(request, entry, photos, verify_url))
        write_many({key: page})
    return {
        **page,
        "article": mark_safe(page["article"]),  # noqa: S308 - our own template
        "json_ld": mark_safe(page["json_ld"]),  # noqa: S308 - json_for_script's output
    }


@require_GET
@cache_public_page
def product_detail(request, slug):
    try:
        page = product_page(request, slug)
    except Http404:
        former = selectors.former_product(slug=slug)
        if former is None:
            raise
        return render(request, "catalog/product_former.html", {**former, "Status": CertificateStatus})
    return render(request, "catalog/product_detail.html", page)


@require_GET
@cache_public_page
def producer_detail(request, slug):
    producer, entries = selectors.producer_with_entries(slug=slug)
    return render(
        request,
        "catalog/producer_detail.html",
        {"producer": producer, "entries": entries, "places": selectors.unit_ancestors(producer.commune)},
    )


@require_GET
@cache_public_page
def statistics(request):
    stats = selectors.catalog_statistics()
    # ``?tinh=<id>`` of a 2025 province: its communes on the map; anything else: the whole country.
    raw = request.GET.get("tinh", "")
    province = None
    if ascii_int(raw) is not None:
        province = AdministrativeUnit.objects.filter(
            pk=ascii_int(raw), edition=Edition.TWO_TIER_2025, level=Level.PROVINCE
        ).first()
    return render(
        request,
        "catalog/statistics.html",
        {"stats": stats, "map": selectors.catalog_map(province=province), "map_province": province},
    )


@require_GET
@cache_public_page
def point_of_sale_list(request):
    return render(request, "catalog/point_of_sale_list.html", {"points": selectors.points_of_sale()})


@require_GET
@cache_public_page
def point_of_sale_detail(request, slug):
    point, entries = selectors.point_of_sale_with_entries(slug=slug)
    return render(request, "catalog/point_of_sale_detail.html", {"point": point, "entries": entries})


@require_GET
@cache_public_page
def fair_list(request):
    return render(
        request,
        "catalog/fair_list.html",
        {"upcoming": selectors.fairs(), "past": selectors.fairs(past=True)[:20]},
    )


@require_GET
@cache_public_page
def fair_detail(request, slug):
    fair, entries = selectors.fair_with_entries(slug=slug)
    return render(request, "catalog/fair_detail.html", {"fair": fair, "entries": entries})


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /quan-ly/",
        "Disallow: /quan-tri/",
        "Disallow: /accounts/",
        "Disallow: /en/quan-ly/",
        "Disallow: /en/accounts/",
        "Allow: /",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
