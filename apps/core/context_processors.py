"""Template context shared by every page."""

from django.conf import settings
from django.urls import translate_url

from .navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"nav_items": navigation_for(user) if user is not None else []}


def language_links(request):
    """The current page in every language: Vietnamese without a prefix, English under /en/."""
    path = request.get_full_path()
    return {"language_links": [{"code": code, "url": translate_url(path, code)} for code, _ in settings.LANGUAGES]}
