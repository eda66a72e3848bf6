"""Writes made inside a Celery task say which task made them and whose action caused it.

Before each task runs, the user carried in the outbox message's header (:data:`apps.core.outbox.CAUSED_BY_HEADER`)
and the task's name become the current actor (:mod:`apps.core.actor`, read by ``audit_record``) and, on PostgreSQL,
the pghistory context of every row event the task's writes trigger (``task``, ``task_id``, ``user``). Both end when
the task returns or fails. A task run eagerly inside a request joins that request's context.
"""

import pghistory
from celery.signals import task_postrun, task_prerun
from django.db import connection

from apps.core.actor import reset_actor, set_actor, task_actor
from apps.core.outbox import CAUSED_BY_HEADER

# Task id → what _enter opened, closed again by _exit (prerun and postrun run in the task's own thread).
_open = {}


def caused_by(request):
    """The user id the outbox put in the message: a top-level request field in a worker, in ``headers`` eagerly."""
    value = getattr(request, CAUSED_BY_HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(CAUSED_BY_HEADER)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@task_prerun.connect(dispatch_uid="audit_task_prerun")
def _enter(sender=None, task_id=None, task=None, **kwargs):
    user_id = caused_by(task.request)
    token = set_actor(task_actor(task=task.name, user_id=user_id))
    history = None
    if connection.vendor == "postgresql":
        history = pghistory.context(task=task.name, task_id=task_id, user=user_id)
        history.__enter__()
    _open[task_id] = (token, history)


@task_postrun.connect(dispatch_uid="audit_task_postrun")
def _exit(sender=None, task_id=None, **kwargs):
    token, history = _open.pop(task_id, (None, None))
    if history is not None:
        history.__exit__(None, None, None)
    if token is not None:
        reset_actor(token)
