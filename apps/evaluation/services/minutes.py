"""The council's minutes PDF: queued when a round closes, rendered by a Celery worker after commit.

The round's row is the truth about its minutes (``minutes_state``: the one render lifecycle of
``apps.core.rendering``, pending → rendering → ready | failed): a worker claims the row with a conditional
UPDATE, so a second delivery of the task, or a second worker, finds nothing to do; a transient error puts the
row back to pending and the task retries.
"""

import logging

from django.db import transaction

from apps.core.outbox import enqueue
from apps.core.rendering import (
    TRANSIENT_ERRORS,
    render_claim,
    render_claimed,
    render_fail,
    render_queue,
    render_store,
    render_stuck,
)

from ..minutes import minutes_render
from ..models import EvaluationRound

logger = logging.getLogger(__name__)


def minutes_enqueue_rendering(*, round_id: int) -> None:
    """Queue the task that renders this round's minutes (through the outbox: sent once the transaction commits)."""
    enqueue("evaluation.render_minutes", round_id=round_id)


def minutes_render_queue(*, round: EvaluationRound) -> list[str]:
    """Mark a closing round's minutes pending and queue their rendering; the fields the caller must save."""
    update_fields = render_queue(round)
    minutes_enqueue_rendering(round_id=round.pk)
    return update_fields


def minutes_file_name(round: EvaluationRound) -> str:
    return f"evaluation/minutes/{round.closed_at.year}/bien-ban-{round.pk}.pdf"  # type: ignore[union-attr]  # closed


def minutes_render_stored(*, round_id: int) -> bool:
    """Render and store the minutes of ``round_id`` if they are pending. True when this run stored them.

    Runs in autocommit (a Celery task): the claim commits before the slow rendering. A transient error puts the
    row back to pending and is raised again for the task to retry; any other error marks the minutes failed.
    """

    claim = render_claim(EvaluationRound, [round_id])
    round = render_claimed(EvaluationRound, claim).select_related("cycle", "unit", "closed_by").first()
    if round is None:
        return False
    try:
        pdf = minutes_render(round=round)
        return render_store(EvaluationRound, round, claim, minutes_file_name(round), pdf)
    except TRANSIENT_ERRORS as exc:
        render_fail(EvaluationRound, claim, exc, transient=True)
        raise
    except Exception as exc:
        logger.exception("Rendering the minutes of round %s failed", round_id)
        render_fail(EvaluationRound, claim, exc, transient=False)
        return False


def minutes_requeue_stuck() -> int:
    """Queue again the minutes whose message was lost (broker down at commit, worker killed). Returns how many."""
    ids = list(render_stuck(EvaluationRound).values_list("pk", flat=True))
    with transaction.atomic():
        for round_id in ids:
            minutes_enqueue_rendering(round_id=round_id)
    return len(ids)
