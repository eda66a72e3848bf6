"""The SMTP server unreachable: the invitation is committed, its mail is retried by a real worker, and once the server
answers the mail is delivered exactly once.

Everything is the test's own: a PostgreSQL cluster and a Redis broker on spare ports (``private_site``), a spare
loopback port where nobody listens at first, and then a real SMTP server (aiosmtpd) the test starts on that port.
"""

import email
import email.policy

from aiosmtpd.controller import Controller

from apps.core.enums import MailState

from .conftest import spare_port, wait_for

INVITE = """
import json
from apps.accounts.enums import Role
from apps.accounts.services import user_invite
from tests.factories import UserFactory, commune, district, province
p = province("22", name="Tỉnh Quảng Ninh")
x = commune(district(p, "193", name="Thành phố Hạ Long"), "06649", name="Phường Hà Khánh")
officer = UserFactory(role=Role.PROVINCE_OFFICER, unit=p, email="tinh@ocop.example")
invited = user_invite(email="moi@ocop.example", full_name="Nguyễn Thị Mới", role=Role.COMMUNE_OFFICER, unit=x,
                      by=officer)
print("INVITED " + json.dumps({"user": invited.pk}))
"""


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.SMTP)))
        return "250 OK"


def mails(site):
    return site.query('SELECT state, attempts, last_error, "to" FROM core_outgoingmail ORDER BY id')


def test_unreachable_smtp_commits_the_invitation_and_the_retried_mail_arrives_once(private_site):
    site = private_site
    port = spare_port()  # nobody listens here yet: every connection is refused
    site.env.update(
        {
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(port),
            "DJANGO_EMAIL_TIMEOUT": "2",
            "OCOP_MAIL_RETRY_SECONDS": "2",  # 30 s by default; 2, 4, 8 … seconds here
        }
    )
    site.worker()
    invited = site.manage("shell", script=INVITE, marker="INVITED ")

    # The change is committed whatever the mail server does; the first try meets a closed port.
    assert site.query("SELECT email FROM accounts_user WHERE id = %s", [invited["user"]]) == [("moi@ocop.example",)]
    assert wait_for(lambda: mails(site) and mails(site)[0][1] >= 1, timeout=60)
    state, attempts, last_error, _ = mails(site)[0]
    assert state == MailState.PENDING
    assert last_error.startswith("ConnectionRefusedError")

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert wait_for(lambda: mails(site)[0][0] == MailState.SENT, timeout=60)
        assert wait_for(lambda: len(inbox.messages) == 1, timeout=5)
    finally:
        server.stop()
    state, attempts, last_error, _ = mails(site)[0]
    assert (state, last_error) == (MailState.SENT, "")
    assert attempts >= 2  # failed at least once, then delivered
    recipients, message = inbox.messages[0]
    assert recipients == ["moi@ocop.example"]
    assert "/accounts/password/reset/key/" in message.get_content()
    assert len(mails(site)) == 1  # one mail, delivered once
