from django.contrib import admin

from apps.core.admin import PrivateFileAdminMixin

from .models import FakeReport, Lot, LotEvent, ProductionSite, SiteCertification, StampApprovalPolicy, StampBatch


class CertificationInline(admin.TabularInline):
    model = SiteCertification
    extra = 0


@admin.register(ProductionSite)
class ProductionSiteAdmin(admin.ModelAdmin):
    list_display = ("name", "producer", "kind", "commune")
    search_fields = ("name", "producer__name")
    raw_id_fields = ("producer", "commune", "products")
    inlines = [CertificationInline]


class EventInline(admin.TabularInline):
    model = LotEvent
    extra = 0
    raw_id_fields = ("site", "recorded_by")


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    list_display = ("code", "product", "produced_on", "expires_on")
    search_fields = ("code", "product__name")
    raw_id_fields = ("product", "sites")
    inlines = [EventInline]


@admin.register(StampApprovalPolicy)
class StampApprovalPolicyAdmin(admin.ModelAdmin):
    list_display = ("province", "level")
    raw_id_fields = ("province",)


@admin.register(StampBatch)
class StampBatchAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "product", "lot", "quantity", "state", "requested_at")
    list_filter = ("state",)
    raw_id_fields = ("product", "lot", "requested_by", "decided_by")
    readonly_fields = ("state", "parts_done", "attempts", "error", "sheet_pdf", "roll_pdf", "codes_csv")


@admin.register(FakeReport)
class FakeReportAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "product", "code", "state")
    raw_id_fields = ("stamp", "product")
    readonly_fields = ("photo", "photo_content_type", "ip_prefix")
