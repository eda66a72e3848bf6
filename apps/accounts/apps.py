from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import middleware  # noqa: F401, PLC0415 — signal receivers connect once the app registry is ready; stamps staff sessions at login
