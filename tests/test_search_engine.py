"""The embedded index answers search as the database would, on the very next request."""

import datetime
import io
from pathlib import Path

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from catalogue import search, services
from catalogue.imports import get_type, run_import
from catalogue.imports.csvfile import rows_to_csv
from catalogue.models import (
    Document,
    Language,
    OrganizationName,
    Person,
    PersonName,
    Record,
)

from . import factories

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED, WITHDRAWN = Record.Status.DRAFT, Record.Status.PUBLISHED, Record.Status.WITHDRAWN
EMBARGOED = Record.Access.EMBARGOED
TEN_DAYS = datetime.timedelta(days=10)


def in_use(folder):
    return (Path(folder) / "CURRENT").read_text().strip()


def what_the_public_sees(client, text, **params):
    """What the search page and the home page say, as a visitor reads them."""
    response = client.get(reverse("search"), {"q": text, "sort": "date", **params})
    assert response.status_code == 200
    home = client.get("/")
    return {
        "found": [record.pk for _type, record in response.context["results"]],
        "counts": {type_.name: n for type_, n in response.context["counts"] if n},
        "decades": [(value, n) for value, _label, n, _s in response.context["decades"]],
        "languages": [(code, n) for code, _label, n, _s in response.context["languages"]],
        "home counts": {type_.name: n for type_, n in home.context["counts"] if n},
        "home decades": list(home.context["decades"]),
    }


def seen(*documents):
    """What the public should see when these documents (of 1985 in Spanish, then of 1997 in
    English) are the public ones."""
    decades = [(1980, 1), (1990, 1)][: len(documents)]
    return {
        "found": [document.pk for document in documents],
        "counts": {"document": len(documents)},
        "decades": decades,
        "languages": sorted([("spa", 1), ("eng", 1)][: len(documents)]),
        "home counts": {"document": len(documents)},
        "home decades": decades,
    }


@pytest.fixture
def letter():
    """A public letter of 1985 in Spanish, and the index built with it in."""
    document = factories.document(title="Huancayo letter", dates="1985")
    document.languages.add(Language.objects.get(code="spa"))
    assert search.engine.searcher() is not None
    return document


def report(**values):
    """A document of 1997 in English about Huancayo, saved as the admin saves."""
    document = Document(
        **factories.defaults(**values),
        reference_code="PE-X-1",
        title="Huancayo report",
        dates="1997-04",
        extent_and_medium="1 item",
        kind=Document.Kind.REPORT,
    )
    services.save_record(document, lambda: document.languages.add(Language.objects.get(code="eng")))
    return document


def setting(save, **values):
    def write(record, user=None):
        for name, value in values.items():
            setattr(record, name, value)
        save(record)

    return write


def status_changed(status):
    return lambda document, user: services.change_status([document], status, user)


def hides(write, name):
    return pytest.param({}, write, False, id=name)


ADMIN, SHELL = services.save_record, Document.save  # how the admin saves, how a script does
SOON = {"access": EMBARGOED, "embargo_until": timezone.localdate() + TEN_DAYS}
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
CHANGES = [  # (how the record starts, what is done to it, whether it is public afterwards)
    pytest.param({"status": DRAFT}, status_changed(PUBLISHED), True, id="published"),
    pytest.param(
        SOON, setting(SHELL, access=Record.Access.OPEN, embargo_until=None), True, id="opened"
    ),
    pytest.param(SOON, setting(ADMIN, embargo_until=YESTERDAY), True, id="embargo ended"),
    hides(setting(ADMIN, **SOON), "embargoed"),
    hides(status_changed(WITHDRAWN), "withdrawn"),
    hides(setting(ADMIN, access=Record.Access.RESTRICTED), "restricted"),
    hides(setting(SHELL, status=DRAFT), "unpublished from the shell"),
    hides(lambda d, user: services.delete_records(Document.objects.filter(pk=d.pk)), "deleted"),
    hides(lambda document, user: document.delete(), "deleted from the shell"),
]


@pytest.mark.parametrize(("before", "write", "public"), CHANGES)
def test_a_change_shows_in_search_facets_and_home_counts_on_the_next_request(
    client, archivist, letter, search_index, before, write, public
):
    document = report(**before)
    build = in_use(search_index)
    assert what_the_public_sees(client, "huancayo") == seen(letter, *([] if public else [document]))

    write(document, archivist)

    assert what_the_public_sees(client, "huancayo") == seen(letter, *([document] if public else []))
    assert search.engine.searcher() is not None
    assert in_use(search_index) == build  # caught up from the change log, not rebuilt


