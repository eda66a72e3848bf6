"""The stuck-document sweep runs every minute (it ran hourly): a killed worker's rows are redone within 2 minutes."""

from django.db import migrations

NAME = "Certificates: requeue stuck documents"


def every_minute(apps, schema_editor):
    _reschedule(apps, minute="*")


def hourly(apps, schema_editor):
    _reschedule(apps, minute="17")


def _reschedule(apps, *, minute):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Every minute: documents whose message was lost (worker killed) or whose worker died are queued again.
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.filter(name=NAME).update(crontab=crontab)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0004_daily_schedules")]
    operations = [migrations.RunPython(every_minute, hourly)]
