from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from .decorators import sensitive_action
from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit__edition"]
    search_fields = ["email", "full_name", "unit__name", "unit__code"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["last_login", "date_joined", "invited_by"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone"]}),
        (_("Role and jurisdiction"), {"fields": ["role", "unit", "invited_by"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "unit", "password1", "password2"]})
    ]

    @method_decorator(sensitive_action)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A role, unit or permission change is a sensitive action: password or TOTP again first.
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(sensitive_action)
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)
