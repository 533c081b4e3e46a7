"""Search as a visitor uses it: their words, any accents, any stray characters."""

import pytest
from django.urls import reverse

from catalogue import search
from catalogue.models import Document, Event, Language, OrganizationName, PersonName, Record

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["tantivy", "database"])
def search_path(request, settings):
    """Every test here runs on both search paths: the embedded index and the database's own
    full-text index, its fallback; both must answer alike."""
    settings.MEMORIA_SEARCH_ENGINE = request.param
    return request.param


@pytest.fixture
def catalogue():
    polay = factories.person(
        authorized_name="Víctor Polay Campos", biography="Co-founder of the movement."
    )
    PersonName.objects.create(person=polay, name="Comandante Rolando", kind="nom_de_guerre")
    mrta = factories.organization(
        authorized_name="Túpac Amaru Revolutionary Movement", acronym="MRTA"
    )
    OrganizationName.objects.create(
        organization=mrta, name="Movimiento Revolucionario Túpac Amaru", kind="translation"
    )
    verdad = factories.document(
        title="Informe final", scope_and_content="Informe de la Comisión de la Verdad."
    )
    reversed_words = factories.document(
        title="Otra cosa", scope_and_content="La verdad de la comisión investigadora."
    )
    search.rebuild()
    return {"polay": polay, "mrta": mrta, "verdad": verdad, "reversed": reversed_words}


def found(text, kind=None):
    return [record for _kind, record in search.results(search.parse(text), kind and [kind])]


def test_search_ignores_capitals_and_accents(catalogue):
    assert catalogue["polay"] in found("victor polay")
    assert catalogue["polay"] in found("VÍCTOR POLAY")
    assert catalogue["mrta"] in found("tupac amaru")


def test_a_nom_de_guerre_finds_the_person(catalogue):
    assert found("comandante rolando") == [catalogue["polay"]]


def test_an_acronym_or_a_name_in_the_other_language_finds_the_organization(catalogue):
    assert found("mrta") == [catalogue["mrta"]]
    assert found("movimiento revolucionario") == [catalogue["mrta"]]


def test_a_quoted_phrase_matches_only_as_written(catalogue):
    assert found('"comision de la verdad"') == [catalogue["verdad"]]
    assert set(found("comision verdad")) == {catalogue["verdad"], catalogue["reversed"]}


def test_several_words_must_all_match(catalogue):
    assert found("informe verdad") == [catalogue["verdad"]]
    assert found("informe rolando") == []


def test_a_hit_in_a_title_ranks_above_a_hit_in_a_description():
    deep = factories.document(
        title="Annual report",
        scope_and_content="A long account of many things. " * 20 + "It mentions Tarapoto once.",
    )
    titled = factories.document(title="Tarapoto", scope_and_content="A short note.")
    search.rebuild()
    assert found("tarapoto") == [titled, deep]


HOSTILE = [
    '"open quote',
    'unbalanced "quotes" "here',
    "AND",
    "OR NOT",
    "NEAR(victor polay",
    "*",
    "polay*",
    "title:polay",
    "-polay",
    "- -- ---",
    "(((",
    "[polay]",
    "{polay}",
    "'; DROP TABLE catalogue_document; --",
    "\\",
    "^",
    "%_%",
    "_",
    "a" * 5000,
    "x " * 400,
    "\x00\x01\x02 polay \x7f",
    "😀 polay",
    "polay\u0301",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_text_typed_in_the_search_box_returns_a_normal_page(client, catalogue, text):
    # Over-long text is cut to the box's length on the way: the page is reached all the same.
    response = client.get(reverse("search"), {"q": text}, follow=True)
    assert response.status_code == 200
    for slug in ("documents", "persons", "organizations", "cases", "events"):
        assert client.get(f"/{slug}/", {"q": text}, follow=True).status_code == 200


def test_the_search_page_counts_results_per_record_type(client, catalogue):
    response = client.get(reverse("search"), {"q": "tupac"})
    counts = {type_.name: n for type_, n in response.context["counts"]}
    assert counts["organization"] == 1
    assert counts["person"] == 0
    assert response.context["total"] == 1


def test_only_published_records_are_found_or_counted(client):
    factories.person(authorized_name="Ana Public")
    factories.person(authorized_name="Ana Draft", status=Record.Status.DRAFT)
    factories.person(authorized_name="Ana Withdrawn", status=Record.Status.WITHDRAWN)
    search.rebuild()
    response = client.get(reverse("search"), {"q": "ana"})
    assert response.context["total"] == 1
    html = response.content.decode()
    assert "Public" in html and "Draft" not in html and "Withdrawn" not in html


def test_withdrawing_a_record_hides_it_from_search_at_once(client, catalogue):
    polay = catalogue["polay"]
    polay.status = Record.Status.WITHDRAWN
    polay.save()
    response = client.get(reverse("search"), {"q": "polay"})
    assert response.context["total"] == 0


def test_an_archivists_edit_shows_in_search_at_once(archivist_client, client, catalogue):
    document = catalogue["verdad"]
    url = reverse("admin:catalogue_document_change", args=[document.pk])
    form = archivist_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value and key != "file"}
    data |= {"title": "Informe sobre Huancayo", "languages": []}
    for inline in archivist_client.get(url).context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = archivist_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert client.get(reverse("search"), {"q": "huancayo"}).context["total"] == 1
    assert client.get(reverse("search"), {"q": "final"}).context["total"] == 0


