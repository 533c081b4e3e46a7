"""CSV import and export in the admin: upload → preview → confirm, filtered exports, rights."""

import codecs
import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from reversion.models import Version

from catalogue.models import Document, Membership, Person, Record
from catalogue.roles import CATALOGUER

from . import factories

pytestmark = pytest.mark.django_db

GOOD = (
    "legacy_id,reference_code,title,kind,dates\n"
    "a1,PE-1,Letter from Lima,letter,1997-04-22\n"
    "a2,PE-2,Report on the siege,report,1997\n"
)


def url(model, name):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}")


def upload(client, content, model=Document, name="docs.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        url(model, "import"),
        {"import_file": SimpleUploadedFile(name, data, "text/csv"), "format": "0"},
    )


def confirm(client, preview, model=Document):
    form = preview.context["confirm_form"]
    return client.post(
        url(model, "process_import"),
        {name: form[name].value() for name in form.fields},
        follow=True,
    )


def test_an_archivist_uploads_previews_and_confirms_an_import(archivist_client, archivist):
    preview = upload(archivist_client, GOOD)

    assert preview.status_code == 200
    content = preview.content.decode()
    assert "2 new, 0 to update, 0 unchanged" in content
    assert "Letter from Lima" in content
    assert not Document.objects.exists()  # the preview is a dry run

    done = confirm(archivist_client, preview)

    assert "Import finished: 2 new, 0 updated, 0 unchanged" in done.content.decode()
    assert Document.objects.count() == 2
    document = Document.objects.get(reference_code="PE-1")
    assert document.status == Record.Status.DRAFT
    (version,) = Version.objects.get_for_object(document)
    assert version.revision.user == archivist
    assert version.revision.get_comment() == "Imported from docs.csv"


def test_the_import_form_offers_each_template_by_a_name_an_archivist_reads(archivist_client):
    page = archivist_client.get(url(Document, "import")).content.decode()
    assert "Memoria template: documents" in page
    assert "AtoM archival descriptions (ISAD CSV)" in page
    assert "DocumentResource" not in page


@pytest.mark.parametrize(
    "tampered",
    [{"import_file_name": "gone"}, {"resource": "99"}, {"resource": "x"}, {"format": "9"}],
)
def test_a_confirmation_whose_file_is_gone_or_altered_asks_to_upload_again(
    archivist_client, tampered
):
    form = upload(archivist_client, GOOD).context["confirm_form"]
    data = {name: form[name].value() for name in form.fields} | tampered
    response = archivist_client.post(url(Document, "process_import"), data, follow=True)
    assert response.status_code == 200
    assert "upload it again" in response.content.decode()
    assert not Document.objects.exists()


def test_uploading_the_same_file_again_previews_every_row_as_unchanged(archivist_client):
    confirm(archivist_client, upload(archivist_client, GOOD))
    preview = upload(archivist_client, GOOD)
    assert "0 new, 0 to update, 2 unchanged" in preview.content.decode()
    assert "Skip (unchanged)" in preview.content.decode()


