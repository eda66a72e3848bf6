from django.apps import AppConfig
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import security, task_context  # noqa: F401, PLC0415 — receivers connect once the app registry is ready (sign-in, MFA, download, Celery task context)

        _track_management_commands()


def _track_management_commands():
    """Every management command runs inside a pghistory context naming it, so rows it changes say which command did."""

    if getattr(BaseCommand.execute, "_ocop_audited", False):
        return
    execute = BaseCommand.execute

    def audited_execute(self, *args, **options):
        import pghistory  # noqa: PLC0415 — pghistory imports its models: not before the app registry is ready

        if connection.vendor != "postgresql":
            return execute(self, *args, **options)
        with pghistory.context(command=self.__class__.__module__.rsplit(".", 1)[-1]):
            return execute(self, *args, **options)

    audited_execute._ocop_audited = True
    BaseCommand.execute = audited_execute
