"""Bringing holdings in: CSV imports (and exports) of our own templates, and other formats.

django-import-export does the admin's upload → preview → confirm and the export of lists;
what is ours is the mapping of columns to records (`resources/`), the reading of real-world
CSV files (`csvfile.py`), and the runner (`runner.py`) that imports long files in chunks,
in one transaction, all or nothing, for `manage.py import_csv`.

How another format plugs in (the AtoM importer does):

1. Write a resource per template, subclassing `RecordResource` (records) or
   `CatalogueResource` (relationships) from `catalogue.imports.resources.base`. Declare
   its columns with `Column(name, widget)`; rows written after the record is saved (other
   names, identifiers, languages) with `Stashed(name, widget, write=..., read=...)`;
   references to other records with the `Reference(model, source=..., defer=...)` widget.
   Override `find_by_natural_key(row)` to match existing records beyond public id and
   legacy id. Matching, drafts, history, skipping unchanged rows and messages are inherited.
2. Register it: `register(ImportType("atom-description", AtomDescriptionResource,
   source="atom", label=...))` in a module named in `FORMAT_MODULES` below (imported when
   a command asks for the types). Its `source` names the system whose ids ImportKey keeps
   (`ImportKey.objects.lookup(source, record_type, legacy_id)` / `remember(...)`), so the
   same legacy id from two systems never collides. `open` (default `CsvFile.open`) reads
   the file; give another for a format that is not CSV (it returns an object with
   `name`, `total`, `notes`, `problems`, `check_columns(known)`, `chunks(size)` and
   `close()`, as `CsvFile` does).
3. `manage.py import_csv FILE --type atom-description` then runs it (dry run, progress,
   errors as "row N, column C: message"), and `run_import(...)` runs it from code.
"""

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from .csvfile import CsvFile, CsvProblem, MemoriaCSV
from .runner import Report, RowError, run_import


@dataclass(frozen=True)
class ImportType:
    """A kind of file `import_csv --type NAME` reads: a resource, and the ids' source."""

    name: str
    resource: Any
    source: str = "csv"
    label: str = ""
    open: Any = CsvFile.open
    # The models whose admin Import offers this type beside their own template.
    admin_models: tuple = ()


TYPES = {}
# The modules whose import registers their types: our own templates first.
FORMAT_MODULES = ["catalogue.imports.resources", "catalogue.imports.atom"]


def register(import_type):
    TYPES[import_type.name] = import_type
    return import_type


def _load():
    for module in FORMAT_MODULES:
        import_module(module)


def get_type(name):
    _load()
    return TYPES[name]


def type_names():
    _load()
    return sorted(TYPES)


def admin_resources(model):
    """The resources of the other types the admin's Import of `model` offers."""
    return [TYPES[name].resource for name in type_names() if model in TYPES[name].admin_models]


__all__ = [
    "TYPES",
    "CsvFile",
    "CsvProblem",
    "ImportType",
    "MemoriaCSV",
    "Report",
    "RowError",
    "admin_resources",
    "get_type",
    "register",
    "run_import",
    "type_names",
]
