"""Screens of the producer registry: list, register/edit, detail with the document vault, upload, replace,
remove and download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from apps.core.forms import add_service_errors
from apps.core.idempotency import Submission
from apps.core.pages import RecordForms
from apps.core.policy import get_object_or_403, is_staff_member
from apps.core.text import ascii_int
from apps.core.validators import DOCUMENT_TYPES, extension_for
from apps.geo.models import AdministrativeUnit

from .filters import ProducerFilter
from .forms import DocumentForm, DocumentReplaceForm, ProducerForm, RehomeForm
from .models import BulkRehoming, Producer, ProducerDocument
from .selectors import (
    communes_of,
    producer_documents,
    producer_list,
    producers_visible_to,
    rehoming_preview,
    rehoming_runs_for,
    rehoming_units_for,
)
from .services import (
    bulk_rehoming_start,
    document_remove,
    document_replace,
    document_upload,
    producer_create,
    producer_rehome,
    producer_update,
    rehome_targets,
)

PAGE_SIZE = 50
FORMS = RecordForms("producers:producer", _lazy("Register a producer"), _lazy("Edit producer"), _lazy("Producers"))


@login_required
def producer_list_view(request):
    visible = producers_visible_to(request.user)
    filterset = ProducerFilter(
        request.GET or None,
        queryset=producer_list(request.user),
        communes=communes_of(visible),
        compact=request.user.is_national,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "producers/producer_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def producer_create_view(request):
    if not request.user.has_perm("producers.add_producer"):
        raise PermissionDenied
    form = ProducerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        submission = Submission(request)
        if submission.duplicate:
            messages.info(request, _("This form was already sent; it was saved only once."))
            return redirect(submission.previous_url or "producers:producer_list")
        data = dict(form.cleaned_data)
        accounts = data.pop("accounts")
        try:
            producer = producer_create(by=request.user, accounts=accounts, **data)
        except ValidationError as exc:
            submission.release()
            add_service_errors(form, exc)
        else:
            submission.done(reverse("producers:producer_detail", args=[producer.pk]))
            messages.success(request, _("The producer %(name)s has been registered.") % {"name": producer.name})
            return redirect("producers:producer_detail", pk=producer.pk)
    return render(request, "layouts/record_form.html", {"form": form, "form_page": FORMS.page()})


@login_required
def producer_detail_view(request, pk):
    producer = get_object_or_403(
        Producer.objects.select_related("commune"), request.user, "producers.view_producer", pk=pk
    )
    is_staff = is_staff_member(request.user)
    return render(
        request,
        "producers/producer_detail.html",
        {
            "producer": producer,
            "documents": producer_documents(producer),
            "products": producer.products.select_related("product_set", "commune").order_by("name"),
            "accounts": producer.accounts.order_by("email") if is_staff else [],
            "today": timezone.localdate(),
            "can_change": request.user.has_perm("producers.change_producer", producer),
            "can_upload": request.user.has_perm("producers.upload_document", producer),
            # Same rule as editing the producer, so one check covers every document of the list.
            "can_remove_documents": request.user.has_perm("producers.change_producer", producer),
            "can_add_product": request.user.has_perm("producers.change_producer", producer),
            "can_rehome": request.user.has_perm("producers.rehome_producer", producer),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def producer_rehome_view(request, pk):
    producer = get_object_or_403(
        Producer.objects.select_related("commune"), request.user, "producers.rehome_producer", pk=pk
    )
    form = RehomeForm(
        request.POST or None, targets=rehome_targets(producer), initial={"commune": producer.commune.successor_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            producer_rehome(producer=producer, commune=form.cleaned_data["commune"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The producer and its products now belong to the new commune."))
            return redirect("producers:producer_detail", pk=producer.pk)
    products = producer.products.filter(commune__edition="2024").order_by("name")
    candidates = producer.commune.candidates.select_related("candidate").order_by("-is_default", "candidate__name")
    return render(
        request,
        "producers/producer_rehome.html",
        {"form": form, "producer": producer, "products": products, "candidates": candidates},
    )


@login_required
@require_http_methods(["GET", "POST"])
def producer_update_view(request, pk):
    producer = get_object_or_403(
        Producer.objects.select_related("commune"), request.user, "producers.change_producer", pk=pk
    )
    form = ProducerForm(request.POST or None, instance=producer, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        accounts = data.pop("accounts")
        try:
            producer_update(producer=producer, by=request.user, accounts=accounts, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("producers:producer_detail", pk=producer.pk)
    return render(
        request, "layouts/record_form.html", {"form": form, "producer": producer, "form_page": FORMS.page(producer)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload_view(request, pk):
    producer = get_object_or_403(
        Producer.objects.select_related("commune"), request.user, "producers.upload_document", pk=pk
    )
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_upload(producer=producer, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document has been added to the vault."))
            return redirect("producers:producer_detail", pk=producer.pk)
    return render(request, "producers/document_form.html", {"form": form, "producer": producer})


def _document_for(request, pk, perm):
    return get_object_or_403(ProducerDocument.objects.select_related("producer__commune"), request.user, perm, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_remove_view(request, pk):
    """GET asks for confirmation; only the POST of that page removes."""
    document = _document_for(request, pk, "producers.delete_producerdocument")
    if request.method == "POST":
        try:
            document_remove(document=document, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The document has been removed from the vault."))
        return redirect("producers:producer_detail", pk=document.producer_id)
    return render(request, "producers/document_confirm_remove.html", {"document": document})


@login_required
@require_http_methods(["GET", "POST"])
def document_replace_view(request, pk):
    document = _document_for(request, pk, "producers.change_producerdocument")
    form = DocumentReplaceForm(
        request.POST or None,
        request.FILES or None,
        initial={"title": document.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            document_replace(document=document, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document has been replaced."))
            return redirect("producers:producer_detail", pk=document.producer_id)
    return render(request, "producers/document_replace_form.html", {"form": form, "document": document})


@login_required
def document_download_view(request, pk):
    document = get_object_or_403(
        ProducerDocument.objects.select_related("producer__commune"),
        request.user,
        "producers.view_producerdocument",
        pk=pk,
    )
    extension = extension_for(document.content_type)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.producer.slug}-{document.kind}-{document.pk}.{extension}",
        content_type=document.content_type if document.content_type in DOCUMENT_TYPES else "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


SKIP_REASONS = {
    "deleted": _lazy("the producer was deleted"),
    "moved elsewhere": _lazy("it was moved to another commune meanwhile"),
    "target not covered": _lazy("the new commune is outside your province"),
    "busy": _lazy("an application started or a council round opened meanwhile"),
}


@login_required
@require_http_methods(["GET", "POST"])
def bulk_rehoming_view(request):
    """Pick an old unit, see what would move, confirm: the task moves exactly what was shown."""
    if not request.user.has_perm("producers.start_bulk_rehoming"):
        raise PermissionDenied
    provinces, communes = rehoming_units_for(request.user)
    unit_id = request.POST.get("unit") or request.GET.get("unit")
    unit = preview = None
    if unit_id:
        unit = AdministrativeUnit.objects.filter(pk=ascii_int(unit_id)).first()
        if unit is None or not request.user.has_perm("producers.bulk_rehome", unit):
            messages.error(request, _("Pick a pre-2025 unit of your province."))
            return redirect("producers:bulk_rehoming")
    if request.method == "POST" and unit is not None:
        try:
            run = bulk_rehoming_start(unit=unit, by=request.user, fingerprint=request.POST.get("fingerprint", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The move has started. This page shows its progress."))
            return redirect("producers:bulk_rehoming_detail", pk=run.pk)
    if unit is not None:
        preview = rehoming_preview(unit)
    return render(
        request,
        "producers/bulk_rehoming.html",
        {
            "provinces": provinces,
            "communes": communes,
            "unit": unit,
            "preview": preview,
            "runs": rehoming_runs_for(request.user)[:10],
        },
    )


@login_required
def bulk_rehoming_detail_view(request, pk):
    run = get_object_or_403(
        BulkRehoming.objects.select_related("unit", "requested_by"),
        request.user,
        "producers.view_bulkrehoming",
        pk=pk,
    )
    names = dict(Producer.objects.filter(pk__in=[i["producer"] for i in run.planned]).values_list("pk", "name"))
    skipped = [
        (names.get(s["producer"], s["producer"]), SKIP_REASONS.get(s["reason"], s["reason"])) for s in run.skipped
    ]
    moved = sorted(names.get(pk_, str(pk_)) for pk_ in run.moved)
    return render(
        request,
        "producers/bulk_rehoming_detail.html",
        {"run": run, "moved": moved, "skipped": skipped},
    )
