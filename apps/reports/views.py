"""Screens of the reports app: the staff dashboard (/quan-ly/), the report list, one report, downloads.

Each view checks a permission, binds a form, calls one service and redirects or renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from apps.catalog.selectors import catalog_map
from apps.core.outbox import enqueue
from apps.core.policy import get_object_or_403
from apps.geo.enums import Edition, Level

from . import services
from .charts import figure_charts
from .enums import FileState, ReportKind, ReportState
from .forms import DashboardFilterForm, GenerateForm, NarrativeForm, ReturnForm
from .models import Report
from .periods import Period
from .rules import is_unit_officer
from .selectors import (
    Entry,
    cached_many,
    children_status,
    dashboard_figures,
    data_versions,
    figures_unchanged,
    group_choices,
    queue_entry,
    reports_visible_to,
    section_key,
    table,
)

RANKING_SIZE = 10


@login_required
def dashboard(request):
    """Work queue first, then where the unit stands this year (figures, charts, ranking of child units).

    A hit (nothing written since) reads the data versions (one query) and two cache entries in one look-up: the
    user's queue and the rendered figures section; the figures, charts, ranking and forms are built only when the
    section is not in the cache."""
    user = request.user
    versions = data_versions()  # one query; the queue, the filter's groups and the figures are cached under it
    today = timezone.localdate()
    entries = [queue_entry(user, versions=versions, today=today)]
    staff = user.has_perm("reports.view_dashboard")
    built = {}
    if staff:
        filters = {name: request.GET.get(name, "") for name in DashboardFilterForm.base_fields}
        filters["bound"] = "1" if request.GET else ""  # an empty bound form renders no initial year

        def section():
            value, built["figures"] = _figures_section(request, versions=versions, today=today)
            return value

        key = section_key(versions=versions, unit_id=user.unit_id, filters=filters, today=today)
        entries.append(Entry(key, section, lambda: figures_unchanged(versions)))
    (queue, _key), *rest = cached_many(entries)
    context = {"queue": queue.items, "steps": queue.steps, "lists_certificates": queue.lists_certificates}
    if staff:
        ((section_value, _key),) = rest
        if user.unit_id and not user._meta.get_field("unit").is_cached(user):
            # The unit's row as the section was built from it: units advance the figures' version, so it is as
            # fresh as the section, and the page needs no query for it.
            user.unit = section_value["unit"]
        unit = user.unit if user.unit_id else None
        values = section_value["values"]
        figures = built.get("figures")
        if figures is None:  # the page shows the section; the figures are loaded only if something reads them
            figures = SimpleLazyObject(lambda: _year_figures(unit, values, today=today, versions=versions))
        context.update(
            section=section_value,
            figures=figures,
            can_generate=user.unit_id is not None and user.has_perm("reports.generate_report", user.unit),
        )
        if unit is not None and unit.level == Level.PROVINCE and unit.edition == Edition.TWO_TIER_2025:
            context["province_map"] = catalog_map(province=unit)  # certified products by commune (cached)
    return render(request, "reports/dashboard.html", context)


def _figures_section(request, *, versions, today):
    """(section, figures): what the dashboard shows of the figures, the forms' fields and the tables
    rendered, for the cache (selectors.section_key)."""
    user = request.user
    unit = user.unit if user.unit_id else None
    form = DashboardFilterForm(
        request.GET or None,
        initial={"year": today.year},
        national=unit is None,
        groups=group_choices(versions),
    )
    values = form.values()
    figures = _year_figures(unit, values, today=today, versions=versions)
    generate_form = GenerateForm(initial={"kind": ReportKind.MONTHLY, "period": _default_period_key()})
    section = {
        "unit": unit,
        "values": values,
        "scope_name": figures["scope"]["name"],
        "totals": figures["totals"],
        "filter_fields": render_to_string("reports/includes/_form_fields.html", {"form": form}),
        "generate_fields": render_to_string("reports/includes/_form_fields.html", {"form": generate_form}),
        "ranking": render_to_string("reports/includes/_ranking.html", {"ranking": _ranking(figures)}),
        "tables": render_to_string(
            "reports/includes/_figures.html", {"figures": figures, "charts": figure_charts(figures)}
        ),
    }
    return section, figures


def _year_figures(unit, values, *, today, versions):
    """The dashboard's figures for the filter's ``values`` (year, list, rule set, group), cached under ``versions``."""
    figures, _key = dashboard_figures(
        unit=unit,
        period=Period.whole_year(values["year"]),
        edition=values["edition"],
        rule_set=values["rule_set"],
        group=values["group"],
        today=today,
        versions=versions,
    )
    return figures


def _ranking(figures):
    """The child units by valid certificates, then recognitions of the year (the first ``RANKING_SIZE``)."""
    certificates = table(figures, "certificates")
    recognised = table(figures, "evaluation")
    valid_at = [c["key"] for c in certificates["columns"]].index("certificates_valid")
    rec_at = [c["key"] for c in recognised["columns"]].index("recognised")
    return sorted(
        (
            {"label": row["label"], "valid": row["values"][valid_at], "recognised": rec["values"][rec_at]}
            for row, rec in zip(certificates["rows"], recognised["rows"], strict=True)
            if row["kind"] != "self"
        ),
        key=lambda r: (-r["valid"], -r["recognised"], r["label"]),
    )[:RANKING_SIZE]


def _default_period_key():
    return Period.last_complete(ReportKind.MONTHLY, timezone.localdate()).key


@login_required
def report_list(request):
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied
    user = request.user
    reports = reports_visible_to(user).order_by("-period_end", "unit__path", "kind")
    state = request.GET.get("state")
    if state in ReportState.values:
        reports = reports.filter(state=state)
    kind = request.GET.get("kind") if request.GET.get("kind") in ReportKind.values else ReportKind.MONTHLY
    try:
        period = Period.parse(request.GET.get("period") or "", kind=kind)
    except ValidationError:
        period = Period.last_complete(kind, timezone.localdate())
    children = children_status(unit=user.unit if user.unit_id else None, period=period)
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports[:200],
            "children": children,
            "period": period,
            "kind": kind,
            "kinds": ReportKind.choices,
            "generate_form": GenerateForm(initial={"kind": kind, "period": period.key}),
            "can_generate": user.unit_id is not None and user.has_perm("reports.generate_report", user.unit),
            "exports": [
                (name, label)
                for name, label in EXPORT_LABELS
                if name != "giay-chung-nhan" or user.has_perm("certificates.list_certificates")
            ],
        },
    )


EXPORT_LABELS = [
    ("ho-so", _lazy("Applications")),
    ("san-pham", _lazy("Products")),
    ("chu-the", _lazy("Producers")),
    ("giay-chung-nhan", _lazy("Certificates")),
    ("phieu-danh-gia", _lazy("Council score sheets (every answer)")),
]


@login_required
@require_POST
def report_generate(request):
    """ "Tạo báo cáo": prepare the user's unit's report and enqueue its generation; the page polls its state."""
    user = request.user
    if not (user.unit_id and user.has_perm("reports.generate_report", user.unit)):
        raise PermissionDenied
    form = GenerateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:report_list")
    try:
        with transaction.atomic():
            report = services.report_prepare(unit=user.unit, period=form.cleaned_data["parsed_period"])
            enqueue("reports.render_report", report_id=report.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reports:report_list")
    return redirect("reports:report_detail", pk=report.pk)


def _report(request, pk):
    return get_object_or_403(
        Report.objects.select_related("unit", "unit__parent"), request.user, "reports.view_report", pk=pk
    )


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    user = request.user
    editable = report.state in services.EDITABLE_STATES and is_unit_officer(user, report.unit)
    figures = report.figures or None
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "figures": figures,
            "charts": figure_charts(figures) if figures else None,
            "narrative_form": NarrativeForm.for_report(report) if editable else None,
            "can_submit": editable and report.file_state == FileState.READY,
            "can_decide": report.state == ReportState.SUBMITTED and services.is_parent_officer(user, report.unit),
            "return_form": ReturnForm(),
            "transitions": report.transitions.select_related("by"),
        },
    )


@login_required
def report_status(request, pk):
    """The small fragment the detail page polls until the files are ready."""
    report = _report(request, pk)
    return render(request, "reports/_status.html", {"report": report})


@login_required
@require_POST
def report_narrative(request, pk):
    report = _report(request, pk)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.report_update_narrative(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The narrative has been saved."))
    else:
        messages.error(request, _("Check the form."))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
@require_POST
def report_transition(request, pk):
    report = _report(request, pk)
    to_state = request.POST.get("to_state")
    if to_state not in ReportState.values:
        messages.error(request, _("Unknown action."))
        return redirect("reports:report_detail", pk=report.pk)
    try:
        services.report_transition(
            report=report, to_state=to_state, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: the report is now “%(state)s”.") % {"state": ReportState(to_state).label})
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_download(request, pk, fmt):
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    report = _report(request, pk)
    field = report.pdf if fmt == "pdf" else report.xlsx
    if report.file_state != FileState.READY or not field:
        raise Http404
    name = f"bao-cao-ocop-{report.unit.edition}-{report.unit.code}-{report.period}.{fmt}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)
