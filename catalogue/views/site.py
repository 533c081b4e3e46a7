"""What crawlers read: the sitemap and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import (
    HttpResponse,
)
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..exports import sitemaps


@require_safe
def sitemap(request):
    """All public records in one file, or an index of files once one cannot hold them all."""
    if sitemaps.needs_index():
        return sitemap_views.index(request, sitemaps.SITEMAPS, sitemap_url_name="sitemap_section")
    return sitemap_views.sitemap(request, sitemaps.SITEMAPS)


@require_safe
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sitemaps.SITEMAPS, section=section)


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nDisallow: /admin/\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
