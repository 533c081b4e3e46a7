"""Timelines: records along the years on the home page, a person's or organization's page and
lists of results, with a bar per year that narrows the list to it; drawn on the server."""

import re

import pytest
from django.test import override_settings

from catalogue import search, timeline
from catalogue.models import DocumentLink, Membership, Record

from . import factories

pytestmark = pytest.mark.django_db

BAR = re.compile(r'<a href="([^"]+)" aria-label="(\d{4}): ([^"]+)"')


def bars(response):
    """{year: (its link, what it says)} of a page's timeline."""
    html = response.content.decode()
    return {int(year): (url.replace("&amp;", "&"), said) for url, year, said in BAR.findall(html)}


def titles(response):
    found = re.findall(r"<h3><a href=[^>]*>(.*?)</a></h3>", response.content.decode())
    return [re.sub(r"<[^>]+>", "", title) for title in found]  # words found are <mark>ed


@pytest.fixture
def documents_of_the_nineties():
    made = [
        factories.document(title="Raid report", dates="1990-05-02"),
        factories.document(title="Trial papers", dates="1990/1992"),
        factories.document(title="Prison letters", dates="1995?"),
        factories.document(title="Draft raid notes", dates="1991", status=Record.Status.DRAFT),
    ]
    search.rebuild()
    return made


@pytest.mark.parametrize("engine", ["tantivy", "database"])
def test_a_year_bar_above_search_results_counts_what_its_link_then_lists(
    client, documents_of_the_nineties, engine
):
    with override_settings(MEMORIA_SEARCH_ENGINE=engine):
        factories.document(title="Raid papers", dates="1991-02", status=Record.Status.DRAFT)
        found = bars(client.get("/search/", {"q": "papers"}))
        # The trial papers run from 1990 through 1992; the draft of 1991 is never counted.
        assert {year: said for year, (_url, said) in found.items()} == {
            1990: "1 result",
            1991: "1 result",
            1992: "1 result",
        }
        page = client.get(found[1991][0])
        assert page.status_code == 200
        assert titles(page) == ["Trial papers"]
        assert 'aria-current="true"' in page.content.decode()  # the chosen year stands out
        # The other years stay, so the reader can move to another.
        assert set(bars(page)) == set(found)


@pytest.mark.parametrize("filters", [{}, {"kind": "report"}, {"q": "papers"}])
@pytest.mark.parametrize("engine", ["tantivy", "database"])
def test_each_year_bar_on_a_browse_page_counts_the_records_its_link_lists(
    client, documents_of_the_nineties, engine, filters
):
    with override_settings(MEMORIA_SEARCH_ENGINE=engine):
        found = bars(client.get("/documents/", filters))
        assert found, "no year bars"
        for year, (url, said) in found.items():
            listed = titles(client.get(url))
            assert said == f"{len(listed)} record" + ("s" if len(listed) != 1 else ""), year
            assert "Draft raid notes" not in listed
        # Until a year is chosen there is none to undo, even with the form's empty dates.
        empty_dates = client.get("/documents/", {**filters, "date_from": "", "date_to": ""})
        assert "All years" not in empty_dates.content.decode()
        # Years with nothing are drawn but are not links.
        assert 1993 not in found and 1994 not in found


def test_a_persons_timeline_draws_uncertain_dates_as_striped_spans_that_say_so(client):
    person = factories.person(authorized_name="Néstor Cerpa Cartolini", birth_date="1953-08-14")
    group = factories.organization(authorized_name="MRTA")
    factories.membership(
        person=person, organization=group, kind=Membership.Kind.LEADER, dates="1985~/1997-04-22"
    )
    case = factories.legal_case(title="Habeas corpus", date_filed="1993?", date_decided="1995")
    factories.case_party(case=case, person=person, role="petitioner")
    hidden = factories.organization(authorized_name="Unpublished front", status="draft")
    factories.membership(person=person, organization=hidden, dates="1980")
    page = client.get(person.get_absolute_url()).content.decode()
    timeline_html = page[page.index("tl-rows") :]
    assert "about 1985 – April 22, 1997" in timeline_html  # the uncertainty in words
    assert "filed: 1993 (uncertain); decided: 1995" in timeline_html
    assert timeline_html.count('class="tl-span uncertain"') == 2  # and drawn striped
    assert timeline_html.count('class="tl-reach"') == 2  # with how far it may reach
    assert "Unpublished front" not in page


