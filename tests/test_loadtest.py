"""The load test runs for a few seconds against the test's live server, so it cannot rot.
The full run (8 clients for 60 s against gunicorn on a 100k catalogue) is a benchmark, in the
README, not a timed test."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import Document

from . import factories


def load_test(**options):
    out = io.StringIO()
    call_command("loadtest", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def small_catalogue(db, settings):
    # Thousands of requests in a few seconds: more than an anonymous caller may make.
    settings.MEMORIA_API_ANONYMOUS_RATE = "1000000/minute"
    for number in range(3):
        factories.document(
            title=f"Informe del tribunal {number}",
            kind=Document.Kind.REPORT,
            level=Document.Level.ITEM,
            dates="1995",
        )
        factories.person(authorized_name=f"Persona {number}")
        factories.organization(authorized_name=f"Organización {number}")
    factories.legal_case(title="Caso del tribunal")


@pytest.mark.django_db(transaction=True)
def test_a_short_load_test_drives_the_whole_mix_and_finds_no_error(live_server, small_catalogue):
    report = json.loads(load_test(url=live_server.url, clients=3, seconds=3, json=True))
    assert report["errors"] == 0, report["kinds"]
    ran = {kind["kind"] for kind in report["kinds"] if kind["requests"]}
    assert {"search", "browse", "record", "api-documents", "api-detail", "oai"} <= ran
    for kind in report["kinds"]:
        if kind["requests"]:
            assert set(kind["statuses"]) == {"200"}, kind
            assert 0 < kind["median_ms"] <= kind["p95_ms"] <= kind["max_ms"]
    assert report["requests"] == sum(kind["requests"] for kind in report["kinds"])
    assert report["requests_per_second"] > 0
    assert report["server"].startswith("already running")


@pytest.mark.django_db(transaction=True)
def test_the_load_test_prints_a_table_and_stops_at_its_request_bound(live_server, small_catalogue):
    table = load_test(url=live_server.url, clients=2, seconds=30, max_requests=20)
    assert "Memoria load test" in table
    assert "20 requests, 0 errors" in table
    assert "goal (0 errors, p95 of pages and API lists within 100 ms)" in table


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "http://192.0.2.1:8000"}, "only talks to loopback"),
        ({"seconds": 601}, "at most 600"),
        ({"clients": 0}, "--clients must be between"),
        ({"max_requests": 0}, "--max-requests must be between"),
    ],
)
def test_the_load_test_stays_on_this_machine_and_within_its_bounds(db, options, message):
    with pytest.raises(CommandError, match=message):
        load_test(**options)
