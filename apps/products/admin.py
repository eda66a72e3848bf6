"""Admin for the product classification (read-only: loaded by migration) and read-only products; writes go
through apps.products.services."""

from django.contrib import admin

from apps.producers.admin import ReadOnlyAdmin

from .models import Product, ProductGroup, ProductPhoto, ProductSet


class SetInline(admin.TabularInline):
    model = ProductSet
    extra = 0
    fields = ["code", "name", "order", "needs_samples"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProductGroup)
class ProductGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "order"]
    inlines = [SetInline]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "product_set", "producer", "commune", "updated_at"]
    list_filter = ["product_set__group"]
    search_fields = ["name", "slug", "search_text"]
    list_select_related = ["product_set", "producer", "commune"]


@admin.register(ProductPhoto)
class ProductPhotoAdmin(ReadOnlyAdmin):
    list_display = ["product", "alt", "order"]
    list_select_related = ["product"]
