"""A median aggregate: PostgreSQL's percentile_cont, and a Python aggregate registered on SQLite (dev only)."""

import statistics

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField


class Median(Aggregate):
    function = "percentile_cont"
    name = "Median"
    output_field = FloatField()
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra_context):
        # percentile_cont has no FILTER-less fallback; Django's FILTER clause works on it as on any aggregate.
        return super().as_sql(compiler, connection, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Change the clone's attributes rather than passing template=: Aggregate.as_sql passes its own template
        # when a FILTER clause is present.
        clone = self.copy()
        clone.function = "ocop_median"
        clone.template = "%(function)s(%(distinct)s%(expressions)s)"
        return clone.as_sql(compiler, connection, **extra_context)


class _SqliteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_median(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("ocop_median", 1, _SqliteMedian)


def connect():
    connection_created.connect(register_sqlite_median, dispatch_uid="evaluation_sqlite_median")
