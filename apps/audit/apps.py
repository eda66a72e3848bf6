from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import security, task_context  # noqa: F401  (sign-in, MFA, download and Celery task receivers)

        _track_management_commands()


def _track_management_commands():
    """Every management command runs inside a pghistory context naming it, so rows it changes say which command did."""
    from django.core.management.base import BaseCommand
    from django.db import connection

    if getattr(BaseCommand.execute, "_ocop_audited", False):
        return
    execute = BaseCommand.execute

    def audited_execute(self, *args, **options):
        import pghistory

        if connection.vendor != "postgresql":
            return execute(self, *args, **options)
        with pghistory.context(command=self.__class__.__module__.rsplit(".", 1)[-1]):
            return execute(self, *args, **options)

    audited_execute._ocop_audited = True
    BaseCommand.execute = audited_execute
