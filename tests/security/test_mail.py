"""Mail never breaks a request: queued in the transaction, sent by the Celery task after the commit, retried
while the SMTP server is unreachable (a closed port on 127.0.0.1), failed invitations re-sent by the inviter."""

import socket

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.core.enums import MailKind, MailState
from apps.core.mail import sanitise_subject
from apps.core.models import OutgoingMail
from apps.core.tasks import MAIL_MAX_RETRIES, send_mail_task
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application
from apps.cycles.services import application_transition
from tests.factories.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_smtp_port(settings, monkeypatch):
    """The real SMTP backend pointed at a loopback port nobody listens on (connection refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    # Let Celery's retry machinery, not the test, handle each Retry (retries run one after the other in apply()).
    monkeypatch.setattr(send_mail_task.app.conf, "task_eager_propagates", False)
    return port


def _invite(client, users, tree, capture):
    client.force_login(users.province)
    data = {"email": "moi@ocop.example", "full_name": "Nguyễn Mới", "role": Role.COMMUNE_OFFICER, "unit": tree.y.pk}
    with capture(execute=True):
        return client.post(reverse("accounts:user_invite"), data)


def test_invite_with_unreachable_smtp_commits_and_the_mail_is_retried_then_failed(
    client, users, tree, closed_smtp_port, django_capture_on_commit_callbacks
):
    response = _invite(client, users, tree, django_capture_on_commit_callbacks)
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:user_list"))
    invited = User.objects.get(email="moi@ocop.example")
    queued = OutgoingMail.objects.get(user=invited)
    assert (queued.kind, queued.state, queued.to) == (MailKind.INVITATION, MailState.PENDING, ["moi@ocop.example"])

    send_mail_task.apply(kwargs={"mail_id": queued.pk})  # the worker: every retry meets the closed port
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (MailState.FAILED, MAIL_MAX_RETRIES + 1)
    assert queued.last_error.startswith("ConnectionRefusedError")

    page = client.get(reverse("accounts:user_list"))
    assert "Gửi lại lời mời" in page.text
    assert reverse("accounts:user_invite_resend", args=[invited.pk]) in page.text


def test_failed_invitation_resent_by_the_inviter_is_delivered(
    client, users, tree, settings, closed_smtp_port, django_capture_on_commit_callbacks
):
    _invite(client, users, tree, django_capture_on_commit_callbacks)
    invited = User.objects.get(email="moi@ocop.example")
    deliver_queued_mail()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invite_resend", args=[invited.pk]))
    assert response.status_code == 302
    assert deliver_queued_mail() == 1
    assert [m.to for m in mail.outbox] == [["moi@ocop.example"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    states = list(OutgoingMail.objects.filter(user=invited).order_by("pk").values_list("state", flat=True))
    assert states == [MailState.FAILED, MailState.SENT]


def test_resend_refused_to_another_commune_and_when_delivered(client, users, tree, django_capture_on_commit_callbacks):
    _invite(client, users, tree, django_capture_on_commit_callbacks)
    invited = User.objects.get(email="moi@ocop.example")
    deliver_queued_mail()  # delivered (locmem)
    client.force_login(users.province)
    response = client.post(reverse("accounts:user_invite_resend", args=[invited.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]][-1:] == [
        "Lời mời này đã được gửi hoặc đã được chấp nhận; không có gì để gửi lại."
    ]
    client.force_login(users.province_q)
    assert client.post(reverse("accounts:user_invite_resend", args=[invited.pk])).status_code == 404
    assert OutgoingMail.objects.filter(user=invited).count() == 1


def test_transition_with_unreachable_smtp_commits_and_shows_the_page(
    client, users, make_application, closed_smtp_port, django_capture_on_commit_callbacks
):
    application = make_application(S.IDEA_ACCEPTED)
    client.force_login(users.commune_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cycles:application_transition", args=[application.pk]),
            {"to_state": S.PLAN_SUBMITTED, "expected_state": S.IDEA_ACCEPTED},
        )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).state == S.PLAN_SUBMITTED
    assert list(OutgoingMail.objects.values_list("state", "to")) == [(MailState.PENDING, [users.district.email])]


def test_product_name_with_cr_lf_gives_a_one_line_subject(
    users, make_application, product_x, django_capture_on_commit_callbacks
):
    product_x.name = "Chả mực\r\nBcc: ke-xau@example.com\r\n"
    product_x.save(update_fields=["name"])
    application = make_application(S.IDEA_ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_state=S.PLAN_SUBMITTED, by=users.commune_x)
    assert deliver_queued_mail() == 1
    (sent,) = mail.outbox
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert sent.subject == "[OCOP] Chả mực Bcc: ke-xau@example.com : Đã nộp phương án sản xuất kinh doanh"
    assert sent.to == [users.district.email] and sent.bcc == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chả\r\nmực", "Chả mực"),
        ("a\u202eb\u200bc\x00d", "a b c d"),
        ("x" * 300, "x" * 199 + "…"),
    ],
)
def test_sanitise_subject(text, expected):
    assert sanitise_subject(text) == expected
