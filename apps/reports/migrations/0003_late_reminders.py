"""Mark reports whose late notice went out, and schedule the daily notice of late reports."""

from django.db import migrations, models


TASK_NAME = "reports: tell the level above about late reports (daily 08:00)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Daily at 08:00 (Asia/Ho_Chi_Minh): reports past their due date (10 days after the period) are reported once.
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": "reports.remind_late", "crontab": schedule})


def drop(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_periodic_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='late_reminder_sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='late reminder sent at'),
        ),
        migrations.RunPython(create, drop),
    ]
