"""Council screens: rounds, members, products, scoring, results, closing, pre-checks and decisions.

Each view checks a permission on an object fetched through a visibility selector, binds a form and calls one
service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.decorators import sensitive_action
from apps.core.enums import RenderState
from apps.core.forms import add_service_errors
from apps.core.policy import get_object_or_403
from apps.core.stars import awarded_stars
from apps.core.text import ascii_int
from apps.cycles.models import Application, Dossier
from apps.cycles.selectors import dossier_locked_message

from . import services
from .eligibility import may_create_rounds
from .enums import RECOGNISABLE_STARS, Tier
from .forms import (
    ConflictForm,
    DecisionForm,
    EntryAddForm,
    EntryRemoveForm,
    MemberAddForm,
    PreCheckForm,
    ReopenForm,
    RoundCreateForm,
    SelfAssessmentForm,
    SheetForm,
)
from .models import CommunePreCheck, EvaluationRound, RoundEntry, ScoreSheet
from .selectors import (
    council_of,
    member_for,
    round_results,
    rounds_visible_to,
    self_assessment_context,
    sheet_structure,
)


def _round(request, pk, perm="evaluation.view_evaluationround"):
    # 404 when the round does not exist, 403 when it is outside the user's reach (the permission decides).
    return get_object_or_403(EvaluationRound.objects.select_related("cycle", "unit"), request.user, perm, pk=pk)


def _entry(request, round, entry_pk):
    return get_object_or_404(
        RoundEntry.objects.select_related("application__product__producer", "template", "round"),
        round=round,
        pk=entry_pk,
    )


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


@login_required
def round_list(request):
    rounds = rounds_visible_to(user=request.user).select_related("cycle", "unit").order_by("-created_at")
    return render(
        request, "evaluation/round_list.html", {"rounds": rounds, "may_create": may_create_rounds(request.user)}
    )


@login_required
def round_create(request):
    if not may_create_rounds(request.user):
        raise PermissionDenied
    form = RoundCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.round_create(by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("evaluation:round_detail", pk=round.pk)
    return render(request, "evaluation/round_form.html", {"form": form})


@login_required
def round_detail(request, pk):
    round = _round(request, pk)
    me = member_for(round=round, user=request.user)
    entries = list(round.entries.select_related("application__product__producer", "application__product__commune"))
    my_sheets = {}
    my_conflicts = set()
    if me is not None:
        my_sheets = {s.entry_id: s for s in ScoreSheet.objects.filter(round=round, member=me)}
        my_conflicts = set(me.conflicts.values_list("entry_id", flat=True))
    user = request.user
    context = {
        "round": round,
        "me": me,
        "members": council_of(round=round),
        "entries": [{"entry": e, "my_sheet": my_sheets.get(e.pk), "conflicted": e.pk in my_conflicts} for e in entries],
        "may_manage": user.has_perm("evaluation.manage_round", round),
        "may_chair": user.has_perm("evaluation.chair_round", round),
        "may_precheck": user.has_perm("evaluation.record_precheck", round),
        "may_close": user.has_perm("evaluation.close_round", round),
        "may_decide": (round.rule_set, round.tier) in RECOGNISABLE_STARS
        and user.has_perm("evaluation.record_decision", round)
        and not round.decisions.exists(),
        "decisions": round.decisions.prefetch_related("items__product", "refusals__entry__application__product"),
        "member_form": MemberAddForm(round=round) if user.has_perm("evaluation.manage_round", round) else None,
        "entry_form": EntryAddForm(round=round) if user.has_perm("evaluation.manage_round", round) else None,
        "remove_form": EntryRemoveForm() if user.has_perm("evaluation.manage_round", round) else None,
        "is_commune": round.tier == Tier.COMMUNE,
        # Members see the combined results while the round is open; afterwards only the round's officers do.
        "show_results": round.is_open or request.user.has_perm("evaluation.record_decision", round),
    }
    return render(request, "evaluation/round_detail.html", context)


@login_required
@require_POST
def member_add(request, pk):
    round = _round(request, pk, "evaluation.manage_round")
    form = MemberAddForm(request.POST, round=round)
    if form.is_valid():
        try:
            services.member_add(round=round, by=request.user, **form.cleaned_data)
            messages.success(request, _("Member added."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a user and a role."))
    return redirect("evaluation:round_detail", pk=round.pk)


@login_required
@require_POST
def entry_add(request, pk):
    round = _round(request, pk, "evaluation.manage_round")
    form = EntryAddForm(request.POST, round=round)
    if form.is_valid():
        try:
            services.entry_add(round=round, application=form.cleaned_data["application"], by=request.user)
            messages.success(request, _("Product assigned to the round."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose an application."))
    return redirect("evaluation:round_detail", pk=round.pk)


@login_required
@require_POST
def entry_remove(request, pk, entry_pk):
    round = _round(request, pk, "evaluation.manage_round")
    entry = _entry(request, round, entry_pk)
    form = EntryRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for removing this product from the round."))
        return redirect("evaluation:round_detail", pk=round.pk)
    try:
        services.entry_remove(entry=entry, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The product was removed from the round."))
    return redirect("evaluation:round_detail", pk=round.pk)


@login_required
def conflict_declare(request, pk, entry_pk):
    round = _round(request, pk, "evaluation.declare_conflict")
    entry = _entry(request, round, entry_pk)
    me = member_for(round=round, user=request.user)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(entry=entry, member=me, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Conflict of interest recorded: you will not score this product."))
        return redirect("evaluation:round_detail", pk=round.pk)
    return render(request, "evaluation/conflict_form.html", {"round": round, "entry": entry, "form": form})


def _part_totals(parts, answers_points):
    totals = []
    for part in parts:
        points = sum(answers_points.get(c.pk, 0) for g in part.groups.all() for c in g.criteria.all())
        totals.append({"part": part, "points": points})
    return totals


@login_required
def sheet_edit(request, pk, entry_pk):
    round = _round(request, pk)
    entry = _entry(request, round, entry_pk)
    member = member_for(round=round, user=request.user)
    # A seat is needed, whatever else the user may do (an admin passes every permission as a superuser).
    if member is None or not request.user.has_perm("evaluation.score_entry", entry):
        raise PermissionDenied
    try:
        sheet = services.sheet_open(entry=entry, member=member)
    except ValidationError as exc:
        # A closed round creates no new sheet: say so on the round's page instead of failing.
        _errors(request, exc)
        return redirect("evaluation:round_detail", pk=round.pk)
    parts = sheet_structure(template=entry.template)
    # A member who never saved has an unsaved sheet (no answers): the first POST creates its row.
    answers = {a.criterion_id: a for a in sheet.answers.all()} if sheet.pk else {}
    form = SheetForm(request.POST or None, parts=parts, chosen={k: a.option_id for k, a in answers.items()})
    editable = round.is_open and sheet.is_scorable
    if form.is_bound:
        selected = {
            ascii_int(v) for k, v in request.POST.items() if k.startswith("c") and ascii_int(k[1:]) and ascii_int(v)
        }
    else:
        selected = {a.option_id for a in answers.values()}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.sheet_save(
                    sheet=sheet, choices=form.choices(), by=request.user, submit="submit" in request.POST
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Sheet submitted.") if "submit" in request.POST else _("Draft saved."))
                return redirect("evaluation:sheet_edit", pk=round.pk, entry_pk=entry.pk)
    points = {k: a.points for k, a in answers.items()}
    # Each refused answer is shown at its criterion (a tampered or stale option id is a field error).
    field_errors = {int(n[1:]): e for n, e in form.errors.items() if n.startswith("c") and n[1:].isdigit()}
    criteria = [c for part in parts for group in part.groups.all() for c in group.criteria.all()]
    for criterion in criteria:
        criterion.form_errors = field_errors.get(criterion.pk, [])
    mandatory = [c for c in criteria if c.mandatory_for_stars]
    missing = [c for c in mandatory if points.get(c.pk, 0) <= 0]
    return render(
        request,
        "evaluation/sheet_form.html",
        {
            "round": round,
            "entry": entry,
            "sheet": sheet,
            "form": form,
            "editable": editable,
            "selected": selected,
            "part_totals": _part_totals(parts, points),
            "has_field_errors": bool(field_errors),
            "mandatory": mandatory,
            "missing_ids": {c.pk for c in missing},
            "running_stars": awarded_stars(sum(points.values(), 0), [c.mandatory_for_stars for c in missing]),
        },
    )


@login_required
def sheet_detail(request, pk, entry_pk, sheet_pk):
    """Another member's sheet: open to a member only once their own sheet for the product is submitted."""
    round = _round(request, pk)
    entry = _entry(request, round, entry_pk)
    sheet = get_object_or_404(ScoreSheet.objects.select_related("member__user"), entry=entry, pk=sheet_pk)
    if not _may_see_all_sheets(request.user, round, entry) and sheet.member.user_id != request.user.pk:
        raise PermissionDenied
    parts = sheet_structure(template=entry.template)
    answers = {a.criterion_id: a for a in sheet.answers.select_related("option")}
    self_assessment = _self_assessment(entry, parts)
    return render(
        request,
        "evaluation/sheet_detail.html",
        {
            "round": round,
            "entry": entry,
            "sheet": sheet,
            "self_assessment": self_assessment,
            "rows": [
                (criterion, answers.get(criterion.pk))
                for part in parts
                for group in part.groups.all()
                for criterion in group.criteria.all()
            ],
            "part_totals": _part_totals(parts, {k: a.points for k, a in answers.items()}),
        },
    )


