from django.contrib import admin

from apps.core.admin import PrivateFileAdminMixin

from .models import Report, ReportTransition


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    readonly_fields = ["from_state", "to_state", "by", "at", "reason"]
    can_delete = False


@admin.register(Report)
class ReportAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "kind", "period", "state", "file_state", "generated_at"]
    list_filter = ["kind", "state", "file_state"]
    search_fields = ["unit__name", "period", "number"]
    raw_id_fields = ["unit", "submitted_by", "decided_by"]
    readonly_fields = ["figures", "pdf", "xlsx", "render_claim", "generated_at", "render_error"]
    inlines = [TransitionInline]
