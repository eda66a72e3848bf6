"""Answers to the signals of the apps below evaluation (connected in ``EvaluationConfig.ready``). The signals evaluation
itself sends, for the apps above it, are declared in :mod:`apps.evaluation.signals`."""

from django.dispatch import receiver

from apps.cycles.signals import application_left_rounds
from apps.producers.signals import products_in_progress

from .enums import RoundState
from .models import RoundEntry
from .services.entries import entries_remove_for_application


@receiver(products_in_progress, dispatch_uid="evaluation_products_in_progress")
def products_in_progress_received(sender, products, **kwargs):
    """The products among ``products`` entered in an open council round (the re-homing waits for it to close)."""
    return RoundEntry.objects.filter(round__state=RoundState.OPEN, application__product__in=products).values(
        "application__product_id"
    )


@receiver(application_left_rounds, dispatch_uid="evaluation_application_left_rounds")
def application_left_rounds_received(sender, application, by, reason, **kwargs):
    """A returned or withdrawn application leaves every open round it was entered in (audited)."""
    entries_remove_for_application(application=application, by=by, reason=reason)
