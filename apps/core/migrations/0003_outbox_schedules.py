"""Celery beat schedules of the outbox, as django-celery-beat rows (times in Asia/Ho_Chi_Minh)."""

from django.db import migrations

# (periodic task name, task, minute, hour)
SCHEDULES = [
    # Every minute: tasks written while the broker was down are sent once it is back.
    ("Outbox: send waiting tasks", "core.outbox_flush", "*", "*"),
    # 03:10 every day: sent outbox rows older than 30 days are deleted.
    ("Outbox: delete old sent tasks", "core.outbox_purge", "10", "3"),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Ho_Chi_Minh",
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "interval": None, "enabled": True}
        )


def delete_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedules, delete_schedules)]
