"""The public pages of a stamp: the scan page (short code or GS1 Digital Link), manual code entry, and the
report of a suspected fake. The code is the only input taken from the URL; unknown codes get a firm page."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.certificates.enums import CertificateStatus
from apps.core.gs1 import DigitalLinkError, is_valid_ai_value, to_gtin14

from . import counterfeit, labels, scanbuffer, selectors, services
from .cache import cache_page, cached_record, cached_regions_count, cached_stamp, scan_read_keys, versions_pinned
from .enums import Signal
from .forms import CodeForm, FakeReportForm
from .models import ProductionSite, SiteCertification
from .places import client_address, locate


def _unknown(request):
    return render(request, "traceability/scan_unknown.html", status=404)


def _record_html(request, stamp, today):
    """The lot's record (sites, events, points of sale, photo), rendered once per version and language."""
    batch, lot = stamp.batch, stamp.batch.lot
    product = batch.product

    def render():
        sites = []
        events = []
        if lot is not None:
            sites = list(
                lot.sites.select_related("commune").prefetch_related(
                    Prefetch("certifications", queryset=SiteCertification.objects.order_by("kind"))
                )
            )
            events = list(lot.events.select_related("site"))
        if not sites:
            sites = list(
                ProductionSite.objects.filter(products=product)
                .select_related("commune")
                .prefetch_related("certifications")[:3]
            )
        return render_to_string(
            "traceability/_record.html",
            {
                "lot": lot,
                "product": product,
                "producer": product.producer,
                "sites": sites,
                "events": events,
                "photo": product.photos.order_by("order", "pk").first(),
                "points_of_sale": list(product.points_of_sale.filter(is_active=True).select_related("unit")[:10]),
                "today": today,
            },
        )

    return cached_record(today=today, batch=batch, language=get_language(), render=render)


# Where the live part goes in the rendered page: a comment no field can produce (the page escapes "<" in data).
LIVE = "<!--ocop:scan-live-->"


