"""Screens of the annual cycle: work list, overview, idea form, application page, dossier, cycles and plans.

Each view checks a permission, binds a form, calls one service and redirects or renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.forms import add_service_errors
from apps.core.idempotency import Submission
from apps.core.policy import get_object_or_403
from apps.core.validators import extension_for
from apps.geo.models import AdministrativeUnit
from apps.producers.selectors import producers_visible_to

from . import services
from .enums import ApplicationState
from .filters import ApplicationFilter
from .forms import (
    CycleForm,
    DossierForm,
    EvidenceForm,
    IdeaForm,
    LateAllowanceForm,
    PlanForm,
    StepExtendForm,
    TransitionForm,
)
from .models import Application, EvidenceFile, Plan
from .selectors import (
    application_counts_by_commune,
    application_page_queryset,
    applications_visible_to,
    available_actions,
    cycles_open_for,
    cycles_visible_to,
    dossier_locked_message,
    plans_visible_to,
    waiting_on,
    with_waiting,
)

PAGE_SIZE = 50
PLAN_YEARS = range(2019, 2101)  # a plan year in the URL outside these is a typo, not a plan


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _filtered(request):
    cycles = cycles_visible_to(request.user).order_by("-year", "unit__path")
    queryset = applications_visible_to(request.user).order_by("-updated_at", "-pk")
    return ApplicationFilter(request.GET or None, queryset=queryset, cycles=cycles, request=request)


def _page_with_waiting(request, queryset):
    """One page of applications, each row carrying whose move it is (``a.waiting``)."""
    page = Paginator(with_waiting(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for application in page.object_list:
        application.waiting = waiting_on(application)
    return page


@login_required
def work_list(request):
    _require(request, "cycles.view_work_list")
    filterset = _filtered(request)
    page = _page_with_waiting(request, filterset.qs)
    state_counts = dict(applications_visible_to(request.user).order_by().values_list("state").annotate(n=Count("pk")))
    by_state = [(value, label, state_counts.get(value, 0)) for value, label in ApplicationState.choices]
    return render(request, "cycles/work_list.html", {"filter": filterset, "page": page, "by_state": by_state})


@login_required
def overview(request):
    _require(request, "cycles.view_overview")
    filterset = _filtered(request)
    page = _page_with_waiting(request, filterset.qs)
    rows = application_counts_by_commune(filterset.qs)
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(ApplicationState.values))]
    return render(
        request,
        "cycles/overview.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "states": ApplicationState.choices,
            "totals": totals,
            "grand_total": sum(totals),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request):
    _require(request, "cycles.register_idea")
    if request.user.unit_id is None:  # an admin passes every permission as a superuser, but an idea needs a commune
        raise PermissionDenied
    cycles = cycles_open_for(request.user.unit).order_by("-year")
    producers = producers_visible_to(request.user).filter(commune=request.user.unit).order_by("name")
    form = IdeaForm(request.POST or None, cycles=cycles, producers=producers)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        submission = Submission(request)
        if submission.duplicate:
            messages.info(request, _("This form was already sent; it was saved only once."))
            return redirect(submission.previous_url or "cycles:work_list")
        data = dict(form.cleaned_data)
        try:
            application = services.idea_register(by=request.user, **data)
        except ValidationError as exc:
            submission.release()
            add_service_errors(form, exc)
            if not data.get("product"):
                duplicate = services.duplicate_product(producer=data["producer"], name=data.get("name"))
        else:
            submission.done(reverse("cycles:application_detail", args=[application.pk]))
            messages.success(request, _("The product idea has been registered."))
            return redirect("cycles:application_detail", pk=application.pk)
    return render(
        request, "cycles/idea_form.html", {"form": form, "has_cycle": cycles.exists(), "duplicate": duplicate}
    )


def _application(request, pk, perm):
    return get_object_or_403(Application.objects.select_related("product__commune", "cycle"), request.user, perm, pk=pk)


@login_required
def application_detail(request, pk):
    application = get_object_or_403(application_page_queryset(), request.user, "cycles.view_application", pk=pk)
    actions = []
    for to_state in available_actions(request.user, application):
        label = (
            services.RESUBMIT_LABEL
            if application.state == ApplicationState.RETURNED and to_state == application.returned_from
            else services.ACTION_LABELS[to_state]
        )
        actions.append(
            {
                "label": label,
                "needs_reason": to_state in services.REASON_REQUIRED,
                "form": TransitionForm(initial={"to_state": to_state, "expected_state": application.state}),
            }
        )
    may_edit = request.user.has_perm("cycles.change_dossier", application) and (
        application.state in services.DOSSIER_EDITABLE_STATES
    )
    problems = []
    if application.state in (ApplicationState.IMPLEMENTING, ApplicationState.RETURNED) and may_edit:
        problems = services.dossier_problems(application)
    may_organise = request.user.has_perm("cycles.organise_cycle", application.cycle)
    return render(
        request,
        "cycles/application_detail.html",
        {
            "application": application,
            "dossier": getattr(application, "dossier", None),
            "actions": actions,
            "may_edit": may_edit,
            "problems": problems,
            "late_form": LateAllowanceForm() if may_organise else None,
            "waiting": waiting_on(application),
        },
    )


@login_required
@require_POST
def late_allow(request, pk):
    application = _application(request, pk, "cycles.view_application")
    form = LateAllowanceForm(request.POST)
    if form.is_valid():
        try:
            services.late_allowance_grant(application=application, by=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("This application may now be submitted late for that step."))
    else:
        messages.error(request, _("Choose the step and give the reason; nothing was changed."))
    return redirect("cycles:application_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def step_extend(request, pk):
    cycle = get_object_or_404(cycles_visible_to(request.user).prefetch_related("steps"), pk=pk)
    if not request.user.has_perm("cycles.organise_cycle", cycle):
        raise PermissionDenied
    form = StepExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_step_extend(cycle=cycle, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The step's dates have been changed."))
            return redirect("cycles:cycle_list")
    return render(request, "cycles/step_extend_form.html", {"form": form, "cycle": cycle})


@login_required
@require_POST
def application_transition(request, pk):
    application = _application(request, pk, "cycles.view_application")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; nothing was changed."))
        return redirect("cycles:application_detail", pk=pk)
    try:
        services.application_transition(
            application=application,
            to_state=form.cleaned_data["to_state"],
            expected_state=form.cleaned_data["expected_state"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except services.TransitionNotAllowed as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The application is now: %(state)s.") % {"state": ApplicationState(application.state).label},
        )
    return redirect("cycles:application_detail", pk=pk)


def _locked_on_get(request, application):
    """On a GET of a dossier edit page in a state that no longer allows edits: say why and go back to the application
    (a POST still reaches the service, which refuses it with the same message and changes nothing)."""
    if request.method == "GET" and (message := dossier_locked_message(application)):
        messages.error(request, message)
        return redirect("cycles:application_detail", pk=application.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def dossier_edit(request, pk):
    application = _application(request, pk, "cycles.change_dossier")
    if locked := _locked_on_get(request, application):
        return locked
    dossier = application.dossier
    needs_samples = application.product.product_set.needs_samples
    form = DossierForm(request.POST or None, instance=dossier, needs_samples=needs_samples)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_update(application=application, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The dossier has been saved."))
            return redirect("cycles:application_detail", pk=pk)
    return render(request, "cycles/dossier_form.html", {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(request, pk):
    application = _application(request, pk, "cycles.change_dossier")
    if locked := _locked_on_get(request, application):
        return locked
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_upload(
                application=application,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, _("The file has been attached to the dossier."))
            return redirect("cycles:application_detail", pk=pk)
    return render(request, "cycles/evidence_form.html", {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request, pk):
    """GET asks for confirmation; only the POST of that page removes (and only while the dossier is editable)."""
    evidence = get_object_or_403(
        EvidenceFile.objects.select_related("dossier__application__product__commune", "dossier__application__cycle"),
        request.user,
        "cycles.delete_evidencefile",
        pk=pk,
    )
    application = evidence.dossier.application
    if request.method == "POST":
        try:
            services.evidence_remove(evidence=evidence, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The evidence file has been removed from the dossier."))
        return redirect("cycles:application_detail", pk=application.pk)
    if application.state not in services.DOSSIER_EDITABLE_STATES:
        messages.error(
            request,
            _(
                "This evidence file can no longer be removed: the application is “%(state)s” and its dossier "
                "can no longer be edited. Nothing was changed."
            )
            % {"state": application.get_state_display()},
        )
        return redirect("cycles:application_detail", pk=application.pk)
    return render(request, "cycles/evidence_confirm_remove.html", {"evidence": evidence, "application": application})


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_403(
        EvidenceFile.objects.select_related("dossier__application__product__commune"),
        request.user,
        "cycles.view_evidencefile",
        pk=pk,
    )
    extension = extension_for(evidence.content_type)
    response = FileResponse(
        evidence.file.open("rb"), content_type=evidence.content_type, filename=f"minh-chung-{evidence.pk}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def cycle_list(request):
    _require(request, "cycles.view_cycle")
    cycles = cycles_visible_to(request.user).prefetch_related("steps").order_by("-year", "unit__path")
    page = Paginator(cycles, PAGE_SIZE).get_page(request.GET.get("page"))
    for cycle in page.object_list:
        cycle.may_organise = request.user.has_perm("cycles.organise_cycle", cycle)
    return render(request, "cycles/cycle_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request):
    _require(request, "cycles.add_cycle")
    units = AdministrativeUnit.objects.filter(pk=request.user.unit_id)
    form = CycleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_create(
                unit=form.cleaned_data["unit"],
                year=form.cleaned_data["year"],
                rule_set=form.cleaned_data["rule_set"],
                name=form.cleaned_data["name"],
                steps=form.step_dates(),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The cycle has been opened."))
            return redirect("cycles:cycle_list")
    return render(request, "cycles/cycle_form.html", {"form": form})


@login_required
def plan_list(request):
    _require(request, "cycles.view_cycle")
    plans = plans_visible_to(request.user).order_by("-year", "unit__path")
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    may_edit = request.user.unit_id is not None and services.may_edit_plan(request.user, request.user.unit)
    return render(
        request,
        "cycles/plan_list.html",
        {"page": page, "may_edit": may_edit, "current_year": timezone.localdate().year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, year):
    if request.user.unit_id is None or not services.may_edit_plan(request.user, request.user.unit):
        raise PermissionDenied
    if year not in PLAN_YEARS:
        raise Http404
    plan = Plan.objects.filter(unit=request.user.unit, year=year).prefetch_related("targets").first()
    initial = {}
    if plan:
        initial["title"] = plan.title
        initial.update({f"target_{t.kind}": t.value for t in plan.targets.all()})
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.plan_save(
            unit=request.user.unit,
            year=year,
            title=form.cleaned_data["title"],
            targets=form.targets(),
            by=request.user,
        )
        messages.success(request, _("The plan has been saved."))
        return redirect("cycles:plan_list")
    return render(request, "cycles/plan_form.html", {"form": form, "year": year})
