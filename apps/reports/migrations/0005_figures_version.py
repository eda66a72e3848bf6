"""A data version for the report figures: PostgreSQL triggers advance a sequence on every write to the tables the
figures read, so the dashboard can cache figures under the version they were computed at (selectors/versioned.py).

Two triggers per table: a statement-level one that advances the sequence when the statement runs (the writer's own
transaction, and every test, sees the new version at once) and a deferred constraint trigger that advances it again
at COMMIT (figures a reader computed while a long transaction was still open are not served after it commits).
TRUNCATE has its own statement trigger. Other databases (the SQLite demo) get nothing and do not cache.

The sequence starts at a random value, so a database created again (a test run, a fresh install) never meets the
cache entries an earlier database left under the same version numbers.
"""

import secrets

from django.db import migrations

SEQUENCE = "reports_figures_version"
FUNCTION = "reports_figures_version_bump"
SOURCES = [
    ("catalog", "PointOfSale"),
    ("catalog", "Fair"),
    ("certificates", "Certificate"),
    ("cycles", "Application"),
    ("cycles", "ApplicationTransition"),
    ("cycles", "Cycle"),
    ("cycles", "Plan"),
    ("cycles", "Target"),
    ("evaluation", "EvaluationRound"),
    ("evaluation", "RoundEntry"),
    ("evaluation", "RecognitionDecision"),
    ("evaluation", "RecognitionItem"),
    ("geo", "AdministrativeUnit"),
    ("producers", "Producer"),
    ("products", "Product"),
    ("products", "ProductSet"),
    ("products", "ProductGroup"),
]
M2M = [("catalog", "PointOfSale", "products"), ("catalog", "Fair", "products")]


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
            f'CREATE TRIGGER reports_version_statement AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
        execute(
            f'CREATE CONSTRAINT TRIGGER reports_version_commit AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS reports_version_statement ON "{table}"')
        schema_editor.execute(f'DROP TRIGGER IF EXISTS reports_version_commit ON "{table}"')
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_text_length_limits"),
        ("catalog", "0004_current_units"),
        ("certificates", "0005_requeue_every_minute"),
        ("cycles", "0008_input_limits"),
        ("evaluation", "0004_minutes_render_lifecycle"),
        ("geo", "0003_commune_successors"),
        ("producers", "0005_input_limits"),
        ("products", "0007_input_limits"),
    ]

    operations = [migrations.RunPython(create, drop)]