def _cacheable(request):
    """An anonymous visitor's plain scan: no session cookie (so nobody is signed in and the session, the messages
    and the user are never loaded), no messages cookie, no query string (the language links repeat it)."""
    cookies = request.COOKIES
    return (
        not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def _static_parts(request, stamp, certificate, status, today):
    """The page around its live part, as two byte strings: everything here changes only with the stamp's and the
    certificate's rows (cached under the versions), the record (cached under them too), today and the language."""
    batch = stamp.batch
    html = render_to_string(
        "traceability/scan.html",
        {
            "stamp": stamp,
            "printed_code": labels.printed_code(stamp.code),
            "product": batch.product,
            "certificate": certificate,
            "status": status,
            "record": _record_html(request, stamp, today),
            "live": mark_safe(LIVE),  # noqa: S308 — a fixed marker
        },
        request=request,
    )
    before, marker, after = html.partition(LIVE)
    if not marker or LIVE in after:
        raise ImproperlyConfigured("traceability/scan.html must show {{ live }} once")
    return before.encode(), after.encode()


def _scan_page(request, stamp, certificate, *, today, scan, read=None, parts=None):
    """The page with its live part: the certificate's status today, the counters and the signals, on every request.

    ``scan``: this scan (address, place, time), None for a HEAD (link checkers are not scans); ``read``: what
    ``scanbuffer.scan_read`` found (the count and the row when it took the scan already, the last place, the
    regions count); ``parts``: the cached rest of the page. Returns the response, the parts and the verdict."""
    batch, lot = stamp.batch, stamp.batch.lot
    status = certificate.status(today) if certificate else None
    count, previous, current = stamp.scan_count, None, None
    if scan is not None:
        count = read.count if read is not None and read.count is not None else services.scan_count_next(stamp)
        if scan.here:
            current = SimpleNamespace(scanned_at=scan.now, **{k: scan.here[k] for k in ("latitude", "longitude")})
            previous = selectors.previous_placed_scan(stamp, buffered=read.place if read else selectors.UNREAD)
    verdict = counterfeit.assess(
        stamp=stamp,
        batch=batch,
        lot=lot,
        certificate_status=status,
        scan_count=count,
        previous_scan=previous,
        current_scan=current,
        today=today,
    )
    if scan is not None and not (read is not None and read.pushed):
        services.scan_record(stamp=stamp, address=scan.address, place=scan.here, signals=verdict.signals)
    regions = read.regions if read is not None else None
    if Signal.TOO_MANY_SCANS in verdict and regions is None:
        regions = cached_regions_count(stamp=stamp, count=lambda: selectors.scan_regions_count(stamp))
    live = render_to_string(
        "traceability/_scan_verdict.html",
        {
            "stamp": stamp,
            "lot": lot,
            "product": batch.product,
            "certificate": certificate,
            "status": status,
            "Status": CertificateStatus,
            "verdict": verdict,
            "Signal": Signal,
            "scan_count": count,
            "regions": regions or 0,
        },
    )
    if parts is None:
        parts = _static_parts(request, stamp, certificate, status, today)
    return HttpResponse(b"".join((parts[0], live.encode(), parts[1]))), parts, status


def _scan(request, code, find):
    """A scan of ``code`` at this path. An anonymous visitor's repeat scan is one Redis round trip: the cached page,
    both versions, the counter, and the scan queued (``scanbuffer.scan_read``); no database connection at all.
    Otherwise the stamp and its certificate are found with ``find`` (cached per code, or a Digital Link's checks)
    and the page is built, and kept for the next visitor. ``find`` returns ``(stamp, certificate)`` or a response
    (404, redirect)."""
    today, language = timezone.localdate(), get_language()
    scan = None
    if request.method == "GET":
        address = client_address(request)
        scan = SimpleNamespace(address=address, here=locate(address), now=timezone.now())
    read = None
    if _cacheable(request):
        read = scanbuffer.scan_read(
            code=code,
            **scan_read_keys(path=request.path, language=language, today=today, code=code),
            count=scan is not None,
            # Without a place the distance rule cannot apply: the script may queue the row itself.
            row=None
            if scan is None or scan.here
            else scanbuffer.row_fields(scanned_at=scan.now, ip_prefix=services.ip_prefix(scan.address), place={}),
            limit=settings.OCOP_STAMP_SCAN_LIMIT,
            too_many=Signal.TOO_MANY_SCANS.value,
        )
    if read is not None and read.page is not None:
        stamp, certificate, parts = read.page
        return _scan_page(request, stamp, certificate, today=today, scan=scan, read=read, parts=parts)[0]
    with versions_pinned(trace=read and read.trace_version, catalog=read and read.catalog_version) as versions:
        found = find()
        if isinstance(found, HttpResponse):
            return found
        stamp, certificate = found
        response, parts, status = _scan_page(request, stamp, certificate, today=today, scan=scan, read=read)
        if read is not None:  # only where the page can be read back: a Redis that answered
            cache_page(
                path=request.path,
                language=language,
                today=today,
                versions=versions,
                page=(stamp, certificate, parts),
                stamp=stamp,
                signals=counterfeit.static_signals(
                    stamp=stamp, lot=stamp.batch.lot, certificate_status=status, today=today
                ),
            )
        return response


@transaction.non_atomic_requests  # reads only, and the scan goes to Redis (or is one atomic write of its own)
@never_cache
@require_safe
def stamp(request, code):
    def find():
        found, certificate = _stamp_and_certificate(services.normalise_code(code))
        if found is None:
            return _unknown(request)
        if found.code != code:
            return redirect("trace_scan:stamp", code=found.code)
        return found, certificate

    return _scan(request, code, find)


def _stamp_and_certificate(code):
    def lookup():
        stamp = selectors.stamp_by_code(code)
        return stamp, selectors.current_certificate(stamp.batch.product) if stamp is not None else None

    return cached_stamp(today=timezone.localdate(), code=code, lookup=lookup)


@transaction.non_atomic_requests
@never_cache
@require_safe
def digital_link(request, gtin, serial, lot=None):
    """``/01/<gtin>[/10/<lot>]/21/<serial>``: Django has already percent-decoded the parts. The serial is the
    stamp's code; the page is cached per path, so a repeat scan skips the checks (a GTIN or lot change bumps a
    version)."""

    def find():
        try:
            gtin14 = to_gtin14(gtin)
        except DigitalLinkError:
            return _unknown(request)
        if (lot is not None and not is_valid_ai_value(lot)) or not is_valid_ai_value(serial):
            return _unknown(request)
        found = selectors.stamp_by_digital_link(gtin=gtin14, lot=lot, serial=serial)
        if found is None:
            return _unknown(request)
        return found, selectors.current_certificate(found.batch.product)

    return _scan(request, serial, find)


@require_safe
def enter_code(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        code = services.normalise_code(form.cleaned_data["code"])
        if selectors.stamp_by_code(code) is not None:
            return redirect("trace_scan:stamp", code=code)
        return _unknown(request)
    return render(request, "traceability/enter_code.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_fake(request, code):
    found = selectors.stamp_by_code(services.normalise_code(code))
    form = FakeReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fake_report_create(
                photo=form.cleaned_data["photo"],
                stamp=found,
                code=code,
                where_bought=form.cleaned_data["where_bought"],
                message=form.cleaned_data["message"],
                contact=form.cleaned_data["contact"],
                address=client_address(request),
            )
        except ValidationError as exc:
            form.add_error("photo", exc.messages)
        else:
            return render(request, "traceability/report_thanks.html", {"stamp": found})
    return render(
        request,
        "traceability/report_fake.html",
        {"form": form, "stamp": found, "code": code, "back": reverse("trace_scan:stamp", kwargs={"code": code})},
    )
