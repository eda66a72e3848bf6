"""Reads about certificates: the public lookup by token and the staff lists."""

import re
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from apps.core.enums import RenderState

from .models import Certificate, DecisionDocument
from .rules import q_view_certificate, q_view_decisiondocument

DETAIL_RELATED = (
    "product__producer",
    "product__product_set",
    "product__commune",
    "recognition__decision__issuing_unit",
    "superseded_by",
    "revoked_by",
)

# Tokens are URL-safe base64 (secrets.token_urlsafe); anything else (a NUL byte, say) cannot be one.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]+")
CODE_MAX_LENGTH = 40  # longer than any serial or verification token: refused before a query


def certificate_by_token(token: str | None) -> Certificate | None:
    """The certificate a QR code points to, or None. Nothing but the token is taken from the URL."""
    if (
        not token
        or len(token) > (Certificate._meta.get_field("token").max_length or 0)
        or not TOKEN_RE.fullmatch(token)
    ):
        return None
    return Certificate.objects.select_related(*DETAIL_RELATED).filter(token=token).first()


def certificate_by_serial_or_token(code: str | None) -> Certificate | None:
    """The certificate whose serial (any case) or verification code is ``code``, or None."""
    code = (code or "").strip()
    if not code or len(code) > CODE_MAX_LENGTH:
        return None
    qs = Certificate.objects.select_related(*DETAIL_RELATED)
    return qs.filter(serial__iexact=code).first() or qs.filter(token=code).first()


def certificates_visible_to(user: Any) -> QuerySet[Certificate]:
    """The certificates ``user`` may view (``certificates.view_certificate``)."""
    return Certificate.objects.select_related(*DETAIL_RELATED).filter(q_view_certificate(user))


def certificate_list_for_staff(user: Any) -> QuerySet[Certificate]:
    """Certificates in the user's subtree, failed generation first, then newest first."""
    failed_first = Case(
        When(render_state=RenderState.FAILED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return certificates_visible_to(user).order_by(failed_first, "-created_at", "serial")


def decision_documents_failed_for_staff(user: Any) -> QuerySet[DecisionDocument]:
    qs = DecisionDocument.objects.filter(render_state=RenderState.FAILED).select_related("decision__issuing_unit")
    return qs.filter(q_view_decisiondocument(user)).order_by("-created_at")


def decision_documents_visible_to(user: Any) -> QuerySet[DecisionDocument]:
    return DecisionDocument.objects.select_related("decision__issuing_unit").filter(q_view_decisiondocument(user))
