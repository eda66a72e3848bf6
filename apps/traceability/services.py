"""Every write of the traceability app: sites, lots and events, stamp batches (one state machine), stamp
generation (resumable, claimed with a conditional UPDATE), voiding, scans and reports of fakes."""

import io
import ipaddress
import logging
import math
import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.moments import moment
from apps.core.outbox import enqueue
from apps.core.storage import private_storage
from apps.core.validators import IMAGE_TYPES, validate_upload

from . import labels, scanbuffer
from .cache import trace_version_bump
from .enums import BatchState
from .models import FakeReport, Lot, LotEvent, ProductionSite, SiteCertification, Stamp, StampBatch, StampScan
from .selectors import current_certificate

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.producers.models import Producer
    from apps.products.models import Product

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_GENERATION_ATTEMPTS = 5
CODE_CHUNK = 1000
ANONYMISED_PREFIX = {4: 24, 6: 48}  # IP version -> network bits kept of a scanner's address
# Crockford base 32: no I, L, O, U (nothing to misread when typing the printed code).
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 13  # 13 × 5 = 65 random bits


def new_stamp_code() -> str:
    value = secrets.randbits(5 * CODE_LENGTH)
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a shopper typed (dashes, spaces, lower case, O for 0, I/L for 1) as a stored code."""
    text = (text or "").upper().replace("-", "").replace(" ", "")
    return text.translate(str.maketrans("OIL", "011"))


def _require(user: "User", perm: str, obj: Any) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


# --- Production sites, lots, events -----------------------------------------------------------------------

SITE_FIELDS = ("name", "kind", "commune", "address", "latitude", "longitude", "area_m2")


@transaction.atomic
def site_save(
    *,
    by: "User",
    producer: "Producer",
    site: ProductionSite | None = None,
    products: Iterable["Product"] = (),
    **fields: Any,
) -> ProductionSite:
    """Create (``site`` None) or update a production site of ``producer``."""
    site = site or ProductionSite(producer=producer)
    if site.pk and site.producer_id != producer.pk:
        raise PermissionDenied
    _require(by, "traceability.change_site", site)
    for name in SITE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(site, name, value.strip() if isinstance(value, str) else value)
    site.full_clean()
    before = None if site._state.adding else {"name": site.name}
    site.save()
    site.products.set([p for p in products if p.producer_id == producer.pk])
    audit_record(action="traceability.site_save", obj=site, by=by, before=before, after={"name": site.name})
    trace_version_bump()
    return site


def site_certification_add(
    *,
    by: "User",
    site: ProductionSite,
    kind: str,
    number: str = "",
    issuer: str = "",
    valid_until: date | None = None,
) -> SiteCertification:
    _require(by, "traceability.change_site", site)
    cert = SiteCertification(
        site=site, kind=kind, number=number.strip(), issuer=issuer.strip(), valid_until=valid_until
    )
    cert.full_clean()
    cert.save()
    trace_version_bump()
    return cert


LOT_FIELDS = ("code", "produced_on", "expires_on", "quantity", "unit", "inputs")


@transaction.atomic
def lot_create(*, by: "User", product: "Product", sites: Iterable[ProductionSite] = (), **fields: Any) -> Lot:
    lot = Lot(product=product, **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
    _require(by, "traceability.change_lot", lot)
    if any(s.producer_id != product.producer_id for s in sites):
        raise ValidationError({"sites": _("Pick production sites of this product's producer.")})
    lot.full_clean()
    lot.save()
    lot.sites.set(sites)
    audit_record(action="traceability.lot_create", obj=lot, by=by, after={"code": lot.code})
    trace_version_bump()
    return lot


def lot_event_add(
    *,
    by: "User",
    lot: Lot,
    kind: str,
    occurred_at: datetime,
    actor: str,
    site: ProductionSite | None = None,
    place: str = "",
    note: str = "",
) -> LotEvent:
    _require(by, "traceability.change_lot", lot)
    if site is not None and site.producer_id != lot.product.producer_id:
        raise ValidationError({"site": _("Pick a production site of this producer.")})
    event = LotEvent(
        lot=lot, kind=kind, occurred_at=occurred_at, site=site, place=place.strip(), actor=actor.strip(), note=note
    )
    event.full_clean(exclude=["recorded_by"])
    if event.site_id is None and not event.place:
        raise ValidationError({"place": _("Say where it happened: a production site or a place.")})
    event.recorded_by = by
    event.save()
    trace_version_bump()
    return event


# --- Stamp batches: one state machine ---------------------------------------------------------------------

# (from, to) → the permission the actor needs; None marks the generation worker's own steps.
TRANSITIONS = {
    (BatchState.REQUESTED, BatchState.APPROVED): "traceability.approve_batch",
    (BatchState.REQUESTED, BatchState.REJECTED): "traceability.approve_batch",
    (BatchState.FAILED, BatchState.APPROVED): "traceability.approve_batch",
    (BatchState.APPROVED, BatchState.GENERATING): None,
    (BatchState.GENERATING, BatchState.GENERATING): None,  # a stale claim taken over after a dead worker
    (BatchState.GENERATING, BatchState.APPROVED): None,  # a large batch handed on to the next task
    (BatchState.GENERATING, BatchState.READY): None,
    (BatchState.GENERATING, BatchState.FAILED): None,
    (BatchState.APPROVED, BatchState.VOIDED): "traceability.void_stamps",
    (BatchState.FAILED, BatchState.VOIDED): "traceability.void_stamps",
    (BatchState.READY, BatchState.VOIDED): "traceability.void_stamps",
}
NEEDS_REASON = {BatchState.REJECTED, BatchState.VOIDED}


def states_leading_to(target: str) -> list[str]:
    return [a for (a, b) in TRANSITIONS if b == target]


def stamp_batch_request(*, by: "User", product: "Product", quantity: int, lot: Lot | None = None) -> StampBatch:
    if lot is not None and lot.product_id != product.pk:
        raise ValidationError({"lot": _("This lot is of another product.")})
    _require(by, "traceability.request_stamps", lot or product)
    batch = StampBatch(product=product, lot=lot, quantity=quantity, requested_by=by)
    batch.full_clean(exclude=["requested_by"])
    with transaction.atomic():
        batch.save()
        audit_record(action="traceability.batch_request", obj=batch, by=by, after={"quantity": quantity})
    return batch


def stamp_batch_transition(*, batch: StampBatch, to: str, by: "User", reason: str = "") -> StampBatch:
    """Move ``batch`` to ``to`` if the table allows it and ``by`` holds the permission it names."""
    to = BatchState(to)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = StampBatch.objects.select_for_update().select_related("product__producer__commune").get(pk=batch.pk)
        key = (BatchState(locked.state), to)
        permission = TRANSITIONS.get(key)
        if permission is None:
            raise ValidationError(
                _("A batch that is “%(state)s” cannot become “%(to)s”.")
                % {"state": locked.get_state_display(), "to": to.label}
            )
        _require(by, permission, locked)
        if to in NEEDS_REASON and not reason:
            raise ValidationError({"reason": _("Give the reason.")})
        before = {"state": locked.state}
        locked.state, locked.decided_by, locked.decided_at = to, by, timezone.now()
        fields = ["state", "decided_by", "decided_at"]
        if reason:
            locked.reason = reason
            fields.append("reason")
        if to == BatchState.APPROVED:
            locked.attempts, locked.error = 0, ""
            fields += ["attempts", "error"]
        locked.save(update_fields=fields)
        if to == BatchState.VOIDED:
            locked.stamps.filter(voided_at__isnull=True).update(voided_at=locked.decided_at, void_reason=reason)
            trace_version_bump()  # the scan page caches the stamp with its batch
        audit_record(
            action=f"traceability.batch_{to}", obj=locked, by=by, before=before, after={"state": to}, reason=reason
        )
        if to == BatchState.APPROVED:
            stamp_batch_enqueue(batch_id=locked.pk)
    return locked


def stamps_void_range(*, batch: StampBatch, first: int, last: int, reason: str, by: "User") -> int:
    """Void the stamps numbered ``first``..``last`` of a generated batch (a lost roll). Returns how many."""
    reason = (reason or "").strip()
    _require(by, "traceability.void_stamps", batch)
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if not (1 <= first <= last <= batch.quantity):
        raise ValidationError(
            _("The range must lie between 1 and %(n)s, the first number not after the last.") % {"n": batch.quantity}
        )
    if batch.state != BatchState.READY:
        raise ValidationError(_("Only the stamps of a generated batch can be voided by range."))
    with transaction.atomic():
        count = batch.stamps.filter(serial__gte=first, serial__lte=last, voided_at__isnull=True).update(
            voided_at=timezone.now(), void_reason=reason
        )
        trace_version_bump()
        audit_record(
            action="traceability.stamps_void_range",
            obj=batch,
            by=by,
            after={"first": first, "last": last, "voided": count},
            reason=reason,
        )
    return count


# --- Generation -------------------------------------------------------------------------------------------


def stamp_batch_enqueue(*, batch_id: int) -> None:
    enqueue("traceability.generate_batch", batch_id=batch_id)


def _claim(batch_id: int) -> uuid.UUID | None:
    """Take the batch if it waits for generation, or if its worker stopped reporting progress. Claim or None."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.OCOP_STAMP_STALE_SECONDS)
    claim = uuid.uuid4()
    waiting = Q(state__in=[s for s in states_leading_to(BatchState.GENERATING) if s != BatchState.GENERATING])
    stale = Q(state=BatchState.GENERATING, heartbeat_at__lt=stale_before)
    taken = (
        StampBatch.objects.filter(pk=batch_id)
        .filter(waiting | stale)
        .update(state=BatchState.GENERATING, claim=claim, heartbeat_at=now, attempts=F("attempts") + 1, error="")
    )
    return claim if taken else None


