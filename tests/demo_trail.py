"""Did the demo go through the state machines? Every state a seeded row reached must have the trail its one
transition function leaves (history rows and audit rows); a state written directly leaves none.

``untraced()`` lists the rows whose state has no such trail (an empty list: everything went through the services).
Used after seeding by ``tests/core/test_demo_sqlite.py`` (the whole demo, through ``scripts/demo_trail.py``) and by
the per-app demo tests. A fixed number of queries whatever the size of the demo.
"""

from collections import Counter, defaultdict

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application, ApplicationTransition
from apps.evaluation.enums import RoundState, SheetState
from apps.evaluation.models import EvaluationRound, ScoreSheet
from apps.reports.enums import ReportState
from apps.reports.models import Report, ReportTransition
from apps.traceability.enums import BatchState
from apps.traceability.models import StampBatch


def _audited(action_prefix, model):
    """{object pk: number of audit rows whose action starts with ``action_prefix``} for ``model``'s rows."""
    rows = AuditEvent.objects.filter(object_type=model._meta.label_lower, action__startswith=action_prefix)
    return Counter(int(pk) for pk in rows.values_list("object_id", flat=True))


def _chains(transition_model, fk):
    """{row pk: [to_state, ...] in order} from a history table."""
    chains = defaultdict(list)
    for owner, to_state in transition_model.objects.order_by("at", "pk").values_list(fk, "to_state"):
        chains[owner].append(to_state)
    return chains


def untraced():
    return [*_applications(), *_reports(), *_certificates(), *_councils(), *_stamp_batches()]


def _applications():
    problems = []
    created = _audited("application.create", Application)
    moved = _audited("application.transition", Application)
    chains = _chains(ApplicationTransition, "application_id")
    for pk, state in Application.objects.values_list("pk", "state"):
        chain = chains.get(pk, [])
        reached = chain[-1] if chain else ApplicationState.IDEA_REGISTERED
        if not created[pk] or moved[pk] != len(chain) or reached != state:
            problems.append(
                f"application {pk} is {state}: created audited {created[pk]}×, {len(chain)} history rows "
                f"ending in {reached}, {moved[pk]} audited moves"
            )
    return problems


def _reports():
    problems = []
    reports_moved = Counter()
    for state in ReportState.values:
        if state != ReportState.DRAFT:
            reports_moved.update(_audited(f"report.{state}", Report))
    chains = _chains(ReportTransition, "report_id")
    for pk, state in Report.objects.values_list("pk", "state"):
        chain = chains.get(pk, [])
        reached = chain[-1] if chain else ReportState.DRAFT
        if reports_moved[pk] != len(chain) or reached != state:
            problems.append(f"report {pk} is {state}: {len(chain)} history rows, {reports_moved[pk]} audited moves")
    return problems


def _certificates():
    revoked = _audited("certificate.revoke", Certificate)
    return [
        f"certificate {pk} is revoked without an audited revocation"
        for pk in Certificate.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)
        if not revoked[pk]
    ]


def _councils():
    problems = []
    closed = _audited("evaluation.round_closed", EvaluationRound)
    for pk in EvaluationRound.objects.filter(state=RoundState.CLOSED).values_list("pk", flat=True):
        if not closed[pk]:
            problems.append(f"round {pk} is closed without an audited close")
    submitted = _audited("evaluation.sheet_submitted", ScoreSheet)
    for pk in ScoreSheet.objects.filter(state=SheetState.SUBMITTED).values_list("pk", flat=True):
        if not submitted[pk]:
            problems.append(f"score sheet {pk} is submitted without an audited submission")
    return problems


def _stamp_batches():
    problems = []
    requested = _audited("traceability.batch_request", StampBatch)
    approved = _audited(f"traceability.batch_{BatchState.APPROVED}", StampBatch)
    for pk, state in StampBatch.objects.values_list("pk", "state"):
        if not requested[pk] or (state != BatchState.REQUESTED and not approved[pk]):
            problems.append(f"stamp batch {pk} is {state} without its audited request and approval")
    return problems
