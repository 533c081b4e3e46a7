import io
import json
import os
import random
import statistics
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import override_settings

from catalogue.models import (
    CaseParty,
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    LegalCase,
    Membership,
    Organization,
    Person,
    Record,
)
from devtools import benchmarking, synthetic
from devtools.management.commands import benchmark

from . import factories

N = 300
SEED = 7  # one seed, so later runs reuse the dates earlier runs parsed
RECORD_MODELS = (Document, Person, Organization, LegalCase, Event)
TEXT_FIELDS = (
    "reference_code",
    "title",
    "extent_and_medium",
    "creator_name",
    "publisher",
    "archival_history",
    "sources",
    "archivist_note",
)


def generate(*args):
    out = io.StringIO()
    call_command("generate_catalogue", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def catalogue(db):
    return generate(N, "--seed", SEED)


def documents_containing(text, fields=("title", "scope_and_content")):
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    return Document.objects.filter(condition)


def test_generating_a_small_catalogue_creates_every_kind_of_record_and_link(catalogue):
    assert Document.objects.count() == N
    assert Person.objects.count() == N // 20
    assert Organization.objects.count() >= 20
    assert LegalCase.objects.exists() and Event.objects.exists()
    for model in (Membership, CaseParty, EventParticipant):
        assert model.objects.exists()
    levels = set(Document.objects.values_list("level", flat=True))
    assert levels == {Document.Level.FONDS, Document.Level.SERIES, Document.Level.ITEM}
    items = Document.objects.filter(level=Document.Level.ITEM)
    assert not items.filter(parent__level__in=[Document.Level.FONDS, Document.Level.ITEM])
    assert not items.filter(parent=None)
    for document in Document.objects.prefetch_related("links", "languages"):
        agents = [link for link in document.links.all() if link.person_id or link.organization_id]
        assert 1 <= len(agents) <= 3
        assert document.languages.exists()
    assert DocumentLink.objects.filter(role=DocumentLink.Role.CASE_RECORD).exists()
    assert "Generated 300 documents" in catalogue


def test_generated_records_pass_the_checks_the_admin_applies(catalogue):
    rng = random.Random(1)
    samples = [
        *rng.sample(list(Document.objects.all()), 25),
        *Person.objects.all()[:8],
        *Organization.objects.all()[:8],
        *LegalCase.objects.all(),
        *Event.objects.all(),
        *Membership.objects.all()[:10],
        *CaseParty.objects.all()[:10],
        *EventParticipant.objects.all()[:10],
        *rng.sample(list(DocumentLink.objects.all()), 40),
    ]
    for record in samples:
        record.full_clean()


def test_generated_date_bounds_are_the_ones_the_models_compute(catalogue):
    rng = random.Random(2)
    records = [
        *rng.sample(list(Document.objects.all()), 40),
        *Person.objects.all(),
        *Organization.objects.all()[:10],
        *LegalCase.objects.all(),
        *Event.objects.all(),
        *Membership.objects.all()[:10],
    ]
    for record in records:
        assert (record.date_earliest, record.date_latest) == record.date_bounds(), record
    assert Document.objects.filter(dates__contains="/").exists()
    assert Document.objects.filter(dates__endswith="~").exists()
    assert Document.objects.filter(dates__regex=r"^\d{4}-\d{2}-\d{2}$").exists()


def test_public_ids_and_reference_codes_are_unique_even_when_run_twice_with_one_seed(db):
    generate(N, "--seed", SEED)
    output = generate(N, "--seed", SEED)
    assert "PE-MEM-SYN2-" in output
    codes = list(Document.objects.values_list("reference_code", flat=True))
    assert len(codes) == len(set(codes)) == 2 * N
    public_ids = [
        public_id
        for model in RECORD_MODELS
        for public_id in model.objects.values_list("public_id", flat=True)
    ]
    assert len(public_ids) == len(set(public_ids))
    assert all(len(i) == 10 and set(i) <= set(synthetic.PUBLIC_ID_ALPHABET) for i in public_ids)


def test_the_same_seed_gives_the_same_catalogue(db):
    def content():
        return list(
            Document.objects.order_by("reference_code").values_list(
                "reference_code", "public_id", "title", "scope_and_content", "dates", "status"
            )
        )

    generate(N, "--seed", SEED)
    first = content()
    output = generate(N, "--seed", SEED, "--clear")
    assert content() == first
    assert "Cleared the catalogue" in output


def test_clear_deletes_the_records_that_were_there_before(db):
    existing = factories.document()
    factories.person()
    generate(50, "--seed", SEED, "--clear")
    assert not Document.objects.filter(pk=existing.pk).exists()
    assert Document.objects.count() == 50


def test_about_nine_in_ten_generated_records_are_published_and_the_rest_are_not(catalogue):
    for model in RECORD_MODELS:
        statuses = set(model.objects.values_list("status", flat=True))
        assert Record.Status.PUBLISHED in statuses
    items = Document.objects.filter(level=Document.Level.ITEM)
    share = items.public().count() / items.count()
    assert 0.85 <= share <= 0.95
    assert items.filter(status=Record.Status.DRAFT).exists()
    assert items.filter(status=Record.Status.WITHDRAWN).exists()


def test_the_benchmark_terms_are_in_the_intended_share_of_documents(catalogue):
    common = documents_containing(synthetic.COMMON_TERM)
    phrase = documents_containing(synthetic.PHRASE_TERM)
    rare = documents_containing(synthetic.RARE_TERM)
    assert common.count() == round(N * synthetic.COMMON_SHARE)
    assert phrase.count() == round(N * synthetic.PHRASE_SHARE)
    assert rare.count() == synthetic.RARE_COUNT
    assert rare.public().count() == synthetic.RARE_COUNT
    # The phrase's words also appear apart, so a phrase search has something to reject.
    apart = documents_containing("comisión").filter(scope_and_content__icontains="verdad")
    assert apart.count() > phrase.count()
    # No other field carries the terms, whatever a search index chooses to cover.
    for term in (synthetic.COMMON_TERM, synthetic.PHRASE_TERM, synthetic.RARE_TERM):
        assert not documents_containing(term, TEXT_FIELDS).exists()


def test_generated_text_is_spanish_and_english_with_accents(catalogue):
    spanish = Document.objects.filter(languages__code="spa").count()
    english = Document.objects.filter(languages__code="eng").count()
    assert 0.35 * N <= spanish <= 0.65 * N
    assert 0.35 * N <= english <= 0.65 * N
    assert documents_containing(" de la ").exists()
    assert documents_containing(" the ").exists()
    assert (
        Document.objects.filter(
            Q(title__regex="[áéíóúñ]") | Q(scope_and_content__regex="[áéíóúñ]")
        ).count()
        > N / 4
    )


def test_the_vocabularies_never_spell_a_benchmark_term_by_accident():
    words = [
        *synthetic.PLACES,
        *synthetic.FIRST_NAMES,
        *synthetic.SURNAMES,
        *synthetic.NEWSPAPERS,
        *(name for name, *_ in synthetic.CORE_ORGANIZATIONS),
        *(pattern for pattern, _ in synthetic.ORGANIZATION_PATTERNS),
        *(text for texts in synthetic.TOPICS.values() for text in texts),
        *(text for texts in synthetic.SCOPE_SENTENCES.values() for text in texts),
        *(
            text
            for kinds in synthetic.TITLES.values()
            for texts in kinds.values()
            for text in texts
        ),
    ]
    for term in (synthetic.COMMON_TERM, synthetic.PHRASE_TERM, synthetic.RARE_TERM):
        assert not [word for word in words if term.lower() in word.lower()]


def test_generate_catalogue_refuses_a_count_below_one(db):
    with pytest.raises(CommandError):
        generate(0)


# The benchmark command (never starts gunicorn here)


def test_percentiles_interpolate_between_the_closest_ranks():
    assert benchmark.percentile([], 50) is None
    assert benchmark.percentile([7], 95) == 7
    assert benchmark.percentile([4, 1, 3, 2], 50) == 2.5
    assert benchmark.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert benchmark.percentile([10, 20], 0) == 10
    assert benchmark.percentile([10, 20], 100) == 20
    values = [random.Random(5).expovariate(1) for _ in range(501)]
    quantiles = statistics.quantiles(values, n=100, method="inclusive")
    assert benchmark.percentile(values, 95) == pytest.approx(quantiles[94])
    assert benchmark.percentile(values, 50) == pytest.approx(statistics.median(values))


@pytest.mark.parametrize(
    "url", ["http://192.0.2.1:8000/", "https://127.0.0.1/", "ftp://localhost/", "localhost:80"]
)
def test_the_benchmark_refuses_anything_but_http_on_loopback(url):
    with pytest.raises(CommandError):
        benchmark.Target.from_url(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:1/", "http://[::1]:80"])
def test_the_benchmark_accepts_loopback_addresses(url):
    assert benchmark.Target.from_url(url).port in {8000, 1, 80}


def test_the_search_scenarios_ask_for_the_generated_terms_with_the_phrase_quoted():
    assert benchmark.SCENARIOS["search-common"] == "/search/?q=tribunal"
    assert benchmark.SCENARIOS["search-phrase"] == "/search/?q=%22comisi%C3%B3n+de+la+verdad%22"
    assert benchmark.SCENARIOS["search-de"] == "/search/?q=de"
    assert benchmark.SCENARIOS["search-two"] == "/search/?q=tribunal+lima"
    assert benchmark.SCENARIOS["list-filtered"] == (
        "/documents/?kind=report&date_from=1990&date_to=2000"
    )


def run_benchmark(url, *scenarios, **options):
    # The live server shares the test's one in-memory SQLite connection among its threads:
    # two requests at once can deadlock in it, so the clients take turns.
    options.setdefault("concurrency", 1)
    out, err = io.StringIO(), io.StringIO()
    scenario = list(scenarios)
    call_command("benchmark", url=url, scenario=scenario, stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.mark.parametrize("backend", [None, "both"])
def test_a_benchmark_of_a_running_server_must_be_told_which_engine_it_searches(backend):
    with pytest.raises(CommandError, match="--backend tantivy or --backend database"):
        run_benchmark("http://127.0.0.1:8000", "home", backend=backend)


@pytest.mark.django_db(transaction=True)
def test_a_benchmark_of_a_running_server_measures_the_home_page_without_errors(live_server):
    output = run_benchmark(
        live_server.url, "home", backend="tantivy", requests=5, warmup=2, json=True
    )
    report = json.loads(output)
    [run] = report["runs"]
    assert run["backend"] == "tantivy" and run["worker_rss_mb"] is None
    [result] = run["results"]
    assert result["scenario"] == "home"
    assert result["requests"] == 10
    assert result["errors"] == 0 and result["statuses"] == {"200": 10}
    assert 0 < result["median_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert result["requests_per_second"] > 0
    assert report["environment"]["documents"] == 0
    assert run["server"].startswith("already running")


@pytest.mark.django_db(transaction=True)
def test_a_page_that_does_not_exist_is_counted_as_errors_in_the_table(live_server, monkeypatch):
    monkeypatch.setitem(benchmark.SCENARIOS, "home", "/no-such-page/")
    table = run_benchmark(
        live_server.url, "home", "detail", backend="database", requests=3, warmup=0
    )
    assert "Memoria benchmark" in table
    home = next(line for line in table.splitlines() if line.startswith("home "))
    assert home.split()[1:3] == ["6", "6"] and "404×6" in home
    assert "detail          skipped: no published documents" in table


@pytest.mark.django_db(transaction=True)
def test_both_backends_are_measured_one_server_after_the_other_and_compared(
    live_server, search_index, monkeypatch
):
    factories.document(title="El tribunal de Lima")
    assert benchmarking.index_problem(search_index) == "has no index in use"
    call_command("rebuild_search_index", "--engine-only", stdout=io.StringIO())
    assert benchmarking.index_problem(search_index) is None  # so the benchmark builds none
    started = []

    @contextmanager
    def live_server_as_gunicorn(workers, environment, log, show_error):
        started.append(environment)
        with override_settings(MEMORIA_SEARCH_ENGINE=environment["MEMORIA_SEARCH_ENGINE"]):
            yield SimpleNamespace(
                target=benchmark.Target.from_url(live_server.url),
                description="the test's live server",
                failed=False,
                worker_pids=lambda: [os.getpid()],
            )

    monkeypatch.setattr(benchmark, "gunicorn", live_server_as_gunicorn)
    report = json.loads(run_benchmark(None, "search-two", requests=3, warmup=0, json=True))
    assert started == [
        {"MEMORIA_SEARCH_ENGINE": "database", "MEMORIA_SEARCH_DIR": search_index},
        {"MEMORIA_SEARCH_ENGINE": "tantivy", "MEMORIA_SEARCH_DIR": search_index},
    ]
    database, tantivy = report["runs"]
    assert (database["backend"], tantivy["backend"]) == ("database", "tantivy")
    for run in report["runs"]:
        [result] = run["results"]
        assert result["statuses"] == {"200": 6}
        [rss], [anonymous] = run["worker_rss_mb"], run["worker_anon_mb"]
        assert rss >= anonymous > 10
    assert database["index_bytes"] is None
    assert tantivy["index_bytes"] > 0 and tantivy["index_rebuild_seconds"] is None
    table = benchmarking.comparison(report)
    assert "ratio: database p95 / tantivy p95" in table
    assert next(line for line in table.splitlines() if line.startswith("search-two")).endswith("×")