def _mine(batch_id: int, claim: uuid.UUID) -> QuerySet[StampBatch]:
    return StampBatch.objects.filter(pk=batch_id, claim=claim, state=BatchState.GENERATING)


class ClaimLost(Exception):
    """Another worker took the batch over (this one was too slow and was declared dead)."""


def _heartbeat(batch_id: int, claim: uuid.UUID, **fields: Any) -> None:
    if not _mine(batch_id, claim).update(heartbeat_at=timezone.now(), **fields):
        raise ClaimLost


def _create_codes(batch: StampBatch, claim: uuid.UUID) -> None:
    """Create the missing stamps, CODE_CHUNK per committed INSERT (serials continue after a crash)."""
    have = batch.stamps.count()
    while have < batch.quantity:
        upto = min(have + CODE_CHUNK, batch.quantity)
        rows = [Stamp(batch=batch, serial=n, code=new_stamp_code()) for n in range(have + 1, upto + 1)]
        try:
            with transaction.atomic():
                Stamp.objects.bulk_create(rows, batch_size=CODE_CHUNK)
        except IntegrityError:
            # A code collision (2⁻⁶⁵ per pair) or a concurrent writer: count again and carry on.
            have = batch.stamps.count()
            continue
        have = upto
        _heartbeat(batch.pk, claim)


