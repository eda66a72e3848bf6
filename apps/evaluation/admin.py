"""Admin for score sheets (with JSON/CSV export actions and a JSON/CSV import page) and council records."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from apps.accounts.decorators import sensitive_action
from apps.core.admin import PrivateFileAdminMixin

from .enums import RoundState
from .models import (
    CouncilMember,
    EvaluationRound,
    NonRecognition,
    RecognitionDecision,
    RecognitionItem,
    RoundEntry,
    SheetTemplate,
)
from .sheet_io import sheet_dict_from_csv, sheet_import, sheet_to_csv, sheet_to_json


class SheetImportForm(forms.Form):
    file = forms.FileField(label=_("Sheet file (JSON or CSV)"))


@admin.action(description=_("Export the selected sheets as JSON"))
def export_json(modeladmin, request, queryset):
    body = "[\n" + ",\n".join(sheet_to_json(t) for t in queryset) + "\n]\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="phieu-danh-gia.json"'
    return response


@admin.action(description=_("Export the selected sheet as CSV"))
def export_csv(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choose exactly one sheet to export as CSV."), messages.ERROR)
        return None
    template = queryset.get()
    response = HttpResponse(sheet_to_csv(template), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{template.code}-v{template.version}.csv"'
    return response


@admin.register(SheetTemplate)
class SheetTemplateAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "version", "rule_set", "is_sample"]
    list_filter = ["rule_set", "is_sample"]
    search_fields = ["label", "code"]
    actions = [export_json, export_csv]
    filter_horizontal = ["product_sets"]
    change_list_template = "evaluation/admin/sheettemplate_changelist.html"

    def get_urls(self):
        return [
            path(
                "nhap/",
                self.admin_site.admin_view(sensitive_action(self.import_view)),
                name="evaluation_sheettemplate_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = SheetImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            text = upload.read().decode("utf-8-sig")
            try:
                data = sheet_dict_from_csv(text) if upload.name.lower().endswith(".csv") else json.loads(text)
                template = sheet_import(data=data, by=request.user)
            except (ValidationError, ValueError) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, _("Sheet imported: %(sheet)s") % {"sheet": template})
                return redirect("admin:evaluation_sheettemplate_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta}
        return render(request, "evaluation/admin/sheet_import.html", context)


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    list_display = ["name", "tier", "unit", "state"]
    list_filter = ["tier", "state"]
    raw_id_fields = ["cycle", "unit", "closed_by", "created_by"]
    # States change only through round_transition and the render lifecycle (apps.core.rendering).
    readonly_fields = [
        "state",
        "closed_at",
        "closed_by",
        "minutes_state",
        "minutes_checksum",
        "minutes_error",
        "minutes_attempts",
        "minutes_rendered_at",
    ]
    inlines = [CouncilMemberInline]

    # A closed round is a record: its council, entries and totals are read, never edited, in the admin.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.state == RoundState.CLOSED)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.state == RoundState.CLOSED)


@admin.register(RoundEntry)
class RoundEntryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "total", "stars", "forwarded"]
    raw_id_fields = ["round", "application", "template"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.round.state == RoundState.CLOSED)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.round.state == RoundState.CLOSED)


class RecognitionItemInline(admin.TabularInline):
    model = RecognitionItem
    extra = 0
    raw_id_fields = ["product", "application"]


class NonRecognitionInline(admin.TabularInline):
    model = NonRecognition
    extra = 0
    raw_id_fields = ["entry"]


@admin.register(RecognitionDecision)
class RecognitionDecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "date", "issuing_unit", "rule_set"]
    raw_id_fields = ["issuing_unit", "round", "created_by"]
    inlines = [RecognitionItemInline, NonRecognitionInline]
