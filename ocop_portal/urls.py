"""URL map. Vietnamese pages have no prefix; English ones live under /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from apps.catalog.seo import SITEMAPS
from apps.catalog.views import home, robots_txt
from apps.core.views import public_media
from apps.reports.views import dashboard

admin.site.site_header = _("OCOP Portal administration")
admin.site.site_title = _("OCOP Portal")

# The ``core`` namespace keeps its two route names, served by the apps they belong to: the public home page
# (catalog) and the staff dashboard (reports). Declared here so that core, on the ground floor, imports neither.
CORE_ROUTES = ([path("", home, name="home"), path("quan-ly/", dashboard, name="dashboard")], "core")

urlpatterns = [
    path("api/v1/", include("apps.catalog.api.urls")),
    path("sitemap.xml", sitemap_view, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
if settings.OCOP_SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.+)$", public_media, name="media"))

urlpatterns += i18n_patterns(
    path("", include(CORE_ROUTES)),
    path("accounts/", include("allauth.urls")),
    path("quan-ly/don-vi/", include("apps.geo.urls")),
    path("quan-ly/nguoi-dung/", include("apps.accounts.urls")),
    path("quan-ly/nhat-ky/", include("apps.audit.urls")),
    path("quan-ly/chu-the/", include("apps.producers.urls")),
    path("quan-ly/san-pham/", include("apps.products.urls")),
    path("quan-ly/chu-trinh/", include("apps.cycles.urls")),
    path("quan-ly/danh-gia/", include("apps.evaluation.urls")),
    path("quan-ly/giay-chung-nhan/", include("apps.certificates.urls")),
    path("quan-ly/xuc-tien-thuong-mai/", include("apps.catalog.staff_urls")),
    path("quan-ly/bao-cao/", include("apps.reports.urls")),
    path("xac-thuc/", include("apps.certificates.public_urls")),
    path("quan-ly/truy-xuat/", include("apps.traceability.urls")),
    path("", include("apps.traceability.public_urls")),
    path("", include("apps.catalog.urls")),
    path("quan-tri/", admin.site.urls),
    prefix_default_language=False,
)

handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.health.error_500"
