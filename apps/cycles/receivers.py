"""Answers to the signals of the apps below cycles (connected in ``CyclesConfig.ready``). The signals cycles itself
sends, for the apps above it, are declared in :mod:`apps.cycles.signals`."""

from django.dispatch import receiver

from apps.producers.signals import products_in_progress, vault_kinds_relied_on

from .enums import SETTLED_APPLICATION_STATES
from .models import Application
from .services import vault_kinds_relied_on as dossier_vault_kinds


@receiver(vault_kinds_relied_on, dispatch_uid="cycles_vault_kinds_relied_on")
def vault_kinds_relied_on_received(sender, producer, **kwargs):
    return dossier_vault_kinds(producer=producer)


@receiver(products_in_progress, dispatch_uid="cycles_products_in_progress")
def products_in_progress_received(sender, products, **kwargs):
    """The products among ``products`` with an application still moving (the re-homing waits for it)."""
    return (
        Application.objects.filter(product__in=products)
        .exclude(state__in=SETTLED_APPLICATION_STATES)
        .values("product_id")
    )
