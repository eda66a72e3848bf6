"""The applicant's self-assessment on the product set's own score sheet (domain §5: the dossier carries it).

It belongs to the councils' app because it is filled in on their sheet (``SheetTemplate``) and read with their star
bands; what it writes is the dossier's (``cycles.Dossier``), under the dossier's own rule of who may edit it when
(``cycles.services.require_dossier_editor``).
"""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.cycles.models import Application, Dossier
from apps.cycles.services import require_dossier_editor

from ..models import SheetTemplate
from ..selectors import template_for

if TYPE_CHECKING:
    from apps.accounts.models import User


def self_assessment_template(application: Application) -> SheetTemplate | None:
    """The score sheet the applicant assesses the product against: the council's sheet for its product set."""
    return template_for(rule_set=application.cycle.rule_set, product_set=application.product.product_set)


@transaction.atomic
def dossier_self_assess(*, application: Application, by: "User", choices: dict[int, int]) -> Dossier:
    """Record the applicant's self-assessment on the product set's sheet: one option per criterion.

    ``choices`` is ``{criterion id: option id}``; every criterion must be on the sheet and every option must
    belong to its criterion, or nothing is saved. Stores the points per criterion code and the part totals.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("product__commune", "product__product_set", "cycle")
        .get(pk=application.pk)
    )
    require_dossier_editor(application, by)
    template = self_assessment_template(application)
    if template is None:
        raise ValidationError(_("No score sheet is loaded for this product set: the self-assessment cannot be made."))
    criteria = {c.pk: c for c in template.criteria.select_related("group__part").prefetch_related("options")}
    errors: dict[str, Any] = {}
    resolved: dict[Any, Any] = {}
    for criterion_id, option_id in choices.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors["__all__"] = _("A criterion that is not on this product set's sheet was submitted.")
            continue
        option = next((o for o in criterion.options.all() if o.pk == int(option_id)), None)
        if option is None:
            errors[f"c{criterion.pk}"] = _("This option does not belong to criterion %(code)s.") % {
                "code": criterion.code
            }
            continue
        resolved[criterion] = option
    if errors:
        raise ValidationError(errors)
    dossier, _created = Dossier.objects.get_or_create(application=application)
    before = {"self_assessment": dossier.self_assessment, "totals": dossier.self_assessment_totals}
    points = {c.code: float(o.points) for c, o in sorted(resolved.items(), key=lambda item: item[0].code)}
    totals: dict[str, Any] = {}
    for criterion, option in resolved.items():
        part = criterion.group.part.code
        totals[part] = round(totals.get(part, 0) + float(option.points), 2)
    dossier.self_assessment = points
    dossier.self_assessment_totals = dict(sorted(totals.items()))
    dossier.self_assessment_sheet = {
        "template": template.pk,
        "choices": {str(c.pk): o.pk for c, o in resolved.items()},
    }
    dossier.updated_by = by
    dossier.full_clean()
    dossier.save()
    audit_record(
        action="dossier.self_assessment",
        obj=dossier,
        by=by,
        before=before,
        after={"self_assessment": dossier.self_assessment, "totals": dossier.self_assessment_totals},
    )
    return dossier
