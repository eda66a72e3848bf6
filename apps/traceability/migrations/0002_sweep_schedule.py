"""Celery beat schedule of stamp generation, as a django-celery-beat row (time in Asia/Ho_Chi_Minh)."""

from django.db import migrations

# Minutes 7, 22, 37 and 52 of every hour: batches whose generation message was lost or whose worker died (no
# progress for OCOP_STAMP_STALE_SECONDS) are queued again; the conditional claim means none is generated twice.
NAME = "Traceability: requeue stuck stamp batches"
TASK = "traceability.requeue_stuck"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="7,22,37,52",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": crontab, "interval": None, "enabled": True}
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("traceability", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, delete_schedule)]
