"""Puts the actor, IP address, request id and URL of every request into the pghistory context, so each row event the
database triggers write names who did it and from where (admin edits included); the request's user is also the
current actor (:mod:`apps.core.actor`) whom the tasks it queues are recorded for."""

import uuid

import pghistory.middleware
from django.db import connection

from apps.core.actor import request_actor, reset_actor, set_actor


def request_id(request):
    """The proxy's ``X-Request-ID`` when it sent a sane one, else a fresh UUID; also set on the response."""
    given = request.headers.get("X-Request-ID", "")
    if not hasattr(request, "ocop_request_id"):
        ok = given and len(given) <= 64 and given.isascii() and given.replace("-", "").isalnum()
        request.ocop_request_id = given if ok else uuid.uuid4().hex
    return request.ocop_request_id


class AuditContextMiddleware(pghistory.middleware.HistoryMiddleware):
    def get_context(self, request):
        return {
            **super().get_context(request),
            "ip": request.META.get("REMOTE_ADDR"),
            "request_id": request_id(request),
        }

    def __call__(self, request):
        token = set_actor(request_actor(request))  # tasks this request queues are recorded as its user's
        try:
            if connection.vendor != "postgresql":  # the SQLite demo: no triggers, no context to attach
                return self.get_response(request)
            response = super().__call__(request)
        finally:
            reset_actor(token)
        response["X-Request-ID"] = request_id(request)
        return response
