from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "apps.cycles"
    verbose_name = _("OCOP cycles")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 — signal receivers connect once the app registry is ready
