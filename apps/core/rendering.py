"""One render lifecycle for every generated document: the table, the claim, the store, the failure, the sweep.

A document's row is the truth about its file. Its render state moves only along ``RENDER_TRANSITIONS``:

==========  ==========  ==================================================================================
from        to          when
==========  ==========  ==================================================================================
(blank)     pending     the document is first queued (a round's minutes, when the round closes)
pending     rendering   a worker claims the row (a conditional UPDATE stamping a claim id)
rendering   rendering   a worker claims a stale row: the worker that held it died
rendering   ready       the claim's owner stored the file and its checksum
rendering   failed      a permanent error, or too many transient ones
rendering   pending     a transient error: the task retries
failed      pending     staff send a failed document back to the workers (audited)
ready       pending     a draft report's figures are generated again (:func:`render_regenerate`)
==========  ==========  ==================================================================================

Models mix in :class:`RenderLifecycle` and name their fields in ``render_fields`` (the certificates' names are
the default; a round's minutes carry a ``minutes_`` prefix), so the fields, and the migrations, stay as they were.
Every function here writes through a conditional ``update()`` filtered on the states the table allows, so a
second delivery of a task, or a second worker, finds nothing to do.
"""

import dataclasses
import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.enums import RenderState

from .storage import get_private_storage, private_storage

R = RenderState
BLANK = ""

RENDER_TRANSITIONS = {
    (BLANK, R.PENDING): "queue",
    (R.PENDING, R.RENDERING): "claim",
    (R.RENDERING, R.RENDERING): "claim a stale row",
    (R.RENDERING, R.READY): "store",
    (R.RENDERING, R.FAILED): "fail",
    (R.RENDERING, R.PENDING): "transient error",
    (R.FAILED, R.PENDING): "retry",
    (R.READY, R.PENDING): "regenerate",
}
# A row failing this many times on transient errors is marked failed (and shown to staff).
MAX_RENDER_ATTEMPTS = 5
# Failures worth retrying: the database or the disk was briefly unavailable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def sources_of(to_state):
    """The states the table lets a document leave for ``to_state``."""
    return [frm for (frm, to) in RENDER_TRANSITIONS if to == to_state]


def render_move_allowed(from_state, to_state):
    return (from_state, to_state) in RENDER_TRANSITIONS


def sha256(data):
    return hashlib.sha256(data).hexdigest()


@dataclasses.dataclass(frozen=True)
class RenderFields:
    """The names of a model's render-lifecycle fields."""

    state: str = "render_state"
    claim: str = "render_claim"
    started_at: str = "render_started_at"
    # None for a model that counts no attempts (a report: it is never retried on its own).
    attempts: str | None = "render_attempts"
    error: str = "render_error"
    file: str = "file"
    # None for a model that stores its files itself (a report: a PDF and an XLSX).
    checksum: str | None = "checksum"
    rendered_at: str = "rendered_at"
    # When the row was queued: a pending row older than OCOP_RENDER_LOST_AFTER_SECONDS lost its message.
    queued_at: str = "created_at"


class RenderLifecycle:
    """Mixed into a model whose rows are rendered to a file by a worker (see the module's table)."""

    render_fields = RenderFields()
    # How long a row may stay "rendering" before its worker is presumed dead (None: OCOP_RENDER_STALE_SECONDS).
    render_stale_seconds = None


