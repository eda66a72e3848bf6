from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "apps.certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 — signal receivers connect once the app registry is ready
