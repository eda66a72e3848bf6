from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    verbose_name = _("Public catalogue")

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 — signal receivers connect once the app registry is ready
