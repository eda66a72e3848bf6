"""Trade promotion is managed in the Django admin for now; the catalogue entries are read-only there."""

from django.contrib import admin

from .models import CatalogEntry, Fair, PointOfSale


@admin.register(PointOfSale)
class PointOfSaleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["unit", "products"]


@admin.register(Fair)
class FairAdmin(admin.ModelAdmin):
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
