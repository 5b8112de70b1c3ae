from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from articles.sitemaps import SITEMAPS
from articles.views import site_wide_page, sitemap_index
from newsroom import health, icons

urlpatterns = [
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(
        "sitemap.xml",
        sitemap_index,
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        site_wide_page(sitemap_views.sitemap, query_parameters=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("favicon.ico", icons.favicon, name="favicon"),
    path("icon-<int:size>.png", icons.icon, name="icon"),
    path("apple-touch-icon.png", icons.icon, {"size": 180}, name="apple-touch-icon"),
    path("manifest.webmanifest", icons.manifest, name="manifest"),
    path("health/live/", health.live, name="health-live"),
    path("health/ready/", health.ready, name="health-ready"),
]

# The public site runs without the admin too (a reading replica; tests/without_admin).
if apps.is_installed("django.contrib.admin"):
    admin.site.site_header = _("Newsroom desk")
    admin.site.site_title = _("Newsroom desk")
    admin.site.index_title = _("Content")
    urlpatterns.insert(0, path("admin/", admin.site.urls))

# Every public page carries its language prefix; "/" redirects to the reader's best language.
urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
    path("authors/", include("authors.urls")),
    path("pages/", include("pages.urls")),
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"
