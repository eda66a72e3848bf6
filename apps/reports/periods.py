"""Report periods: a month, quarter, half-year, year or any date range, parsed from "2026-11", "2026-Q4",
"2026-H2", "2026" or "2026-01-01..2026-03-31"."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import ReportKind

# Reports are due this many days after their period ends; later than that a child's report is late.
DUE_AFTER_DAYS = 10
MONTHS_PER_HALF = 6


@dataclass(frozen=True)
class Period:
    kind: str  # a ReportKind value, or "range"
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def key(self):
        if self.kind == ReportKind.MONTHLY:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == ReportKind.QUARTERLY:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == ReportKind.HALF_YEARLY:
            return f"{self.start.year}-H{1 if self.start.month <= MONTHS_PER_HALF else 2}"
        if self.kind == ReportKind.YEARLY:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def year(self):
        return self.end.year

    @property
    def label(self):
        if self.kind == ReportKind.MONTHLY:
            return _("month %(month)s/%(year)s") % {"month": f"{self.start.month:02d}", "year": self.start.year}
        if self.kind == ReportKind.QUARTERLY:
            return _("quarter %(q)s/%(year)s") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.kind == ReportKind.HALF_YEARLY:
            if self.start.month <= MONTHS_PER_HALF:
                return _("first six months of %(year)s") % {"year": self.start.year}
            return _("second six months of %(year)s") % {"year": self.start.year}
        if self.kind == ReportKind.YEARLY:
            return _("year %(year)s") % {"year": self.start.year}
        return _("%(start)s to %(end)s") % {"start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}

    @property
    def due_on(self):
        return self.end + datetime.timedelta(days=DUE_AFTER_DAYS)

    def start_datetime(self):

        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    def end_datetime_exclusive(self):

        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))

    @classmethod
    def month(cls, year, month):
        return cls(ReportKind.MONTHLY, datetime.date(year, month, 1), _last_day(year, month))

    @classmethod
    def quarter(cls, year, quarter):
        first = 3 * (quarter - 1) + 1
        return cls(ReportKind.QUARTERLY, datetime.date(year, first, 1), _last_day(year, first + 2))

    @classmethod
    def half(cls, year, half):
        first = 1 if half == 1 else 7
        return cls(ReportKind.HALF_YEARLY, datetime.date(year, first, 1), _last_day(year, first + 5))

    @classmethod
    def whole_year(cls, year):
        return cls(ReportKind.YEARLY, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def between(cls, start, end):
        if start > end:
            raise ValidationError(_("The start of the period must not be after its end."))
        return cls("range", start, end)

    @classmethod
    def parse(cls, text, kind=None):
        """Parse a period key; ``kind`` (a ReportKind) makes a key of another kind an error."""
        text = (text or "").strip()
        try:
            if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
                period = cls.month(int(m[1]), int(m[2]))
            elif m := re.fullmatch(r"(\d{4})-Q([1-4])", text, re.IGNORECASE):
                period = cls.quarter(int(m[1]), int(m[2]))
            elif m := re.fullmatch(r"(\d{4})-H([12])", text, re.IGNORECASE):
                period = cls.half(int(m[1]), int(m[2]))
            elif m := re.fullmatch(r"(\d{4})", text):
                period = cls.whole_year(int(m[1]))
            elif m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
                period = cls.between(datetime.date.fromisoformat(m[1]), datetime.date.fromisoformat(m[2]))
            else:
                raise ValueError(text)
        except ValueError as exc:
            raise ValidationError(
                _("Unknown period “%(text)s”: write 2026-11, 2026-Q4, 2026-H2 or 2026.") % {"text": text}
            ) from exc
        if kind and period.kind != kind:
            raise ValidationError(
                _("The period “%(text)s” is not a %(kind)s period.") % {"text": text, "kind": ReportKind(kind).label}
            )
        return period

    @classmethod
    def last_complete(cls, kind, today):
        """The most recent period of ``kind`` that ended before ``today``."""
        if kind == ReportKind.MONTHLY:
            first = today.replace(day=1) - datetime.timedelta(days=1)
            return cls.month(first.year, first.month)
        if kind == ReportKind.QUARTERLY:
            q = (today.month - 1) // 3
            return cls.quarter(today.year, q) if q else cls.quarter(today.year - 1, 4)
        if kind == ReportKind.HALF_YEARLY:
            return cls.half(today.year, 1) if today.month > MONTHS_PER_HALF else cls.half(today.year - 1, 2)
        return cls.whole_year(today.year - 1)


def _last_day(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])
