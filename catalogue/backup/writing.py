"""Backing up: a consistent snapshot of every row and file, written to one archive."""

import json
import os
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import django
from django.core import serializers
from django.db import connection, transaction
from django.utils import timezone

from .common import (
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    BackupError,
    LosslessJSONEncoder,
    Summary,
    applied_migrations,
    copy_hashing,
    exported_models,
    file_fields,
    memoria_version,
)


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
