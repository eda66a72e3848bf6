"""What a dossier must hold before it can be submitted: the producer's vault documents and the form."""

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from apps.producers.enums import DocumentKind
from apps.producers.selectors import producer_missing_or_expired_documents

from ..enums import ApplicationState
from ..models import Application, Dossier

if TYPE_CHECKING:
    from apps.producers.enums import DocumentKind
    from apps.producers.models import Producer
    from apps.products.models import Product

S = ApplicationState

# An application in one of these states was submitted with the producer's vault as it stood then: the commune
# and the councils read those documents. A return after submission keeps relying on them, because resubmission
# goes straight back to the check state without checking the vault again.
VAULT_RELIANT_STATES = (
    S.DOSSIER_SUBMITTED,
    S.DOSSIER_CHECKED,
    S.SENT_FOR_EVALUATION,
    S.FORWARDED_PROVINCE,
    S.FORWARDED_CENTRAL,
)
VAULT_RELIANT_RETURNS = (S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION)

# Product groups whose products need a food-safety certificate (food and drinks).
FOOD_SAFETY_GROUPS = {"TP", "DU"}


def required_document_kinds(product: "Product") -> list["DocumentKind"]:
    """The producer's vault documents a dossier of ``product`` needs (business registration, quality declaration,
    and the food-safety certificate for food and drinks)."""

    kinds = [DocumentKind.BUSINESS_REGISTRATION]
    if product.product_set.group.code in FOOD_SAFETY_GROUPS:
        kinds.append(DocumentKind.FOOD_SAFETY)
    kinds.append(DocumentKind.QUALITY_DECLARATION)
    return kinds


def dossier_problems(application: Application, *, today: datetime.date | None = None) -> list[str]:
    """Reasons (in the active language) why ``application``'s dossier cannot be submitted yet."""

    product = application.product
    problems = []
    dossier = Dossier.objects.filter(application=application).first()
    if dossier is None or not dossier.applicant_name:
        problems.append(gettext("The registration form (phiếu đăng ký) has not been filled in."))
    if product.product_set.needs_samples and (dossier is None or not dossier.sample_count):
        problems.append(gettext("The number of samples must be at least 1 for this product set."))
    kinds = required_document_kinds(product)
    for kind in producer_missing_or_expired_documents(product.producer, kinds, today=today):
        problems.append(
            gettext("The producer's %(document)s is missing or expired.") % {"document": DocumentKind(kind).label}
        )
    return problems


def vault_kinds_relied_on(*, producer: "Producer") -> set[str]:
    """The document kinds the producer's submitted dossiers rely on (see ``VAULT_RELIANT_STATES``).

    Call inside the transaction that changes the vault: the producer's applications are locked until it ends, so
    an application cannot be submitted in between (``application_transition`` locks the same row).
    """
    applications = (
        Application.objects.select_for_update(of=("self",))
        .filter(product__producer=producer)
        .select_related("product__product_set__group")
        .order_by("pk")
    )
    kinds: set[str] = set()
    for application in applications:
        reliant = application.state in VAULT_RELIANT_STATES or (
            application.state == S.RETURNED and application.returned_from in VAULT_RELIANT_RETURNS
        )
        if reliant:
            kinds.update(str(kind) for kind in required_document_kinds(application.product))
    return kinds
