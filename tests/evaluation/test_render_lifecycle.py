"""The one render lifecycle (apps.core.rendering), on a round's minutes: every state × every move.

A move the table allows takes the row to its target; any other move leaves the row exactly as it was.
"""

import contextlib
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone

from apps.core import rendering
from apps.core.enums import RenderState as R
from apps.evaluation.models import EvaluationRound

FRESH, STALE = "rendering", "rendering (stale)"
STATES = ["", R.PENDING, FRESH, STALE, R.READY, R.FAILED]
# Each move and the target it takes a row to.
MOVES = {"queue": R.PENDING, "claim": R.RENDERING, "store": R.READY, "fail": R.FAILED, "transient": R.PENDING}
MOVES["retry"] = R.PENDING
ALLOWED = {
    ("", "queue"),
    (R.PENDING, "claim"),
    (STALE, "claim"),
    (FRESH, "store"),
    (STALE, "store"),
    (FRESH, "fail"),
    (STALE, "fail"),
    (FRESH, "transient"),
    (STALE, "transient"),
    (R.FAILED, "retry"),
}
CLAIM = uuid.UUID(int=7)


def _put(round, state):
    now = timezone.now()
    started = now - timedelta(days=1) if state == STALE else now
    rendering_now = state in (FRESH, STALE)
    EvaluationRound.objects.filter(pk=round.pk).update(
        minutes_state=R.RENDERING if rendering_now else state,
        minutes_claim=CLAIM if rendering_now else None,
        minutes_started_at=started if rendering_now else None,
        minutes_attempts=1,
        minutes_error="",
        # A ready row has its file (a check constraint says so).
        minutes=f"test/minutes-{round.pk}.pdf" if state == R.READY else "",
        minutes_checksum="0" * 64 if state == R.READY else "",
    )


def _row(round):
    return EvaluationRound.objects.filter(pk=round.pk).values(
        "minutes_state", "minutes_claim", "minutes_attempts", "minutes_error", "minutes", "minutes_checksum"
    )[0]


def _move(round, move):
    """Make ``move``; True when the service reports it did something."""
    if move == "queue":
        row = EvaluationRound.objects.get(pk=round.pk)
        row.save(update_fields=rendering.render_queue(row))
        return True
    if move == "claim":
        claim = rendering.render_claim(EvaluationRound, [round.pk])
        return rendering.render_claimed(EvaluationRound, claim).exists()
    if move == "store":
        return rendering.render_store(EvaluationRound, round, CLAIM, f"test/minutes-{round.pk}.pdf", b"%PDF-1.7")
    if move in ("fail", "transient"):
        before = _row(round)
        rendering.render_fail(EvaluationRound, CLAIM, OperationalError("disk"), transient=move == "transient")
        return _row(round) != before
    rendering.render_retry(obj=EvaluationRound.objects.get(pk=round.pk))
    return True


@pytest.mark.parametrize("move", list(MOVES))
@pytest.mark.parametrize("state", STATES)
def test_render_table_allows_exactly_its_moves(council, state, move):
    round = council.round
    _put(round, state)
    from_state = R.RENDERING if state in (FRESH, STALE) else state
    if (state, move) in ALLOWED:
        assert (from_state, MOVES[move]) in rendering.RENDER_TRANSITIONS
        assert _move(round, move) is True
        assert _row(round)["minutes_state"] == MOVES[move]
        return
    before = _row(round)
    with contextlib.suppress(ValidationError):
        assert _move(round, move) is False
    assert _row(round) == before


def test_render_store_writes_the_file_and_its_checksum(council):
    _put(council.round, FRESH)
    assert rendering.render_store(EvaluationRound, council.round, CLAIM, "test/minutes.pdf", b"%PDF-1.7") is True
    row = _row(council.round)
    assert (row["minutes_claim"], row["minutes_checksum"]) == (None, rendering.sha256(b"%PDF-1.7"))
    assert row["minutes"].startswith("test/minutes")


def test_render_transient_failure_after_the_last_attempt_is_final(council):
    _put(council.round, FRESH)
    EvaluationRound.objects.filter(pk=council.round.pk).update(minutes_attempts=rendering.MAX_RENDER_ATTEMPTS)
    rendering.render_fail(EvaluationRound, CLAIM, OperationalError("disk"), transient=True)
    row = _row(council.round)
    assert (row["minutes_state"], row["minutes_error"]) == (R.FAILED, "OperationalError: disk")