class RenderedDocument(RenderLifecycle, models.Model):
    """A document that is nothing but its rendered file (certificates, decision documents): the default fields."""

    render_state = models.CharField(
        _("generation state"), max_length=12, choices=RenderState.choices, default=RenderState.PENDING
    )
    file = models.FileField(_("file"), upload_to="certificates/", storage=get_private_storage, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    render_error = models.TextField(_("generation error"), blank=True)
    render_attempts = models.PositiveSmallIntegerField(_("generation attempts"), default=0)
    # Which claim (one task run) owns the row while it is being rendered.
    render_claim = models.UUIDField(null=True, blank=True, editable=False)
    render_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    rendered_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        abstract = True


def _fields(model):
    return model.render_fields


def _stale_before(model, now):
    seconds = model.render_stale_seconds or settings.OCOP_RENDER_STALE_SECONDS
    return now - timedelta(seconds=seconds)


def render_claim(model, ids, *, among=None):
    """Take the rows of ``ids`` that are pending (or stale: their worker died) in one conditional UPDATE.

    ``among`` (a ``Q``) narrows the rows a claim may take further (a report: only while it is editable).

    Returns the claim id; the rows taken are those carrying it. Under PostgreSQL's READ COMMITTED a
    concurrent claimant re-checks the condition after ours commits, so no row is ever taken twice.
    """
    f = _fields(model)
    now = timezone.now()
    claim = uuid.uuid4()
    claimable = Q(**{f"{f.state}__in": [s for s in sources_of(R.RENDERING) if s != R.RENDERING]}) | Q(
        **{f.state: R.RENDERING, f"{f.started_at}__lt": _stale_before(model, now)}
    )
    changes = {f.state: R.RENDERING, f.claim: claim, f.started_at: now, f.error: ""}
    if f.attempts:
        changes[f.attempts] = F(f.attempts) + 1
    model.objects.filter(pk__in=ids).filter(claimable, among or Q()).update(**changes)
    return claim


def render_claimed(model, claim):
    """The rows ``claim`` holds (still rendering)."""
    f = _fields(model)
    return model.objects.filter(**{f.claim: claim, f.state: R.RENDERING})


def render_store(model, row, claim, name, pdf):
    """Write the file, then mark the row ready if this claim still owns it. True when stored."""
    f = _fields(model)
    if private_storage.exists(name):
        private_storage.delete(name)
    stored = private_storage.save(name, ContentFile(pdf))
    updated = (
        render_claimed(model, claim)
        .filter(pk=row.pk)
        .update(
            **{
                f.state: R.READY,
                f.file: stored,
                f.checksum: sha256(pdf),
                f.rendered_at: timezone.now(),
                f.error: "",
                f.claim: None,
            }
        )
    )
    return updated == 1


def render_fail(model, claim, exc, *, transient):
    """Release the claimed rows after an error: back to pending to retry, or failed for good."""
    f = _fields(model)
    text = f"{type(exc).__name__}: {exc}"[:2000]
    claimed = render_claimed(model, claim)
    if transient and f.attempts:
        claimed.filter(**{f"{f.attempts}__lt": MAX_RENDER_ATTEMPTS}).update(
            **{f.state: R.PENDING, f.error: text, f.claim: None}
        )
    claimed.update(**{f.state: R.FAILED, f.error: text, f.claim: None})


def _reset(obj, f):
    """Set ``obj`` pending with no error and no attempts; the fields changed."""
    setattr(obj, f.state, R.PENDING)
    setattr(obj, f.error, "")
    if not f.attempts:
        return [f.state, f.error]
    setattr(obj, f.attempts, 0)
    return [f.state, f.error, f.attempts]


def render_queue(obj):
    """Mark a new document pending (on the caller's row, inside its transaction); the fields to save.

    Refused (nothing changed) unless the table allows the move from the row's current render state.
    """
    f = _fields(type(obj))
    # Only the table's "queue" move: a document already under way is never queued a second time.
    if getattr(obj, f.state) != BLANK:
        raise ValidationError(_("This document is already queued or generated."), code="render_illegal")
    return _reset(obj, f)


@transaction.atomic
def render_retry(*, obj):
    """Send a failed document back to the workers (``failed → pending``). Returns the locked row and its before.

    The caller, in its own transaction, audits the move and queues the task after commit. Refused, with nothing
    changed, unless the document's generation failed.
    """
    model = type(obj)
    f = _fields(model)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    current = getattr(locked, f.state)
    if current != R.FAILED or not render_move_allowed(current, R.PENDING):
        raise ValidationError(_("Only a document whose generation failed can be generated again."))
    before = {f.state: current, f.error: getattr(locked, f.error)}
    locked.save(update_fields=_reset(locked, f))
    return locked, before


def render_regenerate(obj):
    """Mark a ready or failed document to be generated again (a conditional UPDATE). True when it was marked.

    A document being rendered is left alone (its worker is about to write it); a pending one stays pending.
    """
    model = type(obj)
    f = _fields(model)
    marked = model.objects.filter(pk=obj.pk, **{f"{f.state}__in": [R.READY, R.FAILED]}).update(
        **{f.state: R.PENDING, f.error: ""}
    )
    if marked:
        setattr(obj, f.state, R.PENDING)
        setattr(obj, f.error, "")
    return bool(marked)


def render_stuck(model):
    """The rows whose message was lost (pending too long) or whose worker died (rendering, stale)."""
    f = _fields(model)
    now = timezone.now()
    lost_before = now - timedelta(seconds=settings.OCOP_RENDER_LOST_AFTER_SECONDS)
    return model.objects.filter(
        Q(**{f.state: R.PENDING, f"{f.queued_at}__lt": lost_before})
        | Q(**{f.state: R.RENDERING, f"{f.started_at}__lt": _stale_before(model, now)})
    )
