"""What a browser or a shared cache (nginx, Varnish, a CDN) may keep, and for how long.

What anyone may read without signing in is `public` for `MEMORIA_PUBLIC_MAX_AGE` seconds, and
varies by the language (Accept-Language, and the language cookie). Whatever is answered to a
signed-in browser (a session cookie), to a partner's API key, or sets a cookie is never stored.
ConditionalGetMiddleware, outside this one, gives every answer an ETag and turns a matching
`If-None-Match` into a 304.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

# Answers that stay true for every visitor until the record changes; errors of input (400)
# and the redirects that tidy an address (302) are left to be asked again.
CACHEABLE_STATUSES = frozenset({200, 301, 404})


def is_personal(request):
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        or "HTTP_X_API_KEY" in request.META
    )


class PublicCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.has_header("Cache-Control"):
            return response  # the admin and the language switcher say so themselves
        if is_personal(request) or response.cookies:
            add_never_cache_headers(response)
        elif response.status_code in CACHEABLE_STATUSES:
            patch_cache_control(response, public=True, max_age=settings.MEMORIA_PUBLIC_MAX_AGE)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
