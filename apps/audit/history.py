"""Row history (issue 11): how an app declares the history of one of its models.

PostgreSQL triggers copy every insert, update and delete of the records that matter into an append-only event table,
whatever wrote them (a view, the admin, a management command, a shell, raw SQL). Each event carries the pghistory
context of its request or command (actor, IP, request id, URL or command name). On SQLite (the demo) the tables exist
but no trigger fills them.

Each app declares the history of its own models at the end of its ``models`` module, so audit (on the ground floor)
never imports the apps above it::

    class ProducerEvent(history_of(Producer)):
        pass

The event models keep ``app_label="audit"``: their tables and migrations live in audit. ``TRACKED`` lists, by label,
the models that must have a history, in the order the audit pages show them; ``event_models()`` finds the declared
event models through the app registry and fails loudly if one is missing.
"""

from typing import Any

import pghistory
from django.apps import apps

TRACKED = (
    "producers.Producer",
    "producers.ProducerDocument",
    "products.Product",
    "cycles.Application",
    "cycles.Dossier",
    "evaluation.EvaluationRound",
    "evaluation.RoundEntry",
    "evaluation.ScoreSheet",
    "evaluation.RecognitionDecision",
    "certificates.Certificate",
    "accounts.User",
)


def history_of(model: Any, **kwargs: Any) -> Any:
    """The abstract event model of ``model``'s row history (insert, update and delete events, append-only), to
    subclass once, in ``model``'s own models module; ``kwargs`` go to ``pghistory.create_event_model``."""
    return pghistory.create_event_model(
        model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        app_label="audit",
        append_only=True,
        model_name=f"{model.__name__}Event",
        **kwargs,
    )


def event_models() -> list[Any]:
    """The event models, in the order of ``TRACKED`` (each the one audit model tracking that label)."""
    by_label = {
        model.pgh_tracked_model._meta.label: model
        for model in apps.get_app_config("audit").get_models()
        if getattr(model, "pgh_tracked_model", None) is not None
    }
    missing = [label for label in TRACKED if label not in by_label]
    if missing:
        raise LookupError(f"no row history declared for {', '.join(missing)} (see apps.audit.history)")
    return [by_label[label] for label in TRACKED]
