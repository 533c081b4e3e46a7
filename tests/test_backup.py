"""Backing the catalogue up into one file, and restoring it into a new database as it was."""

import hashlib
import json
import zipfile
from importlib import import_module
from io import StringIO

import pytest
import reversion
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.http import HttpRequest
from django.test import override_settings
from reversion.models import Version

from catalogue import backup, search, services
from catalogue.models import Document, Language, Person, Record
from catalogue.roles import ARCHIVIST, CATALOGUER, ensure_groups

from . import factories

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n" + bytes(range(256)) * 8
SEEDED_LANGUAGES = len(import_module("catalogue.migrations.0002_languages").LANGUAGES)


@pytest.fixture(autouse=True)
def _forget_cached_content_types():
    yield
    # A test that empties the database makes content types anew; the next test must not
    # find their ids in the cache once this test's transaction is rolled back.
    ContentType.objects.clear_cache()


# The collection, and its backup restored into an emptied database, are each made once for
# the tests that use them, which come last in this module: see module_transaction. Whatever
# a test changes, restores or empties is undone when it ends.


@pytest.fixture(scope="module")
def archivists_collection(module_transaction, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        call_command("loaddata", "mrta", verbosity=0)
        return {**archivists_work(), "media": media}


@pytest.fixture
def collection(archivists_collection, settings):
    settings.MEDIA_ROOT = archivists_collection["media"]
    return archivists_collection


def archivists_work():
    """What only an archivist's work leaves on top of the demo collection: an account, a draft
    with an attached file, a language added by hand, history and the admin's log."""
    ana = User.objects.create_user(
        "ana", password="correct horse battery", is_staff=True, first_name="Ana"
    )
    ana.groups.add(Group.objects.get(name=ARCHIVIST))
    ana.user_permissions.add(Permission.objects.get(codename="publish_document"))
    asheninka = Language.objects.create(code="cni", name="Asháninka")
    draft = factories.document(
        title="Scan of a communiqué",
        status=Record.Status.DRAFT,
        file=SimpleUploadedFile("communique.pdf", SCAN),
    )
    draft.languages.add(asheninka, Language.objects.get(code="spa"))
    with reversion.create_revision():
        reversion.set_user(ana)
        reversion.set_comment("Described the scan.")
        draft.save()
    with reversion.create_revision():
        reversion.set_user(ana)
        draft.title = "Scan of a communiqué, annotated"
        draft.save()
    services.change_status([Person.objects.first()], Record.Status.WITHDRAWN, ana)
    # Rows `migrate` also makes, under other ids than a new database gives them.
    Group.objects.filter(name=CATALOGUER).delete()
    ensure_groups()
    Language.objects.filter(code="ita").delete()
    Language.objects.create(code="ita", iso639_1="it", name="Italian")
    search.rebuild()
    return {"ana": ana, "draft": draft}


def everything():
    """Every row a backup keeps, model by model, with content types by natural key."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in backup.exported_models()
    }


def empty_the_database():
    """Leave the database as `migrate` leaves a new one, content types and permissions with
    other ids than before."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    ContentType.objects.clear_cache()
    ContentType.objects.create(app_label="elsewhere", model="placeholder")
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    import_module("catalogue.migrations.0002_languages").add_languages(apps, None)


def back_up(path):
    call_command("backup_catalogue", str(path), stdout=StringIO())
    return path


def restore(path):
    output = StringIO()
    call_command("restore_catalogue", str(path), stdout=output)
    return output.getvalue()


def rewrite(path, change, fix_checksums=True):
    """Change an archive's members and manifest, as damage or a forger would."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members.pop(backup.MANIFEST))
    change(manifest, members)
    if fix_checksums:
        manifest["members"] = {
            name: hashlib.sha256(data).hexdigest() for name, data in members.items()
        }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(backup.MANIFEST, json.dumps(manifest))
        for name, data in members.items():
            archive.writestr(name, data)


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def assert_empty_as_after_migrate():
    assert not Document.objects.exists()
    assert not User.objects.exists()
    assert not Version.objects.exists()
    assert Language.objects.count() == SEEDED_LANGUAGES
    assert Group.objects.filter(name=ARCHIVIST).exists()


@pytest.fixture(scope="module")
def restored_collection(archivists_collection, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("round-trip")
    with django_db_blocker.unblock():
        with override_settings(MEDIA_ROOT=archivists_collection["media"]):
            before = {
                "rows": everything(),
                "found": search.counts(search.parse("Cerpa")),
                "versions": Version.objects.count(),
            }
            archive = back_up(folder / "memoria.zip")
        empty_the_database()
        with override_settings(MEDIA_ROOT=folder / "new-media"):
            output = restore(archive)
    yield {
        **archivists_collection,
        "before": before,
        "output": output,
        "media": folder / "new-media",
    }
    # The content types the restore made are rolled back with the module's transaction.
    ContentType.objects.clear_cache()


@pytest.fixture
def round_trip(restored_collection, settings):
    settings.MEDIA_ROOT = restored_collection["media"]
    return restored_collection


def test_a_backup_keeps_records_relations_accounts_history_and_log_but_not_derived_data():
    labels = {model._meta.label_lower for model in backup.exported_models()}
    assert {
        *("catalogue.document", "catalogue.person", "catalogue.documentlink"),
        *("catalogue.language", "auth.user", "auth.group"),
        *("reversion.revision", "reversion.version", "admin.logentry"),
    } <= labels
    assert not labels & {"catalogue.searchentry", "sessions.session", "auth.permission"}
    assert not any(label.startswith(("axes.", "contenttypes.")) for label in labels)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no archive file"),
        (b"Not an archive at all.", "not a Memoria backup"),
        ({"data.json": b"[]"}, "no readable manifest"),
        ({"manifest.json": b'{"format": "something-else"}'}, "no readable manifest"),
        ({"manifest.json": b'{"format": "memoria-backup", "format_version": 99}'}, "format 1"),
    ],
    ids=["missing", "text", "zip-without-manifest", "other-manifest", "newer-format"],
)
def test_restore_refuses_a_file_that_is_not_a_backup_it_can_read(tmp_path, content, message):
    path = tmp_path / "memoria.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in content.items():
                archive.writestr(name, data)
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert_empty_as_after_migrate()


def test_a_backup_never_overwrites_an_existing_file_unless_forced(collection, tmp_path):
    existing = tmp_path / "memoria.zip"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="already exists"):
        back_up(existing)
    assert existing.read_bytes() == b"yesterday's backup"

    call_command("backup_catalogue", str(existing), "--force", stdout=StringIO())
    assert zipfile.is_zipfile(existing)


def test_a_backup_that_fails_leaves_no_file_behind(collection, tmp_path, monkeypatch):
    def fail():
        raise OSError("disk full")

    monkeypatch.setattr(backup.writing, "memoria_version", fail)
    with pytest.raises(OSError, match="disk full"):
        back_up(tmp_path / "memoria.zip")
    assert list(tmp_path.glob("*.zip*")) == []


def test_restore_refuses_a_database_that_already_holds_a_catalogue(collection, tmp_path):
    archive = back_up(tmp_path / "memoria.zip")
    before = everything()
    with pytest.raises(CommandError, match="empty database"):
        restore(archive)
    assert everything() == before


def test_restore_refuses_an_altered_archive_before_touching_the_database(collection, tmp_path):
    archive = back_up(tmp_path / "memoria.zip")
    rewrite(
        archive,
        lambda manifest, members: members.update(
            {"data.json": members["data.json"].replace(b"Cerpa", b"Serpa")}
        ),
        fix_checksums=False,
    )
    empty_the_database()
    with pytest.raises(CommandError, match=r"checksum of data\.json"):
        restore(archive)
    assert_empty_as_after_migrate()


def test_restore_refuses_file_names_that_climb_out_of_the_media_folder(
    collection, settings, tmp_path
):
    archive = back_up(tmp_path / "memoria.zip")

    def climb(manifest, members):
        manifest["files"]["../../escaped.txt"] = "catalogue.document.file"
        members["media/../../escaped.txt"] = b"written outside MEDIA_ROOT"

    rewrite(archive, climb)
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "new-media" / "inside"
    with pytest.raises(CommandError, match="outside its folders"):
        restore(archive)
    assert files_under(tmp_path / "new-media") == []
    assert not list(tmp_path.rglob("escaped.txt"))
    assert_empty_as_after_migrate()


def test_restore_refuses_an_archive_made_under_other_migrations(collection, tmp_path):
    archive = back_up(tmp_path / "memoria.zip")
    rewrite(archive, lambda manifest, _: manifest["migrations"].append("catalogue.9999_later"))
    empty_the_database()
    with pytest.raises(CommandError, match="other migrations"):
        restore(archive)
    assert_empty_as_after_migrate()


def test_restore_refuses_to_overwrite_a_different_file_in_media_root(
    collection, settings, tmp_path
):
    archive = back_up(tmp_path / "memoria.zip")
    name = collection["draft"].file.name
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    (settings.MEDIA_ROOT / name).parent.mkdir(parents=True)
    (settings.MEDIA_ROOT / name).write_bytes(b"someone else's file")
    with pytest.raises(CommandError, match="Other files already sit"):
        restore(archive)
    assert (settings.MEDIA_ROOT / name).read_bytes() == b"someone else's file"
    assert_empty_as_after_migrate()


def test_a_restore_that_fails_partway_keeps_nothing(collection, settings, tmp_path):
    archive = back_up(tmp_path / "memoria.zip")

    def break_the_last_row(manifest, members):
        rows = json.loads(members["data.json"])
        rows.append({"model": "catalogue.documentlink", "pk": 1, "fields": {"document": 10**9}})
        members["data.json"] = json.dumps(rows).encode()

    rewrite(archive, break_the_last_row)
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    with pytest.raises(CommandError, match="nothing was kept"):
        restore(archive)
    assert_empty_as_after_migrate()
    assert Language.objects.filter(code="cni").count() == 0
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_restore_brings_back_every_row_exactly_as_it_was(round_trip):
    before = round_trip["before"]["rows"]
    assert before["reversion.version"] and before["admin.logentry"] and before["auth.user"]
    assert everything() == before
    assert f"catalogue.document: {Document.objects.count()}" in round_trip["output"]


def test_a_restore_puts_attached_files_back_byte_for_byte(round_trip, settings):
    draft = Document.objects.get(pk=round_trip["draft"].pk)
    assert (settings.MEDIA_ROOT / draft.file.name).read_bytes() == SCAN


def test_search_finds_the_same_records_after_a_restore(round_trip):
    found = search.counts(search.parse("Cerpa"))
    assert found == round_trip["before"]["found"]
    assert sum(found.values()) > 0


def test_a_restored_record_shows_its_history_and_who_made_it(round_trip):
    assert Version.objects.count() == round_trip["before"]["versions"]
    history = Version.objects.get_for_object(Document.objects.get(pk=round_trip["draft"].pk))
    assert [version.field_dict["title"] for version in history] == [
        "Scan of a communiqué, annotated",
        "Scan of a communiqué",
    ]
    assert {version.revision.user.username for version in history} == {"ana"}


def test_archivists_can_sign_in_and_add_records_after_a_restore(round_trip, client):
    # The login lockout needs to see the request a password comes with.
    assert client.login(request=HttpRequest(), username="ana", password="correct horse battery")
    newest = max(Document.objects.values_list("pk", flat=True))
    with reversion.create_revision():
        added = factories.document(title="Catalogued after the restore")
    assert added.pk > newest
    assert Version.objects.get_for_object(added).count() == 1
    assert User.objects.create_user("new").pk > round_trip["ana"].pk
