"""Who caused the work under way: the signed-in user of a request, or, inside a Celery task, the user whose action
queued it (carried in the outbox message) and the task's name.

The outbox reads it to pass the user on to the tasks it queues; the audit trail reads it so that rows written inside
a task name the task and that user (the row history gets the same through the pghistory context of the task).
"""

import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    # A request's user is resolved only when something asks (most requests queue no task and write no audit row).
    user: Callable[[], int | None] = field(default=lambda: None)
    task: str = ""

    @property
    def user_id(self) -> int | None:
        return self.user()


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("ocop_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


def current_user_id() -> int | None:
    actor = _current.get()
    return actor.user_id if actor is not None else None


def set_actor(actor: Actor) -> contextvars.Token:
    """Make ``actor`` current until :func:`reset_actor` is called with the returned token."""
    return _current.set(actor)


def reset_actor(token: contextvars.Token) -> None:
    _current.reset(token)


def request_actor(request) -> Actor:
    def user_id():
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None

    return Actor(user=user_id)


def task_actor(*, task: str, user_id: int | None) -> Actor:
    return Actor(user=lambda: user_id, task=task)
