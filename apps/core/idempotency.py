"""Idempotent creates: a form carries a one-time token (``{% submit_token %}``); the first POST with it claims
the token in the cache, a second POST with the same token (a double click, a resent form) creates nothing and is
sent to what the first one created."""

import re

from django.core.cache import cache
from django.db import transaction

TOKEN_FIELD = "submit_token"  # noqa: S105 - the name of a form field, not a secret
_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
TOKEN_TTL_SECONDS = 6 * 3600


class Submission:
    def __init__(self, request):
        token = request.POST.get(TOKEN_FIELD, "")
        user = request.user.pk if request.user.is_authenticated else "anon"
        self.key = f"submit-once:{user}:{token}" if _TOKEN_RE.fullmatch(token) else None
        # A form without a token (an old page, a script) is not protected, but works as before.
        self.duplicate = self.key is not None and not cache.add(self.key, "", TOKEN_TTL_SECONDS)

    @property
    def previous_url(self):
        """Where the first submission's object is, or "" while it is still being saved."""
        return (cache.get(self.key) or "") if self.key else ""

    def done(self, url):
        if self.key:
            key = self.key
            transaction.on_commit(lambda: cache.set(key, url, TOKEN_TTL_SECONDS), robust=True)

    def release(self):
        """The submission was refused: the same form may be sent again after correcting it."""
        if self.key:
            cache.delete(self.key)
