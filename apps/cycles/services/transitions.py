"""The one function that changes an application's state, along the table of :mod:`apps.cycles.workflow`.

"council" moves are never offered as buttons: :func:`application_transition` makes them only when it is given
the round whose result (a closed pre-check or a recorded decision) decides them. Returning or withdrawing an
application removes it from the open rounds it was entered in (audited).
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.enums import RECOGNISED_STARS, MailKind
from apps.core.mail import mail_queue
from apps.core.moments import moment

from ..enums import ApplicationState, Tier
from ..models import Application, ApplicationTransition
from ..rules import user_tiers
from ..selectors import next_actors
from ..signals import application_left_rounds
from ..workflow import legal_tiers
from .checks import dossier_problems
from .windows import STEP_OF_MOVE, step_window_problem

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.evaluation.models import EvaluationRound

S = ApplicationState

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


def _state_label(state: str) -> str:
    return str(S(state).label) if state in S.values else state


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_state: str,
    by: "User",
    reason: str = "",
    expected_state: str | None = None,
    council_round: "EvaluationRound | None" = None,
    stars: int | None = None,
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Application:
    """Move ``application`` to ``to_state`` as ``by``. The only function that changes an application's state.

    ``expected_state`` is the state the user saw when they pressed the button: if the application has moved
    on since (a double click, two officers at once), the move is refused and nothing changes.
    ``council_round`` is given only by the councils' services (closing a pre-check, recording a decision): the
    round in which ``application`` was rated; it makes the "council" moves, ``stars`` with ``recognised``.
    ``at`` is when the move was made: now, or a past moment when the demo replays a finished cycle (never in the
    future nor before the application's last move; the step windows and the producer's documents are checked on
    its day, every rule still applies, and the audit row records it); ``notify=False`` sends nobody the "your
    turn" mail (a replayed move asks no one to act).
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
    tiers = legal_tiers(from_state, locked.returned_from, to_state)
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
    if to_state == S.RECOGNISED and stars not in RECOGNISED_STARS:
        raise TransitionNotAllowed(_("A recognition records 3, 4 or 5 stars."), code="stars_required")
    when = _moment_of_move(locked, at)
    step = STEP_OF_MOVE.get((from_state, to_state))
    if step is not None:
        problem = step_window_problem(cycle=locked.cycle, step=step, application=locked, today=timezone.localdate(when))
        if problem:
            raise TransitionNotAllowed(problem, code="step_closed")
    # A resubmitted dossier is checked again: a document may have expired while it was being corrected.
    if to_state == S.DOSSIER_SUBMITTED or (
        from_state == S.RETURNED and to_state in (S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION)
    ):
        problems = dossier_problems(locked, today=timezone.localdate(when))
        if problems:
            raise TransitionNotAllowed(
                [gettext("The dossier cannot be submitted yet:"), *problems], code="dossier_incomplete"
            )

    locked.state = to_state
    locked.returned_from = from_state if to_state == S.RETURNED else ""
    locked.stars = stars if to_state == S.RECOGNISED else None
    locked.save(update_fields=["state", "returned_from", "stars", "updated_at"])
    ApplicationTransition.objects.create(
        application=locked, from_state=from_state, to_state=to_state, by=by, reason=reason, at=when
    )
    audit_record(
        action="application.transition",
        obj=locked,
        by=by,
        before={"state": from_state},
        after=_audited_after(to_state, stars, when if at is not None else None),
        reason=reason,
    )
    if to_state in (S.RETURNED, S.WITHDRAWN):
        # The councils' app (above this one) takes it out of its open rounds, in this transaction.
        application_left_rounds.send(sender=Application, application=locked, by=by, reason=reason)
    if notify:
        _notify_on_commit(locked, to_state, by=by, reason=reason)
    application.state = locked.state
    application.returned_from = locked.returned_from
    application.stars = locked.stars
    return locked


def _audited_after(to_state: str, stars: int | None, replayed_at: datetime.datetime | None) -> dict[str, Any]:
    """The audit row's ``after``: the new state, the stars of a recognition, the moment of a replayed move."""
    after: dict[str, Any] = {"state": to_state}
    if to_state == S.RECOGNISED:
        after["stars"] = stars
    if replayed_at is not None:
        after["at"] = replayed_at.isoformat()
    return after


def _moment_of_move(application: Application, at: datetime.datetime | None) -> datetime.datetime:
    """Now, or the replayed moment ``at``, which may not come before the application's last move."""
    if at is None:
        return timezone.now()
    last_move = application.transitions.order_by("-at", "-pk").values_list("at", flat=True).first()
    return moment(at, after=last_move or application.created_at)


def _notify_on_commit(application: Application, state: str, *, by: "User", reason: str) -> None:
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
