"""The one factory per model of apps.reports: a monthly report of a unit (a draft unless told otherwise)."""

import datetime

import factory
from dateutil.relativedelta import relativedelta

from apps.reports.enums import ReportKind
from apps.reports.models import Report


class ReportFactory(factory.django.DjangoModelFactory):
    """``ReportFactory(unit=u, month=k)``: the monthly report of November 2026 shifted back ``k`` months."""

    class Meta:
        model = Report

    class Params:
        month = 0

    kind = ReportKind.MONTHLY
    period_start = factory.LazyAttribute(lambda o: datetime.date(2026, 11, 1) - relativedelta(months=o.month))
    period_end = factory.LazyAttribute(lambda o: o.period_start + relativedelta(months=1, days=-1))
    period = factory.LazyAttribute(lambda o: o.period_start.strftime("%Y-%m"))
