from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from catalogue import exports, oai, views
from catalogue.models import RECORD_TYPES

# Unknown API addresses answer in JSON, like the rest of the API.
handler404 = "catalogue.api.views.not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("search/results.csv", views.search_csv, name="search_csv"),
    path("about/", views.about, name="about"),
    path("explore/", views.explore, name="explore"),
    path("explore/graph.json", views.graph_json, name="graph_json"),
    path("oai/", oai.endpoint, name="oai"),
    path("oai", oai.endpoint),  # a redirect would lose a harvester's POST; oai/ is the baseURL
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("catalogue.api.urls")),
    # Uploaded files go through a view that checks their record's access.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.attached_file, name="file"),
]
for record_type in RECORD_TYPES:
    slug, name = record_type.slug, record_type.name
    urlpatterns += [
        path(f"{slug}/", views.browse, {"slug": slug}, name=f"{name}_list"),
        path(f"{slug}/results.csv", views.browse_csv, {"slug": slug}, name=f"{name}_csv"),
        path(f"{slug}/<str:public_id>/", views.detail, {"slug": slug}, name=f"{name}_detail"),
        path(
            f"{slug}/<str:public_id>/cite.<str:fmt>",
            views.cite,
            {"slug": slug},
            name=f"{name}_cite",
        ),
    ]
    urlpatterns += [
        path(
            f"{slug}/<str:public_id>/{fmt.filename}",
            views.export,
            {"slug": slug, "fmt": fmt.key},
            name=url_name,
        )
        for fmt, url_name in exports.formats_of(record_type.model)
    ]
