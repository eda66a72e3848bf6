"""Staff screens of trade promotion: points of sale and fairs of the user's jurisdiction and the products they carry.

Each view checks a permission, binds a form, calls one service and redirects or renders. Objects are fetched through
the user's scope, so another province's point of sale or fair is a 404; an object in scope that the user may only
look at is a 403 on every change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.forms import add_service_errors
from apps.core.policy import get_object_or_403

from . import services
from .forms import FairForm, PointOfSaleForm, ProductChoiceForm, ProductSearchForm
from .selectors import (
    fairs_visible_to,
    points_of_sale_visible_to,
    trade_linked_products,
    trade_product_candidates,
    trade_staff_rows,
)

PAGE_SIZE = 50
LINKED_PAGE_SIZE = 50


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _point_of_sale(request, pk, perm):
    return get_object_or_403(points_of_sale_visible_to(request.user), request.user, perm, pk=pk)


def _fair(request, pk, perm):
    return get_object_or_403(fairs_visible_to(request.user), request.user, perm, pk=pk)


def _list(request, queryset, template):
    page = Paginator(trade_staff_rows(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page})


def _detail(request, obj, template, *, may_change):
    search = ProductSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    linked = Paginator(trade_linked_products(obj), LINKED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "object": obj,
            "linked": linked,
            "may_change": may_change,
            "search": search,
            "search_query": urlencode({"q": query}) if query else "",
            "candidates": trade_product_candidates(obj, query=query) if may_change else [],
            "today": timezone.localdate(),
        },
    )


def _product_change(request, obj, change, detail_url, success_message):
    form = ProductChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; nothing was changed."))
        return redirect(detail_url, pk=obj.pk)
    product = form.cleaned_data["product"]
    try:
        change(product)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message % {"product": product.name})
    return redirect(detail_url, pk=obj.pk)


# --- Points of sale ------------------------------------------------------------------------------------------


@login_required
def point_of_sale_list(request):
    _require(request, "catalog.view_trade_promotion")
    return _list(request, points_of_sale_visible_to(request.user), "catalog/staff/point_of_sale_list.html")


@login_required
@require_http_methods(["GET", "POST"])
def point_of_sale_create(request):
    _require(request, "catalog.add_pointofsale")
    form = PointOfSaleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.point_of_sale_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The point of sale %(name)s has been registered.") % {"name": point.name})
            return redirect("trade:point_of_sale_detail", pk=point.pk)
    return render(request, "catalog/staff/point_of_sale_form.html", {"form": form})


@login_required
def point_of_sale_detail(request, pk):
    point = _point_of_sale(request, pk, "catalog.view_pointofsale")
    return _detail(
        request,
        point,
        "catalog/staff/point_of_sale_detail.html",
        may_change=request.user.has_perm("catalog.change_pointofsale", point),
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_of_sale_update(request, pk):
    point = _point_of_sale(request, pk, "catalog.change_pointofsale")
    form = PointOfSaleForm(request.POST or None, instance=point, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.point_of_sale_update(point_of_sale=point, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("trade:point_of_sale_detail", pk=point.pk)
    return render(request, "catalog/staff/point_of_sale_form.html", {"form": form, "object": point})


@login_required
@require_POST
def point_of_sale_product_link(request, pk):
    point = _point_of_sale(request, pk, "catalog.change_pointofsale")
    return _product_change(
        request,
        point,
        lambda product: services.point_of_sale_product_link(point_of_sale=point, product=product, by=request.user),
        "trade:point_of_sale_detail",
        _("%(product)s is now listed at this point of sale."),
    )


@login_required
@require_POST
def point_of_sale_product_unlink(request, pk):
    point = _point_of_sale(request, pk, "catalog.change_pointofsale")
    return _product_change(
        request,
        point,
        lambda product: services.point_of_sale_product_unlink(point_of_sale=point, product=product, by=request.user),
        "trade:point_of_sale_detail",
        _("%(product)s is no longer listed at this point of sale."),
    )


# --- Fairs ---------------------------------------------------------------------------------------------------


@login_required
def fair_list(request):
    _require(request, "catalog.view_trade_promotion")
    return _list(request, fairs_visible_to(request.user), "catalog/staff/fair_list.html")


@login_required
@require_http_methods(["GET", "POST"])
def fair_create(request):
    _require(request, "catalog.add_fair")
    form = FairForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fair = services.fair_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The fair %(name)s has been registered.") % {"name": fair.name})
            return redirect("trade:fair_detail", pk=fair.pk)
    return render(request, "catalog/staff/fair_form.html", {"form": form})


@login_required
def fair_detail(request, pk):
    fair = _fair(request, pk, "catalog.view_fair")
    return _detail(
        request, fair, "catalog/staff/fair_detail.html", may_change=request.user.has_perm("catalog.change_fair", fair)
    )


@login_required
@require_http_methods(["GET", "POST"])
def fair_update(request, pk):
    fair = _fair(request, pk, "catalog.change_fair")
    form = FairForm(request.POST or None, instance=fair, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.fair_update(fair=fair, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("trade:fair_detail", pk=fair.pk)
    return render(request, "catalog/staff/fair_form.html", {"form": form, "object": fair})


@login_required
@require_POST
def fair_product_link(request, pk):
    fair = _fair(request, pk, "catalog.change_fair")
    return _product_change(
        request,
        fair,
        lambda product: services.fair_product_link(fair=fair, product=product, by=request.user),
        "trade:fair_detail",
        _("%(product)s is now shown at this fair."),
    )


@login_required
@require_POST
def fair_product_unlink(request, pk):
    fair = _fair(request, pk, "catalog.change_fair")
    return _product_change(
        request,
        fair,
        lambda product: services.fair_product_unlink(fair=fair, product=product, by=request.user),
        "trade:fair_detail",
        _("%(product)s is no longer shown at this fair."),
    )