def _self_assessment(entry, parts):
    """The applicant's self-assessment on this sheet (its options set on ``parts``' criteria), or None."""
    dossier = Dossier.objects.filter(application_id=entry.application_id).first()
    if dossier is None or not (dossier.self_assessment_sheet or {}).get("choices"):
        return None
    return self_assessment_context(dossier, parts)


def _may_see_all_sheets(user, round, entry):
    return user.has_perm("evaluation.view_all_sheets", entry)


@login_required
def entry_result(request, pk, entry_pk):
    round = _round(request, pk)
    entry = _entry(request, round, entry_pk)
    if not _may_see_all_sheets(request.user, round, entry) and not request.user.has_perm(
        "evaluation.manage_round", round
    ):
        raise PermissionDenied
    (result,) = round_results(round=round, entries=[entry])
    return render(
        request,
        "evaluation/entry_result.html",
        {
            "round": round,
            "entry": entry,
            "result": result,
            "self_assessment": _self_assessment(entry, sheet_structure(template=entry.template)),
            "may_chair": request.user.has_perm("evaluation.chair_round", round),
            "reopen_form": ReopenForm(),
        },
    )


@login_required
@require_POST
def sheet_reopen(request, pk, entry_pk, sheet_pk):
    round = _round(request, pk, "evaluation.chair_round")
    entry = _entry(request, round, entry_pk)
    sheet = get_object_or_404(ScoreSheet, entry=entry, pk=sheet_pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.sheet_reopen(sheet=sheet, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Sheet reopened for re-scoring."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("evaluation:entry_result", pk=round.pk, entry_pk=entry.pk)


@login_required
@require_POST
def round_close(request, pk):
    round = _round(request, pk, "evaluation.close_round")
    try:
        services.round_close(round=round, by=request.user)
        if round.tier == Tier.COMMUNE:
            messages.success(request, _("The round is closed; all sheets are locked."))
        else:
            messages.success(
                request, _("The round is closed; all sheets are locked. The minutes will be ready in a few moments.")
            )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:round_detail", pk=round.pk)


@login_required
def minutes_download(request, pk):
    round = _round(request, pk, "evaluation.view_minutes")
    if not round.minutes or round.minutes_state != RenderState.READY:
        raise Http404
    return FileResponse(
        round.minutes.open("rb"),
        as_attachment=True,
        filename=f"bien-ban-hoi-dong-{round.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
def precheck(request, pk, entry_pk):
    round = _round(request, pk, "evaluation.record_precheck")
    if round.tier != Tier.COMMUNE:
        raise Http404
    entry = _entry(request, round, entry_pk)
    form = PreCheckForm(request.POST or None, instance=CommunePreCheck.objects.filter(entry=entry).first())
    if request.method == "POST" and form.is_valid():
        services.precheck_record(entry=entry, by=request.user, **form.cleaned_data)
        messages.success(request, _("Pre-check recorded."))
        return redirect("evaluation:round_detail", pk=round.pk)
    return render(request, "evaluation/precheck_form.html", {"round": round, "entry": entry, "form": form})


def _decision_message(decision):
    """What the decision did, product by product: recognised (certificates follow), forwarded, not recognised."""
    recognised = decision.items.count()
    refused = decision.refusals.count()
    forwarded = [
        e.application.product.name
        for e in decision.round.entries.filter(forwarded=True).select_related("application__product")
    ]
    parts = [_("Recognition decision recorded.")]
    if recognised:
        parts.append(
            ngettext(
                "%(n)s product recognised; its certificate is being prepared.",
                "%(n)s products recognised; their certificates are being prepared.",
                recognised,
            )
            % {"n": recognised}
        )
    if forwarded:
        parts.append(
            ngettext(
                "%(n)s product forwarded to the next tier's council (no certificate at this tier): %(names)s.",
                "%(n)s products forwarded to the next tier's council (no certificate at this tier): %(names)s.",
                len(forwarded),
            )
            % {"n": len(forwarded), "names": ", ".join(forwarded)}
        )
    if refused:
        parts.append(
            ngettext("%(n)s product not recognised.", "%(n)s products not recognised.", refused) % {"n": refused}
        )
    return " ".join(parts)


@login_required
@sensitive_action
def decision_create(request, pk):
    round = _round(request, pk, "evaluation.record_decision")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(round=round, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _decision_message(decision))
            return redirect("evaluation:round_detail", pk=round.pk)
    entries = round.entries.select_related("application__product").order_by("-total")
    return render(request, "evaluation/decision_form.html", {"round": round, "form": form, "entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment_edit(request, pk):
    """The applicant's self-assessment, filled in on the product set's own score sheet."""
    application = get_object_or_403(
        Application.objects.select_related("product__commune", "product__product_set", "cycle"),
        request.user,
        "cycles.change_dossier",
        pk=pk,
    )
    if request.method == "GET" and (locked := dossier_locked_message(application)):
        messages.error(request, locked)  # the service refuses a POST with the same words
        return redirect("cycles:application_detail", pk=pk)
    dossier = getattr(application, "dossier", None)
    template = services.self_assessment_template(application)
    parts = sheet_structure(template=template) if template else []
    initial = {
        int(c): o for c, o in ((dossier.self_assessment_sheet or {}).get("choices", {}) if dossier else {}).items()
    }
    form = SelfAssessmentForm(request.POST or None, parts=parts, chosen=initial)
    if request.method == "POST" and template is not None and form.is_valid():
        try:
            services.dossier_self_assess(application=application, by=request.user, choices=form.choices())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The self-assessment has been saved."))
            return redirect("cycles:application_detail", pk=pk)
    criteria = [c for part in parts for group in part.groups.all() for c in group.criteria.all()]
    for criterion in criteria:
        criterion.form_errors = form.errors.get(f"c{criterion.pk}", [])
    context = self_assessment_context(dossier, parts)
    if form.is_bound:  # show what was posted, not what is stored
        # ascii_int: a superscript digit passes str.isdigit() and makes int() raise (it was a 500).
        context["chosen"] = {
            ascii_int(v) for k, v in request.POST.items() if k[:1] == "c" and ascii_int(k[1:]) and ascii_int(v)
        }
    return render(
        request,
        "evaluation/self_assessment_form.html",
        {"application": application, "template": template, "form": form, "parts": parts, **context},
    )
