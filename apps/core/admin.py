"""Admin helpers shared by every app."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import OutboxMessage
from .storage import private_storage

_SUFFIX = "_stored_name"


def _is_private(field):
    return isinstance(field, models.FileField) and field.storage is private_storage


class PrivateFileAdminMixin:
    """Private files have no URL (see :mod:`apps.core.storage`), so the admin's file widget and read-only link
    would fail: they are left out of the form and shown by stored name only. Files change through services."""

    def _private_file_fields(self):
        return [f for f in self.model._meta.fields if _is_private(f)]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *(f.name for f in self._private_file_fields())]

    def get_readonly_fields(self, request, obj=None):
        private = self._private_file_fields()
        names = {f.name for f in private}
        kept = [f for f in super().get_readonly_fields(request, obj) if f not in names]
        return [*kept, *(f.name + _SUFFIX for f in private)]

    def __getattr__(self, name):
        # "<file field>_stored_name": the admin looks these read-only columns up on the ModelAdmin.
        if name.endswith(_SUFFIX):
            field = next((f for f in self._private_file_fields() if f.name + _SUFFIX == name), None)
            if field is not None:

                def show(obj):
                    value = getattr(obj, field.name)
                    return value.name if value else _("(no file)")

                show.short_description = field.verbose_name
                return show
        raise AttributeError(name)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: operators see what waits for the broker; the one-minute sweep sends it."""

    list_display = ["pk", "task_name", "created_at", "sent_at", "attempts"]
    list_filter = ["task_name", ("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["task_name", "kwargs", "created_at", "sent_at", "attempts", "last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
