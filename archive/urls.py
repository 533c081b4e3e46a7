from django.contrib import admin
from django.urls import include, path

from catalogue import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
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