def test_errors_are_listed_with_row_column_and_message_and_there_is_nothing_to_confirm(
    archivist_client,
):
    bad = GOOD + "a3,PE-3,Bad,letter,in the nineties\n"
    preview = upload(archivist_client, bad)
    content = preview.content.decode()
    assert preview.status_code == 200
    assert "1 error: nothing will be imported" in content
    assert "<td>4</td><td>dates</td>" in content
    assert "is not a date in EDTF" in content
    assert "confirm_form" not in preview.context or not preview.context["confirm_form"]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The submitted file is empty"),
        (b"\r\n", "The file is empty"),
        (b"reference_code,title,kind\n", "header row but no rows"),
        (b"reference_code,title,kind\nPE-1,T\n", "2 cells but the header has 3 columns"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_message_not_an_error_page(
    archivist_client, content, message
):
    response = upload(archivist_client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_latin_1_semicolon_files_are_read_and_the_preview_says_how(archivist_client):
    content = "reference_code;title;kind\r\nPE-1;Acción;letter\r\n".encode("cp1252")
    preview = upload(archivist_client, content)
    text = preview.content.decode()
    assert "Windows-1252" in text and "separated by semicolons" in text
    confirm(archivist_client, preview)
    assert Document.objects.get().title == "Acción"


def test_a_bom_and_formula_cells_are_taken_as_text(archivist_client):
    content = codecs.BOM_UTF8 + b"reference_code,title,kind\nPE-1,=1+1,letter\n"
    preview = upload(archivist_client, content)
    assert "never run as a formula" in preview.content.decode()
    confirm(archivist_client, preview)
    assert Document.objects.get().title == "=1+1"


@override_settings(MEMORIA_IMPORT_MAX_MB=1)
def test_an_upload_over_the_size_limit_is_refused_with_a_message(archivist_client):
    response = upload(archivist_client, GOOD.encode() + b" " * (1024 * 1024))
    assert response.status_code == 200
    assert "imports take files up to 1 MB" in response.content.decode()


def test_a_user_without_add_permission_cannot_import(client):
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_document", "change_document"])
    )
    client.force_login(user)
    assert client.get(url(Document, "import")).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert "Import CSV" not in client.get(url(Document, "changelist")).content.decode()
    assert not Document.objects.exists()


def test_a_cataloguer_imports_drafts_and_the_list_offers_import_and_template(client):
    user = User.objects.create_user("cat", is_staff=True)
    user.groups.add(Group.objects.get(name=CATALOGUER))
    client.force_login(user)
    page = client.get(url(Document, "changelist")).content.decode()
    assert "Import CSV" in page and "Download an empty template" in page
    confirm(client, upload(client, GOOD))
    assert Document.objects.filter(status=Record.Status.DRAFT).count() == 2


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_export_of_a_filtered_list_has_only_its_rows_in_the_template(archivist_client):
    factories.document(reference_code="PE-L", kind=Document.Kind.LETTER)
    factories.document(reference_code="PE-R", kind=Document.Kind.REPORT)

    response = archivist_client.get(url(Document, "export") + "?kind__exact=letter")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert [row["reference_code"] for row in rows_of(response)] == ["PE-L"]
    template = archivist_client.get(url(Document, "csv_template")).content.decode()
    assert response.content.decode().splitlines()[0] == template.strip()


def test_selected_rows_export_with_the_action(archivist_client):
    first = factories.person(authorized_name="Ana")
    factories.person(authorized_name="Beto")
    response = archivist_client.post(
        url(Person, "changelist"),
        {"action": "export_admin_action", "_selected_action": [first.pk]},
    )
    assert [row["authorized_name"] for row in rows_of(response)] == ["Ana"]


def test_an_exported_list_edited_and_imported_back_updates_its_records(archivist_client):
    factories.person(authorized_name="Ana", status=Record.Status.DRAFT)
    exported = archivist_client.get(url(Person, "export")).content.decode()
    edited = exported.replace("Ana", "Ana María")

    preview = upload(archivist_client, edited, model=Person)
    assert "0 new, 1 to update, 0 unchanged" in preview.content.decode()
    confirm(archivist_client, preview, model=Person)

    assert list(Person.objects.values_list("authorized_name", flat=True)) == ["Ana María"]


def test_relationship_lists_import_and_export_too(archivist_client):
    person = factories.person(authorized_name="Ana", status=Record.Status.DRAFT)
    org = factories.organization(authorized_name="Org", status=Record.Status.DRAFT)
    content = f"person,organization,kind\n{person.public_id},Org,leader\n"
    confirm(archivist_client, upload(archivist_client, content, model=Membership), Membership)
    membership = Membership.objects.get()
    assert (membership.person, membership.organization, membership.kind) == (
        person,
        org,
        "leader",
    )
    exported = rows_of(archivist_client.get(url(Membership, "export")))
    assert exported[0]["person"] == person.public_id
    assert Version.objects.get_for_object(membership).exists()


def test_the_preview_leaves_no_trace_in_the_history_of_the_records_it_would_change(
    archivist_client,
):
    existing = factories.document(reference_code="PE-1", title="Old", status=Record.Status.DRAFT)
    content = (
        "reference_code,title,kind,parent\n"
        "PE-2,Child,letter,PE-1\n"
        "PE-1,New,letter,PE-3\n"
        "PE-3,A fonds listed last,archival_group,\n"
    )

    preview = upload(archivist_client, content)

    assert "2 new, 1 to update, 0 unchanged" in preview.content.decode()
    assert not Version.objects.get_for_object(existing).exists()
    existing.refresh_from_db()
    assert existing.title == "Old"

    confirm(archivist_client, preview)
    child = Document.objects.get(reference_code="PE-2")
    assert [d.reference_code for d in child.ancestors()] == ["PE-3", "PE-1"]
    assert Version.objects.get_for_object(existing).count() == 1
