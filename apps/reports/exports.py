"""CSV and XLSX exports of the staff lists, honouring the list's filters and the user's jurisdiction.

Rows are streamed: CSV through ``StreamingHttpResponse`` over ``iterator()``, XLSX with openpyxl's write-only
workbook (rows written as they come, the file assembled in a temporary file), so 20,000 rows never sit in memory
as model instances.

The export honours exactly the list's filters: a unit, producer, cycle or round in the query string that is not
among the user's own (outside the user's subtree) is refused with 403, any other value the list's form refuses
with 400 — never the unfiltered list in its place.
"""

import csv
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.certificates.filters import CertificateFilter
from apps.certificates.selectors import certificate_list_for_staff
from apps.core.policy import holds_jurisdiction, unit_condition
from apps.core.text import ascii_int
from apps.cycles.enums import ApplicationState
from apps.cycles.filters import ApplicationFilter
from apps.cycles.selectors import applications_visible_to, cycles_visible_to
from apps.evaluation.models import ScoreAnswer
from apps.evaluation.selectors import rounds_visible_to
from apps.producers.filters import ProducerFilter
from apps.producers.models import Producer
from apps.producers.selectors import communes_of, producer_list, producers_visible_to
from apps.products.filters import ProductFilter
from apps.products.selectors import product_list, products_visible_to

CHUNK = 2000
# Filters whose choices are the user's own units, producers or cycles: a value outside them is refused with 403.
SCOPED_FILTERS = ("commune", "producer", "cycle")


def _filtered(filterset):
    """The rows the list shows for these filters; 403/400 when the form refuses a value (see the module's doc)."""
    if filterset.is_bound and not filterset.form.is_valid():
        if any(name in filterset.form.errors for name in SCOPED_FILTERS):
            raise PermissionDenied
        raise BadRequest("invalid filter")
    return filterset.qs


def _applications(request):
    cycles = cycles_visible_to(request.user)
    qs = applications_visible_to(request.user).order_by("-updated_at", "-pk")
    rows = _filtered(ApplicationFilter(request.GET or None, queryset=qs, cycles=cycles, request=request))
    columns = [_("ID"), _("Product"), _("Producer"), _("Commune"), _("Cycle"), _("State"), _("Updated")]
    values = rows.values_list(
        "pk", "product__name", "product__producer__name", "product__commune__name", "cycle__name", "state", "updated_at"
    )
    labels = dict(ApplicationState.choices)
    return columns, (
        (pk, p, pr, c, cy, str(labels.get(s, s)), timezone.localtime(u).strftime("%d/%m/%Y %H:%M"))
        for pk, p, pr, c, cy, s, u in values.iterator(chunk_size=CHUNK)
    )


def _producers(request):
    visible = producers_visible_to(request.user)
    rows = _filtered(
        ProducerFilter(request.GET or None, queryset=producer_list(request.user), communes=communes_of(visible))
    )
    columns = [
        _("ID"),
        _("Name"),
        _("Type"),
        _("Tax code"),
        _("Commune"),
        _("Workers"),
        _("Women workers"),
        _("Ethnic-minority workers"),
    ]
    values = rows.values_list(
        "pk", "name", "kind", "tax_code", "commune__name", "workers_count", "women_workers", "ethnic_minority_workers"
    )
    return columns, values.iterator(chunk_size=CHUNK)


def _products(request):
    visible = products_visible_to(request.user)
    producers = Producer.objects.filter(pk__in=visible.order_by().values("producer_id"))
    rows = _filtered(
        ProductFilter(
            request.GET or None, queryset=product_list(request.user), producers=producers, communes=communes_of(visible)
        )
    )
    columns = [_("ID"), _("Product"), _("Product set"), _("Producer"), _("Commune")]
    values = rows.values_list("pk", "name", "product_set__name", "producer__name", "commune__name")
    return columns, values.iterator(chunk_size=CHUNK)


def _certificates(request):
    if not request.user.has_perm("certificates.list_certificates"):
        raise PermissionDenied
    rows = _filtered(CertificateFilter(request.GET or None, queryset=certificate_list_for_staff(request.user)))
    columns = [
        _("Serial number"),
        _("Product"),
        _("Commune"),
        _("Stars"),
        _("Valid from"),
        _("Valid until"),
        _("Revoked at"),
    ]
    values = rows.values_list(
        "serial", "product__name", "product__commune__name", "stars", "valid_from", "valid_until", "revoked_at"
    )
    return columns, (
        (s, p, c, st, f.strftime("%d/%m/%Y"), u.strftime("%d/%m/%Y"), r.strftime("%d/%m/%Y") if r else "")
        for s, p, c, st, f, u, r in values.iterator(chunk_size=CHUNK)
    )


def _sheets(request):
    """Every member's answer per criterion, for the rounds of the user's jurisdiction (``?round=<id>`` narrows).

    A council member holds no jurisdiction: they get their own sheets only, never the other members' answers.
    """
    user = request.user
    rounds = rounds_visible_to(user=user)
    own = Q(sheet__member__user=user)
    if user.is_national:
        allowed = Q()
    elif user.unit_id and holds_jurisdiction(user):
        allowed = Q(sheet__round__in=rounds.filter(unit_condition(user, "unit")).values("pk")) | own
    else:
        allowed = own
    answers = (
        ScoreAnswer.objects.filter(sheet__round__in=rounds.values("pk"))
        .filter(allowed)
        .order_by("sheet__round_id", "sheet__entry_id", "sheet__member_id", "criterion__code")
    )
    if round_id := request.GET.get("round", ""):
        if ascii_int(round_id) is None:
            raise BadRequest("invalid round")
        if not rounds.filter(pk=ascii_int(round_id)).exists():
            raise PermissionDenied
        answers = answers.filter(sheet__round_id=ascii_int(round_id))
    columns = [_("Round"), _("Product"), _("Member"), _("Sheet state"), _("Criterion"), _("Points"), _("Sheet total")]
    values = answers.values_list(
        "sheet__round__name",
        "sheet__entry__application__product__name",
        "sheet__member__user__full_name",
        "sheet__state",
        "criterion__code",
        "points",
        "sheet__total",
    )
    return columns, ((r, p, m, s, c, float(pt), float(t)) for r, p, m, s, c, pt, t in values.iterator(chunk_size=CHUNK))


EXPORTS = {
    "ho-so": _applications,
    "chu-the": _producers,
    "san-pham": _products,
    "giay-chung-nhan": _certificates,
    "phieu-danh-gia": _sheets,
}


class _Echo:
    def write(self, value):
        return value


@login_required
def export_list(request, name, fmt):
    if name not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied
    columns, rows = EXPORTS[name](request)
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"  # a BOM, so Excel opens the Vietnamese text as UTF-8
            yield writer.writerow(columns)
            for row in rows:
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name)
    sheet.freeze_panes = "A2"
    sheet.append(columns)
    for row in rows:
        sheet.append(list(row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once the download is sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
