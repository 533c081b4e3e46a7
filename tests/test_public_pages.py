"""The public pages a researcher reads: what they show, how they filter, how they cite."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import search
from catalogue.models import (
    CaseLink,
    Document,
    DocumentLink,
    EventParticipant,
    Language,
    OrganizationRelation,
    PersonIdentifier,
    PersonName,
    Record,
)

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mrta = factories.organization(
        authorized_name="Túpac Amaru Revolutionary Movement",
        acronym="MRTA",
        kind="armed_group",
        country="PE",
        dates="1982/1997~",
    )
    court = factories.organization(
        authorized_name="National Criminal Chamber", kind="court", country="PE"
    )
    polay = factories.person(
        authorized_name="Víctor Polay Campos", birth_date="1951-04-06", nationality=["PE"]
    )
    PersonName.objects.create(person=polay, name="Comandante Rolando", kind="nom_de_guerre")
    PersonIdentifier.objects.create(person=polay, scheme="wikidata", value="Q123")
    cerpa = factories.person(authorized_name="Néstor Cerpa Cartolini", death_date="1997-04-22")
    fonds = factories.document(
        level="fonds", title="MRTA collection", dates="1990/2015", kind="archival_group"
    )
    series = factories.document(
        level="series", parent=fonds, title="Judgments", dates="1993/2015", kind="archival_group"
    )
    judgment = factories.document(
        parent=series, title="Judgment of 2006", dates="2006-03-21", kind="judgment"
    )
    judgment.languages.add(Language.objects.get(code="spa"))
    article = factories.document(
        parent=series,
        title="Escape article",
        dates="1990-07-10",
        kind="news_article",
        creator_name="Associated Press",
    )
    article.languages.add(Language.objects.get(code="eng"))
    membership = factories.membership(
        person=polay,
        organization=mrta,
        kind="leader",
        role="national leader",
        dates="1982/1992-06-09",
        evidence=article,
    )
    factories.membership(person=cerpa, organization=mrta, kind="leader", dates="1992/1997-04-22")
    military = factories.legal_case(
        title="Military trial",
        jurisdiction="military",
        date_decided="1993-04-03",
        case_status="annulled",
    )
    civil = factories.legal_case(
        title="Civilian retrial",
        court=court,
        date_filed="2004-12~",
        date_decided="2006-03-21",
        case_status="decided",
    )
    factories.case_party(
        case=civil, person=polay, role="defendant", outcome="convicted", sentence="32 years"
    )
    CaseLink.objects.create(from_case=civil, to_case=military, kind="retrial_of")
    embassy = factories.event(
        name="Embassy hostage crisis",
        kind="hostage_taking",
        dates="1996-12-17/1997-04-22",
        place="Lima",
    )
    EventParticipant.objects.create(event=embassy, person=cerpa, role="leader")
    DocumentLink.objects.create(document=judgment, legal_case=civil, role="case_record")
    DocumentLink.objects.create(document=judgment, person=polay, role="subject")
    DocumentLink.objects.create(document=article, person=polay, role="subject")
    DocumentLink.objects.create(document=article, organization=mrta, role="mentioned")
    OrganizationRelation.objects.create(source=mrta, target=court, kind="opposed")
    search.rebuild()
    return locals()


def test_a_person_page_shows_names_dates_memberships_cases_and_documents(client, world):
    html = client.get(world["polay"].get_absolute_url()).content.decode()
    for text in (
        "Víctor Polay Campos",
        "Comandante Rolando",
        "April 6, 1951",
        "Peru",
        "Leader",
        "national leader",
        "Túpac Amaru Revolutionary Movement",
        "Defendant",
        "Civilian retrial",
        "convicted",
        "32 years",
        "Judgment of 2006",
        "Escape article",
        "https://www.wikidata.org/wiki/Q123",
    ):
        assert text in html, text
    assert "evidence" in html and world["article"].get_absolute_url() in html


def test_a_document_page_lists_the_public_relationships_it_is_the_evidence_for(client, world):
    drafted = factories.person(authorized_name="Unpublished member", status=Record.Status.DRAFT)
    factories.membership(person=drafted, organization=world["mrta"], evidence=world["article"])

    article = client.get(world["article"].get_absolute_url()).content.decode()
    judgment = client.get(world["judgment"].get_absolute_url()).content.decode()

    assert "Cited as evidence for" in article and "Víctor Polay Campos" in article
    assert "Unpublished member" not in article
    assert "Cited as evidence for" not in judgment


def test_a_document_page_shows_its_place_in_the_archival_tree(client, world):
    html = client.get(world["judgment"].get_absolute_url()).content.decode()
    assert world["fonds"].get_absolute_url() in html and world["series"].get_absolute_url() in html
    assert world["article"].get_absolute_url() in html  # alongside it
    series_html = client.get(world["series"].get_absolute_url()).content.decode()
    assert "2 parts" in series_html
    assert "Spanish" in html and "Part of the case record" in html


def test_a_case_page_groups_parties_by_role_and_links_related_cases(client, world):
    html = client.get(world["civil"].get_absolute_url()).content.decode()
    for text in (
        "National Criminal Chamber",
        "Defendant",
        "Víctor Polay Campos",
        "is a retrial of",
        "Military trial",
        "about December 2004",
    ):
        assert text in html, text


def test_an_event_and_an_organization_page_show_who_took_part(client, world):
    event_html = client.get(world["embassy"].get_absolute_url()).content.decode()
    assert "Néstor Cerpa Cartolini" in event_html and "Leader or commander" in event_html
    org_html = client.get(world["mrta"].get_absolute_url()).content.decode()
    for text in (
        "MRTA",
        "Víctor Polay Campos",
        "Néstor Cerpa Cartolini",
        "opposed",
        "National Criminal Chamber",
        "about 1997",
    ):
        assert text in org_html, text


def test_every_detail_page_carries_json_ld_a_permalink_and_a_citation(client, world):
    for key in ("polay", "mrta", "judgment", "civil", "embassy"):
        record = world[key]
        html = client.get(record.get_absolute_url()).content.decode()
        start = html.index('type="application/ld+json">') + len('type="application/ld+json">')
        data = json.loads(html[start : html.index("</script>", start)])
        assert data["@context"] == "https://schema.org"
        assert data["url"] == f"http://testserver{record.get_absolute_url()}"
        assert f'rel="canonical" href="http://testserver{record.get_absolute_url()}"' in html
        assert "Cite this" in html and record.public_id in html


def test_citations_download_as_bibtex_and_csl_json(client, world):
    record = world["article"]
    bib = client.get(f"{record.get_absolute_url()}cite.bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert "attachment" in bib["Content-Disposition"]
    text = bib.content.decode()
    assert text.startswith(f"@misc{{memoria_{record.public_id},")
    assert "author = {{Associated Press}}" in text and "url = {http://testserver" in text
    csl = client.get(f"{record.get_absolute_url()}cite.json")
    item = json.loads(csl.content)[0]
    assert item["type"] == "article-newspaper"
    assert item["issued"]["date-parts"] == [[1990, 7, 10]]
    assert item["URL"].endswith(record.get_absolute_url())
    assert client.get(f"{record.get_absolute_url()}cite.txt").status_code == 404


def test_bibtex_escapes_characters_that_latex_would_read_as_commands(client):
    record = factories.document(title="50% of {cases} & more_here #1")
    text = client.get(f"{record.get_absolute_url()}cite.bib").content.decode()
    assert r"50\% of \{cases\} \& more\_here \#1" in text


def results_of(response):
    return [str(record) for record in response.context["results"]]


def test_documents_filter_by_type_level_language_and_overlapping_dates(client, world):
    assert results_of(client.get("/documents/", {"kind": "judgment"})) == [str(world["judgment"])]
    assert len(results_of(client.get("/documents/", {"level": ["fonds", "series"]}))) == 2
    assert results_of(client.get("/documents/", {"language": "eng"})) == [str(world["article"])]
    in_1990s = results_of(client.get("/documents/", {"date_from": "1995", "date_to": "1999"}))
    assert set(in_1990s) == {str(world["fonds"]), str(world["series"])}  # intervals that overlap
    july_1990 = results_of(
        client.get("/documents/", {"date_from": "1990-07", "date_to": "1990-07"})
    )
    assert str(world["article"]) in july_1990


def test_documents_filter_by_linked_person_case_and_parent(client, world):
    assert len(results_of(client.get("/documents/", {"person": world["polay"].public_id}))) == 2
    assert results_of(client.get("/documents/", {"case": world["civil"].public_id})) == [
        str(world["judgment"])
    ]
    assert len(results_of(client.get("/documents/", {"parent": world["series"].public_id}))) == 2
    assert results_of(client.get("/documents/", {"person": "doesnotexist"})) == []


def test_facet_counts_follow_the_other_active_filters(client, world):
    response = client.get("/documents/", {"language": "spa"})
    kinds = {
        value: count
        for facet in response.context["facets"]
        if facet.name == "kind"
        for value, _l, count, _s in facet.values
    }
    assert kinds == {"judgment": 1}
    languages = {
        value: count
        for facet in response.context["facets"]
        if facet.name == "language"
        for value, _l, count, selected in facet.values
    }
    assert languages == {"spa": 1, "eng": 1}  # its own filter is not applied to itself


def test_persons_organizations_cases_and_events_have_their_own_filters(client, world):
    members = results_of(client.get("/persons/", {"organization": world["mrta"].public_id}))
    assert set(members) == {"Víctor Polay Campos", "Néstor Cerpa Cartolini"}
    alive_in_1999 = results_of(client.get("/persons/", {"date_from": "1999"}))
    assert "Néstor Cerpa Cartolini" not in alive_in_1999
    assert "Víctor Polay Campos" in alive_in_1999
    assert results_of(client.get("/organizations/", {"kind": "court"})) == [
        "National Criminal Chamber"
    ]
    assert len(results_of(client.get("/organizations/", {"country": "pe"}))) == 2
    assert results_of(client.get("/cases/", {"jurisdiction": "military"})) == ["Military trial"]
    assert results_of(client.get("/cases/", {"court": world["court"].public_id})) == [
        "Civilian retrial"
    ]
    assert results_of(client.get("/cases/", {"decided_from": "2000"})) == ["Civilian retrial"]
    assert results_of(client.get("/cases/", {"party": world["polay"].public_id})) == [
        "Civilian retrial"
    ]
    assert results_of(client.get("/cases/", {"case_status": "annulled"})) == ["Military trial"]
    assert len(results_of(client.get("/events/", {"participant": world["cerpa"].public_id}))) == 1


def test_lists_sort_by_date_title_or_relevance(client, world):
    by_date = results_of(client.get("/cases/", {"sort": "date"}))
    assert by_date == ["Military trial", "Civilian retrial"]
    assert results_of(client.get("/cases/", {"sort": "-date"})) == by_date[::-1]
    assert results_of(client.get("/cases/", {"sort": "title"})) == [
        "Civilian retrial",
        "Military trial",
    ]
    relevant = client.get("/documents/", {"q": "judgment", "sort": "relevance"})
    assert results_of(relevant)[0] == str(world["judgment"])


def test_pagination_keeps_the_filters(client):
    for n in range(25):
        factories.document(title=f"Report {n}", kind="report")
    html = client.get("/documents/", {"kind": "report"}).content.decode()
    assert "?kind=report&amp;page=2" in html


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "yesterday"},
        {"date_to": "1997-13"},
        {"date_from": "1997-02-30"},
        {"kind": "spaceship"},
        {"page": "two"},
        {"sort": "random"},
        {"language": "xx"},
    ],
)
def test_malformed_filters_get_a_400_with_a_message(client, world, params):
    response = client.get("/documents/", params)
    assert response.status_code == 400
    assert "could not be used" in response.content.decode() or response.context.get("message")


def test_a_page_past_the_last_is_empty_not_an_error(client, world):
    response = client.get("/documents/", {"page": 50})
    assert response.status_code == 200 and response.context["results"] == []


def test_draft_parents_hide_the_tree_above_a_public_document(client):
    hidden = factories.document(level="fonds", title="Hidden fonds", status=Record.Status.DRAFT)
    item = factories.document(parent=hidden, title="Visible item")
    html = client.get(item.get_absolute_url()).content.decode()
    assert "Hidden fonds" not in html
    assert Document.objects.public().filter(title="Hidden fonds").count() == 0


def test_the_home_page_offers_search_counts_and_recent_additions(client, world):
    response = client.get("/")
    html = response.content.decode()
    assert 'type="search"' in html and "Recently added" in html
    assert world["article"].title in html


def test_a_ticked_filter_that_no_longer_matches_stays_on_the_form_with_zero(client, world):
    response = client.get("/documents/", {"kind": ["judgment", "news_article"], "language": "spa"})
    kinds = {
        v: (count, selected)
        for f in response.context["facets"]
        if f.name == "kind"
        for v, _l, count, selected in f.values
    }
    assert kinds["news_article"] == (0, True)
    assert kinds["judgment"] == (1, True)


def test_a_page_past_the_last_says_so_and_links_to_the_last_page(client, world):
    html = client.get("/documents/", {"page": 50, "kind": "judgment"}).content.decode()
    assert "There are no results on this page." in html
    assert "No public record matches" not in html
    assert "?page=1&amp;kind=judgment" in html or "?kind=judgment&amp;page=1" in html


def test_unknown_parameters_are_dropped_by_a_redirect_to_the_same_page(client, world):
    response = client.get("/documents/", {"kind": "report", "utm_source": "mail"})
    assert response.status_code == 302
    assert response["Location"] == "/documents/?kind=report"
    assert client.get("/", {"x": "1"})["Location"] == "/"
    response = client.get("/search/", {"q": "embassy", "fbclid": "abc"})
    assert response["Location"] == "/search/?q=embassy"


def test_over_long_search_text_is_cut_to_the_length_of_the_search_box(client, world):
    response = client.get("/search/", {"q": "a" * 20_000}, follow=True)
    assert response.status_code == 200
    assert len(response.context["text"]) == 300
    assert len(response.content) < 40_000
    response = client.get("/documents/", {"q": "b" * 20_000}, follow=True)
    assert response.status_code == 200
    assert "b" * 301 not in response.content.decode()


def test_a_role_is_named_once_and_its_wording_only_where_it_adds_something(client):
    person = factories.person(authorized_name="Party person")
    plain = factories.legal_case(title="Plain case")
    worded = factories.legal_case(title="Worded case")
    factories.case_party(case=plain, person=person, role="defendant", role_detail="defendant")
    factories.case_party(
        case=worded,
        person=person,
        role="victim",
        role_detail="victim (communication submitted by his wife)",
    )
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Defendant</strong> in" in html
    assert "(defendant)" not in html
    assert "Victim</strong> (communication submitted by his wife) in" in html


def test_a_fonds_page_shows_its_public_series_and_files_as_an_expandable_tree(client):
    fonds = factories.document(level="fonds", title="Trial fonds")
    series = factories.document(level="series", parent=fonds, title="Hearings series")
    factories.document(level="file", parent=series, title="Hearing of 12 May")
    factories.document(
        level="file", parent=series, title="Sealed hearing", status=Record.Status.DRAFT
    )
    html = client.get(fonds.get_absolute_url()).content.decode()
    assert "<details><summary>" in html
    assert html.index("Hearings series") < html.index("Hearing of 12 May")
    assert "Sealed hearing" not in html


def test_a_document_page_shows_the_parts_nearest_it_and_links_to_the_whole_level(
    client, django_assert_num_queries
):
    series = factories.document(level="series", title="Letters series")
    parts = [
        factories.document(
            level="item", parent=series, title=f"Letter {n:02d}", reference_code=f"L-{n:02d}"
        )
        for n in range(1, 31)
    ]
    factories.document(
        level="item", parent=series, title="Letter 17b", reference_code="L-17b", status="draft"
    )

    def alongside(document):
        html = client.get(document.get_absolute_url()).content.decode()
        start = html.index("Alongside it")
        return html[start : html.index("</section>", start)]

    shown = alongside(parts[15])  # L-16: five on each side of it, nearest first
    assert re.findall(r"Letter \d\d\w?", shown) == [f"Letter {n:02d}" for n in range(11, 22)]
    assert 'aria-current="page">Letter 16' in shown
    assert f"/documents/?parent={series.public_id}" in shown
    assert re.findall(r"Letter \d\d", alongside(parts[0])) == [
        f"Letter {n:02d}" for n in range(1, 7)
    ]
    # As many queries for a level of thirty as for a level of three.
    few = factories.document(level="series", title="Short series")
    small = [factories.document(level="item", parent=few) for _ in range(3)]
    with CaptureQueriesContext(connection) as thirty:
        client.get(parts[15].get_absolute_url())
    with django_assert_num_queries(len(thirty)):
        html = client.get(small[1].get_absolute_url()).content.decode()
    assert "?parent=" + few.public_id not in html  # all of the level is shown


def test_a_facets_names_are_escaped_and_its_ticked_value_stays_ticked(client):
    group = factories.organization(authorized_name='Front <b>"Rojo"</b> & co')
    factories.membership(person=factories.person(), organization=group)
    search.rebuild()
    html = client.get("/persons/", {"organization": group.public_id}).content.decode()
    assert "<b>" not in html
    assert (
        'Front &lt;b&gt;&quot;Rojo&quot;&lt;/b&gt; &amp; co <span class="count">(1)</span>' in html
    )
    assert f'value="{group.public_id}" checked>' in html


def test_a_fonds_outline_escapes_its_parts_titles(client):
    fonds = factories.document(level="fonds", title="Trial fonds")
    series = factories.document(level="series", parent=fonds, title="Series <i>one</i>")
    factories.document(level="file", parent=series, title='File "<b>A</b>" & more')
    html = client.get(fonds.get_absolute_url()).content.decode()
    assert "<i>" not in html and "<b>" not in html
    assert "Series &lt;i&gt;one&lt;/i&gt;</a>" in html
    assert "File &quot;&lt;b&gt;A&lt;/b&gt;&quot; &amp; more</a>" in html
