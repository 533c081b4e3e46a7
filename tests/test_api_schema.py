"""The OpenAPI schema: generated without warnings, and the API keeps to it.

schemathesis generates requests from the schema (property-based, a bounded number per
operation) and sends them through the real WSGI application and database.
"""

import contextlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from catalogue import search

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 40


def test_the_schema_generates_without_warnings_and_is_valid_openapi(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "openapi: 3" in text
    for path in ("/api/v1/documents/", "/api/v1/deletions/", "/api/v1/dump/"):
        assert f"{path}:" in text


def test_the_schema_and_interactive_docs_are_served_from_our_own_files(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert schema["Content-Type"].startswith("application/vnd.oai.openapi")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "https://" not in html.replace("https://github", "")  # no CDN


def test_generated_requests_find_no_server_error_and_no_answer_off_the_schema(
    demo_collection, settings_override
):
    search.rebuild()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    failures, calls = [], []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            calls.append(case)
            try:
                case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
            except Exception as failure:  # collected, so one run reports every operation
                failures.append(f"{case.method} {case.formatted_path}: {failure}")
                raise

        with contextlib.suppress(Exception):
            check()
    assert operations >= 12
    assert len(calls) >= operations * 10
    assert not failures, "\n\n".join(failures[:5])


@pytest.fixture
def settings_override(settings):
    # Hundreds of requests in a few seconds: more than an anonymous caller may make.
    settings.MEMORIA_API_ANONYMOUS_RATE = "100000/minute"
    # schemathesis calls the WSGI application itself. Like Django's test client, keep the end
    # of each request from closing the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
