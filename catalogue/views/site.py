"""What crawlers read (the sitemap and robots.txt), and the language switcher."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import (
    HttpResponse,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
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


@require_safe
def set_language(request):
    """Remember the visitor's language and go back to the page they were on.

    A GET form rather than Django's POST one: a page with a CSRF token in it sets a cookie
    for every visitor, and no shared cache could keep it.
    """
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = HttpResponseRedirect(target if safe else "/")
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    add_never_cache_headers(response)
    return response
