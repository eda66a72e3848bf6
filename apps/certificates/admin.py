from django.contrib import admin

from apps.core.admin import PrivateFileAdminMixin

from .models import Certificate, DecisionDocument


@admin.register(Certificate)
class CertificateAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    list_display = ["serial", "product", "stars", "valid_from", "valid_until", "render_state", "revoked_at"]
    list_filter = ["render_state", "stars"]
    search_fields = ["serial", "product__name"]
    list_select_related = ["product"]
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    # An issued certificate's contents are read-only; revoking goes through the portal's revoke page (with a reason).
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DecisionDocument)
class DecisionDocumentAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    list_display = ["decision", "render_state", "rendered_at"]
    list_filter = ["render_state"]
    list_select_related = ["decision"]
    readonly_fields = [f.name for f in DecisionDocument._meta.fields]

    def has_add_permission(self, request):
        return False
