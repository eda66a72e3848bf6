"""Every write of the cycles app. The application state machine lives here, in one table and one function.

Transition table (``TRANSITIONS``): each legal (from state, to state) pair names the tier that may make it.

=====================  =====================  ==========  ===========================================
from                   to                     tier        note
=====================  =====================  ==========  ===========================================
idea_registered        idea_accepted          approving   district officer (148) / province (1489)
idea_registered        idea_rejected          approving
idea_registered        returned               approving   reason required
idea_accepted          plan_submitted         commune
plan_submitted         implementing           approving   plan approved
plan_submitted         returned               approving   reason required
implementing           dossier_submitted      commune     refused while a vault document is missing
dossier_submitted      dossier_checked        commune
dossier_submitted      returned               commune     reason required
dossier_checked        sent_for_evaluation    commune     the commune forwards the dossier up
dossier_checked        returned               commune or approving (the tier that receives it)
returned               <returned_from>        commune     resubmission after correction
=====================  =====================  ==========  ===========================================

"commune" is a commune officer whose unit is the product's commune. "approving" is, under ``qd148-2023``,
a district officer whose district contains the commune and, under ``qd1489-2025`` (no districts), a
province officer whose province contains it. Nobody else (not even national roles) moves an application:
the programme's decisions give these steps to these tiers.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.enums import RuleSet
from apps.core.policy import user_covers_unit
from apps.core.validators import validate_upload
from apps.geo.enums import Level
from apps.products.services import product_create

from .enums import ApplicationState, CycleStep, TargetKind, Tier
from .models import (
    Application,
    ApplicationTransition,
    Cycle,
    CycleStepPeriod,
    Dossier,
    EvidenceFile,
    Plan,
    Target,
)

S = ApplicationState

# (from, to) → tiers allowed to make the move. Anything not in this table is illegal.
TRANSITIONS = {
    (S.IDEA_REGISTERED, S.IDEA_ACCEPTED): {Tier.APPROVING},
    (S.IDEA_REGISTERED, S.IDEA_REJECTED): {Tier.APPROVING},
    (S.IDEA_REGISTERED, S.RETURNED): {Tier.APPROVING},
    (S.IDEA_ACCEPTED, S.PLAN_SUBMITTED): {Tier.COMMUNE},
    (S.PLAN_SUBMITTED, S.IMPLEMENTING): {Tier.APPROVING},
    (S.PLAN_SUBMITTED, S.RETURNED): {Tier.APPROVING},
    (S.IMPLEMENTING, S.DOSSIER_SUBMITTED): {Tier.COMMUNE},
    (S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED): {Tier.COMMUNE},
    (S.DOSSIER_SUBMITTED, S.RETURNED): {Tier.COMMUNE},
    (S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION): {Tier.COMMUNE},
    (S.DOSSIER_CHECKED, S.RETURNED): {Tier.COMMUNE, Tier.APPROVING},
}
# The check states an application may be returned from; resubmission goes back to the same state.
CHECK_STATES = (S.IDEA_REGISTERED, S.PLAN_SUBMITTED, S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED)
RESUBMIT_TIERS = {Tier.COMMUNE}

# Who is asked to act once an application reaches a state (the notification e-mail goes to them).
NEXT_ACTOR = {
    S.IDEA_REGISTERED: Tier.APPROVING,
    S.IDEA_ACCEPTED: Tier.COMMUNE,
    S.IDEA_REJECTED: Tier.COMMUNE,
    S.PLAN_SUBMITTED: Tier.APPROVING,
    S.IMPLEMENTING: Tier.COMMUNE,
    S.DOSSIER_SUBMITTED: Tier.COMMUNE,
    S.DOSSIER_CHECKED: Tier.COMMUNE,
    S.SENT_FOR_EVALUATION: Tier.APPROVING,
    S.RETURNED: Tier.COMMUNE,
}

# Button labels for each target state (the verb of the action, not the state's name).
ACTION_LABELS = {
    S.IDEA_ACCEPTED: _("Accept the idea"),
    S.IDEA_REJECTED: _("Reject the idea"),
    S.PLAN_SUBMITTED: _("Submit the business plan"),
    S.IMPLEMENTING: _("Approve the plan"),
    S.DOSSIER_SUBMITTED: _("Submit the dossier"),
    S.DOSSIER_CHECKED: _("Confirm the dossier check"),
    S.SENT_FOR_EVALUATION: _("Send up for evaluation"),
    S.RETURNED: _("Return for correction"),
}
RESUBMIT_LABEL = _("Resubmit after correction")

# Product groups whose products need a food-safety certificate (food and drinks).
FOOD_SAFETY_GROUPS = {"TP", "DU"}


class TransitionNotAllowed(ValidationError):
    """An illegal or stale move of an application; nothing was changed."""


def _legal_tiers(state, returned_from, to_state):
    if state == S.RETURNED:
        return RESUBMIT_TIERS if returned_from and to_state == returned_from else None
    return TRANSITIONS.get((state, to_state))


def allowed_targets(state, returned_from=""):
    """The states an application in ``state`` may legally move to (ignoring who asks)."""
    if state == S.RETURNED:
        return [S(returned_from)] if returned_from else []
    return [to for (frm, to) in TRANSITIONS if frm == state]


def user_tiers(user, application):
    """The tiers ``user`` acts as for ``application`` (an empty set for everybody else)."""
    commune = application.product.commune
    tiers = set()
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.unit_id:
        return tiers
    if user.role == Role.COMMUNE_OFFICER and user.unit_id == commune.pk:
        tiers.add(Tier.COMMUNE)
    approving_role = _approving_role(application.cycle.rule_set)
    if user.role == approving_role and user_covers_unit(user, commune):
        tiers.add(Tier.APPROVING)
    return tiers


def _approving_role(rule_set):
    return Role.DISTRICT_OFFICER if rule_set == RuleSet.QD148_2023 else Role.PROVINCE_OFFICER


def available_actions(user, application):
    """The target states ``user`` may move ``application`` to now (for the buttons on its page)."""
    tiers = user_tiers(user, application)
    if not tiers:
        return []
    return [
        to
        for to in allowed_targets(application.state, application.returned_from)
        if tiers & (_legal_tiers(application.state, application.returned_from, to) or set())
    ]


def next_actors(application, state):
    """The active users asked to act on ``application`` once it is in ``state``."""
    commune = application.product.commune
    tier = NEXT_ACTOR[state]
    if tier == Tier.COMMUNE:
        return User.objects.filter(role=Role.COMMUNE_OFFICER, unit=commune, is_active=True)
    prefixes = [p for p in _path_prefixes(commune.path)]
    return User.objects.filter(
        role=_approving_role(application.cycle.rule_set), unit__path__in=prefixes, is_active=True
    )


def _path_prefixes(path):
    parts = path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(1, len(parts))]


def required_document_kinds(product):
    """The producer's vault documents a dossier of ``product`` needs (business registration, quality declaration,
    and the food-safety certificate for food and drinks)."""
    from apps.producers.enums import DocumentKind

    kinds = [DocumentKind.BUSINESS_REGISTRATION]
    if product.product_set.group.code in FOOD_SAFETY_GROUPS:
        kinds.append(DocumentKind.FOOD_SAFETY)
    kinds.append(DocumentKind.QUALITY_DECLARATION)
    return kinds


def dossier_problems(application, *, today=None):
    """Reasons (in the active language) why ``application``'s dossier cannot be submitted yet."""
    from apps.producers.enums import DocumentKind
    from apps.producers.selectors import producer_missing_or_expired_documents

    product = application.product
    problems = []
    dossier = Dossier.objects.filter(application=application).first()
    if dossier is None or not dossier.applicant_name:
        problems.append(gettext("The registration form (phiếu đăng ký) has not been filled in."))
    if product.product_set.needs_samples and (dossier is None or not dossier.sample_count):
        problems.append(gettext("The number of samples must be at least 1 for this product set."))
    kinds = required_document_kinds(product)
    for kind in producer_missing_or_expired_documents(product.producer, kinds, today=today):
        problems.append(
            gettext("The producer's %(document)s is missing or expired.") % {"document": DocumentKind(kind).label}
        )
    return problems


