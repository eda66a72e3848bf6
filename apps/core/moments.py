"""When a recorded action happened: now, or a past moment given by a caller that replays history.

Only the demo passes a moment (it replays the finished 2023–2025 cycles, reports and revocations through the
services, on the days they happened); no form or view does. The moment is never in the future and never before the
step it follows, so a row's history stays in order and every rule of the service still applies on that day.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


def moment(at: datetime.datetime | None = None, *, after: datetime.datetime | None = None) -> datetime.datetime:
    """``at`` checked (not in the future, not before ``after``), or now when ``at`` is None."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError(_("The time of an action needs its time zone."), code="naive_moment")
    if at > now:
        raise ValidationError(_("An action cannot be dated in the future."), code="future_moment")
    if after is not None and at < after:
        raise ValidationError(
            _("An action cannot be dated before the step it follows (%(after)s)."),
            code="moment_out_of_order",
            params={"after": formats.date_format(timezone.localtime(after), "SHORT_DATETIME_FORMAT")},
        )
    return at
