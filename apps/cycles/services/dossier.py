"""The commune's edits to a dossier: the registration form, the self-assessment and the evidence files."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.storage import delete_file_on_commit
from apps.core.validators import extension_for, validate_upload

from ..enums import ApplicationState, Tier
from ..models import Application, Dossier, EvidenceFile
from ..rules import user_tiers
from ..workflow import DOSSIER_EDITABLE_STATES
from .transitions import _state_label

if TYPE_CHECKING:
    from apps.accounts.models import User

S = ApplicationState


def require_dossier_editor(application: Application, by: "User") -> None:
    """The dossier may be edited by ``by`` now: the officer of the product's commune, in an editable state."""
    if Tier.COMMUNE not in user_tiers(by, application):
        raise PermissionDenied(gettext("Only the officer of the product's commune may edit this dossier."))
    if application.state not in DOSSIER_EDITABLE_STATES:
        raise ValidationError(
            _("The dossier can no longer be edited in the state “%(state)s”."),
            code="locked",
            params={"state": _state_label(application.state)},
        )


def self_assessment_totals(scores: dict[str, Any]) -> dict[str, Any]:
    """Per-part totals of a self-assessment: the part is the criterion code's first letter (A, B, C)."""
    totals: dict[str, Any] = {}
    for code, points in scores.items():
        part = code[:1].upper()
        totals[part] = round(totals.get(part, 0) + points, 2)
    return dict(sorted(totals.items()))


DOSSIER_FIELDS = (
    "applicant_name",
    "applicant_position",
    "phone",
    "email",
    "production_address",
    "annual_capacity",
    "raw_materials",
    "markets",
    "sample_count",
)


@transaction.atomic
def dossier_update(
    *, application: Application, by: "User", self_assessment: dict[str, Any] | None = None, **fields: Any
) -> Dossier:
    """Save the registration form, number of samples and self-assessment ({criterion code: points})."""
    application = (
        Application.objects.select_for_update().select_related("product__commune", "cycle").get(pk=application.pk)
    )
    require_dossier_editor(application, by)
    dossier, _created = Dossier.objects.get_or_create(application=application)
    before = {f: getattr(dossier, f) for f in DOSSIER_FIELDS}
    for name, value in fields.items():
        if name not in DOSSIER_FIELDS:
            raise TypeError(f"unknown dossier field {name}")
        setattr(dossier, name, value)
    if self_assessment is not None:
        dossier.self_assessment = {str(k).upper(): v for k, v in self_assessment.items()}
        dossier.self_assessment_totals = self_assessment_totals(dossier.self_assessment)
    dossier.updated_by = by
    dossier.full_clean()
    dossier.save()
    audit_record(
        action="dossier.update",
        obj=dossier,
        by=by,
        before=before,
        after={f: getattr(dossier, f) for f in DOSSIER_FIELDS},
    )
    return dossier


@transaction.atomic
def evidence_upload(*, application: Application, title: str, uploaded: File, by: "User") -> EvidenceFile:
    """Attach an evidence file (content-checked PDF/JPEG/PNG within the size limit) in private storage.

    The application is locked like every other dossier write: an upload racing the submission either lands
    before it or is refused, never added to a dossier already sent. A failure after the file is stored removes it.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("product__commune", "cycle")
        .get(pk=application.pk)
    )
    require_dossier_editor(application, by)
    content_type = validate_upload(uploaded)
    dossier, _created = Dossier.objects.get_or_create(application=application)
    evidence = EvidenceFile(dossier=dossier, title=title, content_type=content_type, size=uploaded.size, uploaded_by=by)
    evidence.file.save(f"minh-chung.{extension_for(content_type)}", uploaded, save=False)
    try:
        evidence.save()
        audit_record(action="evidence.upload", obj=evidence, by=by, after={"title": title, "type": content_type})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, by: "User") -> None:
    """Remove an evidence file while the commune may still edit the dossier; the stored file goes after the commit.

    Refused (nothing changed) once the dossier has been submitted: from then on the commune and the councils
    judge the dossier as it was sent.
    """
    evidence = EvidenceFile.objects.select_related("dossier").get(pk=evidence.pk)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("product__commune", "cycle")
        .get(pk=evidence.dossier.application_id)
    )
    if Tier.COMMUNE not in user_tiers(by, application):
        raise PermissionDenied(gettext("Only the officer of the product's commune may edit this dossier."))
    if application.state not in DOSSIER_EDITABLE_STATES:
        raise ValidationError(
            _(
                "This evidence file can no longer be removed: the application is “%(state)s” and its dossier "
                "can no longer be edited. Nothing was changed."
            ),
            code="locked",
            params={"state": _state_label(application.state)},
        )
    audit_record(
        action="evidence.remove",
        obj=evidence,
        by=by,
        before={"title": evidence.title, "type": evidence.content_type, "file": evidence.file.name},
        unit=application.product.commune,
    )
    delete_file_on_commit(evidence.file)
    evidence.delete()
