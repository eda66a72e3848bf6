"""Public catalogue pages served from the page cache before the session, locale, CSRF and authentication run.

A visitor without cookies is anonymous and has no session, messages, CSRF token or chosen language: the page the
page cache holds for its path and language is the whole answer. The middlewares inside this one would only add
the headers they added when the page was stored, so the page is stored with those headers (all but the request
id, which is this request's own) and replayed as it was. Anything else (a cookie, a signed-in visitor, a POST, a
page not stored this way, an older catalogue version) goes down the normal path, which stores the page for next
time.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.translation import get_language_from_path

from apps.audit.middleware import request_id

from .cache import CACHE_SECONDS, VERSION_KEY, cacheable, public_page_key
from .urls import urlpatterns

REQUEST_ID = "X-Request-ID"


def _page_prefixes():
    """The paths of the cached pages in every language: ``/san-pham/``, ``/en/san-pham/``, ``/chu-the/``…"""
    roots = {str(pattern.pattern).split("<", 1)[0] for pattern in urlpatterns}
    languages = [""] + [f"{code}/" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return tuple(f"/{language}{root}" for language in languages for root in sorted(roots))


class PublicPageMiddleware:
    """Sits after the security and CSP middlewares (they run for a replayed page as for any other)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = _page_prefixes()

    def _eligible(self, request):
        if not (
            settings.OCOP_PUBLIC_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.META.get("HTTP_COOKIE")
            and not request.META.get("HTTP_AUTHORIZATION")
            and request.path_info.startswith(self.prefixes)
        ):
            return False
        try:
            request.get_host()
        except DisallowedHost:
            return False  # the normal path answers it as it answers any other bad host
        return True

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        # The language the locale middleware would choose: the path's prefix, else the default (no cookie here, and
        # an unprefixed path is the default language's whatever the browser asks for).
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        key = public_page_key(request.get_full_path(), language)
        found = cache.get_many([VERSION_KEY, key])
        version, hit = found.get(VERSION_KEY), found.get(key)
        if version is not None and hit is not None and hit[0] == version and hit[3] is not None:
            return self._replay(request, hit[1], hit[3])
        request.ocop_public_page = (key, found)
        response = self.get_response(request)
        built_under = getattr(response, "ocop_public_page", None)
        if built_under is not None and cacheable(response):
            headers = list(response.items())
            cache.set(key, (built_under, response.content, response["Content-Type"], headers), timeout=CACHE_SECONDS)
        return response

    def _replay(self, request, content, headers):
        response = HttpResponse(content)
        del response["Content-Type"]
        for name, value in headers:
            response[name] = request_id(request) if name == REQUEST_ID else value
        return response
