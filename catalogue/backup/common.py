"""What backing up and restoring share: the archive's layout, what it leaves out, checks."""

import datetime
import hashlib
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder

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
    "catalogue.searchchange",
    # Derived: a restore announces what it loads, as any save does.
    "catalogue.announced",
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
