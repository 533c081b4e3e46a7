"""Memoria settings: one module, every deploy-time value from the environment.

Defaults are safe for development: SQLite, DEBUG off unless asked for. `.env.example` lists
every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"

# `development` (the default: `make demo`, the tests) or `production`. Production refuses to
# start with a guessable secret key or with DEBUG on, and turns HTTPS on unless told otherwise.
MEMORIA_ENV = os.environ.get("MEMORIA_ENV", "development").strip().lower()
if MEMORIA_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"MEMORIA_ENV must be 'development' or 'production', not {MEMORIA_ENV!r}."
    )
PRODUCTION = MEMORIA_ENV == "production"

DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    # The same test as `check --deploy`, but fatal: a forgeable key signs sessions and
    # password-reset links.
    if (
        SECRET_KEY == DEV_SECRET_KEY
        or SECRET_KEY.startswith("django-insecure-")
        or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
    ):
        raise ImproperlyConfigured(
            "MEMORIA_ENV=production needs a real SECRET_KEY: a random string of at least 50 "
            "characters, not the development default. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when MEMORIA_ENV=production.")

# HTTPS: secure cookies, a redirect from http:// and HSTS. On by default in production only,
# so the development server keeps working over plain http.
HTTPS = env_bool("HTTPS", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)

# Behind one reverse proxy (nginx, Caddy, a load balancer) that sets X-Forwarded-Proto and
# appends the address it saw to X-Forwarded-For. Only safe when the proxy is the sole way in.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every asset is our own, and the only inline scripts are JSON-LD, which browsers never run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "import_export",
    "csp",
    "axes",
    "catalogue",
    # Developer commands (generate_catalogue, benchmark), kept apart from the domain they load.
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Partners' web pages may read the API: answers CORS preflights before anything else.
    "corsheaders.middleware.CorsMiddleware",
    # ETag on every page and API response, and 304 when the client's copy is current.
    "django.middleware.http.ConditionalGetMiddleware",
    # Cache-Control: public for a short while to anyone not signed in, never stored otherwise.
    "catalogue.middleware.PublicCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every change made through a request (the admin's forms, inlines and actions) is saved as
    # one revision, with its user.
    "reversion.middleware.RevisionMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalogue.context_processors.record_types",
            ],
        },
    },
]

WSGI_APPLICATION = "archive.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while an archivist saves; writes take the lock up front.
        # Memory-mapped reads (SQLite caps the map at 2 GB in common builds) keep searches off
        # the read() system call; the mapped pages are the kernel's, shared by every worker.
        # Each connection's own page cache is anonymous memory in every worker: it holds what
        # lies past the map and in the write-ahead log.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA mmap_size={int(os.environ.get('MEMORIA_SQLITE_MMAP_MB', '2048')) << 20}; "
            f"PRAGMA cache_size=-{int(os.environ.get('MEMORIA_SQLITE_CACHE_MB', '16')) * 1024};"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


def client_ip_behind_proxy(request):
    # The proxy appends the address it saw; anything left of it came from the client and can be
    # forged.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    return forwarded or request.META.get("REMOTE_ADDR")


# Five wrong passwords from one address, whatever usernames they name, lock that address out
# for 15 minutes: counted per username, one address could try every username in turn. The
# same archivist can still sign in from elsewhere, so a stranger cannot lock a colleague out.
# Staff unlock early by deleting the access attempts in the admin, or with `manage.py
# axes_reset_ip <address>` / `axes_reset_username <username>`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = client_ip_behind_proxy if BEHIND_PROXY else None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files are never served straight from this folder: they follow their record's
# access rules through a view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
MEMORIA_MAX_UPLOAD_MB = int(os.environ.get("MEMORIA_MAX_UPLOAD_MB", "100"))
# CSV imports (README: "Importing and exporting CSV"): a larger file is refused unread.
MEMORIA_IMPORT_MAX_MB = int(os.environ.get("MEMORIA_IMPORT_MAX_MB", "100"))
# Exported cells that a spreadsheet would run as a formula are escaped; our own CSV format
# (catalogue/imports/csvfile.py) does it, this covers any other format the library offers.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
STATICFILES_DIRS = [BASE_DIR / "static"]

# The archive's own identity, used in reference codes, citations and harvesting.
MEMORIA_SITE_NAME = os.environ.get("MEMORIA_SITE_NAME", "Memoria")
MEMORIA_REPOSITORY_CODE = os.environ.get("MEMORIA_REPOSITORY_CODE", "PE-MEM")
# Who harvesters write to about the repository (OAI-PMH Identify), and the domain-like name
# in OAI identifiers (oai:<this>:document/<public id>). Set both to your own in production.
MEMORIA_ADMIN_EMAIL = os.environ.get("MEMORIA_ADMIN_EMAIL", "archivist@memoria.example")
MEMORIA_OAI_REPOSITORY_ID = os.environ.get("MEMORIA_OAI_REPOSITORY_ID", "memoria.example")

# Rate limits count in this cache. A folder shared by every worker process on the machine, so
# gunicorn's workers count together; set MEMORIA_CACHE_DIR to put it elsewhere.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("MEMORIA_CACHE_DIR", str(BASE_DIR / ".cache")),
    }
}

# How long a browser or a shared cache in front (nginx, Varnish, a CDN) may keep a public
# page or API answer without asking again: also how long a withdrawn record may still be seen
# there, unless the cache is purged (README: "A cache in front").
MEMORIA_PUBLIC_MAX_AGE = int(os.environ.get("MEMORIA_PUBLIC_MAX_AGE", "60"))

# The partner API (README: "Partner API").
# Search: an embedded Tantivy index, a cache derived from the database and kept in step with
# it through the change log; "database" searches the database's own full-text index only.
# Each web machine keeps its own index folder, on local disk.
MEMORIA_SEARCH_ENGINE = os.environ.get("MEMORIA_SEARCH_ENGINE", "tantivy")
if MEMORIA_SEARCH_ENGINE not in ("tantivy", "database"):
    raise ImproperlyConfigured("MEMORIA_SEARCH_ENGINE must be tantivy or database.")
MEMORIA_SEARCH_DIR = os.environ.get("MEMORIA_SEARCH_DIR", str(BASE_DIR / "search-index"))
# A missing or damaged index is rebuilt in the background ("inline": before answering).
MEMORIA_SEARCH_REBUILD = os.environ.get("MEMORIA_SEARCH_REBUILD", "background")

MEMORIA_BASE_URL = os.environ.get("MEMORIA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
MEMORIA_API_ANONYMOUS_RATE = os.environ.get("MEMORIA_API_ANONYMOUS_RATE", "60/minute")
MEMORIA_DUMP_ROOT = Path(os.environ.get("MEMORIA_DUMP_ROOT", BASE_DIR / "dumps"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["catalogue.api.access.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["catalogue.api.access.RateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],  # read-only: nothing is ever parsed from a body
    "DEFAULT_PAGINATION_CLASS": "catalogue.api.paging.HarvestPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "catalogue.api.views.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{MEMORIA_SITE_NAME} partner API",
    "DESCRIPTION": (
        "Read-only access to the catalogue's published records: documents, persons, "
        "organizations, legal cases and events. Anonymous reads are rate-limited; partner "
        "institutions get API keys (header `Authorization: Api-Key <key>`) with a higher "
        "limit. Lists are cursor-paginated: follow `next` until it is null."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "catalogue.api.paging.empty_values_allowed",
    ],
    "ENUM_NAME_OVERRIDES": {
        f"{name}{field}Enum": f"catalogue.models.{name}.{field}"
        for name, field in [
            ("Document", "Kind"),
            ("Organization", "Kind"),
            ("Event", "Kind"),
            ("LegalCase", "Kind"),
            ("Membership", "Kind"),
            ("OrganizationRelation", "Kind"),
            ("CaseLink", "Kind"),
            ("CaseParty", "Role"),
            ("EventParticipant", "Role"),
            ("DocumentLink", "Role"),
        ]
    },
}
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api|oai)/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "x-api-key", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
