"""Screens of the certificates app: the public QR verification page and the province staff's screens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from apps.accounts.decorators import sensitive_action
from apps.core.enums import RenderState
from apps.core.policy import get_object_or_403
from apps.core.storage import private_storage

from .enums import CertificateStatus
from .filters import CertificateFilter
from .forms import RevokeForm, VerifyLookupForm
from .models import Certificate, DecisionDocument
from .selectors import (
    DETAIL_RELATED,
    certificate_by_serial_or_token,
    certificate_by_token,
    certificate_list_for_staff,
    decision_documents_failed_for_staff,
)
from .services import certificate_render_retry, certificate_revoke, decision_document_render_retry

PAGE_SIZE = 50


@never_cache
@require_safe
def verify(request, token):
    """What the database says about the certificate now; the token is the only input taken from the URL."""
    certificate = certificate_by_token(token)
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", status=404)
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "status": certificate.status(), "Status": CertificateStatus},
    )


@never_cache
@require_safe
def verify_lookup(request):
    """/xac-thuc/ without a token: a form to type the serial number or code printed on a certificate."""
    form = VerifyLookupForm(request.GET or None)
    if form.is_valid():
        certificate = certificate_by_serial_or_token(form.cleaned_data["ma"])
        if certificate is not None:
            return render(
                request,
                "certificates/verify.html",
                {"certificate": certificate, "status": certificate.status(), "Status": CertificateStatus},
            )
        return render(request, "certificates/verify_lookup.html", {"form": form, "not_found": True}, status=404)
    return render(request, "certificates/verify_lookup.html", {"form": form, "not_found": False})


@login_required
@require_GET
def certificate_list(request):
    if not request.user.has_perm("certificates.list_certificates"):
        raise PermissionDenied
    filterset = CertificateFilter(request.GET or None, queryset=certificate_list_for_staff(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/certificate_list.html",
        {
            "filter": filterset,
            "page": page,
            "failed_documents": list(decision_documents_failed_for_staff(request.user)[:50]),
            "RenderState": RenderState,
        },
    )


@login_required
@require_GET
def certificate_detail(request, pk):
    certificate = get_object_or_403(
        Certificate.objects.select_related(*DETAIL_RELATED),
        request.user,
        "certificates.view_certificate",
        pk=pk,
    )
    document = DecisionDocument.objects.filter(decision_id=certificate.recognition.decision_id).first()
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "status": certificate.status(),
            "document": document,
            "revoke_form": RevokeForm(),
            "RenderState": RenderState,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_action
def certificate_revoke_view(request, pk):
    certificate = get_object_or_403(
        Certificate.objects.select_related("product__commune", "product__producer"),
        request.user,
        "certificates.revoke_certificate",
        pk=pk,
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Certificate %(serial)s has been revoked.") % {"serial": certificate.serial})
            return redirect("certificates:detail", pk=certificate.pk)
    return render(request, "certificates/certificate_revoke.html", {"certificate": certificate, "form": form})


@login_required
@require_POST
def certificate_retry_view(request, pk):
    certificate = get_object_or_403(
        Certificate.objects.select_related("product__commune"), request.user, "certificates.retry_render", pk=pk
    )
    try:
        certificate_render_retry(certificate=certificate, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Certificate %(serial)s will be generated again.") % {"serial": certificate.serial})
    if request.POST.get("next") == "list":
        return redirect("certificates:list")
    return redirect("certificates:detail", pk=certificate.pk)


def _pdf_response(field, filename):
    if not field:
        raise Http404
    return FileResponse(
        private_storage.open(field.name, "rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


@login_required
@require_GET
def certificate_download(request, pk):
    certificate = get_object_or_403(
        Certificate.objects.select_related("product__commune", "product__producer"),
        request.user,
        "certificates.download_certificate",
        pk=pk,
    )
    if certificate.render_state != RenderState.READY:
        raise Http404
    return _pdf_response(certificate.file, f"{certificate.serial}.pdf")


@login_required
@require_GET
def decision_document_download(request, pk):
    document = get_object_or_403(
        DecisionDocument.objects.select_related("decision__issuing_unit"),
        request.user,
        "certificates.download_decisiondocument",
        pk=pk,
    )
    if document.render_state != RenderState.READY:
        raise Http404
    return _pdf_response(document.file, f"quyet-dinh-{document.decision.pk}.pdf")


@login_required
@require_POST
def decision_document_retry_view(request, pk):
    document = get_object_or_403(
        DecisionDocument.objects.select_related("decision__issuing_unit"),
        request.user,
        "certificates.retry_render",
        pk=pk,
    )
    try:
        decision_document_render_retry(document=document, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision document will be generated again."))
    return redirect("certificates:list")
