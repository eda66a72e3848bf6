"""Home page, staff dashboard and the error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.static import serve as static_serve

from apps.catalog.selectors import catalog_map, catalog_statistics, featured_entries
from apps.geo.enums import Edition, Level
from apps.geo.selectors import unit_children_with_counts


def home(request):
    """The public front page: search, the catalogue's figures and featured certified products."""
    return render(
        request,
        "core/home.html",
        {"featured": list(featured_entries(limit=8)), "stats": catalog_statistics()},
    )


@login_required
def dashboard(request):
    user = request.user
    children = unit_children_with_counts(user.unit)[:200] if user.unit_id and user.unit.level != Level.COMMUNE else []
    context = {"children": children}
    if user.unit_id and user.unit.level == Level.PROVINCE and user.unit.edition == Edition.TWO_TIER_2025:
        context["province_map"] = catalog_map(province=user.unit)  # certified products by commune (cached)
    return render(request, "core/dashboard.html", context)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def public_media(request, path):
    """Product photos from MEDIA_ROOT, when no front web server does it (``OCOP_SERVE_MEDIA``).

    Their names are random and never reused, so browsers and proxies may keep them for a year.
    """
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
