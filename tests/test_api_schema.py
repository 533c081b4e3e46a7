"""The OpenAPI schema: generated without warnings, and the API keeps to it.

schemathesis generates requests from the schema (property-based, a bounded number per
operation, valid and invalid) and sends them through the real WSGI application and database,
with all of its checks.
"""

import collections
import contextlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from catalogue import search

from . import factories

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 30  # in each mode: valid and invalid requests


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


def without_cursor(case):
    # A cursor is valid only as the API signed it: no generator can make one up, and any
    # other is refused with 400, as the schema says (tests/test_api.py follows real ones).
    if case.query:
        case.query.pop("cursor", None)
    return case


def checked(operation, mode, calls, failures):
    strategy = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.POSITIVE:
        strategy = strategy.map(without_cursor)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        calls[mode] += 1
        try:
            case.call_and_validate()  # every check
        except BaseException as failure:
            failures.append(f"{mode.value} {case.method} {case.formatted_path}: {failure}")
            raise

    return check


def test_generated_requests_pass_every_check_schemathesis_has(demo_collection, settings_override):
    """Valid requests answered 2xx, invalid ones 4xx, every answer as the schema describes it:
    status, content type, headers and body; no server error."""
    search.rebuild()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    failures, calls = [], collections.Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with contextlib.suppress(BaseException):  # collected, so one run reports them all
                checked(operation, mode, calls, failures)()
    assert operations >= 12
    assert min(calls.values()) >= operations * 10
    assert not failures, "\n\n".join(failures[:5])


def test_an_empty_parameter_means_what_leaving_it_out_means(client, settings_override):
    factories.document(title="Report on the embassy", kind="report")
    everything = client.get("/api/v1/documents/").json()
    for parameter in ("cursor", "page_size", "ordering", "kind", "date_from", "modified_since"):
        response = client.get(f"/api/v1/documents/?{parameter}=")
        assert response.status_code == 200, parameter
        assert response.json() == everything, parameter
    assert client.get("/api/v1/deletions/?removed_since=&type=").status_code == 200
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/documents/"]["get"]["parameters"]
    assert all(parameter["allowEmptyValue"] for parameter in parameters)


def test_a_filter_left_empty_on_a_browse_page_is_no_filter(client):
    factories.document(title="Report on the embassy", kind="report")
    response = client.get("/documents/?kind=&level=&date_from=&date_to=")
    assert response.status_code == 200
    assert "Report on the embassy" in response.text


@pytest.mark.parametrize("value", ["1997-00", "1997-02-30", "1997-13", "0000", "1997-04-31"])
def test_a_date_not_in_the_calendar_is_refused_as_the_schema_says(client, value):
    response = client.get("/api/v1/documents/", {"date_from": value})
    assert response.status_code == 400
    assert "date_from" in response.json()["errors"]


def test_a_language_no_document_is_in_finds_nothing_and_a_malformed_code_is_refused(
    client, settings_override
):
    factories.document(title="Report on the embassy", kind="report")
    assert client.get("/api/v1/documents/", {"language": "zzz"}).json()["count"] == 0
    refused = client.get("/api/v1/documents/", {"language": "Spanish"})
    assert refused.status_code == 400
    assert "ISO 639-3" in refused.json()["errors"]["language"][0]


def test_the_api_root_answers_head_as_the_readme_says(client, settings_override):
    response = client.head("/api/v1/")
    assert response.status_code == 200
    assert response.content == b""


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
