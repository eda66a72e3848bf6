"""Celery beat schedules of the certificate lifecycle, as django-celery-beat rows (times in Asia/Ho_Chi_Minh)."""

from django.db import migrations

# (periodic task name, task, minute, hour): each runs once a day unless said otherwise.
SCHEDULES = [
    # 00:30 every day: certificates past their "valid until" date are marked expired.
    ("Certificates: mark expired", "certificates.mark_expired", "30", "0"),
    # 07:00 every day: holders and issuing offices of certificates expiring within 30 days are warned, once.
    ("Certificates: expiry reminders", "certificates.send_expiry_reminders", "0", "7"),
    # Minute 17 of every hour: documents whose generation message was lost (broker down at commit time,
    # worker killed) are queued again; a row another worker is rendering is never taken twice.
    ("Certificates: requeue stuck documents", "certificates.requeue_stuck", "17", "*"),
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
        ("certificates", "0003_render_lifecycle_decision_document"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedules, delete_schedules)]
