from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "apps.evaluation"
    verbose_name = _("Evaluation councils")

    def ready(self):
        from .aggregates import connect  # noqa: PLC0415 — signal receivers connect once the app registry is ready

        connect()
        from . import receivers  # noqa: F401, PLC0415 — signal receivers connect once the app registry is ready
