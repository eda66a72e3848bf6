"""Did the demo go through the state machines? Every state a seeded row reached must have the trail its one
transition function leaves (history rows and audit rows, each move with its audited moment); a state written
directly leaves none, and a history row or timestamp edited afterwards no longer matches its audit row.

``untraced()`` lists the rows whose state has no such trail (an empty list: everything went through the services).
Used after seeding by ``tests/core/test_demo_sqlite.py`` (the whole demo, through ``scripts/demo_trail.py``) and by
the per-app demo tests. A fixed number of queries whatever the size of the demo.
"""

import datetime
from collections import Counter, defaultdict

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application, ApplicationTransition
from apps.evaluation.enums import RoundState, SheetState
from apps.evaluation.models import EvaluationRound, RecognitionDecision, RecognitionItem, ScoreSheet
from apps.reports.enums import ReportState
from apps.reports.models import Report, ReportTransition
from apps.traceability.enums import BatchState
from apps.traceability.models import StampBatch


def _audited(action_prefix, model):
    """{object pk: number of audit rows whose action starts with ``action_prefix``} for ``model``'s rows."""
    return Counter({pk: len(rows) for pk, rows in _audit_rows(action_prefix, model).items()})


def _audit_rows(action_prefix, model, actions=None):
    """{object pk: [(after, at), ...] in the order they were written} of ``model``'s audit rows whose action starts
    with ``action_prefix`` (and is one of ``actions`` when given)."""
    rows = defaultdict(list)
    audited = AuditEvent.objects.filter(object_type=model._meta.label_lower, action__startswith=action_prefix)
    if actions is not None:
        audited = audited.filter(action__in=actions)
    for pk, after, at in audited.order_by("pk").values_list("object_id", "after", "at"):
        rows[int(pk)].append((after or {}, at))
    return rows


def _moves(transition_model, fk):
    """{row pk: [(to_state, at), ...] in the order they were written} from a history table."""
    moves = defaultdict(list)
    for owner, to_state, at in transition_model.objects.order_by("pk").values_list(fk, "to_state", "at"):
        moves[owner].append((to_state, at))
    return moves


def _same_moment(audit, at):
    """Did the audit row ``audit`` ((after, at)) record the moment ``at``? A replayed moment is in its ``after``
    (the service was given ``at``); otherwise the row was written with the change, within the same minute."""
    after, audited_at = audit
    if "at" in after:
        return datetime.datetime.fromisoformat(after["at"]) == at
    return abs(audited_at - at) < datetime.timedelta(minutes=1)


def _trail_problems(label, state, initial, moves, audits):
    """Why the row's state and history were not written by its transition function ([] when they were): one audit
    row per history row, with the same target state and moment, the last one the row's state."""
    reached = moves[-1][0] if moves else initial
    if reached != state or len(audits) != len(moves):
        return [f"{label} is {state}: {len(moves)} history rows ending in {reached}, {len(audits)} audited moves"]
    return [
        f"{label}: the move to {to_state} at {at:%Y-%m-%d %H:%M} is not the audited one ({audit[0]})"
        for (to_state, at), audit in zip(moves, audits, strict=True)
        if audit[0].get("state") != to_state or not _same_moment(audit, at)
    ]


def untraced():
    return [*_applications(), *_reports(), *_certificates(), *_decisions(), *_councils(), *_stamp_batches()]


def _applications():
    problems = []
    created = _audit_rows("application.create", Application)
    moved = _audit_rows("application.transition", Application)
    moves = _moves(ApplicationTransition, "application_id")
    for pk, state, created_at in Application.objects.values_list("pk", "state", "created_at"):
        if len(created[pk]) != 1 or not _same_moment(created[pk][0], created_at):
            problems.append(f"application {pk} was not registered by application_create ({created[pk]})")
        label = f"application {pk}"
        problems += _trail_problems(label, state, ApplicationState.IDEA_REGISTERED, moves[pk], moved[pk])
    return problems


def _reports():
    problems = []
    audits = _audit_rows(
        "report.", Report, actions=[f"report.{s}" for s in ReportState.values if s != ReportState.DRAFT]
    )
    moves = _moves(ReportTransition, "report_id")
    for pk, state, submitted_at in Report.objects.values_list("pk", "state", "submitted_at"):
        report_moves = moves[pk]
        problems += _trail_problems(f"report {pk}", state, ReportState.DRAFT, report_moves, audits[pk])
        sent = [at for to_state, at in report_moves if to_state == ReportState.SUBMITTED]
        if submitted_at != (sent[-1] if sent else None):
            problems.append(f"report {pk} was submitted at {submitted_at}, its history says {sent}")
    return problems


def _certificates():
    revoked = _audit_rows("certificate.revoke", Certificate)
    return [
        f"certificate {pk} is revoked at {revoked_at} without that audited revocation"
        for pk, revoked_at in Certificate.objects.filter(revoked_at__isnull=False).values_list("pk", "revoked_at")
        if [datetime.datetime.fromisoformat(after["revoked_at"]) for after, _at in revoked[pk]] != [revoked_at]
    ]


def _decisions():
    """A decision of a round was recorded by ``decision_record``, one without a round loaded by ``decision_import``
    (issued before the portal); only a recorded one lists applications, each recognised by it."""
    recorded = _audited("evaluation.decision_recorded", RecognitionDecision)
    imported = _audited("evaluation.decision_imported", RecognitionDecision)
    problems = [
        f"recognition decision {pk} was not recorded or loaded through its service"
        for pk, round_id in RecognitionDecision.objects.values_list("pk", "round_id")
        if (recorded[pk], imported[pk]) != ((1, 0) if round_id else (0, 1))
    ]
    items = RecognitionItem.objects.values_list("pk", "decision__round_id", "application__state")
    problems += [
        f"recognition item {pk} ({'round' if round_id else 'loaded'}) lists an application in state {state}"
        for pk, round_id, state in items
        if (state == ApplicationState.RECOGNISED) != bool(round_id)
    ]
    return problems


def _councils():
    problems = []
    closed = _audited("evaluation.round_closed", EvaluationRound)
    for pk in EvaluationRound.objects.filter(state=RoundState.CLOSED).values_list("pk", flat=True):
        if not closed[pk]:
            problems.append(f"round {pk} is closed without an audited close")
    submitted = _audited("evaluation.sheet_submitted", ScoreSheet)
    for pk, state in ScoreSheet.objects.exclude(state=SheetState.DRAFT).values_list("pk", "state"):
        if not submitted[pk]:
            problems.append(f"score sheet {pk} is {state} without an audited submission")
    # A locked sheet belongs to a closed round (closing locks them); a round is never closed with a sheet submitted.
    for pk in (
        ScoreSheet.objects.filter(state=SheetState.LOCKED)
        .exclude(round__state=RoundState.CLOSED)
        .values_list("pk", flat=True)
    ):
        problems.append(f"score sheet {pk} is locked in an open round")
    for pk in ScoreSheet.objects.filter(state=SheetState.SUBMITTED, round__state=RoundState.CLOSED).values_list(
        "pk", flat=True
    ):
        problems.append(f"score sheet {pk} of a closed round is not locked")
    return problems


def _stamp_batches():
    problems = []
    requested = _audited("traceability.batch_request", StampBatch)
    approved = _audited(f"traceability.batch_{BatchState.APPROVED}", StampBatch)
    for pk, state in StampBatch.objects.values_list("pk", "state"):
        if not requested[pk] or (state != BatchState.REQUESTED and not approved[pk]):
            problems.append(f"stamp batch {pk} is {state} without its audited request and approval")
    return problems
