"""Screens of the product registry: list, register/edit, detail with photos, photo upload, removal, cover and
photo files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.forms import add_service_errors
from apps.core.idempotency import Submission
from apps.core.pages import RecordForms
from apps.core.policy import get_object_or_403
from apps.core.text import ascii_int
from apps.core.validators import sniff_content_type
from apps.geo.enums import Level
from apps.producers.models import Producer
from apps.producers.selectors import communes_of, producers_editable_by
from apps.producers.views import PAGE_SIZE

from .filters import ProductFilter
from .forms import PhotoForm, ProductForm
from .models import Product, ProductPhoto
from .selectors import product_list, product_photos, products_visible_to
from .services import photo_add, photo_remove, photo_set_cover, product_create, product_update

PRODUCT_RELATED = ("product_set__group", "producer", "commune")
FORMS = RecordForms("products:product", _lazy("Register a product"), _lazy("Edit product"), _lazy("Products"))


def _large_filters(user):
    """The filters whose options would run into thousands for this user's scope."""
    if user.is_national:
        return ("producer", "commune")
    if user.unit_id and user.unit.level == Level.PROVINCE:
        return ("producer",)
    return ()


@login_required
def product_list_view(request):
    visible = products_visible_to(request.user)
    producers = Producer.objects.filter(pk__in=visible.order_by().values("producer_id")).order_by("name")
    filterset = ProductFilter(
        request.GET or None,
        queryset=product_list(request.user),
        producers=producers,
        communes=communes_of(visible),
        hidden=_large_filters(request.user),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "products/product_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_add": request.user.has_perm("products.add_product"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create_view(request):
    if not request.user.has_perm("products.add_product"):
        raise PermissionDenied
    initial = {}
    producer_id = ascii_int(request.GET.get("producer", ""))
    if producer_id:
        initial["producer"] = producers_editable_by(request.user).filter(pk=producer_id).first()
    form = ProductForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        submission = Submission(request)
        if submission.duplicate:
            messages.info(request, _("This form was already sent; it was saved only once."))
            return redirect(submission.previous_url or "products:product_list")
        try:
            product = product_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            submission.release()
            add_service_errors(form, exc)
        else:
            submission.done(reverse("products:product_detail", args=[product.pk]))
            messages.success(request, _("The product %(name)s has been registered.") % {"name": product.name})
            return redirect("products:product_detail", pk=product.pk)
    return render(request, "layouts/record_form.html", {"form": form, "form_page": FORMS.page()})


@login_required
def product_detail_view(request, pk):
    product = get_object_or_403(
        Product.objects.select_related(*PRODUCT_RELATED), request.user, "products.view_product", pk=pk
    )
    return render(
        request,
        "products/product_detail.html",
        {
            "product": product,
            "photos": product_photos(product),
            "can_change": request.user.has_perm("products.change_product", product),
            "can_view_producer": request.user.has_perm("producers.view_producer", product.producer),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_update_view(request, pk):
    product = get_object_or_403(
        Product.objects.select_related(*PRODUCT_RELATED), request.user, "products.change_product", pk=pk
    )
    form = ProductForm(request.POST or None, instance=product, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            product_update(product=product, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("products:product_detail", pk=product.pk)
    return render(
        request, "layouts/record_form.html", {"form": form, "product": product, "form_page": FORMS.page(product)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def photo_upload_view(request, pk):
    product = get_object_or_403(
        Product.objects.select_related(*PRODUCT_RELATED), request.user, "products.change_product", pk=pk
    )
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photo_add(product=product, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The photo has been added."))
            return redirect("products:product_detail", pk=product.pk)
    return render(request, "products/photo_form.html", {"form": form, "product": product})


def _photo_for(request, pk, perm):
    return get_object_or_403(
        ProductPhoto.objects.select_related("product__commune", "product__producer"), request.user, perm, pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def photo_remove_view(request, pk):
    """GET asks for confirmation; only the POST of that page removes."""
    photo = _photo_for(request, pk, "products.delete_productphoto")
    if request.method == "POST":
        photo_remove(photo=photo, by=request.user)
        messages.success(request, _("The photo has been removed."))
        return redirect("products:product_detail", pk=photo.product_id)
    return render(request, "products/photo_confirm_remove.html", {"photo": photo, "product": photo.product})


@login_required
@require_POST
def photo_set_cover_view(request, pk):
    photo = _photo_for(request, pk, "products.change_productphoto")
    photo_set_cover(photo=photo, by=request.user)
    messages.success(request, _("The cover photo has been changed."))
    return redirect("products:product_detail", pk=photo.product_id)


def _photo_response(request, pk, field):
    photo = get_object_or_403(
        ProductPhoto.objects.select_related("product__commune", "product__producer"),
        request.user,
        "products.view_productphoto",
        pk=pk,
    )
    file = getattr(photo, field)
    if not file:
        raise Http404
    handle = file.open("rb")
    response = FileResponse(handle, content_type=sniff_content_type(handle) or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def photo_file_view(request, pk):
    return _photo_response(request, pk, "image")


@login_required
def photo_thumbnail_view(request, pk):
    return _photo_response(request, pk, "thumbnail")
