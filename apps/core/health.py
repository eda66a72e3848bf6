"""Health endpoints for the load balancer and compose, and the page shown while the database is unreachable.

Our own, not django-health-check: we need four checks and one JSON answer, and that package's Celery check
sends a task and waits for its result through a result backend, which this portal deliberately has none of.
``/healthz`` says the process is up (nothing else is touched). ``/readyz`` checks the database, the cache, the
broker and the private storage, and reports each; it answers 503 only when the portal cannot serve correctly
(database or storage), because without Redis it still serves (``apps/core/cache.py``, ``apps/core/outbox.py``).
"""

import logging
import sys
import uuid

from celery import current_app
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error

from .storage import private_storage

logger = logging.getLogger(__name__)

# Seconds a client (or proxy) should wait before trying again while the database is down.
RETRY_AFTER_SECONDS = 30
REQUIRED = ("database", "storage")


@never_cache
@transaction.non_atomic_requests
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
    else:
        key = f"readyz:{uuid.uuid4().hex}"
        cache.set(key, 1, 5)
        if cache.get(key) != 1:
            raise RuntimeError("cache did not keep a value")


def _check_broker():
    if current_app.conf.task_always_eager:
        return "in-process"
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return None


def _check_storage():
    name = private_storage.save(f"health/readyz-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    private_storage.delete(name)


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker, "storage": _check_storage}


@never_cache
@transaction.non_atomic_requests
def readyz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check() or "ok"
        except Exception as exc:  # noqa: BLE001 - each check reports its own failure; none may break the endpoint
            logger.warning("readyz: %s unavailable: %s", name, exc)
            report[name] = f"unavailable: {type(exc).__name__}"
    failed = [name for name in REQUIRED if not report[name].startswith(("ok", "in-process"))]
    degraded = [name for name, value in report.items() if not value.startswith(("ok", "in-process"))]
    status = "unavailable" if failed else "degraded" if degraded else "ok"
    response = JsonResponse({"status": status, "checks": report}, status=503 if failed else 200)
    if failed:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


HEALTH_VIEWS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before any other middleware runs.

    First in ``MIDDLEWARE``: no session, user or MFA lookup (each would ask the database) and no HTTPS redirect
    (the load balancer probes over plain HTTP on the private network).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)


def _database_unreachable(exc):
    return isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DatabaseError) and "server closed the connection" in str(exc)
    )


def error_500(request):
    """The 500 handler: a database that cannot be reached is maintenance (503, Retry-After), not a crash.

    It renders without a request context: the context processors would ask the database again.
    """
    exc = sys.exc_info()[1]
    if exc is not None and _database_unreachable(exc):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    try:
        return server_error(request)
    except Exception:  # noqa: BLE001 - the last resort when even the 500 page fails to render
        return HttpResponseServerError("Server error", content_type="text/plain")
