"""Trade promotion has staff screens (apps.catalog.staff_views); the admin remains for system administrators.
The catalogue entries are read-only here."""

from django.contrib import admin
from django.db import transaction

from .cache import catalog_version_bump
from .models import CatalogEntry, Fair, PointOfSale


class PublicPagesFollowMixin:
    """Admin edits bypass the services: make the cached public pages and API answers stale all the same."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(catalog_version_bump)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(catalog_version_bump)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(catalog_version_bump)


@admin.register(PointOfSale)
class PointOfSaleAdmin(PublicPagesFollowMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["unit", "products"]


@admin.register(Fair)
class FairAdmin(PublicPagesFollowMixin, admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "unit"]
    date_hierarchy = "starts_on"
    search_fields = ["name", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["unit", "products"]


@admin.register(CatalogEntry)
class CatalogEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "stars", "province", "valid_until"]
    list_filter = ["stars", "recognised_year"]
    search_fields = ["search_text"]
    list_select_related = ["province"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