def _state_label(state):
    return str(S(state).label) if state in S.values else state


@transaction.atomic
def application_transition(*, application, to_state, by, reason="", expected_state=None):
    """Move ``application`` to ``to_state`` as ``by``. The only function that changes an application's state.

    ``expected_state`` is the state the user saw when they pressed the button: if the application has moved
    on since (a double click, two officers at once), the move is refused and nothing changes.
    """
    locked = (
        Application.objects.select_for_update()
        .select_related("cycle", "product__commune", "product__producer", "product__product_set__group")
        .get(pk=application.pk)
    )
    from_state = locked.state
    reason = (reason or "").strip()
    if expected_state is not None and expected_state != from_state:
        raise TransitionNotAllowed(
            _("This application has already moved on: it is now “%(state)s”. Nothing was changed."),
            code="stale",
            params={"state": _state_label(from_state)},
        )
    if to_state not in S.values:
        raise TransitionNotAllowed(_("Unknown application state."), code="unknown_state")
    tiers = _legal_tiers(from_state, locked.returned_from, to_state)
    if tiers is None:
        raise TransitionNotAllowed(
            _("An application in the state “%(from)s” cannot move to “%(to)s”. Nothing was changed."),
            code="illegal",
            params={"from": _state_label(from_state), "to": _state_label(to_state)},
        )
    if not (tiers & user_tiers(by, locked)):
        raise PermissionDenied(gettext("You are not the officer who may take this step for this application."))
    if to_state == S.RETURNED and not reason:
        raise TransitionNotAllowed(
            {"reason": _("A reason is required to return an application for correction.")}, code="reason_required"
        )
    if to_state == S.DOSSIER_SUBMITTED:
        problems = dossier_problems(locked)
        if problems:
            raise TransitionNotAllowed(
                [gettext("The dossier cannot be submitted yet:"), *problems], code="dossier_incomplete"
            )

    locked.state = to_state
    locked.returned_from = from_state if to_state == S.RETURNED else ""
    locked.save(update_fields=["state", "returned_from", "updated_at"])
    ApplicationTransition.objects.create(
        application=locked, from_state=from_state, to_state=to_state, by=by, reason=reason
    )
    audit_record(
        action="application.transition",
        obj=locked,
        by=by,
        before={"state": from_state},
        after={"state": to_state},
        reason=reason,
    )
    _notify_on_commit(locked, to_state, by=by, reason=reason)
    application.state = locked.state
    application.returned_from = locked.returned_from
    return locked


