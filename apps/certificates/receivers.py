"""Answers to the signals of the apps below certificates (connected in ``CertificatesConfig.ready``)."""

from django.dispatch import receiver

from apps.evaluation.signals import decision_recorded

from .services import certificates_create_for_decision


@receiver(decision_recorded, dispatch_uid="certificates_decision_recorded")
def decision_recorded_received(sender, decision, **kwargs):
    """A recorded decision's recognised items get their certificates (rendered once the transaction commits)."""
    certificates_create_for_decision(decision=decision)
