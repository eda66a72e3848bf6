"""Permissions by need (issue 11): a council member sees the dossiers, evidence and sheets of the products of an
open round they sit on, and only while it is open (their own sheets afterwards); never the vault, certificates or
other products. Officers keep what their work needs. Every refusal is a 403 or 404 and changes nothing."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.accounts.enums import Role
from apps.certificates.services import certificates_create_for_decision
from apps.cycles.models import Dossier, EvidenceFile
from apps.evaluation import services
from apps.evaluation.enums import Tier
from apps.evaluation.models import ScoreSheet
from tests.factories import UserFactory
from tests.factories.certificates import decision_with_products
from tests.factories.evaluation import make_application, make_cycle, make_round, score
from tests.factories.producers import PDF_BYTES, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(tree, users):
    """A district round of four scorers on one product with evidence and a vault document; an unseated member."""
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district, size=4)
    application = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
    entry = services.entry_add(round=round, application=application, by=users.district)
    dossier, _ = Dossier.objects.get_or_create(application=application)
    evidence = EvidenceFile.objects.create(
        dossier=dossier,
        title="Phiếu kiểm nghiệm",
        file=ContentFile(PDF_BYTES, name="minh-chung.pdf"),
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=users.commune_x,
    )
    document = DocumentFactory(producer=application.product.producer)
    unseated = UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.d, email="hoidong.khac@ocop.example")
    return type(
        "Seat",
        (),
        {
            "round": round,
            "members": members,
            "entry": entry,
            "application": application,
            "evidence": evidence,
            "document": document,
            "unseated": unseated,
        },
    )


def _urls(seat):
    return {
        "application": reverse("cycles:application_detail", args=[seat.application.pk]),
        "evidence": reverse("cycles:evidence_download", args=[seat.evidence.pk]),
        "vault": reverse("producers:document_download", args=[seat.document.pk]),
        "producer": reverse("producers:producer_detail", args=[seat.application.product.producer_id]),
        "product": reverse("products:product_detail", args=[seat.application.product_id]),
        "round": reverse("evaluation:round_detail", args=[seat.round.pk]),
    }


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_seated_member_of_an_open_round_sees_the_dossier_and_evidence_but_not_the_vault(client, seat):
    urls, member = _urls(seat), seat.members[3].user
    got = {name: _status(client, member, url) for name, url in urls.items()}
    assert got == {"application": 200, "evidence": 200, "vault": 403, "producer": 403, "product": 403, "round": 200}


def test_unseated_member_of_the_same_district_sees_nothing(client, seat):
    urls = _urls(seat)
    got = {name: _status(client, seat.unseated, url) for name, url in urls.items()}
    assert got == {"application": 403, "evidence": 403, "vault": 403, "producer": 403, "product": 403, "round": 403}
    client.force_login(seat.unseated)
    assert client.get(reverse("cycles:work_list")).context["page"].paginator.count == 0


def test_district_officer_keeps_what_the_work_needs(client, seat, users):
    urls = _urls(seat)
    got = {name: _status(client, users.district, url) for name, url in urls.items()}
    assert got == {"application": 200, "evidence": 200, "vault": 200, "producer": 200, "product": 200, "round": 200}


def test_conflicted_member_no_longer_sees_the_dossier(client, seat):
    member = seat.members[3]
    services.conflict_declare(entry=seat.entry, member=member, reason="Họ hàng", by=member.user)
    assert _status(client, member.user, _urls(seat)["application"]) == 403
    assert _status(client, member.user, _urls(seat)["evidence"]) == 403


def _sheet_url(seat, sheet):
    return reverse(
        "evaluation:sheet_detail", kwargs={"pk": seat.round.pk, "entry_pk": seat.entry.pk, "sheet_pk": sheet.pk}
    )


def test_after_closing_a_member_sees_only_their_own_sheets(client, seat):
    for member, target in zip(seat.members, (60, 62, 64, 66), strict=True):
        score(entry=seat.entry, member=member, target=Decimal(target))
    me, other = seat.members[3], seat.members[1]
    mine, theirs = ScoreSheet.objects.get(member=me), ScoreSheet.objects.get(member=other)
    assert _status(client, me.user, _sheet_url(seat, theirs)) == 200  # open, own sheet submitted
    services.round_close(round=seat.round, by=seat.members[0].user)
    assert _status(client, me.user, _sheet_url(seat, mine)) == 200
    assert _status(client, me.user, _sheet_url(seat, theirs)) == 403
    assert _status(client, me.user, _urls(seat)["application"]) == 403
    assert _status(client, me.user, _urls(seat)["evidence"]) == 403


def test_member_before_submitting_cannot_read_the_others_sheets(client, seat):
    score(entry=seat.entry, member=seat.members[1], target=Decimal(60))
    theirs = ScoreSheet.objects.get(member=seat.members[1])
    assert _status(client, seat.members[3].user, _sheet_url(seat, theirs)) == 403


def test_council_member_cannot_download_certificates_or_decisions(client, tree, seat):
    decision = decision_with_products(issuing_unit=tree.d, commune=tree.x, count=1)
    (certificate,) = certificates_create_for_decision(decision=decision)
    certificate.file.save("gcn.pdf", ContentFile(PDF_BYTES))
    member = seat.members[3].user
    assert _status(client, member, reverse("certificates:download", args=[certificate.pk])) == 403
    assert _status(client, member, reverse("certificates:detail", args=[certificate.pk])) == 403


def test_unseated_member_refused_a_write_changes_nothing(client, seat):
    client.force_login(seat.unseated)
    response = client.post(
        reverse("evaluation:sheet_edit", kwargs={"pk": seat.round.pk, "entry_pk": seat.entry.pk}), {"submit": "1"}
    )
    assert response.status_code == 403
    assert ScoreSheet.objects.count() == 0
