from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from catalogue import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
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
