import allauth.account.admin  # (registers EmailAddress, which is unregistered below)
import allauth.mfa.admin  # noqa: F401  (registers Authenticator, likewise)
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from .decorators import sensitive_action
from .models import User

# allauth's e-mail addresses and second factors belong to the user: shown on the user's page, not as a second
# "Accounts" section (allauth's app has the same name as ours) and an untranslated "MFA" one.
for model in (EmailAddress, Authenticator):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0
    fields = ["email", "verified", "primary"]


class AuthenticatorInline(admin.TabularInline):
    """A user's second factors: read-only; deleting one resets that factor (the user enrols again)."""

    model = Authenticator
    extra = 0
    fields = ["type", "created_at", "last_used_at"]
    readonly_fields = fields
    verbose_name = _("second factor")
    verbose_name_plural = _("second factors")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit__edition"]
    search_fields = ["email", "full_name", "unit__name", "unit__code"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [EmailAddressInline, AuthenticatorInline]
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
