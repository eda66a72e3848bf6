"""The error pages and the media fallback. The home page (``core:home``) is ``apps.catalog.views.home`` and the staff
dashboard (``core:dashboard``) ``apps.reports.views.dashboard``; ``ocop_portal/urls.py`` names both in the ``core``
namespace, so core imports neither app."""

from http import HTTPStatus

from django.conf import settings
from django.shortcuts import render
from django.views.static import serve as static_serve


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def public_media(request, path):
    """Product photos from MEDIA_ROOT, when no front web server does it (``OCOP_SERVE_MEDIA``).

    Their names are random and never reused, so browsers and proxies may keep them for a year.
    """
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == HTTPStatus.OK:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
