"""Browse and search results download as CSV: every public match, and nothing else."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from catalogue import csv_safety, search
from catalogue.exports import tables
from catalogue.models import Document, Language, Record

from . import factories

pytestmark = pytest.mark.django_db

SLUGS = ("documents", "persons", "organizations", "cases", "events")
FACTORIES = {
    "documents": (factories.document, "title"),
    "persons": (factories.person, "authorized_name"),
    "organizations": (factories.organization, "authorized_name"),
    "cases": (factories.legal_case, "title"),
    "events": (factories.event, "name"),
}
HIDDEN = {
    "draft": {"status": Record.Status.DRAFT},
    "restricted": {"access": Record.Access.RESTRICTED},
    "embargoed": {
        "access": Record.Access.EMBARGOED,
        "embargo_until": timezone.localdate() + datetime.timedelta(days=30),
    },
}


@pytest.fixture(autouse=True)
def default_language_afterwards():
    yield
    translation.deactivate()


def read(response):
    """(header, rows as dicts) of a CSV download, checking it starts with a byte order mark."""
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:]))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def ids(response):
    return [row["Public identifier"] for row in read(response)[1]]


def page_ids(response):
    return [record.public_id for record in response.context["results"]]


@pytest.fixture
def mixed():
    """For each record type: two public records and one in each hidden state, all about 'lima'."""
    world = {}
    for slug, (factory, name_field) in FACTORIES.items():
        public = [factory(**{name_field: f"Lima public {slug} {n}"}) for n in (1, 2)]
        hidden = [
            factory(**{name_field: f"Lima {state} {slug}"}, **fields)
            for state, fields in HIDDEN.items()
        ]
        world[slug] = (public, hidden)
    search.rebuild()
    return world


@pytest.mark.parametrize("slug", SLUGS)
def test_each_browse_download_holds_every_public_record_and_no_hidden_one(client, mixed, slug):
    public, hidden = mixed[slug]
    for params in ({}, {"q": "lima"}, {"sort": "title"}):
        found = ids(client.get(f"/{slug}/results.csv", params))
        assert sorted(found) == sorted(record.public_id for record in public), params
        assert not {record.public_id for record in hidden} & set(found)


def test_the_search_download_holds_only_public_matches_of_every_type(client, mixed):
    header, rows = read(client.get("/search/results.csv", {"q": "lima"}))
    public = {record.public_id for records, _hidden in mixed.values() for record in records}
    assert {row["Public identifier"] for row in rows} == public
    assert len(rows) == len(public)
    assert header[:3] == ["Public identifier", "Address", "Record type"]
    assert {row["Record type"] for row in rows} == {
        "Document",
        "Person",
        "Organization",
        "Legal case",
        "Event",
    }
    just_persons = read(client.get("/search/results.csv", {"q": "lima", "type": "person"}))
    assert "Date of birth" in just_persons[0]
    assert len(just_persons[1]) == 2


def test_a_protected_person_is_listed_with_their_withheld_fields_blank(client):
    factories.person(
        authorized_name="Protected witness",
        protected=True,
        birth_date="1950-02-03",
        birth_place="Huancayo",
        death_date="2020",
        personal_details="Lives in Huancayo",
    )
    search.rebuild()
    for response in (
        client.get("/persons/results.csv"),
        client.get("/search/results.csv", {"q": "witness", "type": "person"}),
    ):
        text = b"".join(response.streaming_content).decode()
        assert "Protected witness" in text
        assert "1950" not in text and "Huancayo" not in text
    _header, [row] = read(client.get("/persons/results.csv"))
    assert row["Date of birth"] == row["Place of birth"] == row["Earliest date"] == ""
    assert row["Date of death"] == "2020"


def test_archivist_notes_status_and_access_are_never_in_a_download(client):
    factories.document(title="Annotated", archivist_note="Internal: ask the donor first")
    header, rows = read(client.get("/documents/results.csv"))
    assert not {"Publication status", "Access", "Archivist's note"} & set(header)
    assert "ask the donor" not in str(rows) and "published" not in str(rows).lower()


def test_a_document_names_its_parent_only_when_the_parent_is_public(client):
    fonds = factories.document(reference_code="PE-FONDS", level="fonds")
    draft = factories.document(reference_code="PE-DRAFT", status=Record.Status.DRAFT)
    factories.document(reference_code="PE-A", parent=fonds)
    factories.document(reference_code="PE-B", parent=draft)
    court = factories.organization(authorized_name="Hidden court", status=Record.Status.DRAFT)
    factories.legal_case(title="Heard by a hidden court", court=court)
    _header, rows = read(client.get("/documents/results.csv"))
    parents = {row["Reference code"]: row["Part of (reference code)"] for row in rows}
    assert parents == {"PE-FONDS": "", "PE-A": "PE-FONDS", "PE-B": ""}
    _header, [case] = read(client.get("/cases/results.csv"))
    assert case["Court"] == ""


def test_a_document_row_shows_what_its_page_shows(client):
    fonds = factories.document(reference_code="PE-MRTA", level="fonds", title="MRTA collection")
    article = factories.document(
        reference_code="PE-MRTA-1",
        parent=fonds,
        title="Escape article",
        kind=Document.Kind.NEWS_ARTICLE,
        dates="1990-07-10",
        extent_and_medium="1 web page",
        creator_name="Associated Press",
        sources="La República, 1990\nEl Comercio, 1990",
    )
    article.languages.add(Language.objects.get(code="spa"))
    _header, rows = read(client.get("/documents/results.csv", {"parent": fonds.public_id}))
    assert rows == [
        {
            "Public identifier": article.public_id,
            "Address": f"http://testserver/documents/{article.public_id}/",
            "Reference code": "PE-MRTA-1",
            "Title": "Escape article",
            "Level of description": "Item",
            "Document type": "News article",
            "Dates": "1990-07-10",
            "Extent and medium": "1 web page",
            "Name of creator(s)": "Associated Press",
            "Publisher": "",
            "Languages": "Spanish",
            "Part of (reference code)": "PE-MRTA",
            "Earliest date": "1990-07-10",
            "Latest date": "1990-07-10",
            "Sources": "La República, 1990\nEl Comercio, 1990",
        }
    ]


@pytest.mark.parametrize(
    "slug, params",
    [
        ("documents", {"kind": "judgment"}),
        ("documents", {"q": "tribunal", "sort": "-date"}),
        ("documents", {"q": "tribunal"}),
        ("documents", {"date_from": "1995", "date_to": "1999"}),
        ("documents", {"language": "spa", "sort": "title"}),
        ("persons", {"q": "tribunal"}),
        ("cases", {"jurisdiction": "military"}),
        ("organizations", {"country": "PE"}),
        ("events", {"kind": "arrest", "sort": "-date"}),
    ],
)
def test_filters_words_and_sort_narrow_and_order_the_download_like_the_page(client, slug, params):
    spanish = Language.objects.get(code="spa")
    for n, (year, kind) in enumerate([(1990, "judgment"), (1997, "report"), (2006, "judgment")]):
        document = factories.document(
            title=f"Tribunal ruling {n}" if n != 1 else "Report", dates=str(year), kind=kind
        )
        if n:
            document.languages.add(spanish)
        factories.person(authorized_name=f"Judge {n}", biography="Tribunal" * (n != 1))
        factories.legal_case(jurisdiction="military" if n else "national", date_filed=str(year))
        factories.organization(country="PE" if n else "CL")
        factories.event(kind="arrest" if n else "other", dates=str(year))
    search.rebuild()
    expected = page_ids(client.get(f"/{slug}/", params))
    assert expected
    assert ids(client.get(f"/{slug}/results.csv", params)) == expected


def test_the_search_download_keeps_the_pages_words_type_decade_and_order(client):
    for year in (1985, 1992, 1996):
        factories.document(title=f"Hostage report {year}", dates=str(year))
    factories.event(name="Hostage crisis", dates="1996-12-17/1997-04-22")
    factories.document(title="Unrelated", dates="1993")
    search.rebuild()
    for params in (
        {"q": "hostage"},
        {"q": "hostage", "sort": "-date"},
        {"q": "hostage", "type": "document", "sort": "date"},
        {"q": "hostage", "decade": "1990"},
    ):
        page = client.get(reverse("search"), params)
        expected = [record.public_id for _type, record in page.context["results"]]
        assert ids(client.get("/search/results.csv", params)) == expected, params
    assert ids(client.get("/search/results.csv")) == []  # no words, nothing found


def test_cells_a_spreadsheet_would_run_as_formulas_come_out_escaped(client):
    for title in ("=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"):
        factories.document(title=title, creator_name="=cmd|' /C calc'!A0")
    factories.document(title="Plain − and = inside")
    _header, rows = read(client.get("/documents/results.csv"))
    assert sorted(row["Title"] for row in rows) == sorted(
        [
            "'=HYPERLINK(1)",
            "'+1+1",
            "'-2+3",
            "'@SUM(A1)",
            "'\tTab",
            "'\rReturn",
            "Plain − and = inside",
        ]
    )
    assert {row["Name of creator(s)"] for row in rows} == {"'=cmd|' /C calc'!A0", ""}


def test_safe_cells_leave_ordinary_values_alone():
    assert csv_safety.safe_cell(None) == ""
    assert csv_safety.safe_cell(1997) == "1997"
    assert csv_safety.safe_cell("Víctor Polay Campos") == "Víctor Polay Campos"
    assert csv_safety.safe_cell(" =1") == " =1"
    assert csv_safety.safe_cell("=1") == "'=1"


def test_the_download_is_utf8_csv_named_for_its_list_and_day(client):
    factories.person(authorized_name="Néstor Cerpa Cartolini")
    response = client.get("/persons/results.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (f'attachment; filename="memoria-persons-{day}.csv"')
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the byte order mark
    assert "Néstor Cerpa Cartolini".encode() in body
    search_response = client.get("/search/results.csv", {"q": "nestor", "type": "person"})
    assert search_response["Content-Disposition"] == (
        f'attachment; filename="memoria-search-person-{day}.csv"'
    )


def test_headers_labels_and_titles_are_in_the_readers_language(client):
    document = factories.document(title="Annual report", kind=Document.Kind.REPORT)
    factories.translation(document, title="Informe anual")
    header, [row] = read(client.get("/documents/results.csv", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Título" in header and "Código de referencia" in header
    assert row["Título"] == "Informe anual"
    assert "Informe" in row.values()  # the document type's label
    _header, [row] = read(client.get("/documents/results.csv", HTTP_ACCEPT_LANGUAGE="en"))
    assert row["Title"] == "Annual report"


def queries_of(client, url, params=None):
    # The search index first catches up with the records made since: what is counted is the
    # page, not the applying of changes (whose queries follow the record types changed).
    search.engine.searcher()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        rows = read(response)[1]
    return len(queries), len(rows)


def many(n):
    court = factories.organization(authorized_name="Court", kind="court")
    fonds = factories.document(level="fonds", title="Fonds")
    spanish = Language.objects.get(code="spa")
    for i in range(n):
        document = factories.document(parent=fonds, title=f"Hub report {i}")
        document.languages.add(spanish)
        factories.translation(document, title=f"Informe {i}")
        factories.person(authorized_name=f"Hub person {i}", nationality=["PE", "CL"])
        factories.legal_case(title=f"Hub case {i}", court=court)
        factories.event(name=f"Hub event {i}")
    search.rebuild()


@pytest.mark.parametrize(
    "url, params",
    [
        ("/documents/results.csv", {}),
        ("/documents/results.csv", {"q": "hub"}),
        ("/persons/results.csv", {"sort": "title"}),
        ("/cases/results.csv", {}),
        ("/events/results.csv", {"q": "hub", "sort": "date"}),
        ("/search/results.csv", {"q": "hub"}),
        ("/search/results.csv", {"q": "hub", "type": "document", "sort": "title"}),
    ],
)
def test_a_download_runs_as_many_queries_for_50_records_as_for_5(client, url, params):
    many(5)
    few, rows_few = queries_of(client, url, params)
    many(45)
    more, rows_more = queries_of(client, url, params)
    assert rows_more > rows_few
    assert more == few, (few, more)


def test_a_long_download_reads_its_records_in_batches_of_fixed_cost(client, monkeypatch):
    monkeypatch.setattr(tables, "BATCH", 10)
    many(9)  # and their fonds: one batch
    one_batch, _rows = queries_of(client, "/documents/results.csv")
    many(29)  # and another fonds: four batches
    four_batches, rows = queries_of(client, "/documents/results.csv")
    assert rows == 40
    assert four_batches - one_batch <= 3 * 4  # at most the prefetches of each new batch


def test_a_relevance_download_stops_at_its_cap_and_the_page_says_so(client, monkeypatch):
    monkeypatch.setattr(tables, "MAX_RANKED_ROWS", 3)
    for n in range(5):
        factories.document(title=f"Tribunal {n}", dates=f"{1990 + n}")
    factories.document(title="Tribunal draft", status=Record.Status.DRAFT)
    search.rebuild()
    assert len(ids(client.get("/documents/results.csv", {"q": "tribunal"}))) == 3
    assert len(ids(client.get("/search/results.csv", {"q": "tribunal"}))) == 3
    by_date = ids(client.get("/documents/results.csv", {"q": "tribunal", "sort": "date"}))
    assert len(by_date) == 5
    page = client.get("/documents/", {"q": "tribunal"}).content.decode()
    assert "the download holds the best 3" in page
    assert "holds the best" not in client.get("/documents/", {"sort": "date"}).content.decode()
    assert (
        "The download holds the first 3."
        in client.get(reverse("search"), {"q": "tribunal"}).content.decode()
    )


def test_the_link_is_on_each_page_and_carries_its_filters_but_not_its_page(client):
    for n in range(25):
        factories.document(title=f"Report {n}", kind="report", dates="1997")
    factories.person(authorized_name="Report writer")
    factories.organization(), factories.legal_case(), factories.event()
    search.rebuild()
    html = client.get("/documents/", {"kind": "report", "date_from": "1990", "page": 2})
    assert 'href="/documents/results.csv?kind=report&amp;date_from=1990"' in html.content.decode()
    assert "Download these results (CSV)" in html.content.decode()
    html = client.get(reverse("search"), {"q": "report", "type": "document", "sort": "date"})
    assert (
        'href="/search/results.csv?q=report&amp;type=document&amp;sort=date"'
        in html.content.decode()
    )
    for slug in SLUGS[1:]:
        assert f'href="/{slug}/results.csv"' in client.get(f"/{slug}/").content.decode()
    empty = client.get("/documents/", {"q": "nothing-matches"}).content.decode()
    assert "results.csv" not in empty


@pytest.mark.parametrize(
    "url, params",
    [
        ("/documents/results.csv", {"date_from": "yesterday"}),
        ("/documents/results.csv", {"kind": "spaceship"}),
        ("/documents/results.csv", {"sort": "random"}),
        ("/cases/results.csv", {"decided_to": "1997-13"}),
        ("/search/results.csv", {"q": "lima", "type": "spaceship"}),
        ("/search/results.csv", {"q": "lima", "sort": "random"}),
        ("/search/results.csv", {"q": "lima", "decade": "1995"}),
    ],
)
def test_a_malformed_filter_gets_a_400_with_a_message_not_a_file(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["message"]


def test_unknown_parameters_and_a_page_number_are_dropped_by_a_redirect(client):
    response = client.get("/documents/results.csv", {"kind": "report", "utm_source": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/documents/results.csv?kind=report"
    response = client.get("/search/results.csv", {"q": "lima", "page": "2"})
    assert response["Location"] == "/search/results.csv?q=lima"
