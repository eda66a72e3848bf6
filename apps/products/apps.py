from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_classification(sender, using, apps=None, **kwargs):
    """Reload the 6 groups / 26 sets after migrate or flush (a flush between tests wipes migration data)."""
    if "products_productset" not in connections[using].introspection.table_names():
        return
    if apps is None:  # flush sends no app registry; migrate sends the migrated state
        from django.apps import apps  # noqa: PLC0415 — only when flush sends no app registry
    ProductSet = apps.get_model("products", "ProductSet")
    if ProductSet.objects.using(using).exists():
        return
    from importlib import import_module  # noqa: PLC0415 — the migration module's name starts with a digit: imported by name, only when sets are missing

    import_module("apps.products.migrations.0002_classification").load(apps, None)


class ProductsConfig(AppConfig):
    name = "apps.products"
    verbose_name = _("Products")

    def ready(self):
        post_migrate.connect(_ensure_classification, sender=self, dispatch_uid="products_ensure_classification")
