"""Read-mostly admin for the cycles app: states only change through apps.cycles.services."""

from django.contrib import admin

from .models import Application, ApplicationTransition, Cycle, CycleStepPeriod, Plan, Target


class CycleStepInline(admin.TabularInline):
    model = CycleStepPeriod
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "year", "rule_set"]
    list_filter = ["year", "rule_set"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit"]
    inlines = [CycleStepInline]


class TransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["product", "cycle", "state", "updated_at"]
    list_filter = ["state", "cycle__year", "cycle__rule_set"]
    search_fields = ["product__name", "product__producer__name"]
    list_select_related = ["product", "cycle"]
    readonly_fields = ["state", "returned_from", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["product", "cycle"]
    inlines = [TransitionInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "title"]
    list_filter = ["year"]
    raw_id_fields = ["unit"]
    inlines = [TargetInline]
