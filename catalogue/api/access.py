"""Who is calling: anonymous visitors, or a partner institution with an API key.

Both may read everything public; a key raises the rate limit, and its use is counted per day.
"""

import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiKey, ApiKeyUsage

KEYWORD = "Api-Key"


def presented_key(request):
    """The key sent in `Authorization: Api-Key <key>` or `X-Api-Key: <key>`, if any."""
    if key := request.headers.get("X-Api-Key", "").strip():
        return key
    scheme, _space, key = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == KEYWORD.lower():
        return key.strip()
    return ""


def find_key(raw):
    """The active key whose secret this is, or None."""
    try:
        label, prefix, secret = raw.split("_", 2)
    except ValueError:
        return None
    if label != "mem" or not secret:
        return None
    key = ApiKey.objects.filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, ApiKey.hash(secret)):
        return None
    return key


def count_use(key):
    now = timezone.now()
    today = timezone.localdate(now)
    if not ApiKeyUsage.objects.filter(key=key, day=today).update(requests=F("requests") + 1):
        usage, created = ApiKeyUsage.objects.get_or_create(
            key=key, day=today, defaults={"requests": 1}
        )
        if not created:  # another request made the row first
            ApiKeyUsage.objects.filter(pk=usage.pk).update(requests=F("requests") + 1)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        raw = presented_key(request)
        if not raw:
            return None
        key = find_key(raw)
        if key is None:
            raise AuthenticationFailed(
                _("This API key is not valid. Check it, or leave it out to read anonymously.")
            )
        if not key.is_active:
            raise AuthenticationFailed(
                _("This API key was revoked. Ask the archive for a new one.")
            )
        count_use(key)
        return AnonymousUser(), key

    def authenticate_header(self, request):
        # A wrong key is answered 401 with this challenge, not 403.
        return f'{KEYWORD} realm="api"'


class RateThrottle(SimpleRateThrottle):
    """Anonymous callers share a rate per address; each key has its own, higher rate."""

    scope = "api"

    def __init__(self):
        pass  # the rate depends on the caller, so it is read per request

    def allow_request(self, request, view):
        key = request.auth if isinstance(request.auth, ApiKey) else None
        self.rate = f"{key.rate_per_hour}/hour" if key else settings.MEMORIA_API_ANONYMOUS_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            return f"throttle_api_key_{request.auth.pk}"
        return f"throttle_api_anonymous_{self.get_ident(request)}"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <your key>`; also accepted as the X-Api-Key header.",
        }