def _part_name(batch: StampBatch, layout: str, index: int) -> str:
    return f"traceability/batches/{batch.pk}/parts/{layout}-{index:05d}.part"


def _final_name(batch: StampBatch, kind: str, ext: str) -> str:
    return f"traceability/batches/{batch.pk}/stamps-{batch.pk}-{kind}.{ext}"


def _label_context(batch: StampBatch) -> dict[str, Any]:
    certificate = current_certificate(batch.product)
    return {
        "product_name": batch.product.name,
        "stars": certificate.stars if certificate else None,
        "gtin": batch.product.gtin,
        "lot_code": batch.lot.code if batch.lot else "",
    }


def _save_file(name: str, fileobj: IO[bytes] | File) -> str:
    if private_storage.exists(name):
        private_storage.delete(name)
    return private_storage.save(name, fileobj)


def _parts(batch: StampBatch) -> tuple[int, int]:
    """Labels per part (whole A4 sheets and whole roll pages) and the number of parts of ``batch``."""
    size = settings.OCOP_STAMP_LABELS_PER_PART
    whole = math.lcm(labels.LABELS_PER_SHEET, labels.LABELS_PER_ROLL_PAGE)
    per_part = max(size - size % whole, whole)
    return per_part, -(-batch.quantity // per_part)


def _label_document(context: dict[str, Any]) -> labels.LabelDocument:
    return labels.LabelDocument(product_name=context["product_name"], stars=context["stars"])


def _render_parts(batch: StampBatch, claim: uuid.UUID, deadline: float) -> bool:
    """Render the label parts not yet done. False when the time budget ran out first."""
    per_part, parts = _parts(batch)
    context = _label_context(batch)
    document = _label_document(context)
    for index in range(batch.parts_done, parts):
        if index > batch.parts_done and time.monotonic() > deadline:
            return False  # at least one part per run, so every run makes progress
        first = index * per_part + 1
        stamps = batch.stamps.filter(serial__gte=first, serial__lt=first + per_part).order_by("serial")
        ops = labels.label_ops(
            document, stamps.values("serial", "code"), gtin=context["gtin"], lot_code=context["lot_code"]
        )
        for layout in ("sheet", "roll"):
            part = io.BytesIO()
            labels.write_part(part, document, ops, layout)
            _save_file(_part_name(batch, layout, index), ContentFile(part.getvalue()))
        _heartbeat(batch.pk, claim, parts_done=index + 1)
    return True


def _assemble(batch: StampBatch, claim: uuid.UUID) -> bool:
    """Stream the parts into the two PDFs, write the CSV, and mark the batch ready (if still ours)."""
    _per_part, parts = _parts(batch)
    context = _label_context(batch)
    stored = {}
    with tempfile.TemporaryDirectory(prefix="ocop-stamps-") as tmp:
        for layout in ("sheet", "roll"):
            path = os.path.join(tmp, f"{layout}.pdf")
            # Parts are read through the storage API (not by path), one at a time, so this works on object
            # storage too and holds one part in memory.
            with open(path, "wb") as out:
                labels.assemble(out, _label_document(context), _open_parts(batch, layout, parts), layout)
            with open(path, "rb") as merged:
                stored[layout] = _save_file(_final_name(batch, layout, "pdf"), File(merged))
        csv_path = os.path.join(tmp, "codes.csv")
        with open(csv_path, "w", encoding="utf-8", newline="") as out:
            rows = batch.stamps.order_by("serial").values("serial", "code").iterator(chunk_size=5000)
            labels.write_codes_csv(
                out, rows, gtin=context["gtin"], lot_code=context["lot_code"], product_name=context["product_name"]
            )
        with open(csv_path, "rb") as data:
            stored["csv"] = _save_file(_final_name(batch, "codes", "csv"), File(data))
    done = _mine(batch.pk, claim).update(
        state=BatchState.READY,
        sheet_pdf=stored["sheet"],
        roll_pdf=stored["roll"],
        codes_csv=stored["csv"],
        generated_at=timezone.now(),
        claim=None,
        error="",
    )
    if done:
        for layout in ("sheet", "roll"):
            for i in range(parts):
                private_storage.delete(_part_name(batch, layout, i))
    return bool(done)


def _open_parts(batch: StampBatch, layout: str, parts: int) -> Iterator[IO[bytes]]:
    for i in range(parts):
        with private_storage.open(_part_name(batch, layout, i), "rb") as part:
            yield part


def stamp_batch_generate(*, batch_id: int) -> str:
    """The worker's job: codes, label parts, merged PDFs and CSV. Returns "ready", "continued" or "skipped".

    Idempotent and resumable: the claim is a conditional UPDATE, codes and parts already made are kept, so a
    second delivery does nothing and a killed worker's batch is taken over (after OCOP_STAMP_STALE_SECONDS).
    """
    claim = _claim(batch_id)
    if claim is None:
        return "skipped"
    batch = StampBatch.objects.select_related("product__producer", "lot").get(pk=batch_id)
    deadline = time.monotonic() + settings.OCOP_STAMP_TASK_BUDGET_SECONDS
    try:
        _create_codes(batch, claim)
        batch.refresh_from_db(fields=["parts_done"])
        if not _render_parts(batch, claim, deadline):
            # Hand the rest to a fresh task, so no single task nears the time limit.
            with transaction.atomic():
                if _mine(batch_id, claim).update(state=BatchState.APPROVED, claim=None, attempts=0):
                    stamp_batch_enqueue(batch_id=batch_id)
            return "continued"
        return "ready" if _assemble(batch, claim) else "skipped"
    except ClaimLost:
        return "skipped"
    except TRANSIENT_ERRORS as exc:
        _release(batch_id, claim, exc, transient=True)
        raise
    except Exception as exc:
        logger.exception("Generating stamp batch %s failed", batch_id)
        _release(batch_id, claim, exc, transient=False)
        return "failed"


def _release(batch_id: int, claim: uuid.UUID, exc: BaseException, *, transient: bool) -> None:
    text = f"{type(exc).__name__}: {exc}"[:2000]
    mine = _mine(batch_id, claim)
    if transient:
        mine.filter(attempts__lt=MAX_GENERATION_ATTEMPTS).update(state=BatchState.APPROVED, claim=None, error=text)
    mine.update(state=BatchState.FAILED, claim=None, error=text)


def stamp_batches_requeue_stuck() -> int:
    """The sweep: queue again approved batches whose message was lost and batches whose worker died."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.OCOP_STAMP_STALE_SECONDS)
    lost_before = now - timedelta(seconds=settings.OCOP_RENDER_LOST_AFTER_SECONDS)
    stuck = (
        Q(state=BatchState.GENERATING, heartbeat_at__lt=stale_before)
        | Q(state=BatchState.APPROVED, decided_at__lt=lost_before)
        | Q(state=BatchState.APPROVED, heartbeat_at__lt=lost_before)
    )
    ids = list(StampBatch.objects.filter(stuck).values_list("pk", flat=True))
    with transaction.atomic():
        for batch_id in ids:
            stamp_batch_enqueue(batch_id=batch_id)
    return len(ids)


# --- Scans and reports ------------------------------------------------------------------------------------


def ip_prefix(address: str | None) -> str:
    """The network, never the address: /24 for IPv4, /48 for IPv6."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    bits = ANONYMISED_PREFIX[ip.version]
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def scan_count_next(stamp: Stamp) -> int:
    """The stamp's scan count including the scan being recorded now (live, with the scans still buffered)."""
    count = scanbuffer.next_count(stamp)
    return stamp.scan_count + 1 if count is None else count


def scan_record(
    *,
    stamp: Stamp,
    address: str | None,
    place: dict[str, Any] | None = None,
    signals: Iterable[str] = (),
    at: datetime | None = None,
) -> StampScan | None:
    """Record a scan: time, address prefix, (when a GeoIP database placed it) a city-level place, the signals shown.

    Queued in Redis for the next bulk write when Redis is there (``scanbuffer``); written straight away otherwise.
    Returns the new ``StampScan`` when it was written now, None when it was queued. ``at``: when it was scanned,
    now unless the demo replays earlier scans (never in the future; replayed oldest first)."""
    place = place or {}
    now = moment(at)
    if scanbuffer.push(
        stamp=stamp, scanned_at=now, ip_prefix=ip_prefix(address), place=place, signals=",".join(signals)
    ):
        return None
    with transaction.atomic():  # the scan page runs outside ATOMIC_REQUESTS
        scan = StampScan.objects.create(
            stamp=stamp,
            scanned_at=now,
            ip_prefix=ip_prefix(address),
            region=(place.get("region") or "")[:128],
            latitude=place.get("latitude"),
            longitude=place.get("longitude"),
            signals=",".join(signals),
        )
        Stamp.objects.filter(pk=stamp.pk).update(
            scan_count=F("scan_count") + 1, first_scanned_at=Coalesce(F("first_scanned_at"), Value(now))
        )
    return scan


def scans_flush() -> int:
    """Write the buffered scans to the database (the beat task, every minute)."""
    return scanbuffer.flush()


def fake_report_create(
    *,
    photo: File,
    stamp: Stamp | None = None,
    product: "Product | None" = None,
    code: str = "",
    where_bought: str = "",
    message: str = "",
    contact: str = "",
    address: str = "",
) -> FakeReport:
    content_type = validate_upload(photo, allowed=IMAGE_TYPES)
    if stamp is not None:
        product = stamp.batch.product
    report = FakeReport(
        stamp=stamp,
        product=product,
        code=code.strip()[:64],
        photo_content_type=content_type,
        where_bought=where_bought.strip()[:255],
        message=message.strip()[:4000],
        contact=contact.strip()[:128],
        ip_prefix=ip_prefix(address),
    )
    report.photo.save("photo", photo, save=False)
    try:
        report.save()
    except Exception:
        report.photo.storage.delete(report.photo.name)  # type: ignore[arg-type]  # named by the save above
        raise
    return report
