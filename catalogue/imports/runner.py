"""Running an import of a whole file: in chunks, in one transaction, all or nothing.

Used by `manage.py import_csv` and by any other format's command. Only counts and the first
rows and errors are kept, so a file of any length imports in constant memory; progress goes
to a callback.
"""

import time
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _

from .csvfile import CsvProblem
from .widgets import message_of

KEEP = 100  # rows and errors kept for the report; the counts cover every row


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet row: the header is row 1
    column: str | None
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("row %(row)s, column %(column)s: %(message)s") % vars(self)
        if self.row:
            return _("row %(row)s: %(message)s") % vars(self)
        return self.message


@dataclass(frozen=True)
class RowOutcome:
    row: int
    action: str  # new, update, skip
    record: str


@dataclass
class Report:
    """What an import did or, on a dry run, would do."""

    file_name: str = ""
    dry_run: bool = False
    total: int = 0
    done: int = 0
    counts: dict = field(default_factory=lambda: {"new": 0, "update": 0, "skip": 0})
    rows: list = field(default_factory=list)  # the first KEEP RowOutcomes
    errors: list = field(default_factory=list)  # the first KEEP RowErrors
    error_count: int = 0
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    written: bool = False

    @property
    def failed(self):
        return self.error_count > 0

    def error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < KEEP:
            self.errors.append(RowError(row, column, str(message)))

    def add(self, result, row_of):
        """Count a chunk's django-import-export Result; `row_of(n)` is the sheet row of n."""
        for error in result.base_errors:
            self.error(None, None, message_of(error.error))
        for invalid in result.invalid_rows:
            for name, messages in invalid.error_dict.items():
                column = None if name == NON_FIELD_ERRORS else name
                for message in messages:
                    self.error(row_of(invalid.number), column, message)
        for number, row_result in enumerate(result.rows, start=1):
            if row_result.errors:
                for error in row_result.errors:
                    self.error(row_of(error.number or number), None, message_of(error.error))
            elif row_result.import_type in self.counts:
                self.counts[row_result.import_type] += 1
                if len(self.rows) < KEEP:
                    self.rows.append(
                        RowOutcome(
                            row_of(number), row_result.import_type, row_result.object_repr or ""
                        )
                    )


def run_import(
    path_or_stream,
    import_type,
    *,
    user=None,
    source=None,
    dry_run=False,
    chunk_size=1000,
    progress=None,
    file_name=None,
):
    """Import a file as `import_type` (an ImportType); return a Report.

    Nothing is written when `dry_run` is set or when any row fails: every chunk runs inside
    one transaction, rolled back at the end. `progress(done, total, rows_per_second)` is
    called after each chunk.
    """
    report = Report(dry_run=dry_run)
    started = time.monotonic()
    try:
        csv_file = import_type.open(path_or_stream, name=file_name)
    except CsvProblem as problem:
        report.error(None, None, str(problem))
        return report
    with csv_file:
        report.file_name = csv_file.name
        report.total = csv_file.total
        resource = import_type.resource(
            source=source or import_type.source,
            user=user,
            file_name=csv_file.name,
            finish_in_import=False,
        )
        csv_file.check_columns(resource.known_columns())
        report.notes = list(csv_file.notes)
        for row, column, message in csv_file.problems:
            report.error(row, column, message)
        if report.failed:
            return report
        with transaction.atomic():
            for numbers, dataset in csv_file.chunks(chunk_size):
                dataset.memoria_rows = numbers
                result = resource.import_data(
                    dataset,
                    dry_run=False,
                    use_transactions=True,
                    rollback_on_validation_errors=False,
                    user=user,
                    file_name=csv_file.name,
                )
                report.add(result, resource.sheet_row)
                report.done += len(numbers)
                if progress is not None:
                    elapsed = time.monotonic() - started
                    progress(report.done, report.total, report.done / elapsed if elapsed else 0)
            for row, column, message in resource.finish(history=True, batch=chunk_size):
                report.error(row, column, message)
            # What a format that reads the file whole says about it once read (AtoM's).
            report.notes += getattr(resource, "report_notes", [])
            report.written = not (dry_run or report.failed)
            if not report.written:
                transaction.set_rollback(True)
    report.seconds = time.monotonic() - started
    return report