def test_an_embargo_ends_in_search_and_home_counts_at_midnight_with_nothing_saved(
    client, letter, clock, search_index
):
    # Its day is read now, not when the tests were collected: a run may pass midnight.
    document = report(access=EMBARGOED, embargo_until=timezone.localdate() + TEN_DAYS)
    build = in_use(search_index)
    clock(days=9)
    assert what_the_public_sees(client, "huancayo") == seen(letter)
    clock(days=10)
    assert what_the_public_sees(client, "huancayo") == seen(letter, document)
    assert in_use(search_index) == build


@pytest.mark.parametrize(
    "save",
    [
        pytest.param(ADMIN, id="by the admin"),
        pytest.param(SHELL, id="by a script"),
    ],
)
def test_an_edited_title_is_found_and_the_old_one_no_longer(client, letter, save):
    document = report()
    assert what_the_public_sees(client, "huancayo") == seen(letter, document)
    document.title = "Tarma report"
    save(document)
    assert what_the_public_sees(client, "tarma")["found"] == [document.pk]
    huancayo = what_the_public_sees(client, "huancayo")
    assert (huancayo["found"], huancayo["counts"], huancayo["home counts"]) == (
        [letter.pk],
        {"document": 1},
        {"document": 2},
    )


def test_a_language_added_from_the_shell_shows_in_the_language_facet(client, letter):
    letter.languages.add(Language.objects.get(code="que"))
    assert what_the_public_sees(client, "huancayo")["languages"] == [("que", 1), ("spa", 1)]


@pytest.mark.parametrize(
    "protect",
    [
        pytest.param(setting(ADMIN, protected=True), id="by the admin"),
        pytest.param(setting(Person.save, protected=True), id="by a script"),
    ],
)
def test_a_protected_persons_birth_place_and_date_cannot_be_found(client, protect):
    rosa = factories.person(
        authorized_name="Rosa Quispe", birth_date="1950-03-01", birth_place="Tarapoto"
    )
    services.save_record(rosa)
    assert what_the_public_sees(client, "tarapoto")["found"] == [rosa.pk]
    assert what_the_public_sees(client, "quispe")["decades"] == [(1950, 1)]

    protect(rosa)

    tarapoto = what_the_public_sees(client, "tarapoto")
    assert (tarapoto["found"], tarapoto["counts"]) == ([], {})
    quispe = what_the_public_sees(client, "quispe")
    assert (quispe["found"], quispe["counts"]) == ([rosa.pk], {"person": 1})
    assert quispe["decades"] == [] and quispe["home counts"] == {"person": 1}
    assert search.engine.searcher() is not None


def test_reverting_a_title_shows_the_old_title_in_search_at_once(client, letter):
    with reversion.create_revision():
        document = report()
    with reversion.create_revision():
        document.title = "Tarma report"
        services.save_record(document)
    assert what_the_public_sees(client, "tarma")["found"] == [document.pk]

    Version.objects.get_for_object(document)[1].revision.revert()

    assert what_the_public_sees(client, "huancayo") == seen(letter, document)
    assert what_the_public_sees(client, "tarma")["counts"] == {}


def test_reverting_a_withdrawal_brings_the_record_back_into_search(client, letter, archivist):
    with reversion.create_revision():
        document = report()
    services.change_status([document], WITHDRAWN, archivist)
    search.engine.rebuild()  # an index that never held it: nothing to take out
    assert what_the_public_sees(client, "huancayo") == seen(letter)

    Version.objects.get_for_object(document)[1].revision.revert()

    assert Document.objects.public().filter(pk=document.pk).exists()
    assert what_the_public_sees(client, "huancayo") == seen(letter, document)


def test_a_csv_import_shows_in_search_at_once(client, letter, archivist, search_index):
    document = report()
    build = in_use(search_index)
    assert what_the_public_sees(client, "huancayo") == seen(letter, document)
    rows = [
        ["reference_code", "title", "kind", "dates", "status"],
        ["PE-X-1", "Tarma report", "report", "1997-04", "published"],
        ["PE-X-2", "Tarma draft", "report", "1990", "published"],  # imported as a draft
    ]
    data = io.BytesIO(rows_to_csv(rows[0], rows[1:]).encode())
    imported = run_import(data, get_type("document"), file_name="tarma.csv", user=archivist)
    assert imported.counts == {"new": 1, "update": 1, "skip": 0}, imported.errors

    tarma = what_the_public_sees(client, "tarma")
    assert (tarma["found"], tarma["counts"], tarma["decades"]) == (
        [document.pk],
        {"document": 1},
        [(1990, 1)],
    )
    huancayo = what_the_public_sees(client, "huancayo")
    assert (huancayo["found"], huancayo["counts"], huancayo["home counts"]) == (
        [letter.pk],
        {"document": 1},
        {"document": 2},
    )
    assert in_use(search_index) == build


