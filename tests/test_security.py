import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.settings import DEV_SECRET_KEY, client_ip_behind_proxy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/admin/login/"
PASSWORD = "correct horse battery"  # the archivist fixture's
WRONG_PASSWORD_MESSAGE = "Please enter the correct username and password"


def sign_in(client, password, username="archie", **request):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, **request)


def lock_out(client, **request):
    for _ in range(4):
        assert WRONG_PASSWORD_MESSAGE in sign_in(client, "wrong", **request).text
    return sign_in(client, "wrong", **request)


def test_the_admin_login_locks_out_after_five_failed_attempts(client, archivist):
    locked = lock_out(client)
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.text
    assert "After 5 wrong passwords" in locked.text and "15 minutes" in locked.text

    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    assert "Sign-in locked" in refused.text
    assert client.get("/admin/").status_code == 302  # still signed out


def test_a_locked_out_archivist_signs_in_again_once_the_lockout_is_reset(client, archivist):
    lock_out(client)
    call_command("axes_reset_username", "archie", verbosity=0)
    assert sign_in(client, PASSWORD).url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_signing_in_before_the_limit_works_and_clears_the_failures(client, archivist):
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).url == "/admin/"
    client.logout()
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, PASSWORD).url == "/admin/"


def test_a_lockout_holds_only_for_that_address(client, archivist):
    lock_out(client)
    assert sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.10").url == "/admin/"


def test_one_address_cannot_try_a_password_on_every_username_in_turn(client, archivist):
    for username in ["ana", "beto", "carla", "dora"]:
        assert WRONG_PASSWORD_MESSAGE in sign_in(client, "wrong", username=username).text
    assert sign_in(client, "wrong", username="eva").status_code == 429
    # Locked for every username from there, the archivist's own included.
    assert sign_in(client, PASSWORD).status_code == 429
    assert sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.10").url == "/admin/"
    call_command("axes_reset_ip", "127.0.0.1", verbosity=0)
    client.logout()
    assert sign_in(client, PASSWORD).url == "/admin/"


def test_behind_a_proxy_the_lockout_follows_the_address_the_proxy_saw(client, archivist, settings):
    settings.AXES_CLIENT_IP_CALLABLE = client_ip_behind_proxy
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    lock_out(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    # A client cannot escape by prepending an address of its own choosing.
    forged = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5", **proxy)
    assert forged.status_code == 429
    elsewhere = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert elsewhere.url == "/admin/"


@pytest.mark.parametrize("path", ["/", LOGIN])
def test_public_pages_and_the_admin_login_send_a_strict_policy_and_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy == {
        "default-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_admin_loads_its_scripts_and_styles_from_our_own_static_files(archivist_client):
    page = archivist_client.get(reverse("admin:catalogue_person_add")).text
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    for tag in scripts:
        # Anything else would be an inline script, which the policy blocks.
        assert re.search(r'src="/(static|admin)/', tag) or "application/json" in tag, tag
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheets and all(href.startswith("/static/") for href in stylesheets)
    assert "<style" not in page


def test_over_https_the_site_sends_hsts_and_marks_its_cookies_secure(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True

    redirect = client.get(LOGIN)
    assert redirect.status_code == 301
    assert redirect.url == "https://testserver/admin/login/"

    response = client.get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.cookies["csrftoken"]["secure"]


# Production mode, checked in a fresh process: the settings are read once, at start-up.

SETTINGS_SHOWN = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]
PRINT_SETTINGS = (
    "import json; from django.conf import settings; "
    f"print(json.dumps({{n: getattr(settings, n, None) for n in {SETTINGS_SHOWN!r}}}))"
)


def manage(*args, **env):
    # Only PATH from this process: the settings must come from `env` alone.
    clean_env = {"PATH": os.environ.get("PATH", ""), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def production_env(tmp_path):
    return {
        "MEMORIA_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "archive.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def test_production_mode_with_a_real_key_passes_the_deployment_checks(production_env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "needs a real SECRET_KEY"),
        ({"SECRET_KEY": DEV_SECRET_KEY}, "needs a real SECRET_KEY"),
        ({"SECRET_KEY": "changeme"}, "needs a real SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(50)}, "needs a real SECRET_KEY"),
        ({"SECRET_KEY": "ab" * 40}, "needs a real SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"MEMORIA_ENV": "prod"}, "MEMORIA_ENV must be 'development' or 'production'"),
    ],
    ids=["missing", "dev-default", "short", "django-insecure", "repetitive", "debug", "typo"],
)
def test_production_mode_refuses_to_start_with_a_weak_key_or_debug(production_env, env, message):
    production_env.update(env)
    production_env = {name: value for name, value in production_env.items() if value}
    result = manage("check", **production_env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_mode_sends_cookies_only_over_https_with_hsts(production_env):
    result = manage("shell", "-c", PRINT_SETTINGS, BEHIND_PROXY="1", **production_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_development_needs_no_variables_and_keeps_plain_http_working():
    result = manage("shell", "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.splitlines()[-1])
    assert not any(shown.values())
