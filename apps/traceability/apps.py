from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    name = "apps.traceability"
    verbose_name = "Truy xuất nguồn gốc"
