from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "apps.evaluation"

    def ready(self):
        from .aggregates import connect

        connect()
