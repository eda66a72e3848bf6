"""The council's minutes PDF: queued when a round closes, rendered by a Celery worker after commit.

The round's row is the truth about its minutes (``minutes_state``: pending → rendering → ready | failed), as
for certificates: a worker claims the row with a conditional UPDATE, so a second delivery of the task, or a
second worker, finds nothing to do; a transient error puts the row back to pending and the task retries.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.certificates.rendering import sha256
from apps.certificates.services import MAX_RENDER_ATTEMPTS, TRANSIENT_ERRORS
from apps.core.enums import RenderState
from apps.core.outbox import enqueue
from apps.core.storage import private_storage

from ..minutes import minutes_render
from ..models import EvaluationRound

logger = logging.getLogger(__name__)


def minutes_enqueue_rendering(*, round_id):
    """Queue the task that renders this round's minutes (through the outbox: sent once the transaction commits)."""
    enqueue("evaluation.render_minutes", round_id=round_id)


def minutes_file_name(round):
    return f"evaluation/minutes/{round.closed_at.year}/bien-ban-{round.pk}.pdf"


def _claim(round_id):
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.OCOP_RENDER_STALE_SECONDS)
    claim = uuid.uuid4()
    EvaluationRound.objects.filter(pk=round_id).filter(
        Q(minutes_state=RenderState.PENDING)
        | Q(minutes_state=RenderState.RENDERING, minutes_started_at__lt=stale_before)
    ).update(
        minutes_state=RenderState.RENDERING,
        minutes_claim=claim,
        minutes_started_at=now,
        minutes_attempts=F("minutes_attempts") + 1,
        minutes_error="",
    )
    return claim


def _fail(claim, exc, *, transient):
    text = f"{type(exc).__name__}: {exc}"[:2000]
    claimed = EvaluationRound.objects.filter(minutes_claim=claim, minutes_state=RenderState.RENDERING)
    if transient:
        claimed.filter(minutes_attempts__lt=MAX_RENDER_ATTEMPTS).update(
            minutes_state=RenderState.PENDING, minutes_error=text, minutes_claim=None
        )
    claimed.update(minutes_state=RenderState.FAILED, minutes_error=text, minutes_claim=None)


def minutes_render_stored(*, round_id):
    """Render and store the minutes of ``round_id`` if they are pending. True when this run stored them.

    Runs in autocommit (a Celery task): the claim commits before the slow rendering. A transient error puts the
    row back to pending and is raised again for the task to retry; any other error marks the minutes failed.
    """

    claim = _claim(round_id)
    round = EvaluationRound.objects.filter(minutes_claim=claim).select_related("cycle", "unit", "closed_by").first()
    if round is None:
        return False
    try:
        pdf = minutes_render(round=round)
        name = minutes_file_name(round)
        if private_storage.exists(name):
            private_storage.delete(name)
        stored = private_storage.save(name, ContentFile(pdf))
        updated = EvaluationRound.objects.filter(
            pk=round.pk, minutes_claim=claim, minutes_state=RenderState.RENDERING
        ).update(
            minutes_state=RenderState.READY,
            minutes=stored,
            minutes_checksum=sha256(pdf),
            minutes_rendered_at=timezone.now(),
            minutes_error="",
            minutes_claim=None,
        )
    except TRANSIENT_ERRORS as exc:
        _fail(claim, exc, transient=True)
        raise
    except Exception as exc:
        logger.exception("Rendering the minutes of round %s failed", round_id)
        _fail(claim, exc, transient=False)
        return False
    return updated == 1


def minutes_requeue_stuck():
    """Queue again the minutes whose message was lost (broker down at commit, worker killed). Returns how many."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.OCOP_RENDER_STALE_SECONDS)
    lost_before = now - timedelta(seconds=settings.OCOP_RENDER_LOST_AFTER_SECONDS)
    ids = list(
        EvaluationRound.objects.filter(
            Q(minutes_state=RenderState.PENDING, closed_at__lt=lost_before)
            | Q(minutes_state=RenderState.RENDERING, minutes_started_at__lt=stale_before)
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for round_id in ids:
            minutes_enqueue_rendering(round_id=round_id)
    return len(ids)
