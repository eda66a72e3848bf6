"""Sign-ins, failed sign-ins, MFA changes and private-file downloads leave AuditEvent rows with IP and request id."""

import pytest
from allauth.mfa import signals
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from apps.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.factories.producers import DocumentFactory, ProducerFactory

pytestmark = pytest.mark.django_db


def test_a_sign_in_is_recorded_with_ip_and_request_id(client, users):
    response = client.post(
        reverse("account_login"), {"login": users.district.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.object_id, event.unit, event.ip) == (
        users.district,
        str(users.district.pk),
        users.district.unit,
        "198.51.100.4",
    )
    assert len(event.request_id) >= 16


def test_a_failed_sign_in_is_recorded_and_nothing_else(client, users):
    client.post(
        reverse("account_login"), {"login": users.district.email, "password": "sai"}, REMOTE_ADDR="198.51.100.9"
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id, event.ip) == (
        "auth.login_failed",
        None,
        str(users.district.pk),
        "198.51.100.9",
    )
    assert "sai" not in str(event.after) + event.object_repr


def test_a_failed_sign_in_for_an_unknown_address_is_recorded_without_a_user(client, db):
    client.post(reverse("account_login"), {"login": "ai-do@ocop.example", "password": "x"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.object_id, event.object_repr, event.unit) == ("", "ai-do@ocop.example", None)


def test_mfa_changes_are_recorded(users, rf):
    # allauth sends these signals from its activate/deactivate flows (allauth/mfa/totp/internal/flows.py).

    request = rf.post("/accounts/2fa/totp/activate/", REMOTE_ADDR="192.0.2.5")
    authenticator = TOTP.activate(users.province, generate_totp_secret()).instance
    signals.authenticator_added.send(
        sender=Authenticator, request=request, user=users.province, authenticator=authenticator
    )
    signals.authenticator_removed.send(
        sender=Authenticator, request=request, user=users.province, authenticator=authenticator
    )
    events = AuditEvent.objects.filter(actor=users.province).order_by("pk")
    assert [(e.action, e.after, e.ip) for e in events] == [
        ("mfa.added", {"type": "totp"}, "192.0.2.5"),
        ("mfa.removed", {"type": "totp"}, "192.0.2.5"),
    ]


def test_a_private_document_download_is_recorded(client, users, tree):
    document = DocumentFactory(producer=ProducerFactory(commune=tree.x))
    client.force_login(users.commune_x)
    before = AuditEvent.objects.filter(action="file.download").count()
    response = client.get(reverse("producers:document_download", args=[document.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action="file.download")
    assert before == 0
    assert (event.actor, event.object_type, event.object_id) == (
        users.commune_x,
        "producers:document_download",
        str(document.pk),
    )


def test_a_refused_download_is_not_recorded_as_a_download(client, users, tree):
    document = DocumentFactory(producer=ProducerFactory(commune=tree.z))
    client.force_login(users.commune_x)
    assert client.get(reverse("producers:document_download", args=[document.pk])).status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="file.download").exists()
