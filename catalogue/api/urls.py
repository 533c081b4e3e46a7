from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
for record_type, viewset in views.VIEWSETS.items():
    router.register(viewset.model.slug, viewset, basename=record_type)
router.register("deletions", views.DeletionViewSet, basename="deletions")

# Swagger UI sets inline styles and draws its icons from data: URLs; only its page may.
docs_policy = csp_update({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]})

urlpatterns = [
    path("", views.api_root, name="root"),
    path("dump/", views.DumpView.as_view(), name="dump"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("", include(router.urls)),
]
