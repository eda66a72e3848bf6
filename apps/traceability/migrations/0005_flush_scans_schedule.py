"""Celery beat schedule of the scan buffer's bulk write (apps/traceability/scanbuffer.py), as a django-celery-beat
row."""

from django.db import migrations

# Every 60 seconds: scans queued in Redis by the public scan page are written to the database in bulk, so the
# statistics and the alerts lag the shopper by at most about a minute.
NAME = "Traceability: write buffered scans"
TASK = "traceability.flush_scans"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "interval": every_minute, "crontab": None, "enabled": True}
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("traceability", "0004_scan_record_id"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, delete_schedule)]
