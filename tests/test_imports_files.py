"""CSV imports of files as spreadsheets save them, and the import_csv command."""

import codecs

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import override_settings
from reversion.models import Version

from catalogue.imports import CsvFile, CsvProblem
from catalogue.imports.csvfile import escape_formula, unescape_formula
from catalogue.models import Document, ImportKey
from catalogue.roles import ARCHIVIST

from .test_imports import csv_text, export, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def archivist_user(db):
    user = User.objects.create_user("ana", is_staff=True)
    user.groups.add(Group.objects.get(name=ARCHIVIST))
    return user


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


def test_another_format_registers_an_import_type_that_the_command_runs(tmp_path, capsys):
    from catalogue.imports import TYPES, ImportType, register
    from catalogue.imports.resources import DocumentResource

    register(ImportType("test-format", DocumentResource, source="other"))
    try:
        path = tmp_path / "other.csv"
        path.write_text("legacy_id,reference_code,title,kind\nx-1,PE-9,T,letter\n")
        call_command("import_csv", str(path), "--type", "test-format")
    finally:
        del TYPES["test-format"]
    assert ImportKey.objects.lookup("other", "document", "x-1") == Document.objects.get().pk
