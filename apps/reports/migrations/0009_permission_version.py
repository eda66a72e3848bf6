"""Django's permission tables advance the work queue's version: a user's or a group's permissions, a user's groups,
the permissions and their content types. The dashboard keeps the answer to "may this user open the certificates
list" (which items the queue shows, where the key figures link) in the queue's cache entry (selectors/versioned.py),
so a change to any table the model backend reads to answer it must give a new key, as a write to a table the queue
counts does.

The same two triggers per table as ``0006_queue_version`` (per statement and a deferred constraint trigger at
COMMIT), calling the queue's function, which marks the writing transaction since ``0008_rollback_safe_versions``.
Other databases get nothing.
"""

from django.db import migrations

FUNCTION = "reports_queue_version_bump"


def _tables(apps):
    user = apps.get_model("accounts", "User")
    return [
        user._meta.get_field("groups").remote_field.through._meta.db_table,
        user._meta.get_field("user_permissions").remote_field.through._meta.db_table,
        apps.get_model("auth", "Group")._meta.get_field("permissions").remote_field.through._meta.db_table,
        apps.get_model("auth", "Group")._meta.db_table,
        apps.get_model("auth", "Permission")._meta.db_table,
        apps.get_model("contenttypes", "ContentType")._meta.db_table,
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(
            f'CREATE TRIGGER reports_queue_statement AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
        schema_editor.execute(
            f'CREATE CONSTRAINT TRIGGER reports_queue_commit AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS reports_queue_statement ON "{table}"')
        schema_editor.execute(f'DROP TRIGGER IF EXISTS reports_queue_commit ON "{table}"')


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_rollback_safe_versions"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
