"""A page of results reads the embedded index as few times as its counts allow.

At a million documents each pass over the matches of a common word costs milliseconds, so the
number of passes is what a page's speed follows, as its number of queries does.
"""

import pytest
from django.urls import reverse

from catalogue import search
from catalogue.models import Document, Language
from catalogue.search.engine import queries, schema

from . import factories

pytestmark = pytest.mark.django_db


class CountingSearcher:
    """Tantivy's searcher, with the passes over matches that a page asks of it counted."""

    def __init__(self, inner, passes):
        self.inner, self.passes = inner, passes

    def aggregate(self, *args, **kwargs):
        self.passes.append("facets")
        return self.inner.aggregate(*args, **kwargs)

    def search(self, *args, **kwargs):
        self.passes.append("page and count" if kwargs.get("count") else "page")
        return self.inner.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def passes(monkeypatch):
    found = []
    opened = queries.Searcher.__init__

    def counting(self, searcher, index_schema):
        opened(self, CountingSearcher(searcher, found), index_schema)

    monkeypatch.setattr(queries.Searcher, "__init__", counting)
    return found


@pytest.fixture
def holdings():
    spanish = Language.objects.get(code="spa")
    for year in (1985, 1991, 1996):
        document = factories.document(
            title=f"Informe de {year}", dates=str(year), kind=Document.Kind.REPORT
        )
        document.languages.add(spanish)
    factories.document(title="Carta de 1992", dates="1992", kind=Document.Kind.LETTER)
    assert search.engine.searcher() is not None


def test_a_search_counts_its_types_decades_and_languages_in_one_pass(client, holdings, passes):
    response = client.get(reverse("search"), {"q": "de"})

    assert response.context["total"] == 4
    assert passes == ["facets", "page"]


def test_a_search_in_a_decade_counts_the_decades_without_it_in_a_second_pass(
    client, holdings, passes
):
    response = client.get(reverse("search"), {"q": "de", "decade": "1990"})

    assert response.context["total"] == 3
    assert [n for value, _label, n, _selected in response.context["decades"] if value == 1980]
    assert passes == ["facets", "facets", "page"]


def test_a_filtered_list_takes_its_total_and_its_years_from_the_passes_of_its_facets(
    client, holdings, passes
):
    response = client.get(reverse("document_list"), {"kind": "report"})

    assert response.context["total"] == 3
    kinds = next(facet for facet in response.context["facets"] if facet.name == "kind")
    assert {value: n for value, _label, n, _selected in kinds.values} == {"report": 3, "letter": 1}
    # The kind counted without its own filter; the other facets, the total and the years in
    # the pass that applies them all.
    assert passes == ["facets", "facets", "page"]


def test_a_list_of_some_years_counts_every_year_for_its_timeline_in_one_more_pass(
    client, holdings, passes
):
    address = reverse("document_list")
    response = client.get(address, {"kind": "report", "date_from": "1990", "date_to": "2000"})

    assert response.context["total"] == 2
    assert passes == ["facets", "facets", "facets", "page"]


def test_a_catalogue_with_more_combinations_of_years_than_one_count_returns_counts_them_apart(
    client, holdings, passes, monkeypatch
):
    expected = client.get(reverse("search"), {"q": "de"})
    passes.clear()
    # As if the catalogue held more pairs of start and end years than a count may return.
    monkeypatch.setitem(queries.SIZES, schema.YEARS, 1)

    response = client.get(reverse("search"), {"q": "de"})

    assert response.context["decades"] == expected.context["decades"]
    assert [bar.count for bar in response.context["timeline"].bars] == [
        bar.count for bar in expected.context["timeline"].bars
    ]
    assert passes == ["facets", "facets", "page"]
