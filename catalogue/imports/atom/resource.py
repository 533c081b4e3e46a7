"""The AtoM formats as django-import-export resources: the admin's upload → preview → confirm
and `manage.py import_csv --type atom-…` run them like our own templates.

An AtoM file is imported whole rather than chunk by chunk: its rows point at rows anywhere
in it (a parent after its part, a translation after its record). Its rows come back to
django-import-export in file order, each with its outcome, and each error with its column.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import Result, RowResult

from ..csvfile import CsvFile
from .base import SOURCE, Run
from .formats import FORMATS, detect


class WholeCsvFile(CsvFile):
    """The file as one chunk, however long: AtoM's rows refer to each other across it."""

    def chunks(self, size=1000):
        numbers, whole = [], tablib.Dataset(headers=self.headers)
        for chunk_numbers, chunk in super().chunks(size):
            numbers += chunk_numbers
            for row in chunk:
                whole.append(row)
        yield numbers, whole


class AtomResource(resources.Resource):
    """Runs one AtoM format (`format_name`) over a whole dataset."""

    format_name = ""

    class Meta:
        abstract = True

    def __init__(self, source=SOURCE, user=None, file_name="", finish_in_import=True, **kwargs):
        super().__init__(**kwargs)
        self.source = source or SOURCE
        self.user = user
        self.file_name = file_name
        self.row_numbers = None
        self.report_notes = []
        # The runner (which says so) has noted the columns unknown to `known_columns` already.
        self.columns_noted = not finish_in_import

    def format(self):
        return FORMATS[self.format_name]()

    @classmethod
    def get_display_name(cls):
        return str(FORMATS[cls.format_name].label)

    def known_columns(self):
        atom_format = FORMATS[self.format_name]
        return atom_format.columns | atom_format.not_imported

    @classmethod
    def column_names(cls):
        return sorted(FORMATS[cls.format_name].columns)

    def get_user_visible_fields(self):
        return [fields.Field(column_name=name) for name in self.column_names()]

    def sheet_row(self, number):
        if self.row_numbers and 0 < number <= len(self.row_numbers):
            return self.row_numbers[number - 1]
        return number + 1

    def finish(self, **kwargs):
        return []  # nothing waits for a later chunk: the file is imported whole

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        atom_format = FORMATS[self.format_name]
        if not atom_format.signature & set(dataset.headers or ()):
            return refused(
                dataset,
                _("This is not %(kind)s: its header has none of the columns %(columns)s.")
                % {"kind": atom_format.label, "columns": ", ".join(sorted(atom_format.signature))},
            )
        self.row_numbers = getattr(dataset, "memoria_rows", None) or [
            n + 2 for n in range(len(dataset))
        ]
        self.user = self.user or kwargs.get("user")
        self.file_name = self.file_name or kwargs.get("file_name") or ""
        headers = list(dataset.headers or ())
        rows = list(zip(self.row_numbers, dataset.dict, strict=True))
        run = Run(file_name=self.file_name, source=self.source, user=self.user, dry_run=dry_run)
        with transaction.atomic():
            self.format().run(rows, run)
        return self.result(run, dict(rows), dataset, headers)

    def result(self, run, values_by_line, dataset, headers):
        result = Result()
        result.total_rows = len(dataset)
        result.diff_headers = headers
        index = {line: number for number, line in enumerate(self.row_numbers, start=1)}
        for outcome in sorted(run.rows, key=lambda r: r.number):
            row_result = RowResult()
            number = index.get(outcome.number, 0)
            if outcome.errors:
                errors = {}
                for column, message in outcome.errors:
                    errors.setdefault(column or NON_FIELD_ERRORS, []).append(message)
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = ValidationError(errors)
                values = values_by_line.get(outcome.number, {})
                result.append_invalid_row(number, values, row_result.validation_error)
            else:
                row_result.import_type = outcome.action
                row_result.add_instance_info(outcome.record)
                row_result.instance = outcome.record
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
        # The runner has the file's own notes already, and reads these once it is done.
        self.report_notes = self.notes(run)
        result.memoria_notes = [*getattr(dataset, "memoria_notes", ()), *self.report_notes]
        result.memoria_row_numbers = self.row_numbers
        return result

    def notes(self, run):
        notes = []
        if run.unknown_columns and not self.columns_noted:
            notes.append(
                _("These columns are not AtoM's and are not imported: %(names)s.")
                % {"names": ", ".join(run.unknown_columns)}
            )
        return notes + run.summary()


def resource_for(format_name):
    atom_format = FORMATS[format_name]
    return type(
        f"{atom_format.__name__}Resource",
        (AtomResource,),
        {"format_name": format_name, "__module__": __name__},
    )


RESOURCES = {name: resource_for(name) for name in FORMATS}


class DetectedResource(AtomResource):
    """Any of AtoM's files, told apart by their header."""

    format_name = "atom-description"
    label = gettext_lazy("AtoM CSV (the kind of file is read from its header)")

    @classmethod
    def get_display_name(cls):
        return str(cls.label)

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        found = detect(dataset.headers or ())
        if found is None:
            return refused(
                dataset,
                _(
                    "This is not one of AtoM's CSV files (descriptions, authority records, "
                    "relationships or events): its header has none of their columns."
                ),
            )
        self.format_name = found.name
        return super().import_data(dataset, dry_run, raise_errors, **kwargs)


def refused(dataset, message):
    """A result with one error about the whole file (its header is row 1): nothing imported."""
    result = Result()
    result.total_rows = len(dataset)
    result.memoria_notes = []
    result.append_invalid_row(0, {}, ValidationError(message))
    return result
