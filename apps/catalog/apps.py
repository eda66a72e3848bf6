from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    verbose_name = _("Public catalogue")

    def ready(self):
        from . import signals  # noqa: F401
