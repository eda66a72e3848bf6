"""Read-only admin for producers and their documents: writes go through apps.producers.services
(jurisdiction checks, folded search text, audit), so the admin only looks."""

from django.contrib import admin

from .models import Producer, ProducerDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    model = ProducerDocument
    extra = 0
    fields = ["kind", "title", "issued_on", "expires_on", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Producer)
class ProducerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "tax_code", "commune", "workers_count", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "tax_code", "search_text"]
    list_select_related = ["commune"]
    inlines = [DocumentInline]


@admin.register(ProducerDocument)
class ProducerDocumentAdmin(ReadOnlyAdmin):
    list_display = ["producer", "kind", "issued_on", "expires_on", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["producer__name", "title"]
    list_select_related = ["producer"]
    # The file is private: no link to it here, only through the permission-checked download view.
    exclude = ["file"]
