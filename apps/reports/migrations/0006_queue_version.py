"""A second data version, for the dashboard's work queue: PostgreSQL triggers advance ``reports_queue_version`` on
every write to the tables the work queue and the closing steps read that the figures do not (score sheets, council
seats, conflicts, vault documents, producer accounts, reports, step windows). A cached queue is keyed by both
versions (selectors/versioned.py), so a write to any table it reads gives a new key; writes to these tables leave the
figures' version, and so the figures' cache, alone.

The same two triggers per table as ``0005_figures_version``: per statement (the writer and every test see the new
version at once) and a deferred constraint trigger at COMMIT; TRUNCATE too. Other databases get nothing.
"""

import secrets

from django.db import migrations

SEQUENCE = "reports_queue_version"
FUNCTION = "reports_queue_version_bump"
SOURCES = [
    ("cycles", "CycleStepPeriod"),
    ("evaluation", "CouncilMember"),
    ("evaluation", "ConflictDeclaration"),
    ("evaluation", "ScoreSheet"),
    ("producers", "ProducerDocument"),
    ("reports", "Report"),
]
M2M = [("producers", "Producer", "accounts")]


def _tables(apps):
    tables = [apps.get_model(app, name)._meta.db_table for app, name in SOURCES]
    for app, name, field in M2M:
        tables.append(apps.get_model(app, name)._meta.get_field(field).remote_field.through._meta.db_table)
    return tables


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START WITH {secrets.randbelow(2**48) + 1}")
    execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$"
    )
    for table in _tables(apps):
        execute(
            f'CREATE TRIGGER reports_queue_statement AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
        execute(
            f'CREATE CONSTRAINT TRIGGER reports_queue_commit AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS reports_queue_statement ON "{table}"')
        schema_editor.execute(f'DROP TRIGGER IF EXISTS reports_queue_commit ON "{table}"')
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_figures_version"),
        ("cycles", "0009_text_length_limits"),
        ("evaluation", "0005_text_length_limits"),
        ("producers", "0005_input_limits"),
    ]

    operations = [migrations.RunPython(create, drop)]
