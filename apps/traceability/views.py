"""The public pages of a stamp: the scan page (short code or GS1 Digital Link), manual code entry, and the
report of a suspected fake. The code is the only input taken from the URL; unknown codes get a firm page."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.certificates.enums import CertificateStatus
from apps.core.gs1 import DigitalLinkError, is_valid_ai_value, to_gtin14

from . import counterfeit, labels, selectors, services
from .cache import cached_record, cached_regions_count, cached_stamp, versions_pinned
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


def _scan_page(request, stamp, certificate):
    """Live on every request: the certificate's status, the counters and the signals (the stamp and certificate
    rows come from ``cached_stamp``, which every change to them makes stale)."""
    batch, lot = stamp.batch, stamp.batch.lot
    status = certificate.status() if certificate else None
    count, previous, current, place, address = stamp.scan_count, None, None, None, ""
    if request.method == "GET":  # HEAD requests (link checkers) are not scans
        address = client_address(request)
        place = locate(address)
        count = services.scan_count_next(stamp)
        if place:
            current = SimpleNamespace(scanned_at=timezone.now(), **{k: place[k] for k in ("latitude", "longitude")})
            previous = selectors.previous_placed_scan(stamp)
    verdict = counterfeit.assess(
        stamp=stamp,
        batch=batch,
        lot=lot,
        certificate_status=status,
        scan_count=count,
        previous_scan=previous,
        current_scan=current,
    )
    if request.method == "GET":
        services.scan_record(stamp=stamp, address=address, place=place, signals=verdict.signals)
    today = timezone.localdate()
    return render(
        request,
        "traceability/scan.html",
        {
            "stamp": stamp,
            "printed_code": labels.printed_code(stamp.code),
            "lot": lot,
            "product": batch.product,
            "certificate": certificate,
            "status": status,
            "Status": CertificateStatus,
            "verdict": verdict,
            "Signal": Signal,
            "scan_count": count,
            "regions": (
                cached_regions_count(stamp=stamp, count=lambda: selectors.scan_regions_count(stamp))
                if Signal.TOO_MANY_SCANS in verdict
                else 0
            ),
            "record": _record_html(request, stamp, today),
        },
    )


@never_cache
@require_safe
def stamp(request, code):
    with versions_pinned():
        found, certificate = _stamp_and_certificate(services.normalise_code(code))
        if found is None:
            return _unknown(request)
        if found.code != code:
            return redirect("trace_scan:stamp", code=found.code)
        return _scan_page(request, found, certificate)


def _stamp_and_certificate(code):
    def lookup():
        stamp = selectors.stamp_by_code(code)
        return stamp, selectors.current_certificate(stamp.batch.product) if stamp is not None else None

    return cached_stamp(today=timezone.localdate(), code=code, lookup=lookup)


@never_cache
@require_safe
def digital_link(request, gtin, serial, lot=None):
    """``/01/<gtin>[/10/<lot>]/21/<serial>``: Django has already percent-decoded the parts."""
    try:
        gtin14 = to_gtin14(gtin)
    except DigitalLinkError:
        return _unknown(request)
    if (lot is not None and not is_valid_ai_value(lot)) or not is_valid_ai_value(serial):
        return _unknown(request)
    found = selectors.stamp_by_digital_link(gtin=gtin14, lot=lot, serial=serial)
    if found is None:
        return _unknown(request)
    return _scan_page(request, found, selectors.current_certificate(found.batch.product))


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
