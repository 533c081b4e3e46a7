"""Whatever path takes a record out of public view, partners learn it on the next request.

Each change (withdraw, restrict, embargo, delete; protect for a person) goes through each path
a change can take (the admin, the model in a shell, a queryset's bulk update, loaddata), and
the deletions feed, OAI-PMH and the bulk dump must all show it at once: no nightly job, no
admin hook.
"""

import datetime
import gzip
import json
import tempfile
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from lxml import etree

from catalogue.models import (
    Announced,
    Document,
    DocumentLink,
    Person,
    Record,
    SearchChange,
    Tombstone,
)

from . import factories
from .test_oai import oai_id
from .test_workflow import admin_url, form_data

pytestmark = pytest.mark.django_db

OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}
NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)
CHANGES = {
    "withdraw": {"status": Record.Status.WITHDRAWN},
    "restrict": {"access": Record.Access.RESTRICTED},
    "embargo": {"access": Record.Access.EMBARGOED, "embargo_until": NEXT_YEAR},
}


@pytest.fixture
def world(settings, tmp_path):
    """A fonds with a document, cited by a membership and linked to a case; the dump written."""
    settings.MEMORIA_DUMP_ROOT = tmp_path
    settings.MEMORIA_API_ANONYMOUS_RATE = "100000/minute"
    fonds = factories.document(level="fonds")
    document = factories.document(parent=fonds, title="The document that goes")
    person = factories.person(birth_date="1950-02-03")
    factories.membership(person=person, organization=factories.organization(), evidence=document)
    case = factories.legal_case()
    DocumentLink.objects.create(document=document, legal_case=case)
    call_command("dump_public_records", verbosity=0)
    return {"fonds": fonds, "document": document, "person": person, "case": case}


def dump_text(client):
    response = client.get("/api/v1/dump/")
    assert response.status_code == 200
    return gzip.decompress(b"".join(response.streaming_content)).decode()


def deletions(client):
    body = client.get("/api/v1/deletions/").json()
    return {(row["type"], row["id"]) for row in body["results"]}