def _notify_on_commit(application, state, *, by, reason):
    recipients = [u.email for u in next_actors(application, state).exclude(pk=by.pk)]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("[OCOP] %(product)s: %(state)s") % {
            "product": application.product.name,
            "state": _state_label(state),
        }
        lines = [
            gettext("The application “%(product)s” (%(cycle)s) is now: %(state)s.")
            % {"product": application.product.name, "cycle": application.cycle.name, "state": _state_label(state)},
            gettext("Changed by: %(name)s.") % {"name": by.full_name or by.email},
        ]
        if reason:
            lines.append(gettext("Reason: %(reason)s") % {"reason": reason})
        url = reverse("cycles:application_detail", args=[application.pk])
        lines.append(
            gettext("Open the application: %(url)s") % {"url": f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}{url}"}
        )
    body = "\n\n".join(lines)
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=False))


# ---------------------------------------------------------------------------------------------------- cycles


@dataclass(frozen=True)
class StepDates:
    step: int
    starts_on: object
    ends_on: object


def cycle_create(*, unit, year, rule_set, name="", steps, by):
    """Open a yearly cycle for a province (or, under qd148-2023, a district) with the dates of the six steps."""
    errors = {}
    if unit.level == Level.COMMUNE:
        errors["unit"] = _("A cycle is opened by a province or a district, not by a commune.")
    elif unit.level == Level.DISTRICT and rule_set != RuleSet.QD148_2023:
        errors["unit"] = _(
            "Under Decision 1489/QĐ-TTg (2025) districts no longer exist: only a province opens a cycle."
        )
    if rule_set not in (RuleSet.QD148_2023, RuleSet.QD1489_2025):
        errors["rule_set"] = _("New cycles run under Decision 148 (2023) or Decision 1489 (2025).")
    if not (by.is_national or (by.role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER) and by.unit_id == unit.pk)):
        raise PermissionDenied(gettext("Only the officers of this unit may open its cycle."))
    steps = sorted(steps, key=lambda s: s.step)
    if [s.step for s in steps] != list(CycleStep.values):
        errors["steps"] = _("Give the dates of all six steps.")
    else:
        for s in steps:
            if s.starts_on > s.ends_on:
                errors.setdefault("steps", []).append(
                    gettext("Step %(step)s ends before it starts.") % {"step": s.step}
                )
        for prev, cur in zip(steps, steps[1:], strict=False):
            if cur.starts_on < prev.starts_on:
                errors.setdefault("steps", []).append(
                    gettext("Step %(step)s starts before step %(prev)s.") % {"step": cur.step, "prev": prev.step}
                )
    if Cycle.objects.filter(unit=unit, year=year).exists():
        errors["year"] = _("This unit already has a cycle for this year.")
    if errors:
        raise ValidationError(errors)
    cycle = Cycle(
        unit=unit,
        year=year,
        rule_set=rule_set,
        name=name
        or gettext("OCOP cycle %(year)s — %(unit)s")
        % {
            "year": year,
            "unit": unit.name,
        },
    )
    cycle.full_clean()
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as exc:
        raise ValidationError({"year": _("This unit already has a cycle for this year.")}) from exc
    CycleStepPeriod.objects.bulk_create(
        CycleStepPeriod(cycle=cycle, step=s.step, starts_on=s.starts_on, ends_on=s.ends_on) for s in steps
    )
    audit_record(action="cycle.create", obj=cycle, by=by, after={"year": year, "rule_set": rule_set})
    return cycle


