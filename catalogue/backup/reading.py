"""Restoring: an archive checked whole, then loaded into an empty database."""

import json
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from .common import (
    CHUNK,
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    SEEDED_BY_MIGRATE,
    UNREADABLE,
    BackupError,
    Summary,
    applied_migrations,
    copy_hashing,
    exported_models,
)


def restore(path, stdout=None):
    """Load an archive into an empty database, all or nothing; return a Summary.

    Everything is checked before anything is written: the archive, its checksums, that it
    was made under this database's migrations, that the database is empty, and that no
    different file already sits where an attached file goes.
    """
    path = Path(path)
    with _open_archive(path) as archive:
        manifest = _read_manifest(archive, path)
        _check_members(archive, manifest, path)
        _check_migrations(manifest)
        _check_empty()
        files = _check_media_free(archive, manifest)
        with tempfile.TemporaryDirectory() as scratch:
            data = Path(scratch) / DATA
            with archive.open(DATA) as source, open(data, "wb") as target:
                # Checked again as it is copied: what is loaded is what was checked.
                if copy_hashing(source, target) != manifest["members"][DATA]:
                    raise BackupError(f"{path} changed while it was being restored.")
            written = []
            try:
                counts = _load_everything(archive, manifest, data, files, written, stdout)
            except BaseException:
                for storage, name in written:
                    storage.delete(name)
                raise
    return Summary(path, counts, len(manifest["files"]), manifest["missing_files"])


@contextmanager
def _open_archive(path):
    if not path.is_file():
        raise BackupError(f"There is no archive file at {path}.")
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise BackupError(f"{path} is not a Memoria backup, or it is damaged: {error}") from error


def _read_manifest(archive, path):
    unreadable = f"{path} is not a Memoria backup: it has no readable manifest."
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (KeyError, ValueError, *UNREADABLE) as error:
        raise BackupError(unreadable) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(unreadable)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is in backup format {manifest.get('format_version')!r}; this version of "
            f"Memoria reads format {FORMAT_VERSION}."
        )
    shapes = {
        "members": dict,
        "files": dict,
        "counts": dict,
        "migrations": list,
        "missing_files": list,
    }
    if any(not isinstance(manifest.get(key), shape) for key, shape in shapes.items()):
        raise BackupError(f"{path} has an incomplete manifest.")
    return manifest


def _safe_name(name):
    """A relative path that stays inside the folder it is put in."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and ":" not in parts[0]


def _check_members(archive, manifest, path):
    names = archive.namelist()
    expected = {MANIFEST, DATA, *(MEDIA + name for name in manifest["files"])}
    unsafe = [name for name in [*names, *manifest["files"]] if not _safe_name(name)]
    if unsafe:
        raise BackupError(f"{path} names files outside its folders, refused: {unsafe[:5]}")
    if (
        len(names) != len(set(names))
        or set(names) != expected
        or set(manifest["members"]) != (expected - {MANIFEST})
    ):
        raise BackupError(f"{path} does not hold the files its manifest lists.")
    for member, checksum in manifest["members"].items():
        try:
            with archive.open(member) as source:
                actual = copy_hashing(source)
        except UNREADABLE as error:
            raise BackupError(f"{path} is damaged: {member}: {error}") from error
        if actual != checksum:
            raise BackupError(
                f"{path} is damaged or was altered: the checksum of {member} does not match "
                "its manifest."
            )


def _check_migrations(manifest):
    labels = {entry.split(".")[0] for entry in manifest["migrations"]}
    labels |= {model._meta.app_label for model in exported_models()}
    here = applied_migrations(labels)
    if here != manifest["migrations"]:
        missing = sorted(set(manifest["migrations"]) - set(here))
        extra = sorted(set(here) - set(manifest["migrations"]))
        raise BackupError(
            "The archive was made under other migrations than this database has "
            f"(Memoria {manifest.get('memoria_version')}). Restore with the version of Memoria "
            "that made it, then upgrade and migrate. "
            f"Only in the archive: {missing[:5] or 'none'}; only here: {extra[:5] or 'none'}."
        )


def _check_empty():
    present = []
    for model in exported_models():
        if model._meta.label_lower in SEEDED_BY_MIGRATE:
            continue
        if count := model._base_manager.count():
            meta = model._meta
            present.append(
                f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
            )
    if present:
        raise BackupError(
            f"This database already holds {', '.join(present)}. A restore goes into an empty "
            "database: create a new one, run `manage.py migrate`, then restore."
        )


def _storage_of(label):
    app_label, model_name, field_name = label.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name).storage


def _check_media_free(archive, manifest):
    """(name, storage) of the files to write; refuse if a different file is in the way."""
    to_write, in_the_way = [], []
    for name, label in manifest["files"].items():
        try:
            storage = _storage_of(label)
        except (ValueError, LookupError, AttributeError) as error:
            raise BackupError(f"The archive has a file for an unknown field {label}.") from error
        if not storage.exists(name):
            to_write.append((name, storage))
            continue
        with storage.open(name, "rb") as existing:
            if copy_hashing(existing) != manifest["members"][MEDIA + name]:
                in_the_way.append(name)
    if in_the_way:
        raise BackupError(
            f"Other files already sit where the archive's files go, in MEDIA_ROOT: "
            f"{in_the_way[:5]}. Move them away, then restore."
        )
    return to_write


def _load_everything(archive, manifest, data, files, written, stdout):
    try:
        with transaction.atomic():
            counts = _load(data, manifest)
            for name, storage in files:
                _restore_file(archive, manifest, name, storage, written)
            call_command("reconcile_announcements", stdout=stdout)
            call_command("rebuild_search_index", stdout=stdout)
    except BackupError:
        raise
    except Exception as error:
        raise BackupError(
            f"The restore failed and nothing was kept: {error} "
            "(run it again with --traceback for details)."
        ) from error
    return counts


def _load(data, manifest):
    for model in exported_models():
        if model._meta.label_lower in SEEDED_BY_MIGRATE:
            model._base_manager.all().delete()
    # loaddata checks foreign keys at the end and resets PostgreSQL's sequences past the
    # loaded primary keys, so new records do not collide with restored ones.
    call_command("loaddata", str(data), verbosity=0)
    counts = {model._meta.label_lower: model._base_manager.count() for model in exported_models()}
    expected = manifest["counts"]
    if counts != expected:
        different = sorted(
            label for label in {*counts, *expected} if counts.get(label) != expected.get(label)
        )
        raise BackupError(
            f"The restore failed and nothing was kept: the rows loaded for {different} differ "
            "from the manifest's counts."
        )
    return counts


def _restore_file(archive, manifest, name, storage, written):
    with (
        archive.open(MEDIA + name) as source,
        tempfile.SpooledTemporaryFile(max_size=CHUNK) as copy,
    ):
        if copy_hashing(source, copy) != manifest["members"][MEDIA + name]:
            raise BackupError(f"{name} changed while it was being restored.")
        copy.seek(0)
        saved = storage.save(name, copy)
    written.append((storage, saved))
    if saved != name:
        raise BackupError(f"{name} could not be put back under its own name (got {saved}).")
