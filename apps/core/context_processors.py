"""Template context shared by every page."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation import get_language

from .navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"nav_items": navigation_for(user) if user is not None else []}


@lru_cache(maxsize=4096)
def _translated_paths(path, language, urlconf, root_urlconf):
    """``path`` in every language; resolving it twice per page cost more than the rest of the page's chrome.

    Keyed by the active language (the path resolves under it) and the URL configuration; any path may come in,
    so the cache is bounded.
    """
    return tuple((code, translate_url(path, code)) for code, _ in settings.LANGUAGES)


def language_links(request):
    """The current page in every language: Vietnamese without a prefix, English under /en/.

    The query string goes along unchanged (``translate_url`` keeps it), so only the path is looked up.
    """
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{iri_to_uri(query)}" if query else ""  # as request.get_full_path() writes it
    path = escape_uri_path(request.path)
    translated = _translated_paths(path, get_language(), get_urlconf(), settings.ROOT_URLCONF)
    return {"language_links": [{"code": code, "url": url + suffix} for code, url in translated]}