def test_results_mark_the_words_that_matched_whatever_their_accents(client, catalogue):
    html = client.get(reverse("search"), {"q": "comision"}).content.decode()
    assert "<mark>Comisión</mark>" in html


def test_results_are_paginated_and_a_page_past_the_end_is_simply_empty(client):
    for n in range(25):
        factories.document(title=f"Huancayo report {n}")
    search.rebuild()
    first = client.get(reverse("search"), {"q": "huancayo"})
    assert len(first.context["results"]) == 20
    second = client.get(reverse("search"), {"q": "huancayo", "page": 2})
    assert len(second.context["results"]) == 5
    beyond = client.get(reverse("search"), {"q": "huancayo", "page": 99})
    assert beyond.status_code == 200 and beyond.context["results"] == []


@pytest.mark.parametrize(
    "params", [{"page": "abc"}, {"page": "-1"}, {"type": "nope"}, {"sort": "x"}]
)
def test_malformed_search_parameters_get_a_400_with_a_message(client, catalogue, params):
    response = client.get(reverse("search"), {"q": "polay", **params})
    assert response.status_code == 400
    assert response.context["message"]


def test_search_can_be_narrowed_to_one_record_type_and_sorted(client, catalogue):
    response = client.get(reverse("search"), {"q": "informe", "type": "document", "sort": "title"})
    assert [record for _kind, record in response.context["results"]] == [catalogue["verdad"]]
    assert all(isinstance(r, Document) for _k, r in response.context["results"])


def test_search_results_can_be_narrowed_by_decade_and_language_with_public_counts(client):
    spanish = Language.objects.get(code="spa")
    old = factories.document(title="Huancavelica report", dates="1985")
    new = factories.document(title="Huancavelica ruling", dates="1997-04")
    new.languages.add(spanish)
    factories.event(name="Huancavelica march", dates="1996")
    hidden = factories.document(
        title="Huancavelica draft", dates="1998", status=Record.Status.DRAFT
    )
    hidden.languages.add(spanish)
    search.rebuild()
    response = client.get(reverse("search"), {"q": "huancavelica"})
    assert [(value, n) for value, _label, n, _s in response.context["decades"]] == [
        (1980, 1),
        (1990, 2),
    ]
    assert [(code, n) for code, _label, n, _s in response.context["languages"]] == [("spa", 1)]
    in_the_90s = client.get(reverse("search"), {"q": "huancavelica", "decade": "1990"})
    assert in_the_90s.context["total"] == 2
    assert {record.pk for _type, record in in_the_90s.context["results"]} == {
        new.pk,
        Event.objects.get(name="Huancavelica march").pk,
    }
    spanish_only = client.get(reverse("search"), {"q": "huancavelica", "language": "spa"})
    assert [record.pk for _type, record in spanish_only.context["results"]] == [new.pk]
    assert old.pk not in {r.pk for _t, r in spanish_only.context["results"]}


@pytest.mark.parametrize("params", [{"decade": "1995"}, {"decade": "x"}, {"language": "xx"}])
def test_a_malformed_decade_or_language_gets_a_400(client, params):
    response = client.get(reverse("search"), {"q": "anything", **params})
    assert response.status_code == 400


@pytest.mark.parametrize("address", ["/search/", "/documents/"])
def test_a_results_title_and_passage_are_escaped_and_only_the_words_marked(client, address):
    factories.document(
        title="Report <b>bold</b> & more",
        scope_and_content='A report with <script>alert("x")</script> inside',
    )
    search.rebuild()
    html = client.get(address, {"q": "report"}).content.decode()
    assert "<b>" not in html and "<script>" not in html
    assert "<mark>Report</mark> &lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    assert "A <mark>report</mark> with &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
