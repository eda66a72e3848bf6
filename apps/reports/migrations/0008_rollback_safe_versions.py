"""The version triggers also mark the writing transaction: each statement that writes a table the figures or the work
queue read sets the transaction-local setting ``reports.written`` to the version it advanced to ('f…' for the
figures' sequence, 'q…' for the queue's). A sequence is not rolled back with the transaction that advanced it, so
without the mark, figures a transaction computed after its own write would be cached under a version the rolled-back
data shares with the data that stays; the dashboard's cache keys carry the mark (selectors/versioned.py), which
only that transaction ever holds and which a rollback, of the transaction or of a savepoint, resets with the rest
of its settings.
"""

from django.db import migrations

BUMPS = {"reports_figures_version_bump": ("reports_figures_version", "f"), "reports_queue_version_bump": ("reports_queue_version", "q")}


def _replace(schema_editor, *, mark):
    if schema_editor.connection.vendor != "postgresql":
        return
    for function, (sequence, prefix) in BUMPS.items():
        body = (
            f"PERFORM set_config('reports.written', '{prefix}' || nextval('{sequence}'), true);"
            if mark
            else f"PERFORM nextval('{sequence}');"
        )
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body} RETURN NULL; END $$"
        )


def mark(apps, schema_editor):
    _replace(schema_editor, mark=True)


def unmark(apps, schema_editor):
    _replace(schema_editor, mark=False)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_merge_0006_queue_version_0006_replayable_timestamps")]

    operations = [migrations.RunPython(mark, unmark)]