def oai_deleted(client):
    response = client.get("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(response.content)
    return {
        header.findtext("o:identifier", None, OAI)
        for header in root.iterfind(".//o:header[@status='deleted']", OAI)
    }


def assert_gone_everywhere(record):
    public = Client()
    assert (record.record_type, record.public_id) in deletions(public)
    assert oai_id(record) in oai_deleted(public)
    # Out of the dump: its own line, and every related list that showed it.
    assert record.public_id not in dump_text(public)


# The paths


def through_the_admin(archivist_client, record, changes):
    url = admin_url(type(record), "change", record.pk)
    data = form_data(archivist_client.get(url)) | {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in changes.items()
    }
    assert archivist_client.post(url, data).status_code == 302


def in_a_shell(archivist_client, record, changes):
    record = type(record).objects.get(pk=record.pk)
    for field, value in changes.items():
        setattr(record, field, value)
    record.save()


def by_a_bulk_update(archivist_client, record, changes):
    type(record).objects.filter(pk=record.pk).update(**changes)


def by_loaddata(archivist_client, record, changes):
    record = type(record).objects.get(pk=record.pk)
    for field, value in changes.items():
        setattr(record, field, value)
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "changed.json"
        fixture.write_text(serializers.serialize("json", [record]))
        call_command("loaddata", str(fixture), verbosity=0)


PATHS = {
    "admin": through_the_admin,
    "shell": in_a_shell,
    "bulk update": by_a_bulk_update,
    "loaddata": by_loaddata,
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("path", PATHS)
def test_a_document_taken_out_of_public_view_is_gone_from_every_partner_channel(
    archivist_client, world, path, change
):
    document = world["document"]
    assert document.public_id in dump_text(Client())
    PATHS[path](archivist_client, document, CHANGES[change])
    assert_gone_everywhere(document)
    # Its tombstone still names the fonds it was in, whatever the path.
    tombstone = Tombstone.objects.get(public_id=document.public_id)
    assert tombstone.collection == world["fonds"].public_id


@pytest.mark.parametrize(
    "delete",
    [
        lambda record: type(record).objects.get(pk=record.pk).delete(),
        lambda record: type(record).objects.filter(pk=record.pk).delete(),
    ],
    ids=["shell", "queryset"],
)
def test_a_deleted_document_is_gone_from_every_partner_channel(world, delete):
    delete(world["document"])
    assert_gone_everywhere(world["document"])
    tombstone = Tombstone.objects.get(public_id=world["document"].public_id)
    assert tombstone.collection == world["fonds"].public_id


@pytest.mark.parametrize("path", PATHS)
def test_a_person_newly_protected_loses_their_withheld_fields_from_the_dump(
    archivist_client, world, path
):
    assert "1950-02-03" in dump_text(Client())
    PATHS[path](archivist_client, world["person"], {"protected": True})
    text = dump_text(Client())
    assert world["person"].public_id in text
    assert "1950-02-03" not in text


def test_a_record_published_after_the_dump_is_in_it_at_the_next_request(client, world):
    draft = factories.document(status=Record.Status.DRAFT, title="Published later")
    assert draft.public_id not in dump_text(client)
    Document.objects.filter(pk=draft.pk).update(status=Record.Status.PUBLISHED)
    lines = [json.loads(line) for line in dump_text(client).splitlines()]
    assert draft.public_id in {line["id"] for line in lines}
    assert (
        len(lines) == sum(model.objects.public().count() for model in (Document, Person)) + 2
    )  # the organization and the case


def test_the_dump_changes_its_etag_when_a_record_changes(client, world):
    etag = client.get("/api/v1/dump/")["ETag"]
    assert client.get("/api/v1/dump/", headers={"If-None-Match": etag}).status_code == 304
    in_a_shell(None, world["case"], {"status": Record.Status.WITHDRAWN})
    response = client.get("/api/v1/dump/", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_the_dump_served_unchanged_is_the_file_as_written(client, world, settings):
    text = dump_text(client)
    written = sorted(settings.MEMORIA_DUMP_ROOT.glob("memoria-public-*.jsonl.gz"))[-1]
    assert gzip.decompress(written.read_bytes()).decode() == text


def test_raw_sql_is_caught_by_reconciling(client, world):
    document = world["document"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Document._meta.db_table} SET status = %s WHERE id = %s",
            ["withdrawn", document.pk],
        )
    assert (document.record_type, document.public_id) not in deletions(client)
    call_command("reconcile_announcements", verbosity=0)
    assert_gone_everywhere(document)
    # Safe to run again: nothing more to do.
    count = Tombstone.objects.count()
    call_command("reconcile_announcements", verbosity=0)
    assert Tombstone.objects.count() == count


def test_a_dump_written_before_the_database_was_replaced_is_not_served(client, world):
    # A restore starts a new change log: what changed since the dump cannot be known.
    SearchChange.objects.all().delete()
    response = client.get("/api/v1/dump/")
    assert response.status_code == 404 and "No dump" in response.json()["detail"]


def test_what_is_announced_follows_what_is_public(world):
    document = world["document"]
    announced = Announced.objects.filter(record_type="document", object_id=document.pk)
    assert announced.exists()
    Document.objects.filter(pk=document.pk).update(status=Record.Status.WITHDRAWN)
    assert not announced.exists()
    Document.objects.filter(pk=document.pk).update(status=Record.Status.PUBLISHED)
    assert announced.exists()
    assert not Tombstone.objects.current().filter(public_id=document.public_id).exists()


def test_a_bulk_update_dates_the_change_for_harvesters(world):
    before = Person.objects.get(pk=world["person"].pk).updated_at
    Person.objects.filter(pk=world["person"].pk).update(biography="Now described.")
    assert Person.objects.get(pk=world["person"].pk).updated_at > before


@pytest.mark.parametrize("engine", ["tantivy", "database"])
@pytest.mark.parametrize("path", ["shell", "bulk update", "loaddata"])
def test_a_record_changed_by_any_path_is_found_as_it_now_reads_on_either_search_path(
    client, world, settings, path, engine
):
    settings.MEMORIA_SEARCH_ENGINE = engine
    document = world["document"]
    PATHS[path](None, document, {"title": "Quillabamba ledger"})

    def found(word):
        response = client.get("/search/", {"q": word})
        assert response.status_code == 200
        return document.public_id in response.content.decode()

    assert found("Quillabamba") and not found("goes")
    PATHS[path](None, document, {"status": Record.Status.WITHDRAWN})
    assert not found("Quillabamba")


def test_after_a_restore_the_old_dump_is_not_served_and_the_backups_removals_are_reported(
    client, world, tmp_path
):
    from .test_backup import back_up, empty_the_database, restore

    document = world["document"]
    # Partners' dump was written while the document was public; the backup has it withdrawn.
    in_a_shell(None, document, {"status": Record.Status.WITHDRAWN})
    archive = back_up(tmp_path / "memoria.zip")
    empty_the_database()
    restore(archive)
    response = client.get("/api/v1/dump/")
    assert response.status_code == 404
    call_command("dump_public_records", verbosity=0)
    assert_gone_everywhere(document)
    assert world["fonds"].public_id in dump_text(client)
