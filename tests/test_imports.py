"""CSV imports of our own templates: round trips, dry runs, re-imports, bad files, history."""

import codecs
import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import override_settings
from reversion.models import Version

from catalogue import search, services
from catalogue.imports import CsvFile, CsvProblem, get_type, run_import
from catalogue.imports.csvfile import escape_formula, rows_to_csv, unescape_formula
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


# Files as spreadsheets save them


GOOD = "reference_code,title,kind\r\nPE-1,Acción de Lima,letter\r\n"


def test_a_latin_1_file_is_read_and_the_preview_says_so():
    report = run(GOOD, encoding="cp1252")
    assert report.written
    assert Document.objects.get().title == "Acción de Lima"
    assert any("Windows-1252" in note for note in report.notes)


def test_a_utf8_file_with_a_byte_order_mark_is_read_without_a_note():
    report = run(codecs.BOM_UTF8 + GOOD.encode())
    assert report.written and not report.notes
    assert Document.objects.get().reference_code == "PE-1"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read_and_said_so(delimiter):
    report = run(GOOD.replace(",", delimiter).replace("\r\n", "\n"))
    assert report.written, report.errors
    assert Document.objects.get().title == "Acción de Lima"
    assert report.notes


def test_multi_line_cells_keep_their_lines_through_crlf_files():
    text = 'reference_code,title,kind,sources\r\nPE-1,T,letter,"One\r\nTwo"\r\n'
    assert run(text).written
    assert Document.objects.get().source_list == ["One", "Two"]


def test_a_ragged_row_is_named_and_nothing_is_written():
    text = "reference_code,title,kind\nPE-1,T,letter\nPE-2,T,letter,extra\nPE-3,T\n"
    report = run(text)
    assert [(e.row, e.column) for e in report.errors] == [(3, None), (4, None)]
    assert "4 cells but the header has 3 columns" in report.errors[0].message
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The file is empty"),
        (codecs.BOM_UTF8 + b"\r\n", "The file is empty"),
        (b"reference_code,title,kind\n", "header row but no rows"),
        (b"reference_code,title,kind\n,,\n", "header row but no rows"),
    ],
)
def test_an_empty_file_or_a_header_alone_is_refused_with_a_message(content, message):
    report = run(content)
    assert message in report.errors[0].message
    assert not report.written


@override_settings(MEMORIA_IMPORT_MAX_MB=1)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    report = run(GOOD.encode() + b"x" * (1024 * 1024))
    assert "imports take files up to 1 MB" in report.errors[0].message
    with pytest.raises(CsvProblem):
        CsvFile.from_bytes(b"x" * (1024 * 1024 + 1))


def test_unknown_columns_are_listed_not_silently_dropped():
    report = run("reference_code,title,kind,colour\nPE-1,T,letter,red\n")
    assert report.written
    assert any("colour" in note for note in report.notes)


def test_formula_cells_are_kept_as_text_and_exported_escaped():
    text = 'reference_code,title,kind,scope_and_content\nPE-1,"=HYPERLINK(""x"")",letter,@SUM(A1)\n'
    report = run(text)
    assert report.written
    document = Document.objects.get()
    assert document.title == '=HYPERLINK("x")'
    assert any("never run as formulas" in note for note in report.notes)
    exported = export("document")
    assert "'=HYPERLINK" in exported and "'@SUM(A1)" in exported
    assert run(exported).counts["skip"] == 1  # read back as it was


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "'=x", "plain", "'quoted"])
def test_escaping_formulae_reads_back_as_written(value):
    assert unescape_formula(escape_formula(value)) == value
    assert not escape_formula(value).startswith(("=", "+", "-", "@"))


# The command


def test_the_command_prints_each_error_as_row_column_message_and_fails(tmp_path, capsys):
    path = tmp_path / "docs.csv"
    path.write_text("reference_code,title,kind,dates\nPE-1,T,letter,someday\n")
    with pytest.raises(CommandError, match="1 errors: nothing was imported"):
        call_command("import_csv", str(path), "--type", "document")
    assert "row 2, column dates: “someday” is not a date in EDTF" in capsys.readouterr().out
    assert not Document.objects.exists()


def test_the_command_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "docs.csv"
    path.write_text(GOOD)
    call_command("import_csv", str(path), "--type", "document", "--dry-run")
    out = capsys.readouterr()
    assert "Would import 1 rows of docs.csv: 1 new" in out.out
    assert "1/1 rows" in out.err
    assert not Document.objects.exists()


def test_the_command_records_the_user_and_source(tmp_path, archivist_user):
    path = tmp_path / "docs.csv"
    path.write_text("legacy_id,reference_code,title,kind\n77,PE-1,T,letter\n")
    call_command("import_csv", str(path), "--type", "document", "--user", "ana", "--source", "old")
    document = Document.objects.get()
    assert ImportKey.objects.lookup("old", "document", "77") == document.pk
    assert Version.objects.get_for_object(document)[0].revision.user == archivist_user


def test_a_long_file_imports_in_chunks_with_progress():
    rows = [["reference_code", "title", "kind", "parent"]]
    rows += [[f"PE-{n}", f"Item {n}", "letter", f"PE-{n + 1}" if n < 24 else ""] for n in range(25)]
    seen = []
    report = run(csv_text(rows), chunk_size=10, progress=lambda done, *_: seen.append(done))
    assert not report.errors, report.errors
    assert seen == [10, 20, 25]
    assert Document.objects.get(reference_code="PE-0").ancestors()[0].reference_code == "PE-16"
