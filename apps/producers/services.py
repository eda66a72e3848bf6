"""Every write to producers and their document vault."""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.audit.services import audit_record
from apps.core.outbox import enqueue
from apps.core.policy import user_covers_unit
from apps.core.storage import delete_file_on_commit
from apps.core.text import fold, save_with_unique_slug, unique_slug
from apps.core.validators import DOCUMENT_TYPES, extension_for, validate_upload
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.products.models import Product
from apps.products.services import products_refresh_search_text

from .enums import ACTIVE_REHOMING_STATES, RehomingState
from .models import BulkRehoming, Producer, ProducerDocument
from .selectors import busy_product_names, rehoming_preview
from .signals import vault_kinds_relied_on

if TYPE_CHECKING:
    from apps.accounts.models import User

SluggedModel = TypeVar("SluggedModel", bound=Any)  # a model instance with a ``slug`` field

# Fields a caller may set through producer_create / producer_update.
PRODUCER_FIELDS = (
    "name",
    "kind",
    "commune",
    "address",
    "legal_representative",
    "phone",
    "email",
    "tax_code",
    "founded_year",
    "members_count",
    "workers_count",
    "women_workers",
    "ethnic_minority_workers",
)


def producer_search_text(producer: Producer) -> str:
    parts = [producer.name, producer.tax_code or "", producer.legal_representative, producer.address]
    return fold(" ".join(parts))


def _snapshot(producer: Producer) -> dict[str, Any]:
    data = {f: getattr(producer, f) for f in PRODUCER_FIELDS if f != "commune"}
    data["commune"] = producer.commune.path if producer.commune_id else None
    return data


