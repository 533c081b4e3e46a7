"""What every AtoM file import shares: the run it belongs to, its rows' outcomes, the loop.

An AtoM file is read whole before anything is written, because its rows refer to each other
(a parent listed after its child, a translation after its record); then each row is imported
in a savepoint, and the whole import is rolled back when any row failed or on a dry run.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ... import search
from ...models import Record
from .values import RowError, cell, language

SOURCE = "atom"  # the keymap's name for identifiers that come from AtoM
NAMES_SHOWN = 20  # new agents named in the summary; the count covers them all
ROWS_SHOWN = 5  # rows named beside a note shared by many
INDEX_BATCH = 1000
HISTORY_BATCH = 200  # records whose history is read at once, with what they follow


class Action:
    NEW = "new"
    UPDATE = "update"
    SKIP = "skip"
    ERROR = "error"


@dataclass
class RowResult:
    number: int  # the row's line in the file, the header being line 1
    action: str
    record: object = None
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (column, message)


@dataclass
class Run:
    """One import of one file: where its identifiers come from, and what it did so far."""

    file_name: str = ""
    source: str = SOURCE
    user: object = None
    dry_run: bool = False
    totals: Counter = field(default_factory=Counter)
    rows: list = field(default_factory=list)  # RowResults, in the order imported
    not_imported: Counter = field(default_factory=Counter)  # column → rows with a value there
    unknown_columns: list = field(default_factory=list)
    new_agents: list = field(default_factory=list)  # names not found, added as draft persons
    # What this run found or made, by the name the file gives it: agents by name, languages
    # by code. Rows name the same few again and again; asking once is enough.
    agents: dict = field(default_factory=dict)
    languages: dict = field(default_factory=dict)
    saved: dict = field(default_factory=lambda: defaultdict(set))  # model → pks written

    def wrote(self, instance):
        """Note a record or relationship this run wrote, for its history."""
        self.saved[type(instance)].add(instance.pk)

    @property
    def has_errors(self):
        return bool(self.totals[Action.ERROR])

    @property
    def errors(self):
        return [result for result in self.rows if result.errors]

    def keep(self, result):
        self.totals[result.action] += 1
        self.rows.append(result)

    def language(self, code, column):
        if code not in self.languages:
            self.languages[code] = language(code, column)
        return self.languages[code]

    def not_imported_report(self):
        """Lines naming the columns whose values have no place here, with their row counts."""
        return [
            ngettext("%(column)s (%(count)d row)", "%(column)s (%(count)d rows)", count)
            % {"column": column, "count": count}
            for column, count in sorted(self.not_imported.items())
        ]

    def summary(self):
        """What the preview says about the whole file: columns not imported, names added,
        and each row note with the rows it is about."""
        lines = []
        if self.not_imported:
            lines.append(
                _("Not imported, having no place in this catalogue: %(columns)s.")
                % {"columns": ", ".join(self.not_imported_report())}
            )
        if self.new_agents:
            shown = ", ".join(self.new_agents[:NAMES_SHOWN])
            more = len(self.new_agents) - NAMES_SHOWN
            lines.append(
                ngettext(
                    "%(count)d name was not found and is added as a draft person (AtoM does "
                    "not say whether a name is a person or a body: check it): %(names)s",
                    "%(count)d names were not found and are added as draft persons (AtoM does "
                    "not say whether a name is a person or a body: check them): %(names)s",
                    len(self.new_agents),
                )
                % {"count": len(self.new_agents), "names": shown}
                + (_(" and %(more)d more.") % {"more": more} if more > 0 else ".")
            )
        by_note = defaultdict(list)
        for result in self.rows:
            for note in result.notes:
                by_note[note].append(result.number)
        for note, numbers in by_note.items():
            numbers.sort()
            shown = ", ".join(str(n) for n in numbers[:ROWS_SHOWN])
            if len(numbers) > ROWS_SHOWN:
                shown += _(" and %(more)d more") % {"more": len(numbers) - ROWS_SHOWN}
            lines.append(
                ngettext("Row %(rows)s: %(note)s", "Rows %(rows)s: %(note)s", len(numbers))
                % {"rows": shown, "note": note}
            )
        return lines


def check_may_change(record, run, column):
    """A record that has left draft is changed only by those who may publish it, as in the
    admin and in our own templates' imports."""
    if record.pk is None or record.status == record.Status.DRAFT or run.user is None:
        return
    meta = record._meta
    if not run.user.has_perm(f"{meta.app_label}.publish_{meta.model_name}"):
        raise RowError(
            column,
            _(
                "%(record)s has left draft (%(status)s): only archivists who may publish can "
                "change it. Ask one to import this file, or return the record to draft."
            )
            % {"record": record, "status": record.get_status_display()},
        )


