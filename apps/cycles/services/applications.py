"""Registering a product idea: the application (state idea_registered) and its empty dossier."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.moments import moment
from apps.core.text import fold
from apps.products.services import product_create

from ..enums import FINAL_STATES, ApplicationPurpose, CycleStep
from ..models import Application, Dossier
from ..rules import is_commune_officer_of
from .transitions import _notify_on_commit
from .windows import require_step_open

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.producers.models import Producer
    from apps.products.models import Product, ProductSet

    from ..models import Cycle


def application_create(
    *,
    cycle: "Cycle",
    product: "Product",
    by: "User",
    purpose: str = ApplicationPurpose.NEW,
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Application:
    """Register a product idea in ``cycle`` (state idea_registered). Only the product's commune officer may.

    ``at`` and ``notify`` as in :func:`~apps.cycles.services.transitions.application_transition` (the demo
    registers the ideas of a finished cycle at a moment inside its ideas step, and mails nobody).
    """
    if not is_commune_officer_of(by, product):
        raise PermissionDenied(gettext("Only the officer of the product's commune may register its idea."))
    if not cycle.unit.covers(product.commune):
        raise ValidationError({"cycle": _("This cycle does not cover the product's commune.")})
    if Application.objects.filter(cycle=cycle, product=product).exists():
        raise ValidationError({"cycle": _("This product already has an application in this cycle.")})
    running = (
        Application.objects.filter(product=product).exclude(state__in=FINAL_STATES).select_related("cycle").first()
    )
    if running is not None:
        raise ValidationError(
            {
                "product": _("This product is still in progress in “%(cycle)s” (%(state)s).")
                % {"cycle": running.cycle.name, "state": running.get_state_display()}
            }
        )
    when = moment(at)
    require_step_open(cycle=cycle, step=CycleStep.IDEAS, field="cycle", today=timezone.localdate(when))
    application = Application(cycle=cycle, product=product, created_by=by, purpose=purpose, created_at=when)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError({"cycle": _("This product already has an application in this cycle.")}) from exc
    Dossier.objects.create(application=application)
    after = {"state": application.state, "purpose": purpose}
    if at is not None:
        after["at"] = when.isoformat()
    audit_record(action="application.create", obj=application, by=by, after=after)
    if notify:
        _notify_on_commit(application, application.state, by=by, reason="")
    return application


def duplicate_product(*, producer: "Producer", name: str) -> "Product | None":
    """The producer's product whose name matches ``name`` ignoring case, diacritics and spacing, or None."""
    folded = fold(name)
    if not folded:
        return None
    return next((p for p in producer.products.order_by("pk") if fold(p.name) == folded), None)


@transaction.atomic
def idea_register(
    *,
    cycle: "Cycle",
    producer: "Producer",
    by: "User",
    name: str = "",
    product_set: "ProductSet | None" = None,
    description: str = "",
    product: "Product | None" = None,
    purpose: str = ApplicationPurpose.NEW,
) -> Application:
    """The idea form: a new product (refused when the producer already has one by that name), or an existing
    product of the producer evaluated again (re-evaluation at expiry, an upgrade attempt, a retry)."""
    if not is_commune_officer_of(by, producer):
        raise PermissionDenied(gettext("Only the officer of the producer's commune may register its idea."))
    if product is not None:
        if product.producer_id != producer.pk:
            raise ValidationError({"product": _("This product belongs to another producer.")})
        if purpose == ApplicationPurpose.NEW:
            raise ValidationError({"purpose": _("Say why this existing product is evaluated again.")})
        return application_create(cycle=cycle, product=product, by=by, purpose=purpose)
    if purpose != ApplicationPurpose.NEW:
        raise ValidationError({"product": _("Choose the existing product that is evaluated again.")})
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the new product's name.")
    if product_set is None:
        errors["product_set"] = _("Choose the product set.")
    if errors:
        raise ValidationError(errors)
    existing = duplicate_product(producer=producer, name=name)
    if existing is not None:
        raise ValidationError(
            {
                "name": ValidationError(
                    _("This producer already has the product “%(name)s”: choose it as an existing product instead."),
                    code="duplicate_product",
                    params={"name": existing.name},
                )
            }
        )
    product = product_create(
        producer=producer,
        name=name,
        product_set=product_set,
        commune=producer.commune,
        description=description,
        by=by,
    )
    return application_create(cycle=cycle, product=product, by=by)