def cycles_open_for(commune):
    """Cycles an idea from ``commune`` may join: cycles of the units above it, newest first."""
    return Cycle.objects.filter(unit__path__in=_path_prefixes(commune.path)).select_related("unit")


# ---------------------------------------------------------------------------------------------- applications


def application_create(*, cycle, product, by):
    """Register a product idea in ``cycle`` (state idea_registered). Only the product's commune officer may."""
    if not (by.role == Role.COMMUNE_OFFICER and by.unit_id == product.commune_id):
        raise PermissionDenied(gettext("Only the officer of the product's commune may register its idea."))
    if not cycle.unit.covers(product.commune):
        raise ValidationError({"cycle": _("This cycle does not cover the product's commune.")})
    if Application.objects.filter(cycle=cycle, product=product).exists():
        raise ValidationError({"cycle": _("This product already has an application in this cycle.")})
    application = Application(cycle=cycle, product=product, created_by=by)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError({"cycle": _("This product already has an application in this cycle.")}) from exc
    Dossier.objects.create(application=application)
    audit_record(action="application.create", obj=application, by=by, after={"state": application.state})
    _notify_on_commit(application, application.state, by=by, reason="")
    return application


@transaction.atomic
def idea_register(*, cycle, producer, name, product_set, description="", by):
    """The idea form: create the product, then its application in ``cycle``."""
    if not (by.role == Role.COMMUNE_OFFICER and by.unit_id == producer.commune_id):
        raise PermissionDenied(gettext("Only the officer of the producer's commune may register its idea."))
    product = product_create(
        producer=producer,
        name=name,
        product_set=product_set,
        commune=producer.commune,
        description=description,
        by=by,
    )
    return application_create(cycle=cycle, product=product, by=by)


# --------------------------------------------------------------------------------------------------- dossier

DOSSIER_EDITABLE_STATES = (S.IMPLEMENTING, S.RETURNED, S.IDEA_ACCEPTED, S.IDEA_REGISTERED, S.PLAN_SUBMITTED)