# Both paths, the index and the database, give the same answers.


@pytest.fixture
def corpus():
    spanish, english = (Language.objects.get(code=code) for code in ("spa", "eng"))
    final = factories.document(
        title="Informe final sobre Huancayo",
        scope_and_content="Informe de la Comisión de la Verdad.",
        dates="1985",
    )
    final.languages.add(spanish)
    other = factories.document(
        title="otra cosa", scope_and_content="La verdad de la comisión, en Huancayo."
    )
    other.languages.add(english, spanish)
    factories.document(title="Huancayo", scope_and_content="A short note.", dates="1997-04")
    factories.document(title="Huancayo draft", status=DRAFT)
    factories.document(title="Huancayo secret", access=Record.Access.RESTRICTED)
    factories.document(title="Huancayo sealed", access=EMBARGOED, embargo_until="2999-01-01")
    factories.document(title="Cartas de Huancayo", dates="1990/1999")
    polay = factories.person(
        authorized_name="Víctor Polay Campos", biography="Detenido en Huancayo.", birth_date="1951"
    )
    PersonName.objects.create(person=polay, name="Comandante Rolando", kind="nom_de_guerre")
    factories.person(
        authorized_name="Rosa Huancayo", birth_place="Tarapoto", birth_date="1960", protected=True
    )
    mrta = factories.organization(authorized_name="Túpac Amaru Revolutionary Movement")
    OrganizationName.objects.create(
        organization=mrta, name="Movimiento Revolucionario Túpac Amaru", kind="translation"
    )
    factories.event(name="Marcha a Huancayo", description="Comisión de la verdad.")
    factories.legal_case(title="Caso Huancayo", summary="La comisión investigadora.")
    search.rebuild()  # the database path reads the search entries


def answers(client, text, sort):
    response = client.get(reverse("search"), {"q": text, "sort": sort})
    assert response.status_code == 200
    return {
        "results": [(type_.name, record.pk) for type_, record in response.context["results"]],
        "counts": response.context["counts"],
        "decades": response.context["decades"],
        "languages": response.context["languages"],
    }


QUESTIONS = [
    "huancayo",
    "comision verdad",
    '"comision de la verdad"',
    "VICTOR polay",
    "rolando",
    "movimiento revolucionario",
    "tupac",
    "tarapoto",
    "informe huancayo",
    "nothing-like-this",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_the_index_and_the_database_give_the_same_answers(client, settings, corpus, text):
    for sort in ("date", "-date", "title", "relevance"):
        settings.MEMORIA_SEARCH_ENGINE = "tantivy"
        assert search.engine.searcher() is not None
        indexed = answers(client, text, sort)
        settings.MEMORIA_SEARCH_ENGINE = "database"
        assert search.engine.searcher() is None
        database = answers(client, text, sort)
        if sort == "relevance":  # scores differ; the set, counts and facets do not
            indexed["results"].sort()
            database["results"].sort()
        assert indexed == database, sort


@pytest.mark.parametrize("engine", ["tantivy", "database"])
def test_a_title_hit_ranks_above_a_hit_in_a_description_on_both_paths(
    client, settings, corpus, engine
):
    settings.MEMORIA_SEARCH_ENGINE = engine
    found = answers(client, "huancayo", "relevance")["results"]
    titled = Document.objects.get(title="Huancayo").pk
    in_the_body = Document.objects.get(title="otra cosa").pk
    assert found.index(("document", titled)) < found.index(("document", in_the_body))
    assert Person.objects.get(authorized_name="Rosa Huancayo").pk in [
        pk for type_, pk in found if type_ == "person"
    ]


@pytest.mark.parametrize(
    "dates",
    [
        {"date_from": "1990", "date_to": "1995"},  # whole years, as a timeline's bars choose
        {"date_from": "1998"},
        {"date_to": "1985"},
        {"date_from": "1990-06", "date_to": "1997-04-15"},  # days
        {"date_from": "1985-01-01", "date_to": "1985-12-31"},
    ],
)
def test_a_list_narrowed_to_dates_finds_the_same_records_through_the_index_and_the_database(
    client, settings, corpus, dates
):
    factories.document(title="Open file", dates="1996/..")
    factories.document(title="Open start", dates="../1989")
    search.rebuild()
    listed = {}
    for engine in ("tantivy", "database"):
        settings.MEMORIA_SEARCH_ENGINE = engine
        response = client.get(reverse("document_list"), {**dates, "sort": "title"})
        listed[engine] = [record.pk for record in response.context["results"]]
    assert listed["tantivy"] == listed["database"]
    assert listed["tantivy"], "nothing to compare"