def test_a_persons_year_bars_count_the_public_documents_about_them_and_link_to_those(client):
    person = factories.person(authorized_name="Lori Berenson")
    for dates in ("1995-11-30", "1996-01-11", "1996-03"):
        DocumentLink.objects.create(document=factories.document(dates=dates), person=person)
    draft = factories.document(dates="1996-05", status=Record.Status.DRAFT)
    DocumentLink.objects.create(document=draft, person=person)
    found = bars(client.get(person.get_absolute_url()))
    assert found[1996][1] == "2 documents"
    url = found[1996][0]
    assert url == f"/documents/?person={person.public_id}&date_from=1996&date_to=1996"
    assert len(titles(client.get(url))) == 2


def test_the_home_timeline_shows_public_events_and_cases_and_a_bar_per_year(client):
    factories.event(name="Siege of the Japanese embassy", dates="1996-12-17/1997-04-22")
    factories.event(name="Secret meeting", dates="1996", status=Record.Status.DRAFT)
    factories.legal_case(title="Chavín de Huántar case", date_filed="2002", date_decided="2011")
    factories.document(dates="1997-04-22")
    search.rebuild()
    page = client.get("/")
    html = page.content.decode()
    assert "Siege of the Japanese embassy" in html and "Chavín de Huántar case" in html
    assert "Secret meeting" not in html
    assert bars(page)[1997] == ("/documents/?date_from=1997&date_to=1997", "1 document")


def test_the_timeline_is_drawn_without_javascript_and_with_numbers_a_browser_reads_in_spanish(
    client,
):
    person = factories.person(authorized_name="Alberto Gálvez Olaechea", birth_date="1952~")
    html = client.get(person.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in html and "Línea de tiempo" in html
    start = html.index('id="timeline"')
    drawn = html[start : html.index("</section>", start)]  # the timeline's own section
    assert re.findall(r'(?:x|width)="[^"]*,[^"]*"', drawn) == []  # 12.5, never 12,5
    assert "<script" not in drawn


def test_a_malformed_year_on_the_search_page_is_a_400_that_says_what_to_write(client):
    response = client.get("/search/", {"q": "papers", "date_from": "the nineties"})
    assert response.status_code == 400
    assert "Write a year (1997)" in response.content.decode()


def test_years_overlapping_a_span_count_records_that_began_by_its_end_and_had_not_ended():
    starts = {1990: 2, 1995: 1}  # one of 1990 runs to 1992; the 1995 one never ends
    ends = {1990: 1, 1992: 1}
    assert [timeline.overlapping(starts, ends, year, year) for year in (1990, 1991, 1993)] == [
        2,
        1,
        0,
    ]
    assert timeline.overlapping(starts, ends, 1995, 2020) == 1
    assert timeline.overlapping(starts, ends, 1990, 1999) == 3


def test_a_timeline_over_centuries_draws_a_bar_per_decade_or_century():
    rows = [timeline.Row("Old", "/", "", [("", "1501/1999", None)])]
    drawn = timeline.build(rows, ({}, {}), lambda a, b: f"{a}-{b}", timeline.records_counted)
    assert len(drawn.bars) <= timeline.COLUMNS
    assert drawn.bars[0].label == "1500–1509"
    assert drawn.bars[0].url == "1500-1509"


def test_a_protected_persons_birth_is_on_no_timeline(client):
    witness = factories.person(
        authorized_name="Protected witness", birth_date="1961-02-03", protected=True
    )
    factories.membership(person=witness, organization=factories.organization(), dates="1990/1991")
    search.rebuild()
    for url in (witness.get_absolute_url(), "/persons/", "/search/?q=witness"):
        html = client.get(url).content.decode()
        assert "1961" not in html, url


def test_a_timeline_escapes_what_it_writes_of_records_and_addresses(client):
    factories.document(title='Letter <script>alert("x")</script> & notes', dates="1990")
    search.rebuild()
    html = client.get("/documents/", {"q": '<b>"'}).content.decode()
    assert "<b>" not in html  # the words searched for, in the bars' links
    html = client.get("/documents/", {"kind": "report"}).content.decode()
    start = html.index('id="timeline"')
    drawn = html[start : html.index("</section>", start)]
    assert "<script>" not in drawn
    assert "Letter &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; notes" in drawn


def test_a_charts_running_counts_agree_with_counting_each_span_alone():
    starts = {1985: 1, 1990: 2, 1995: 1, 2001: 4}
    ends = {1990: 1, 1992: 1, 1999: 2}
    count = timeline.overlaps(starts, ends)
    for first in range(1980, 2005):
        for last in (first, first + 4, first + 9):
            assert count(first, last) == timeline.overlapping(starts, ends, first, last)
