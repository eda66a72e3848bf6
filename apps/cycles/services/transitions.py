"""The application state machine: one table and the one function that changes an application's state.

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
sent_for_evaluation    returned               approving   the receiving tier returns it, reason required
returned               <returned_from>        commune     resubmission; a dossier is checked again
(any state before an outcome)  withdrawn      commune     the producer withdraws, reason required
sent_for_evaluation    forwarded_province     council     pre-check passed (1489) / district forwards (148)
sent_for_evaluation    not_proposed           council     the commune pre-check did not pass (1489)
sent_for_evaluation    recognised             council     the district's decision (148), with the stars
sent_for_evaluation    not_recognised         council
forwarded_province     recognised             council     the province's decision
forwarded_province     not_recognised         council
forwarded_province     forwarded_central      council     ≥ 90 at the province: a 5★ candidate
forwarded_central      recognised             council     the central council's decision
forwarded_central      not_recognised         council
=====================  =====================  ==========  ===========================================

"council" moves are never offered as buttons: :func:`application_transition` makes them only when it is given
the round whose result (a closed pre-check or a recorded decision) decides them. Returning or withdrawing an
application removes it from the open rounds it was entered in (audited).

"commune" is a commune officer whose unit is the product's commune. "approving" is, under ``qd148-2023``,
a district officer whose district contains the commune and, under ``qd1489-2025`` (no districts), a
province officer whose province contains it. Nobody else (not even national roles) moves an application:
the programme's decisions give these steps to these tiers.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.enums import MailKind, RuleSet
from apps.core.mail import mail_queue
from apps.core.policy import user_covers_unit

from ..enums import ApplicationState, Tier
from ..models import Application, ApplicationTransition
from .checks import dossier_problems
from .windows import STEP_OF_MOVE, step_window_problem

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
    (S.SENT_FOR_EVALUATION, S.RETURNED): {Tier.APPROVING},
    (S.SENT_FOR_EVALUATION, S.FORWARDED_PROVINCE): {Tier.COUNCIL},
    (S.SENT_FOR_EVALUATION, S.NOT_PROPOSED): {Tier.COUNCIL},
    (S.SENT_FOR_EVALUATION, S.RECOGNISED): {Tier.COUNCIL},
    (S.SENT_FOR_EVALUATION, S.NOT_RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_PROVINCE, S.RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_PROVINCE, S.NOT_RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_PROVINCE, S.FORWARDED_CENTRAL): {Tier.COUNCIL},
    (S.FORWARDED_CENTRAL, S.RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_CENTRAL, S.NOT_RECOGNISED): {Tier.COUNCIL},
}
# The producer may withdraw (through the commune) at any point before an outcome.
WITHDRAWABLE_STATES = (
    S.IDEA_REGISTERED,
    S.IDEA_ACCEPTED,
    S.PLAN_SUBMITTED,
    S.IMPLEMENTING,
    S.DOSSIER_SUBMITTED,
    S.DOSSIER_CHECKED,
    S.SENT_FOR_EVALUATION,
    S.RETURNED,
    S.FORWARDED_PROVINCE,
    S.FORWARDED_CENTRAL,
)
TRANSITIONS.update({(state, S.WITHDRAWN): {Tier.COMMUNE} for state in WITHDRAWABLE_STATES})
# Moves that need a written reason.
REASON_REQUIRED = (S.RETURNED, S.WITHDRAWN)
# The check states an application may be returned from; resubmission goes back to the same state.
CHECK_STATES = (S.IDEA_REGISTERED, S.PLAN_SUBMITTED, S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION)
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
    # The outcomes go to the commune, which tells the producer.
    S.WITHDRAWN: Tier.COMMUNE,
    S.FORWARDED_PROVINCE: Tier.COMMUNE,
    S.FORWARDED_CENTRAL: Tier.COMMUNE,
    S.NOT_PROPOSED: Tier.COMMUNE,
    S.RECOGNISED: Tier.COMMUNE,
    S.NOT_RECOGNISED: Tier.COMMUNE,
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
    S.WITHDRAWN: _("Withdraw the application"),
}
RESUBMIT_LABEL = _("Resubmit after correction")


class TransitionNotAllowed(ValidationError):
    """An illegal or stale move of an application; nothing was changed."""


def _legal_tiers(state, returned_from, to_state):
    if state == S.RETURNED and returned_from and to_state == returned_from:
        return RESUBMIT_TIERS
    return TRANSITIONS.get((state, to_state))


def allowed_targets(state, returned_from=""):
    """The states an application in ``state`` may legally move to (ignoring who asks)."""
    targets = [to for (frm, to) in TRANSITIONS if frm == state]
    if state == S.RETURNED and returned_from:
        targets.insert(0, S(returned_from))
    return targets


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


def _state_label(state):
    return str(S(state).label) if state in S.values else state


@transaction.atomic
def application_transition(
    *, application, to_state, by, reason="", expected_state=None, council_round=None, stars=None
):
    """Move ``application`` to ``to_state`` as ``by``. The only function that changes an application's state.

    ``expected_state`` is the state the user saw when they pressed the button: if the application has moved
    on since (a double click, two officers at once), the move is refused and nothing changes.
    ``council_round`` is given only by the councils' services (closing a pre-check, recording a decision): the
    round in which ``application`` was rated; it makes the "council" moves, ``stars`` with ``recognised``.
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
    acting = user_tiers(by, locked)
    if council_round is not None:
        if council_round.cycle_id != locked.cycle_id or not council_round.entries.filter(application=locked).exists():
            raise PermissionDenied(gettext("This round did not rate this application."))
        acting = {Tier.COUNCIL}
    if not (tiers & acting):
        raise PermissionDenied(gettext("You are not the officer who may take this step for this application."))
    if to_state == S.RETURNED and not reason:
        raise TransitionNotAllowed(
            {"reason": _("A reason is required to return an application for correction.")}, code="reason_required"
        )
    if to_state == S.WITHDRAWN and not reason:
        raise TransitionNotAllowed(
            {"reason": _("A reason is required to withdraw an application.")}, code="reason_required"
        )
    if to_state == S.RECOGNISED and stars not in (3, 4, 5):
        raise TransitionNotAllowed(_("A recognition records 3, 4 or 5 stars."), code="stars_required")
    step = STEP_OF_MOVE.get((from_state, to_state))
    if step is not None:
        problem = step_window_problem(cycle=locked.cycle, step=step, application=locked)
        if problem:
            raise TransitionNotAllowed(problem, code="step_closed")
    # A resubmitted dossier is checked again: a document may have expired while it was being corrected.
    if to_state == S.DOSSIER_SUBMITTED or (
        from_state == S.RETURNED and to_state in (S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION)
    ):
        problems = dossier_problems(locked)
        if problems:
            raise TransitionNotAllowed(
                [gettext("The dossier cannot be submitted yet:"), *problems], code="dossier_incomplete"
            )

    locked.state = to_state
    locked.returned_from = from_state if to_state == S.RETURNED else ""
    locked.stars = stars if to_state == S.RECOGNISED else None
    locked.save(update_fields=["state", "returned_from", "stars", "updated_at"])
    ApplicationTransition.objects.create(
        application=locked, from_state=from_state, to_state=to_state, by=by, reason=reason
    )
    after = {"state": to_state}
    if to_state == S.RECOGNISED:
        after["stars"] = stars
    audit_record(
        action="application.transition",
        obj=locked,
        by=by,
        before={"state": from_state},
        after=after,
        reason=reason,
    )
    if to_state in (S.RETURNED, S.WITHDRAWN):
        # Imported here: the councils' app builds on this one.
        from apps.evaluation.services.entries import entries_remove_for_application  # noqa: PLC0415 — debt: breaks the cycle evaluation.services → cycles.services (README, Architecture)

        entries_remove_for_application(application=locked, by=by, reason=reason)
    _notify_on_commit(locked, to_state, by=by, reason=reason)
    application.state = locked.state
    application.returned_from = locked.returned_from
    application.stars = locked.stars
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
    mail_queue(kind=MailKind.NOTIFICATION, subject=subject, body="\n\n".join(lines), to=recipients)
