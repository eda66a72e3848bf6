"""Schedule the periodic reports (Asia/Ho_Chi_Minh); each generates the period that has just ended."""

from django.db import migrations

SCHEDULES = [
    # Monthly: 01:00 on the 1st of every month, for the month just ended.
    ("reports: monthly reports (01:00 on the 1st of each month)", "monthly", {"minute": "0", "hour": "1", "day_of_month": "1", "month_of_year": "*"}),
    # Quarterly: 01:30 on 1 January, April, July and October, for the quarter just ended.
    ("reports: quarterly reports (01:30 on the 1st of Jan, Apr, Jul, Oct)", "quarterly", {"minute": "30", "hour": "1", "day_of_month": "1", "month_of_year": "1,4,7,10"}),
    # Six-monthly: 02:00 on 1 January and 1 July, for the half-year just ended.
    ("reports: six-monthly reports (02:00 on 1 Jan and 1 Jul)", "half-yearly", {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1,7"}),
    # Yearly: 02:30 on 1 January, for the year just ended.
    ("reports: yearly reports (02:30 on 1 January)", "yearly", {"minute": "30", "hour": "2", "day_of_month": "1", "month_of_year": "1"}),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, kind, crontab in SCHEDULES:
        schedule, _ = CrontabSchedule.objects.get_or_create(day_of_week="*", timezone="Asia/Ho_Chi_Minh", **crontab)
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": "reports.generate_period", "crontab": schedule, "kwargs": f'{{"kind": "{kind}"}}'},
        )


def drop(apps, schema_editor):
    names = [name for name, _kind, _crontab in SCHEDULES]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, drop)]
