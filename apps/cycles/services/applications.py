"""Registering a product idea: the application (state idea_registered) and its empty dossier."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.audit.services import audit_record
from apps.products.services import product_create

from ..enums import CycleStep
from ..models import Application, Dossier
from .transitions import _notify_on_commit
from .windows import require_step_open


def application_create(*, cycle, product, by):
    """Register a product idea in ``cycle`` (state idea_registered). Only the product's commune officer may."""
    if not (by.role == Role.COMMUNE_OFFICER and by.unit_id == product.commune_id):
        raise PermissionDenied(gettext("Only the officer of the product's commune may register its idea."))
    if not cycle.unit.covers(product.commune):
        raise ValidationError({"cycle": _("This cycle does not cover the product's commune.")})
    if Application.objects.filter(cycle=cycle, product=product).exists():
        raise ValidationError({"cycle": _("This product already has an application in this cycle.")})
    require_step_open(cycle=cycle, step=CycleStep.IDEAS, field="cycle")
    application = Application(cycle=cycle, product=product, created_by=by)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError({"cycle": _("This product already has an application in this cycle.")}) from exc
    Dossier.objects.create(application=application)
    audit_record(action="application.create", obj=application, by=by, after={"state": application.state})
    _notify_on_commit(application, application.state, by=by, reason="")
    return application


@transaction.atomic
def idea_register(*, cycle, producer, name, product_set, description="", by):
    """The idea form: create the product, then its application in ``cycle``."""
    if not (by.role == Role.COMMUNE_OFFICER and by.unit_id == producer.commune_id):
        raise PermissionDenied(gettext("Only the officer of the producer's commune may register its idea."))
    product = product_create(
        producer=producer,
        name=name,
        product_set=product_set,
        commune=producer.commune,
        description=description,
        by=by,
    )
    return application_create(cycle=cycle, product=product, by=by)
