"""Answers to the signals of the apps below cycles (connected in ``CyclesConfig.ready``)."""

from django.dispatch import receiver

from apps.producers.signals import vault_kinds_relied_on

from .services import vault_kinds_relied_on as dossier_vault_kinds


@receiver(vault_kinds_relied_on, dispatch_uid="cycles_vault_kinds_relied_on")
def vault_kinds_relied_on_received(sender, producer, **kwargs):
    return dossier_vault_kinds(producer=producer)