def _check_may_edit_in(by: "User", commune: AdministrativeUnit | None) -> None:
    if not by.has_perm("producers.add_producer") or not user_covers_unit(by, commune):
        raise PermissionDenied(_("You may only register and edit producers of your own commune."))


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    if "tax_code" in fields:
        fields["tax_code"] = (fields["tax_code"] or "").strip() or None
    for name in ("name", "address", "legal_representative", "phone", "email"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    return fields


@contextmanager
def _tax_code_clash_as_error(producer: Producer) -> Iterator[None]:
    """``full_clean()`` cannot see a producer another transaction has inserted but not committed: two registrations
    with the same tax code at the same moment both pass it, and the second insert waits on the unique index and
    fails. The write runs in a savepoint; when the tax code is now taken, that is the form's error, not a 500."""
    try:
        yield
    except IntegrityError:
        if producer.tax_code and Producer.objects.filter(tax_code=producer.tax_code).exclude(pk=producer.pk).exists():
            raise ValidationError(
                {"tax_code": Producer._meta.get_field("tax_code").error_messages["unique"]}, code="unique"
            ) from None
        raise


def _set_accounts(producer: Producer, accounts: Iterable["User"]) -> None:
    accounts = list(accounts)
    wrong = [u for u in accounts if u.role != Role.PRODUCER]
    if wrong:
        raise ValidationError({"accounts": _("Only producer accounts can be linked to a producer.")})
    producer.accounts.set(accounts)


@transaction.atomic
def producer_create(*, by: "User", accounts: Iterable["User"] | None = None, **fields: Any) -> Producer:
    """Register a producer in a commune the user covers (commune officers: their own commune)."""
    unknown = set(fields) - set(PRODUCER_FIELDS)
    if unknown:
        raise TypeError(f"producer_create() got unexpected fields {sorted(unknown)}")
    _check_may_edit_in(by, fields.get("commune"))
    producer = Producer(**_normalise(fields))
    producer.slug = unique_slug(Producer, producer.name)
    producer.search_text = producer_search_text(producer)
    producer.full_clean()
    with _tax_code_clash_as_error(producer):
        save_with_unique_slug(producer, text=producer.name)
    after = _snapshot(producer)
    if accounts is not None:
        _set_accounts(producer, accounts)
        after["accounts"] = sorted(u.email for u in accounts)
    audit_record(action="producer.create", obj=producer, by=by, after=after)
    return producer


@transaction.atomic
def producer_update(
    *, producer: Producer, by: "User", accounts: Iterable["User"] | None = None, **fields: Any
) -> Producer:
    """Change a producer's fields; the producer and, when moved, its new commune must be the user's."""
    unknown = set(fields) - set(PRODUCER_FIELDS)
    if unknown:
        raise TypeError(f"producer_update() got unexpected fields {sorted(unknown)}")
    producer = Producer.objects.select_for_update().select_related("commune").get(pk=producer.pk)
    if not by.has_perm("producers.change_producer", producer):
        raise PermissionDenied(_("You may only register and edit producers of your own commune."))
    if "commune" in fields:
        _check_may_edit_in(by, fields["commune"])
    before = _snapshot(producer)
    old_name = producer.name
    for name, value in _normalise(fields).items():
        setattr(producer, name, value)
    producer.search_text = producer_search_text(producer)
    producer.full_clean()
    changed = [f for f in PRODUCER_FIELDS if before.get(f) != _snapshot(producer).get(f)]
    with _tax_code_clash_as_error(producer), transaction.atomic():
        producer.save()
    if accounts is not None:
        old_accounts = sorted(producer.accounts.values_list("email", flat=True))
        _set_accounts(producer, accounts)
        new_accounts = sorted(u.email for u in accounts)
        if old_accounts != new_accounts:
            changed.append("accounts")
            before["accounts"] = old_accounts
    if producer.name != old_name:
        # Products are found by their producer's name too.

        products_refresh_search_text(producer=producer)
    if changed:
        after = _snapshot(producer)
        if "accounts" in changed:
            after["accounts"] = new_accounts
        audit_record(
            action="producer.update",
            obj=producer,
            by=by,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return producer


@transaction.atomic
def document_upload(
    *,
    producer: Producer,
    by: "User",
    kind: str,
    file: File,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    title: str = "",
) -> ProducerDocument:
    """Put a document in the producer's vault after checking its content (PDF/JPEG/PNG) and size."""
    if not by.has_perm("producers.upload_document", producer):
        raise PermissionDenied(_("You may not upload documents for this producer."))
    try:
        content_type = validate_upload(file, allowed=DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    file.name = f"tai-lieu.{extension_for(content_type)}"  # the stored name never keeps the uploader's one
    document = ProducerDocument(
        producer=producer,
        kind=kind,
        title=title.strip(),
        file=file,
        content_type=content_type,
        issued_on=issued_on,
        expires_on=expires_on,
        uploaded_by=by,
    )
    document.full_clean()
    document.save()
    audit_record(
        action="producer.document_upload",
        obj=document,
        by=by,
        after={
            "kind": kind,
            "file": document.file.name,
            "issued_on": issued_on.isoformat() if issued_on else None,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return document


def _document_snapshot(document: ProducerDocument) -> dict[str, Any]:
    return {
        "kind": document.kind,
        "title": document.title,
        "file": document.file.name,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
    }


def _check_not_relied_on(document: ProducerDocument, *, today: datetime.date | None = None) -> None:
    """Refuse to remove the last valid document of a kind that a submitted dossier of the producer relies on.

    A dossier is only submitted while the vault holds a valid document of each required kind; the councils then
    read the vault. Removing a document is allowed as long as another valid one of the same kind remains (so a
    wrong document can be replaced: upload the right one first, or use "replace").
    """
    relied_on: set[str] = set()
    for _receiver, kinds in vault_kinds_relied_on.send(sender=Producer, producer=document.producer):
        relied_on.update(kinds or ())
    if document.kind not in relied_on:
        return
    today = today or timezone.localdate()
    others_valid = (
        ProducerDocument.objects.filter(producer_id=document.producer_id, kind=document.kind)
        .exclude(pk=document.pk)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exists()
    )
    if not others_valid:
        raise ValidationError(
            _(
                "This %(document)s cannot be removed: a dossier of this producer that has been submitted for "
                "evaluation relies on it. Upload a valid replacement first (or use “Replace”). Nothing was changed."
            )
            % {"document": document.get_kind_display()},
            code="relied_on",
        )


@transaction.atomic
def document_remove(*, document: ProducerDocument, by: "User", replaced_by: ProducerDocument | None = None) -> None:
    """Remove a document from the vault; its file is deleted from private storage after the commit.

    Only the staff who may edit the producer may remove. The producer row is locked so that two removals of the
    same kind cannot both pass the check below.
    """
    Producer.objects.select_for_update().get(pk=document.producer_id)
    document = ProducerDocument.objects.select_related("producer__commune").get(pk=document.pk)
    if not by.has_perm("producers.delete_producerdocument", document):
        raise PermissionDenied(_("You may only remove documents of producers of your own commune."))
    _check_not_relied_on(document)
    audit_record(
        action="producer.document_remove",
        obj=document,
        by=by,
        before=_document_snapshot(document),
        after={"replaced_by": replaced_by.pk} if replaced_by else None,
    )
    delete_file_on_commit(document.file)
    document.delete()


@transaction.atomic
def document_replace(
    *,
    document: ProducerDocument,
    by: "User",
    file: File,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    title: str = "",
) -> ProducerDocument:
    """Upload a corrected document of the same kind and remove the old one, in one transaction.

    The new document is stored first, so a submitted dossier that relies on this kind stays covered when the
    replacement is valid. Returns the new document.
    """
    document = ProducerDocument.objects.select_related("producer__commune").get(pk=document.pk)
    if not by.has_perm("producers.change_producerdocument", document):
        raise PermissionDenied(_("You may only remove documents of producers of your own commune."))
    if expires_on is not None and expires_on < timezone.localdate():
        # Checked before the upload: a refusal after it would leave the new file orphaned in storage.
        _check_not_relied_on(document)
    replacement = document_upload(
        producer=document.producer,
        by=by,
        kind=document.kind,
        file=file,
        issued_on=issued_on,
        expires_on=expires_on,
        title=title,
    )
    document_remove(document=document, by=by, replaced_by=replacement)
    return replacement


# --- The 2025 reform: moving a producer registered under a pre-2025 commune to a 2025 commune ----------------


def rehome_targets(producer: Producer) -> QuerySet[AdministrativeUnit]:
    """The 2025 communes a producer of a pre-2025 commune may move to: those of its old province's successor."""
    old_province = producer.commune.ancestors().filter(level=Level.PROVINCE).select_related("successor").first()
    if old_province is None or old_province.successor is None:
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.filter(
        edition=Edition.TWO_TIER_2025, level=Level.COMMUNE, path__startswith=old_province.successor.path
    ).order_by("name", "path")


@transaction.atomic
def producer_rehome(*, producer: Producer, commune: AdministrativeUnit, by: "User") -> Producer:
    """Move ``producer``, and its products registered in pre-2025 communes, to the 2025 ``commune``.

    Province staff of the new province do it once the producer has nothing in progress: an application still
    moving or a product in an open council round would lose the officers who act on it. The records then belong
    to the new commune, whose officer takes them over; decisions and certificates already issued are unchanged.
    """
    producer = Producer.objects.select_for_update().select_related("commune").get(pk=producer.pk)
    if not by.has_perm("producers.rehome_producer", producer):
        raise PermissionDenied(_("Only the staff of the province this producer now belongs to may move it."))
    if not rehome_targets(producer).filter(pk=commune.pk).exists() or not user_covers_unit(by, commune):
        raise ValidationError({"commune": _("Pick a commune of the new province that this producer now belongs to.")})
    products = _lock_old_products(producer)
    busy = busy_product_names(products)
    if busy:
        raise ValidationError(
            _(
                "These products still have an application in progress or a product in an open council round: "
                "%(names)s. Move the producer once they are settled. Nothing was changed."
            )
            % {"names": ", ".join(sorted(busy))}
        )
    _move(producer, products, commune, by)
    return producer


def _lock_old_products(producer: Producer) -> list[Product]:
    return list(
        Product.objects.select_for_update()
        .filter(producer=producer, commune__edition=Edition.THREE_TIER_2024)
        .select_related("commune")
        .order_by("pk")
    )


def _move(
    producer: Producer, products: list[Product], commune: AdministrativeUnit, by: "User | None", *, reason: str = ""
) -> None:
    before = {"commune": producer.commune.path, "products": {p.slug: p.commune.path for p in products}}
    producer.commune = commune
    producer.save(update_fields=["commune", "updated_at"])
    for product in products:
        product.commune = commune
        product.save(update_fields=["commune", "updated_at"])
    audit_record(
        action="producer.rehome",
        obj=producer,
        by=by,
        before=before,
        after={"commune": commune.path, "products": sorted(p.slug for p in products)},
        reason=reason,
    )


# --- Bulk re-homing: every producer of an old unit whose commune was wholly merged, in one action -------------


def _rehoming_reason(run: BulkRehoming) -> str:
    return f"bulk-rehoming:{run.pk}"


@transaction.atomic
def bulk_rehoming_start(*, unit: AdministrativeUnit, by: "User", fingerprint: str) -> BulkRehoming:
    """Record the previewed moves of ``unit`` (a pre-2025 commune, district or province) and queue the task.

    ``fingerprint`` is the one the preview page showed: when the situation changed since (a producer moved,
    an application started), nothing is queued and the officer looks at the new preview.
    """

    if not by.has_perm("producers.bulk_rehome", unit):
        raise PermissionDenied(
            _("Only the staff of the 2025 province that took this unit over may move its producers.")
        )
    # One run per unit at a time: the lock makes a double click wait for the first, which then is active.
    AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)
    if BulkRehoming.objects.filter(unit=unit, state__in=ACTIVE_REHOMING_STATES).exists():
        raise ValidationError(_("A bulk move of this unit is already under way. Nothing was changed."))
    preview = rehoming_preview(unit)
    if preview.fingerprint != fingerprint:
        raise ValidationError(
            _(
                "The producers of this unit changed since the preview was shown. Check the new preview. "
                "Nothing was changed."
            )
        )
    if not preview.moves:
        raise ValidationError(_("There is nothing to move in this unit. Nothing was changed."))
    run = BulkRehoming.objects.create(
        unit=unit,
        requested_by=by,
        planned=[{"producer": m.producer.pk, "from": m.producer.commune_id, "to": m.target.pk} for m in preview.moves],
    )
    audit_record(
        action="producer.bulk_rehome_start",
        obj=run,
        by=by,
        after={"unit": unit.path, "producers": [m.producer.pk for m in preview.moves]},
    )
    enqueue("producers.bulk_rehoming", run_id=run.pk)
    return run


def bulk_rehoming_run(*, run_id: int) -> int:
    """The task's work: move each planned producer in its own transaction, recording progress; safe to re-run.

    A producer already moved by an earlier delivery is not moved again; one that can no longer move (it moved
    elsewhere, or an application started meanwhile) is skipped with its reason. Certificates and decisions are
    not touched: they keep the units they were issued under.
    """
    updated = BulkRehoming.objects.filter(pk=run_id, state__in=ACTIVE_REHOMING_STATES).update(
        state=RehomingState.RUNNING, started_at=timezone.now()
    )
    if not updated:
        return 0
    run = BulkRehoming.objects.get(pk=run_id)
    for item in run.planned:
        _bulk_rehoming_item(run_id, item)
    with transaction.atomic():
        run = BulkRehoming.objects.select_for_update().get(pk=run_id)
        if run.state == RehomingState.RUNNING:
            run.state = RehomingState.DONE
            run.finished_at = timezone.now()
            run.save(update_fields=["state", "finished_at"])
            audit_record(
                action="producer.bulk_rehome_done",
                obj=run,
                by=run.requested_by,
                after={"moved": run.moved, "skipped": run.skipped},
            )
    return len(run.moved)


@transaction.atomic
def _bulk_rehoming_item(run_id: int, item: dict[str, int]) -> None:
    run = BulkRehoming.objects.select_for_update().select_related("requested_by").get(pk=run_id)
    done = set(run.moved) | {s["producer"] for s in run.skipped}
    if item["producer"] in done:
        return
    producer = Producer.objects.select_for_update().select_related("commune").filter(pk=item["producer"]).first()
    reason = None
    if producer is None:
        reason = "deleted"
    elif producer.commune_id != item["from"]:
        reason = None if producer.commune_id == item["to"] else "moved elsewhere"
    if producer is not None and producer.commune_id == item["to"]:
        run.moved.append(item["producer"])  # moved by an earlier delivery of this task
        run.save(update_fields=["moved"])
        return
    target = AdministrativeUnit.objects.filter(pk=item["to"]).first()
    if reason is None and (target is None or not user_covers_unit(run.requested_by, target)):
        reason = "target not covered"
    products = _lock_old_products(producer) if producer is not None and reason is None else []
    if reason is None and busy_product_names(products):
        reason = "busy"
    if reason is not None:
        run.skipped.append({"producer": item["producer"], "reason": reason})
        run.save(update_fields=["skipped"])
        return
    # No reason to skip: both the producer and the target were found.
    producer, target = cast(Producer, producer), cast(AdministrativeUnit, target)
    _move(producer, products, target, run.requested_by, reason=_rehoming_reason(run))
    run.moved.append(item["producer"])
    run.save(update_fields=["moved"])


def bulk_rehoming_fail(*, run_id: int, error: object) -> None:
    BulkRehoming.objects.filter(pk=run_id, state__in=ACTIVE_REHOMING_STATES).update(
        state=RehomingState.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )
