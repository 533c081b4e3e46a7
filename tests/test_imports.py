"""CSV imports of our own templates: round trips, dry runs, re-imports, bad files, history."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from reversion.models import Version

from catalogue import search, services
from catalogue.imports import get_type, run_import
from catalogue.imports.csvfile import rows_to_csv
from catalogue.models import (
    CaseParty,
    Document,
    Event,
    ImportKey,
    Language,
    LegalCase,
    Membership,
    Organization,
    OrganizationIdentifier,
    OrganizationName,
    Person,
    PersonIdentifier,
    PersonName,
    Record,
)
from catalogue.roles import ARCHIVIST, CATALOGUER

from . import factories

pytestmark = pytest.mark.django_db

DRAFT = Record.Status.DRAFT


def csv_text(rows):
    return rows_to_csv(rows[0], rows[1:])


def run(text, import_type="document", encoding="utf-8", **options):
    data = text.encode(encoding) if isinstance(text, str) else text
    return run_import(io.BytesIO(data), get_type(import_type), file_name="test.csv", **options)


def export(import_type, queryset=None):
    """The template of `import_type` filled with the records of `queryset` (all by default)."""
    resource = get_type(import_type).resource()
    model = resource._meta.model
    dataset = resource.export(queryset=queryset if queryset is not None else model.objects.all())
    return rows_to_csv(dataset.headers, dataset)


def without(text, *columns):
    """The CSV text's rows as dicts, without the given columns."""
    return [
        {key: value for key, value in row.items() if key not in columns}
        for row in csv.DictReader(io.StringIO(text))
    ]


@pytest.fixture
def archivist_user(db):
    user = User.objects.create_user("ana", is_staff=True)
    user.groups.add(Group.objects.get(name=ARCHIVIST))
    return user


@pytest.fixture
def cataloguer_user(db):
    user = User.objects.create_user("carl", is_staff=True)
    user.groups.add(Group.objects.get(name=CATALOGUER))
    return user


# Round trips: export, import into an empty catalogue, export again: the same file.


def full_catalogue():
    spa = Language.objects.get(code="spa")
    fonds = factories.document(
        status=DRAFT,
        reference_code="PE-F",
        level=Document.Level.FONDS,
        title="A fonds",
        sources="First source, 2001\nSecond source, 2003",
    )
    item = factories.document(
        status=DRAFT,
        reference_code="PE-F-1",
        parent=fonds,
        title="An item, with a comma",
        kind=Document.Kind.LETTER,
        access=Record.Access.EMBARGOED,
        embargo_until="2040-01-01",
        scope_and_content='Says "hello"\non two lines',
    )
    item.languages.set([spa, Language.objects.get(code="eng")])
    factories.translation(item, title="Un ítem", text="Dice hola")
    person = factories.person(
        status=DRAFT,
        authorized_name="Víctor Polay Campos",
        birth_date="1951-04-06",
        nationality=["PE"],
        protected=True,
        personal_details="Private",
    )
    PersonName.objects.create(person=person, name="Rolando", kind=PersonName.Kind.NOM_DE_GUERRE)
    PersonName.objects.create(
        person=person, name="Víctor Polay", kind=PersonName.Kind.VARIANT, language=spa, note="x"
    )
    PersonIdentifier.objects.create(person=person, scheme="wikidata", value="Q123")
    PersonIdentifier.objects.create(person=person, scheme="viaf", value="456")
    org = factories.organization(
        status=DRAFT,
        authorized_name="Túpac Amaru Revolutionary Movement",
        acronym="MRTA",
        kind=Organization.Kind.ARMED_GROUP,
        country="PE",
    )
    OrganizationName.objects.create(organization=org, name="MRTA", kind=PersonName.Kind.ACRONYM)
    OrganizationIdentifier.objects.create(organization=org, scheme="wikidata", value="Q9")
    court = factories.organization(
        status=DRAFT, authorized_name="Supreme Court", kind=Organization.Kind.COURT
    )
    event = factories.event(status=DRAFT, name="Embassy siege", place="Lima")
    case = factories.legal_case(
        status=DRAFT, title="Trial", court=court, case_number="A-1; B-2", summary="S"
    )
    case.events.set([event])
    factories.translation(case, title="Juicio")
    factories.membership(
        person=person, organization=org, kind=Membership.Kind.LEADER, evidence=item
    )
    factories.case_party(
        case=case,
        person=person,
        role=CaseParty.Role.DEFENDANT,
        outcome=CaseParty.Outcome.CONVICTED,
        sources="One\nTwo",
    )
    factories.case_party(case=case, organization=org, role=CaseParty.Role.OTHER)


RECORD_TYPES = [
    ("document", Document),
    ("person", Person),
    ("organization", Organization),
    ("event", Event),
    ("case", LegalCase),
]
LINK_TYPES = [("membership", Membership), ("case-party", CaseParty)]


@pytest.mark.parametrize("import_type,model", RECORD_TYPES)
def test_every_record_template_round_trips_into_an_empty_catalogue(import_type, model):
    full_catalogue()
    before = export(import_type)
    for _name, other_model in LINK_TYPES:
        other_model.objects.all().delete()
    if model is Document:
        Document.objects.exclude(parent=None).delete()
    LegalCase.objects.update(court=None)
    services.delete_records(model.objects.all())

    report = run(before, import_type)

    assert not report.errors, report.errors
    assert report.written
    assert report.counts["new"] == len(without(before))
    assert export(import_type) == before


@pytest.mark.parametrize("import_type,model", LINK_TYPES)
def test_every_relationship_template_round_trips(import_type, model):
    full_catalogue()
    before = export(import_type)
    model.objects.all().delete()

    report = run(before, import_type)

    assert not report.errors, report.errors
    assert without(export(import_type), "id") == without(before, "id")


def test_an_exported_list_imported_back_unchanged_is_skipped_row_by_row():
    full_catalogue()
    for import_type, _model in RECORD_TYPES + LINK_TYPES:
        report = run(export(import_type), import_type)
        assert report.counts["new"] == report.counts["update"] == 0, import_type
        assert report.counts["skip"] == report.total, import_type


# Dry runs, re-imports, drafts, history, search

DOCS = [
    ["legacy_id", "reference_code", "title", "kind", "dates", "status"],
    ["a1", "PE-X-1", "Letter from Lima", "letter", "1997-04-22", "published"],
    ["a2", "PE-X-2", "Report on the siege", "report", "1990/1995", "published"],
]


def test_a_dry_run_writes_nothing_and_says_what_each_row_would_do():
    factories.document(reference_code="PE-X-2", title="Old title", status=DRAFT)

    report = run(csv_text(DOCS), dry_run=True)

    assert [(r.row, r.action) for r in report.rows] == [(2, "new"), (3, "update")]
    assert not report.written
    assert not Document.objects.filter(reference_code="PE-X-1").exists()
    assert Document.objects.get(reference_code="PE-X-2").title == "Old title"
    assert not ImportKey.objects.exists()


def test_importing_the_same_file_again_updates_and_never_duplicates():
    first = run(csv_text(DOCS))
    again = run(csv_text(DOCS))
    edited = [row[:] for row in DOCS]
    edited[1][2] = "Letter from Lima, 1997"
    edited[2][3] = "Report"  # the label of a choice reads as the choice
    third = run(csv_text(edited))

    assert first.counts == {"new": 2, "update": 0, "skip": 0}
    assert again.counts == {"new": 0, "update": 0, "skip": 2}
    assert third.counts == {"new": 0, "update": 1, "skip": 1}
    assert Document.objects.count() == 2
    assert Document.objects.get(reference_code="PE-X-1").title == "Letter from Lima, 1997"


def test_a_legacy_id_finds_its_record_even_when_the_reference_code_changed():
    run(csv_text(DOCS))
    renamed = [row[:] for row in DOCS]
    renamed[1][1] = "PE-Y-1"

    report = run(csv_text(renamed))

    assert report.counts["update"] == 1
    assert list(Document.objects.values_list("reference_code", flat=True)) == ["PE-X-2", "PE-Y-1"]


def test_imported_records_are_drafts_whatever_the_file_says_with_history_by_the_user(
    archivist_user,
):
    run(csv_text(DOCS), user=archivist_user)

    document = Document.objects.get(reference_code="PE-X-1")
    assert document.status == DRAFT
    versions = Version.objects.get_for_object(document)
    assert versions.count() == 1
    assert versions[0].revision.user == archivist_user
    assert versions[0].revision.get_comment() == "Imported from test.csv"


def test_an_update_leaves_the_status_of_a_published_record_alone(archivist_user):
    published = factories.document(reference_code="PE-X-1", title="Old")
    run(csv_text(DOCS), user=archivist_user)
    published.refresh_from_db()
    assert (published.title, published.status) == ("Letter from Lima", Record.Status.PUBLISHED)


def test_a_cataloguer_cannot_change_a_published_record_through_an_import(cataloguer_user):
    factories.document(reference_code="PE-X-1", title="Old")
    report = run(csv_text(DOCS), user=cataloguer_user)
    assert report.failed and not report.written
    assert report.errors[0].row == 2
    assert "only archivists who may publish" in report.errors[0].message
    assert Document.objects.get(reference_code="PE-X-1").title == "Old"


def found(model, text):
    """The records of `model`, public or not, whose search entry matches `text`."""
    ids = search.matching_ids(search.parse(text), model.record_type)
    return list(model.objects.filter(pk__in=ids))


def test_search_finds_imported_records_and_the_public_finds_them_once_published(
    archivist_user,
):
    run(csv_text(DOCS))
    (siege,) = found(Document, "siege")
    assert siege.reference_code == "PE-X-2"
    assert not search.results(search.parse("siege"), types=["document"])
    siege.extent_and_medium, siege.sources = "1 report", "A source"
    siege.save()
    services.change_status([siege], Record.Status.PUBLISHED, archivist_user)
    assert search.results(search.parse("siege"), types=["document"])


def test_a_parent_listed_after_its_child_is_found():
    rows = [
        ["reference_code", "title", "kind", "parent"],
        ["PE-F-1-1", "Item", "letter", "PE-F-1"],
        ["PE-F-1", "File", "archival_group", "PE-F"],
        ["PE-F", "Fonds", "archival_group", ""],
    ]
    report = run(csv_text(rows))
    assert not report.errors, report.errors
    item = Document.objects.get(reference_code="PE-F-1-1")
    assert [d.reference_code for d in item.ancestors()] == ["PE-F", "PE-F-1"]


def test_an_unknown_parent_is_an_error_that_names_it_and_nothing_is_written():
    rows = [["reference_code", "title", "kind", "parent"], ["PE-1", "Item", "letter", "PE-404"]]
    report = run(csv_text(rows))
    assert not report.written
    assert str(report.errors[0]).startswith("row 2, column parent: No document “PE-404”")
    assert not Document.objects.exists()


def test_an_invalid_row_among_good_ones_writes_nothing_and_says_row_column_and_what_to_write():
    rows = [*DOCS, ["a3", "PE-X-3", "Bad date", "letter", "22/04/1997", ""]]
    report = run(csv_text(rows))
    assert not report.written
    assert not Document.objects.exists()
    (error,) = report.errors
    assert (error.row, error.column) == (4, "dates")
    assert "not a date in EDTF" in error.message and "1997-04-22" in error.message


def test_a_wrong_choice_lists_the_choices():
    rows = [["reference_code", "title", "kind"], ["PE-1", "Item", "memo"]]
    (error,) = run(csv_text(rows)).errors
    assert error.column == "kind"
    assert "“memo” is not one of the choices" in error.message and "letter" in error.message


def test_a_choice_is_read_by_its_value_or_its_label_in_the_language_of_the_import():
    from django.utils import translation

    from catalogue.imports.widgets import Choice

    level = Choice(Document.Level)
    with translation.override("es"):
        assert level.clean("Serie") == level.clean("series") == Document.Level.SERIES
    with translation.override("en"):
        assert level.clean("SERIES") == Document.Level.SERIES
        with pytest.raises(ValueError, match="not one of the choices"):
            level.clean("Serie")


def test_a_draft_document_may_come_without_dates_and_extent_but_is_not_published_so():
    rows = [["reference_code", "title", "kind", "sources"], ["PE-1", "Item", "letter", "S"]]
    assert run(csv_text(rows)).written
    document = Document.objects.get()
    _changed, refused = services.change_status(
        [document], Record.Status.PUBLISHED, User.objects.create_user("x")
    )
    assert refused == [document]
    assert document.publication_gaps == ["dates", "extent and medium"]


# Relationships and references


def test_a_case_and_its_parties_import_with_references_by_name_id_and_legacy_id():
    court = factories.organization(authorized_name="Supreme Court", status=DRAFT)
    run(
        csv_text([["legacy_id", "authorized_name"], ["p-1", "Víctor Polay Campos"]]),
        "person",
    )
    run(
        csv_text(
            [
                ["legacy_id", "title", "jurisdiction", "kind", "court"],
                ["c-1", "Trial", "national", "criminal", court.public_id],
            ]
        ),
        "case",
    )
    report = run(
        csv_text(
            [
                ["case", "person", "organization", "role", "outcome"],
                ["c-1", "p-1", "", "defendant", "convicted"],
                ["Trial", "", "Supreme Court", "judge", ""],
            ]
        ),
        "case-party",
    )
    assert not report.errors, report.errors
    case = LegalCase.objects.get()
    assert case.court == court
    assert sorted(str(p) for p in case.parties.all()) == [
        "Supreme Court – Judge – Trial",
        "Víctor Polay Campos – Defendant – Trial",
    ]


def test_an_unknown_reference_in_a_relationship_says_what_was_not_found():
    factories.person(authorized_name="Someone", status=DRAFT)
    rows = [["person", "organization", "kind"], ["Someone", "Nobody Org", "member"]]
    (error,) = run(csv_text(rows), "membership").errors
    assert (error.row, error.column) == (2, "organization")
    assert "No organization “Nobody Org” in the catalogue" in error.message


def test_name_forms_and_identifiers_are_read_from_their_cells():
    rows = [
        ["authorized_name", "other_names", "identifiers"],
        ["MRTA", "Túpac Amaru [acronym]|Movimiento [translation, spa]", "wikidata:Q1|viaf:2"],
    ]
    assert run(csv_text(rows), "organization").written
    org = Organization.objects.get()
    assert sorted((n.name, n.kind) for n in org.other_names.all()) == [
        ("Movimiento", "translation"),
        ("Túpac Amaru", "acronym"),
    ]
    assert sorted(str(i) for i in org.identifiers.all()) == ["VIAF: 2", "Wikidata: Q1"]
    assert found(Organization, "Movimiento") == [org]


def test_a_malformed_identifier_says_how_one_is_written():
    rows = [["authorized_name", "identifiers"], ["X", "wikidata:123"]]
    (error,) = run(csv_text(rows), "person").errors
    assert error.column == "identifiers"
    assert "Q123456" in error.message


def test_exporting_a_list_reads_a_few_queries_however_long_it_is(django_assert_max_num_queries):
    for n in range(30):
        person = factories.person(authorized_name=f"P{n}", status=DRAFT)
        PersonName.objects.create(person=person, name=f"N{n}", kind=PersonName.Kind.ALIAS)
        PersonIdentifier.objects.create(person=person, scheme="viaf", value=str(n + 1))
        factories.translation(person, text="Biografía")
    with django_assert_max_num_queries(8):
        assert len(without(export("person"))) == 30


def test_a_row_matched_by_public_id_keeps_its_legacy_id_even_after_a_new_row():
    known = factories.document(reference_code="PE-1", status=DRAFT)
    ImportKey.objects.remember("csv", known, "k1")
    rows = [
        ["public_id", "legacy_id", "reference_code", "title", "kind"],
        ["", "k2", "PE-2", "New", "letter"],
        [known.public_id, "k1", "PE-1", "Renamed", "letter"],
    ]
    report = run(csv_text(rows))
    assert not report.errors, report.errors
    assert report.counts == {"new": 1, "update": 1, "skip": 0}
