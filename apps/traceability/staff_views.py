"""Producer and officer screens: sites, lots and events, stamp batches, statistics, alerts and fake reports.

Objects are fetched with ``get_object_or_403`` (404 when missing, 403 when another producer's or outside the
officer's subtree); each action checks its permission in the service too, and a refusal changes nothing.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.core.forms import add_service_errors
from apps.core.policy import get_object_or_403
from apps.core.storage import private_storage
from apps.producers.selectors import producers_visible_to
from apps.products.models import Product

from . import charts, exports, services
from .enums import BatchState
from .forms import (
    BatchRequestForm,
    CertificationForm,
    EventForm,
    LotForm,
    ProductBatchRequestForm,
    ReasonForm,
    SiteForm,
    VoidRangeForm,
)
from .models import FakeReport, Lot, ProductionSite, StampBatch
from .rules import q_site_editor
from .selectors import (
    alerts_visible_to,
    batches_awaiting_decision,
    batches_visible_to,
    lots_visible_to,
    reports_visible_to,
    scan_statistics,
    scans_visible_to,
    sites_visible_to,
)

PAGE_SIZE = 50


def _use(request):
    if not request.user.has_perm("traceability.use_traceability"):
        raise PermissionDenied


def _producers(user):
    return producers_visible_to(user).order_by("name")


def _products(user):
    return Product.objects.filter(producer__in=_producers(user)).order_by("name")


@login_required
@require_safe
def index(request):
    _use(request)
    user = request.user
    return render(
        request,
        "traceability/index.html",
        {
            "sites": sites_visible_to(user)[:20],
            "lots": lots_visible_to(user)[:20],
            "batches": batches_visible_to(user)[:20],
            "awaiting": [
                b for b in batches_awaiting_decision(user)[:50] if user.has_perm("traceability.approve_batch", b)
            ],
            "alerts_count": alerts_visible_to(user).count(),
        },
    )


# --- Production sites -------------------------------------------------------------------------------------


def _site_form_save(request, form, site=None):
    data = form.cleaned_data
    producer = data.pop("producer")
    products = data.pop("products")
    try:
        return services.site_save(by=request.user, producer=producer, site=site, products=products, **data)
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def site_create(request):
    _use(request)
    form = SiteForm(request.POST or None, producers=_producers(request.user))
    if request.method == "POST" and form.is_valid():
        site = _site_form_save(request, form)
        if site is not None:
            messages.success(request, _("Production site saved."))
            return redirect("traceability:site_detail", pk=site.pk)
    return render(request, "traceability/form.html", {"form": form, "title": _("New production site")})


@login_required
@require_safe
def site_detail(request, pk):
    site = get_object_or_403(
        ProductionSite.objects.select_related("producer", "commune"), request.user, "traceability.view_site", pk=pk
    )
    return render(
        request,
        "traceability/site_detail.html",
        {
            "site": site,
            "certifications": site.certifications.all(),
            "products": site.products.all(),
            "may_change": request.user.has_perm("traceability.change_site", site),
            "cert_form": CertificationForm(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def site_edit(request, pk):
    site = get_object_or_403(ProductionSite.objects.all(), request.user, "traceability.change_site", pk=pk)
    initial = {
        "producer": site.producer,
        "products": site.products.all(),
        **{f: getattr(site, f) for f in services.SITE_FIELDS},
    }
    form = SiteForm(
        request.POST or None, initial=initial, producers=_producers(request.user).filter(pk=site.producer_id)
    )
    if request.method == "POST" and form.is_valid() and _site_form_save(request, form, site) is not None:
        messages.success(request, _("Production site saved."))
        return redirect("traceability:site_detail", pk=site.pk)
    return render(request, "traceability/form.html", {"form": form, "title": site.name})


@login_required
@require_POST
def site_certification_add(request, pk):
    site = get_object_or_403(ProductionSite.objects.all(), request.user, "traceability.change_site", pk=pk)
    form = CertificationForm(request.POST)
    if form.is_valid():
        try:
            services.site_certification_add(by=request.user, site=site, **form.cleaned_data)
            messages.success(request, _("Certification added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the certification: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("traceability:site_detail", pk=site.pk)


# --- Lots and events --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lot_create(request):
    _use(request)
    products = _products(request.user)
    form = LotForm(request.POST or None, products=products, sites=sites_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            lot = services.lot_create(by=request.user, product=data.pop("product"), sites=data.pop("sites"), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Lot saved. Record its events as they happen."))
            return redirect("traceability:lot_detail", pk=lot.pk)
    return render(request, "traceability/form.html", {"form": form, "title": _("New lot")})


def _lot(request, pk, perm):
    return get_object_or_403(Lot.objects.select_related("product__producer__commune"), request.user, perm, pk=pk)


@login_required
@require_safe
def lot_detail(request, pk):
    lot = _lot(request, pk, "traceability.view_lot")
    sites = ProductionSite.objects.filter(producer=lot.product.producer)
    return render(
        request,
        "traceability/lot_detail.html",
        {
            "lot": lot,
            "events": lot.events.select_related("site"),
            "sites": lot.sites.all(),
            "batches": lot.stamp_batches.all(),
            "may_change": request.user.has_perm("traceability.change_lot", lot),
            "may_request": request.user.has_perm("traceability.request_stamps", lot),
            "event_form": EventForm(sites=sites),
            "batch_form": BatchRequestForm(),
        },
    )


@login_required
@require_POST
def lot_event_add(request, pk):
    lot = _lot(request, pk, "traceability.change_lot")
    form = EventForm(request.POST, sites=ProductionSite.objects.filter(producer=lot.product.producer))
    if form.is_valid():
        try:
            services.lot_event_add(by=request.user, lot=lot, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Event recorded."))
            return redirect("traceability:lot_detail", pk=lot.pk)
    return render(
        request, "traceability/form.html", {"form": form, "title": _("Record an event"), "status": 400}, status=400
    )


@login_required
@require_POST
def lot_batch_request(request, pk):
    lot = _lot(request, pk, "traceability.request_stamps")
    form = BatchRequestForm(request.POST)
    if form.is_valid():
        try:
            batch = services.stamp_batch_request(by=request.user, product=lot.product, lot=lot, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Stamps requested. They are generated once the request is approved."))
            return redirect("traceability:batch_detail", pk=batch.pk)
    return render(request, "traceability/form.html", {"form": form, "title": _("Request stamps")}, status=400)


@login_required
@require_safe
def lot_export_epcis(request, pk):
    lot = _lot(request, pk, "traceability.view_lot")
    data = exports.lot_epcis(lot, lot.events.select_related("site"))
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/ld+json")
    response["Content-Disposition"] = f'attachment; filename="epcis-lot-{lot.pk}.jsonld"'
    return response


@login_required
@require_safe
def lot_export_csv(request, pk):
    lot = _lot(request, pk, "traceability.view_lot")
    response = HttpResponse(
        exports.lot_csv(lot, lot.events.select_related("site")), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="truy-xuat-lo-{lot.pk}.csv"'
    return response


# --- Stamp batches ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def batch_request(request):
    """Stamps for a product without a lot."""
    _use(request)
    requestable = Product.objects.filter(q_site_editor(request.user, "producer")).order_by("name")
    form = ProductBatchRequestForm(request.POST or None, products=requestable)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.stamp_batch_request(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Stamps requested. They are generated once the request is approved."))
            return redirect("traceability:batch_detail", pk=batch.pk)
    return render(request, "traceability/form.html", {"form": form, "title": _("Request stamps")})


def _batch(request, pk, perm):
    return get_object_or_403(
        StampBatch.objects.select_related("product__producer__commune", "lot", "requested_by"),
        request.user,
        perm,
        pk=pk,
    )


@login_required
@require_safe
def batch_detail(request, pk):
    batch = _batch(request, pk, "traceability.view_batch")
    user = request.user
    return render(
        request,
        "traceability/batch_detail.html",
        {
            "batch": batch,
            "State": BatchState,
            "may_approve": user.has_perm("traceability.approve_batch", batch),
            "may_void": user.has_perm("traceability.void_stamps", batch),
            "voided_count": batch.stamps.filter(voided_at__isnull=False).count(),
            "reason_form": ReasonForm(),
            "range_form": VoidRangeForm(),
        },
    )


@login_required
@require_POST
def batch_decide(request, pk):
    batch = _batch(request, pk, "traceability.approve_batch")
    target = BatchState.APPROVED if request.POST.get("decision") == "approve" else BatchState.REJECTED
    try:
        services.stamp_batch_transition(batch=batch, to=target, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("traceability:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_void(request, pk):
    batch = _batch(request, pk, "traceability.void_stamps")
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason."))
        services.stamp_batch_transition(
            batch=batch, to=BatchState.VOIDED, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The whole batch is voided: its stamps now show a warning."))
    return redirect("traceability:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_void_range(request, pk):
    batch = _batch(request, pk, "traceability.void_stamps")
    form = VoidRangeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the first and last stamp numbers and the reason."))
        count = services.stamps_void_range(batch=batch, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s stamps voided.") % {"count": count})
    return redirect("traceability:batch_detail", pk=batch.pk)


FILES = {
    "sheet": ("sheet_pdf", "application/pdf"),
    "roll": ("roll_pdf", "application/pdf"),
    "csv": ("codes_csv", "text/csv"),
}


@login_required
@require_safe
def batch_file(request, pk, kind):
    batch = _batch(request, pk, "traceability.download_batch")
    if kind not in FILES or batch.state != BatchState.READY:
        raise Http404
    field, content_type = FILES[kind]
    name = getattr(batch, field).name
    if not name or not private_storage.exists(name):
        raise Http404
    return FileResponse(
        private_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


# --- Statistics, alerts, reports --------------------------------------------------------------------------


@login_required
@require_safe
def statistics(request):
    _use(request)
    stats = scan_statistics(scans_visible_to(request.user))
    return render(
        request,
        "traceability/statistics.html",
        {
            "stats": stats,
            "series_chart": charts.series_svg(stats["series"]),
            "region_chart": charts.bars_svg([(r["region"] or _("Unknown place"), r["n"]) for r in stats["by_region"]]),
        },
    )


@login_required
@require_safe
def alerts(request):
    _use(request)
    page = Paginator(alerts_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "traceability/alerts.html", {"page": page})


@login_required
@require_safe
def reports(request):
    if not request.user.has_perm("traceability.list_reports"):
        raise PermissionDenied
    page = Paginator(reports_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "traceability/reports.html", {"page": page})


@login_required
@require_safe
def report_photo(request, pk):
    report = get_object_or_403(
        FakeReport.objects.select_related("product__producer"), request.user, "traceability.view_reports", pk=pk
    )
    return FileResponse(private_storage.open(report.photo.name, "rb"), content_type=report.photo_content_type)
