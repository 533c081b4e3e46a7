"""The whole catalogue in one archive file, and back into an empty database.

The archive is a zip file:

- `manifest.json`: format version, Memoria and Django versions, when it was made, the
  migrations the data was written under, rows per model, and the sha256 of every other member;
- `data.json`: every row of every model worth keeping, in Django's serialization format;
- `media/<name>`: every file a FileField refers to, under the name the field stores.

Primary keys are kept as they are, because history (django-reversion's versions) and the
admin's log refer to records by primary key. Content types and permissions are not kept:
`migrate` makes them, and the data refers to them by natural key.
"""

import datetime
import hashlib
import json
import os
import tempfile
import time
import tomllib
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "memoria-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"
CHUNK = 1024 * 1024
# What reading a damaged, encrypted or oddly compressed member raises.
UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError)

# Never in an archive: what `migrate` makes (content types, permissions), what is derived and
# rebuilt (the search index), and what is only worth something while it lasts (sessions,
# login-lockout logs).
EXCLUDED = {
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "catalogue.searchentry",
}
# Rows `migrate` itself puts into a new database (languages from a data migration, staff
# groups after every migrate). A restore replaces them with the archive's own rows.
SEEDED_BY_MIGRATE = {"catalogue.language", "auth.group"}


class BackupError(Exception):
    """A backup or restore that was refused or failed, with a message for the operator."""


@dataclass
class Summary:
    path: Path
    counts: dict = field(default_factory=dict)
    files: int = 0
    missing_files: list = field(default_factory=list)


def exported_models():
    """Every model whose rows go into an archive, each after the models it refers to."""
    chosen = []
    for config in apps.get_app_configs():
        if config.label in EXCLUDED:
            continue
        kept = [
            model
            for model in config.get_models()
            # Proxies share another model's rows; unmanaged tables belong to someone else.
            if model._meta.label_lower not in EXCLUDED
            and not model._meta.proxy
            and model._meta.managed
        ]
        if kept:
            chosen.append((config, kept))
    return serializers.sort_dependencies(chosen, allow_cycles=True)


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def applied_migrations(labels):
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied if app in labels)


def memoria_version():
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


class LosslessJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds, as JavaScript reads them; a backup keeps
    every microsecond, or restored timestamps would differ from the originals."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def copy_hashing(source, target=None):
    """Copy a binary stream (or only read it, without a target); return its sha256."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest()


# Backing up


def backup(path, *, force=False):
    """Write the archive to `path`, whole or not at all; return a Summary."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the name of the archive file to write.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; choose another name or use --force.")
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent} to write the archive into.")
    # Created readable by its owner only: the archive holds password hashes and restricted
    # records. Renamed into place once complete, so a failed backup leaves no half file.
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as output:
            summary = _write_archive(output, path)
            output.flush()
            os.fsync(output.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return summary


@contextmanager
def _snapshot():
    """One consistent view of the database, while the catalogue goes on being edited."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # SQLite keeps its read snapshot from the first query to the end of the transaction.
        yield


def _rows(model):
    natural_fks = [
        f.name
        for f in model._meta.concrete_fields
        if f.many_to_one and hasattr(f.related_model, "natural_key")
    ]
    m2m = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    # The base manager: a default manager that hides rows must not hide them from a backup.
    queryset = model._base_manager.order_by("pk").select_related(*natural_fks)
    return queryset.prefetch_related(*m2m).iterator(chunk_size=2000)


def _new_member(archive, name):
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return archive.open(info, "w", force_zip64=True)


def _write_archive(output, path):
    summary = Summary(path)
    members, files = {}, {}
    chosen = exported_models()
    with (
        _snapshot(),
        tempfile.TemporaryDirectory() as scratch,
        zipfile.ZipFile(output, "w") as archive,
    ):

        def every_row():
            for model in chosen:
                count = 0
                for row in _rows(model):
                    count += 1
                    yield row
                summary.counts[model._meta.label_lower] = count

        data = Path(scratch) / DATA
        with open(data, "w", encoding="utf-8") as stream:
            serializers.serialize(
                "json",
                every_row(),
                stream=stream,
                use_natural_foreign_keys=True,
                cls=LosslessJSONEncoder,
            )
        with open(data, "rb") as source, _new_member(archive, DATA) as target:
            members[DATA] = copy_hashing(source, target)

        for model in chosen:
            for file_field in file_fields(model):
                names = model._base_manager.exclude(**{file_field.name: ""})
                names = names.values_list(file_field.name, flat=True).distinct()
                for name in names.order_by(file_field.name).iterator():
                    if name in files:
                        continue
                    storage = file_field.storage
                    if not storage.exists(name):
                        summary.missing_files.append(name)
                        continue
                    member = MEDIA + name
                    with (
                        storage.open(name, "rb") as source,
                        _new_member(archive, member) as target,
                    ):
                        members[member] = copy_hashing(source, target)
                    files[name] = file_field.model._meta.label_lower + "." + file_field.name

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "memoria_version": memoria_version(),
            "django_version": django.get_version(),
            "database": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "migrations": applied_migrations({model._meta.app_label for model in chosen}),
            "counts": summary.counts,
            "files": files,
            "missing_files": summary.missing_files,
            "members": members,
        }
        with _new_member(archive, MANIFEST) as target:
            target.write(json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    summary.files = len(files)
    return summary


# Restoring


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
