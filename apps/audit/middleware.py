"""Puts the actor, IP address, request id and URL of every request into the pghistory context, so each row event the
database triggers write names who did it and from where (admin edits included)."""

import uuid

import pghistory.middleware
from django.db import connection

REQUEST_ID_MAX_LENGTH = 64  # a proxy's UUID or trace id fits; anything longer is not one


def request_id(request):
    """The proxy's ``X-Request-ID`` when it sent a sane one, else a fresh UUID; also set on the response."""
    given = request.headers.get("X-Request-ID", "")
    if not hasattr(request, "ocop_request_id"):
        ok = given and len(given) <= REQUEST_ID_MAX_LENGTH and given.isascii() and given.replace("-", "").isalnum()
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
        if connection.vendor != "postgresql":  # the SQLite demo: no triggers, no context to attach
            return self.get_response(request)
        response = super().__call__(request)
        response["X-Request-ID"] = request_id(request)
        return response