def _require_commune_editor(application, by):
    if Tier.COMMUNE not in user_tiers(by, application):
        raise PermissionDenied(gettext("Only the officer of the product's commune may edit this dossier."))
    if application.state not in DOSSIER_EDITABLE_STATES:
        raise ValidationError(
            _("The dossier can no longer be edited in the state “%(state)s”."),
            code="locked",
            params={"state": _state_label(application.state)},
        )


def self_assessment_totals(scores):
    """Per-part totals of a self-assessment: the part is the criterion code's first letter (A, B, C)."""
    totals = {}
    for code, points in scores.items():
        part = code[:1].upper()
        totals[part] = round(totals.get(part, 0) + points, 2)
    return dict(sorted(totals.items()))


DOSSIER_FIELDS = (
    "applicant_name",
    "applicant_position",
    "phone",
    "email",
    "production_address",
    "annual_capacity",
    "raw_materials",
    "markets",
    "sample_count",
)


@transaction.atomic
def dossier_update(*, application, by, self_assessment=None, **fields):
    """Save the registration form, number of samples and self-assessment ({criterion code: points})."""
    application = (
        Application.objects.select_for_update().select_related("product__commune", "cycle").get(pk=application.pk)
    )
    _require_commune_editor(application, by)
    dossier, _created = Dossier.objects.get_or_create(application=application)
    before = {f: getattr(dossier, f) for f in DOSSIER_FIELDS}
    for name, value in fields.items():
        if name not in DOSSIER_FIELDS:
            raise TypeError(f"unknown dossier field {name}")
        setattr(dossier, name, value)
    if self_assessment is not None:
        dossier.self_assessment = {str(k).upper(): v for k, v in self_assessment.items()}
        dossier.self_assessment_totals = self_assessment_totals(dossier.self_assessment)
    dossier.updated_by = by
    dossier.full_clean()
    dossier.save()
    audit_record(
        action="dossier.update",
        obj=dossier,
        by=by,
        before=before,
        after={f: getattr(dossier, f) for f in DOSSIER_FIELDS},
    )
    return dossier


@transaction.atomic
def evidence_upload(*, application, title, uploaded, by):
    """Attach an evidence file (content-checked PDF/JPEG/PNG within the size limit) in private storage."""
    application = Application.objects.select_related("product__commune", "cycle").get(pk=application.pk)
    _require_commune_editor(application, by)
    content_type = validate_upload(uploaded)
    dossier, _created = Dossier.objects.get_or_create(application=application)
    evidence = EvidenceFile(dossier=dossier, title=title, content_type=content_type, size=uploaded.size, uploaded_by=by)
    evidence.file.save(uploaded.name, uploaded, save=False)
    evidence.save()
    audit_record(action="evidence.upload", obj=evidence, by=by, after={"title": title, "type": content_type})
    return evidence


# ----------------------------------------------------------------------------------------------------- plans


def may_edit_plan(user, unit):
    return getattr(user, "is_authenticated", False) and (
        user.role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER) and user.unit_id == unit.pk
    )


@transaction.atomic
def plan_save(*, unit, year, title="", targets, by):
    """Create or update ``unit``'s plan for ``year``; ``targets`` maps TargetKind → value (None removes it)."""
    if not may_edit_plan(by, unit):
        raise PermissionDenied(gettext("Only the officers of this unit may edit its plan."))
    plan, _created = Plan.objects.select_for_update().get_or_create(unit=unit, year=year)
    before = {t.kind: t.value for t in plan.targets.all()}
    if title:
        plan.title = title
        plan.save(update_fields=["title", "updated_at"])
    for kind, value in targets.items():
        kind = TargetKind(kind)
        if value is None:
            Target.objects.filter(plan=plan, kind=kind).delete()
        else:
            Target.objects.update_or_create(plan=plan, kind=kind, defaults={"value": value})
    after = {t.kind: t.value for t in plan.targets.all()}
    audit_record(action="plan.save", obj=plan, by=by, before=before, after=after)
    return plan
