"""What the Celery worker does with queued mail, run in the test process (the SMTP backend is the boundary)."""

from apps.core.enums import MailState
from apps.core.models import OutgoingMail
from apps.core.tasks import send_mail_task


def deliver_queued_mail():
    """Run the send task for every pending mail, as the worker would; returns how many were pending."""
    pending = list(OutgoingMail.objects.filter(state=MailState.PENDING).values_list("pk", flat=True))
    for mail_id in pending:
        send_mail_task.apply(kwargs={"mail_id": mail_id})
    return len(pending)
