"""Browse and search results as a table, for the public's CSV downloads.

The columns are what the public pages show, read from each record's public view, so a
withheld field is blank here as it is there; never an archivist's note, a status or an access.
Related records named in a column (a document's parent, a case's court) are read through
`.public()` and left blank when not public. Headers and labels are in the reader's language.

Records are read in batches, each with the same few prefetch queries, so a download of a
hundred thousand rows costs what its batches cost and holds one batch in memory at a time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import search
from ..models import Document, Event, LegalCase, Organization, Person, translations_of
from ..related import public

BATCH = 500
# A download in relevance (or the search page's) order holds the best this many: ranking
# reads them from the search index in one list, where a browse order streams from its table.
MAX_RANKED_ROWS = 10_000


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # (record, base_url) -> the cell's value


def lines(text):
    """Several values in one cell, one a line (CSV quotes keep them in their cell)."""
    return "\n".join(text)


def iso(day):
    return day.isoformat() if day else ""


def label_of(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def choice_label(record, name):
    return str(getattr(record, f"get_{name}_display")())  # labels read once per language


def kind_label(record):
    """A record's subtype as the result rows name it: a document's kind, a case's type."""
    return choice_label(record, "kind") if hasattr(record, "get_kind_display") else ""


def address(record, base):
    """The record's public page, absolute."""
    return f"{base}{record.get_absolute_url()}"


def main_dates(record):
    """The dates a result row shows: as catalogued, in EDTF."""
    if isinstance(record, Person):
        return record.dates_of_existence
    if isinstance(record, LegalCase):
        return " – ".join(date for date in (record.date_filed, record.date_decided) if date)
    return record.dates


HEAD = [
    Column(_("Public identifier"), lambda record, base: record.public_id),
    Column(_("Address"), address),
]
TAIL = [
    Column(_("Earliest date"), lambda record, base: iso(record.date_earliest)),
    Column(_("Latest date"), lambda record, base: iso(record.date_latest)),
    Column(_("Sources"), lambda record, base: lines(record.source_list)),
]


def heading(model):
    """The record's title or name, in the reader's language where it is translated."""
    return Column(label_of(model, model.title_field), lambda record, base: record.localized().title)


def field(model, name):
    return Column(label_of(model, name), lambda record, base: getattr(record, name))


def choice(model, name):
    return Column(label_of(model, name), lambda record, base: choice_label(record, name))


def public_parent_code(document, base):
    parent = document.public_parent
    return parent.reference_code if parent else ""


def public_court_name(case, base):
    return case.public_court.authorized_name if case.public_court else ""


def country_names(countries):
    return "; ".join(str(country.name) for country in countries)


COLUMNS = {
    Document: [
        field(Document, "reference_code"),
        heading(Document),
        choice(Document, "level"),
        choice(Document, "kind"),
        field(Document, "dates"),
        field(Document, "extent_and_medium"),
        field(Document, "creator_name"),
        field(Document, "publisher"),
        Column(
            _("Languages"),
            lambda document, base: "; ".join(
                str(language.display_name) for language in document.table_languages
            ),
        ),
        Column(_("Part of (reference code)"), public_parent_code),
    ],
    Person: [
        heading(Person),
        field(Person, "birth_date"),
        field(Person, "birth_place"),
        field(Person, "death_date"),
        field(Person, "death_place"),
        Column(label_of(Person, "nationality"), lambda p, base: country_names(p.nationality)),
    ],
    Organization: [
        heading(Organization),
        field(Organization, "acronym"),
        choice(Organization, "kind"),
        field(Organization, "dates"),
        Column(label_of(Organization, "country"), lambda o, base: o.country.name or ""),
    ],
    LegalCase: [
        heading(LegalCase),
        field(LegalCase, "case_number"),
        Column(label_of(LegalCase, "court"), public_court_name),
        field(LegalCase, "court_detail"),
        choice(LegalCase, "jurisdiction"),
        choice(LegalCase, "kind"),
        choice(LegalCase, "case_status"),
        field(LegalCase, "date_filed"),
        field(LegalCase, "date_decided"),
    ],
    Event: [
        heading(Event),
        choice(Event, "kind"),
        field(Event, "dates"),
        field(Event, "place"),
    ],
}

# Search results of every type in one table: what all records have.
MIXED = [
    Column(_("Record type"), lambda record, base: capfirst(record._meta.verbose_name)),
    Column(_("Title or name"), lambda record, base: record.localized().title),
    Column(_("Subtype"), lambda record, base: kind_label(record)),
    Column(_("Dates"), lambda record, base: main_dates(record)),
]


def columns(model=None):
    """The columns of one record type's table, or of a table of every type (None)."""
    return [*HEAD, *(COLUMNS[model] if model else MIXED), *TAIL]


def prefetches(model):
    """What the columns read besides the record's own row, gated where it names a record."""
    lists = [translations_of(model)]
    if model is Document:
        # A list rather than a manager: a manager per row was a tenth of a long download's time.
        lists += [
            public("parent", Document.objects.public()),
            Prefetch("languages", to_attr="table_languages"),
        ]
    if model is LegalCase:
        lists += [public("court", Organization.objects.public())]
    return lists


def prepare(record_type, queryset):
    return queryset.prefetch_related(*prefetches(search.MODELS[record_type]))


def table(records, model, base_url):
    """(header, rows) of public views of records; `model` None for a table of every type."""
    chosen = columns(model)
    header = [column.header for column in chosen]
    rows = ([column.value(record, base_url) for column in chosen] for record in records)
    return header, rows


def browsed(queryset):
    """Public views of every record of a filtered, ordered public queryset, read in batches."""
    queryset = queryset.prefetch_related(*prefetches(queryset.model))
    for record in queryset.iterator(chunk_size=BATCH):
        yield record.public_view()


def ranked(query, types, sort="relevance", within=None):
    """Public views of the best matches of a search, up to MAX_RANKED_ROWS, read in batches."""
    for found in search.ranked(
        query, types, sort, within, limit=MAX_RANKED_ROWS, batch=BATCH, prepare=prepare
    ):
        for _record_type, record in found:
            yield record
