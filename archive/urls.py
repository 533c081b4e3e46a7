from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from catalogue import oai, views

# Unknown API addresses answer in JSON, like the rest of the API.
handler404 = "catalogue.api.views.not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("oai/", oai.endpoint, name="oai"),
    path("oai", oai.endpoint),  # a redirect would lose a harvester's POST; oai/ is the baseURL
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("catalogue.api.urls")),
    # Uploaded files go through a view that checks their record's access.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.attached_file, name="file"),
]
for kind in views.KINDS:
    urlpatterns += [
        path(f"{kind.slug}/", views.browse, {"slug": kind.slug}, name=f"{kind.key}_list"),
        path(
            f"{kind.slug}/<str:public_id>/",
            views.detail,
            {"slug": kind.slug},
            name=f"{kind.key}_detail",
        ),
        path(
            f"{kind.slug}/<str:public_id>/cite.<str:fmt>",
            views.cite,
            {"slug": kind.slug},
            name=f"{kind.key}_cite",
        ),
    ]
    urlpatterns += [
        path(
            f"{kind.slug}/<str:public_id>/{export.filename}",
            views.export,
            {"slug": kind.slug, "fmt": export.key},
            name=url_name,
        )
        for export, url_name in views.exports_of(kind)
    ]