class AtomFormat:
    """One kind of AtoM CSV file; subclasses map its columns to our records."""

    name = ""  # the import type, e.g. "atom-description"
    label = ""
    model = None  # the record type whose admin offers this import
    # Columns whose presence in a header says the file is of this kind.
    signature = frozenset()
    # Columns read into the catalogue, and AtoM's columns that have no place in it: the
    # preview lists the second kind, with how many rows had a value there, as not imported.
    columns = frozenset()
    not_imported = frozenset()

    @classmethod
    def detects(cls, header):
        return cls.signature <= {column.strip() for column in header}

    def order(self, rows):
        """The rows in the order they are imported: [(line, row)]."""
        return list(rows)

    def import_row(self, row, run):
        """Import one row: (action, record, notes); raise RowError or ValidationError."""
        raise NotImplementedError

    def error_column(self, field_name):
        """The AtoM column a model field's error is about, for the preview."""
        return field_name

    def run(self, rows, run, progress=None):
        """Import `rows` ([(line, {column: value})]) in one transaction, written only if no
        row failed and `run` is not a dry run. Returns `run`, which holds what happened."""
        header = rows[0][1].keys() if rows else []
        known = self.columns | self.not_imported
        run.unknown_columns = [c for c in header if c and c not in known]
        ordered = self.order(rows)
        # History is written by hand once every row is good: a row rolled back must not reach
        # it through a revision the request opened (the admin's RevisionMiddleware).
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            for done, (line, row) in enumerate(ordered, start=1):
                run.keep(self._one(line, row, run))
                if progress is not None:
                    progress(done, len(ordered))
            if run.has_errors or run.dry_run:
                transaction.set_rollback(True)
            else:
                index(run)
                add_to_history(run)
        return run

    def _one(self, line, row, run):
        if isinstance(row, RowError):  # the ordering found this row cannot be placed
            return RowResult(line, Action.ERROR, errors=[(row.column, row.message)])
        for column in self.not_imported:
            if cell(row, column):
                run.not_imported[column] += 1
        try:
            with transaction.atomic():
                action, record, notes = self.import_row(row, run)
        except RowError as error:
            return RowResult(line, Action.ERROR, errors=[(error.column, error.message)])
        except ValidationError as error:
            return RowResult(line, Action.ERROR, errors=self._validation_errors(error))
        run.wrote(record)
        return RowResult(line, action, record, [n for n in notes if n])

    def _validation_errors(self, error):
        if not hasattr(error, "error_dict"):
            return [("", message) for message in error.messages]
        return [
            (self.error_column(name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]


def index(run):
    """The search entries of every record the run wrote, a thousand at a time, once all its
    rows are in (a description's translation comes in a later row)."""
    for model, pks in run.saved.items():
        if not issubclass(model, Record):
            continue
        prefetch = ["translations", *(["other_names"] if hasattr(model, "other_names") else [])]
        pks = sorted(pks)
        for start in range(0, len(pks), INDEX_BATCH):
            batch = model.objects.filter(pk__in=pks[start : start + INDEX_BATCH])
            search.index_many(list(batch.prefetch_related(*prefetch)))


# Besides what each record's history follows, what the names of the rows it follows read
# (a link is named by its document and its target): read in a few queries, not one a row.
HISTORY_PREFETCH = {
    "Document": ["links__person", "links__organization", "links__legal_case", "links__event"],
    "Person": ["memberships__organization"],
    "Organization": ["memberships__person"],
    "Membership": ["person", "organization"],
    "OrganizationRelation": ["source", "target"],
    "DocumentLink": ["document", "person", "organization"],
}


def add_to_history(run):
    """One revision with every record and relationship the run wrote, in its final state,
    attributed to the importing archivist."""
    with reversion.create_revision():
        if run.user is not None and getattr(run.user, "is_authenticated", False):
            reversion.set_user(run.user)
        reversion.set_comment(_("Imported from %(file)s (AtoM CSV)") % {"file": run.file_name})
        for model, pks in run.saved.items():
            if not reversion.is_registered(model):
                continue
            follow = reversion.revisions._get_options(model).follow
            prefetch = [*follow, *HISTORY_PREFETCH.get(model.__name__, [])]
            pks = sorted(pks)
            for start in range(0, len(pks), HISTORY_BATCH):
                batch = model.objects.filter(pk__in=pks[start : start + HISTORY_BATCH])
                for instance in batch.prefetch_related(*prefetch):
                    reversion.add_to_revision(instance)
