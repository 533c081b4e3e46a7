"""What the embedded index holds of each record, read from the database.

The index is a derived cache of the search entries (`SearchEntry`, the text each record gives,
already read from its public view) and of the columns that decide visibility, dates and
facets. It holds only records that are published and not restricted: an embargoed one carries
the day its embargo lifts, and every query asks for records visible today, so an embargo ends
with nothing to run. What a page finally shows is still confirmed through `.public()`.
"""

import datetime
from collections import Counter

import tantivy
from django.db import connection

from ...models import RECORD_MODELS, Document, Language, Record
from ..entries import ID_SPAN, TYPE_NUMBERS, id_range

# Raise it whenever what a document holds changes: an index of another version is rebuilt.
VERSION = 7
LANGUAGE_SET, LANGUAGE_SEPARATOR = "language_set", "|"
ANALYZER = "memoria"
TEXT_FIELDS = ("title", "names", "body")
WEIGHTS = {"title": 10.0, "names": 4.0, "body": 1.0}  # as the database's own ranking
MODELS_BY_NUMBER = {TYPE_NUMBERS[model.record_type]: model for model in RECORD_MODELS}

# Date sorts are one unsigned column each: the day, then the record type and id, so ties
# come in the same order as the database's "date, entry id" (search) or, for browse pages'
# newest first, "date, id" both descending. 22 bits hold every day of the
# years 1 to 9999, 4 bits the type, 38 bits the id.
UNDATED = (1 << 22) - 1
ID_BITS = 38
TYPE_BITS = 4
YEARS, YEAR_SPAN = "years", 10_000


def analyzer():
    """Words as the database's index cuts them: letters and digits, case and accents folded."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def schema():
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("key", indexed=True, fast=True)  # the search entry's id
    builder.add_unsigned_field("type", indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=ANALYZER)
    # The day an embargoed record's embargo lifts (a day's ordinal); open ones have none.
    builder.add_integer_field("visible_from", indexed=True, fast=True)
    # Date filters as one range each: `starts` is the earliest day (or the latest, for an
    # open start), `ends` the latest (or the last day there is, for an open end): the same
    # rules as the database's `starts_on_or_before` and `ends_on_or_after`.
    builder.add_integer_field("starts", indexed=True, fast=True)
    builder.add_integer_field("ends", indexed=True, fast=True)
    # The same two by year (an open end: the last year there is), for dates chosen as whole
    # years, as a timeline's bars choose them: a range over a few hundred years' terms is
    # read many times faster than one over tens of thousands of days'.
    builder.add_integer_field("starts_year", indexed=True)
    builder.add_integer_field("ends_year", indexed=True)
    builder.add_integer_field("decade", indexed=True, fast=True)
    # The years a record begins and ends in, as the date filters read them (an open end has
    # none), and whether it has an earliest day (what gives it a decade), as one value
    # (`years_value`): the decades and a timeline's years are counted from this one column,
    # a third of the work of three. Apart as well, for a catalogue with more combinations of
    # years than one count returns.
    builder.add_unsigned_field(YEARS, fast=True)
    builder.add_integer_field("start_year", fast=True)
    builder.add_integer_field("end_year", fast=True)
    builder.add_unsigned_field("date_asc", fast=True)
    builder.add_unsigned_field("date_desc", fast=True)
    builder.add_unsigned_field("date_newest", fast=True)  # newest first, ties newest first
    builder.add_text_field("title_key", tokenizer_name="raw", fast=True)
    for name in ("kind", "level", "language"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    # A document's languages as one value ("eng|spa"), which the language facet counts: a
    # column of one value per document is counted twice as fast as `language`'s several.
    builder.add_text_field(LANGUAGE_SET, tokenizer_name="raw", fast=True)
    return builder.build()


def years_value(start, end, has_decade):
    """A start year, an end year (None: open) and whether the record counts in its start's
    decade, in one number: ((start × 10,000) + end) × 2 + has decade."""
    return (start * YEAR_SPAN + (end or 0)) * 2 + has_decade


def years_read(counted):
    """({start year: n}, {end year: n}, {decade: n}) from {`years` value: n}."""
    starts, ends, decades = {}, {}, {}
    for value, n in counted.items():
        pair, has_decade = divmod(int(value), 2)
        start, end = divmod(pair, YEAR_SPAN)
        starts[start] = starts.get(start, 0) + n
        if end:
            ends[end] = ends.get(end, 0) + n
        if has_decade:
            decade = start // 10 * 10
            decades[decade] = decades.get(decade, 0) + n
    return Counter(starts), Counter(ends), decades


def entry_of(key):
    """(record type, id) of an entry id."""
    return MODELS_BY_NUMBER[key // ID_SPAN].record_type, key % ID_SPAN


def _packed(day, number, pk):
    return (day << (TYPE_BITS + ID_BITS)) | (number << ID_BITS) | min(pk, (1 << ID_BITS) - 1)


def _day(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _document(row, number, languages):
    key, title, names, body, sort_title, earliest, latest, access, embargo, kind, level = row
    earliest, latest, embargo = _day(earliest), _day(latest), _day(embargo)
    if access == Record.Access.EMBARGOED and embargo is None:
        return None  # embargoed with no end: never public
    pk = key % ID_SPAN
    document = tantivy.Document()
    document.add_unsigned("key", key)
    document.add_unsigned("type", number)
    for name, text in zip(TEXT_FIELDS, (title, names, body), strict=True):
        if text:
            document.add_text(name, text)
    if access == Record.Access.EMBARGOED:  # open records carry none: nothing to compare
        document.add_integer("visible_from", embargo.toordinal())
    if earliest:
        document.add_integer("decade", earliest.year // 10 * 10)
    if earliest or latest:
        start, end = (earliest or latest).year, latest.year if latest else None
        document.add_unsigned(YEARS, years_value(start, end, bool(earliest)))
        document.add_integer("start_year", start)
        if end:
            document.add_integer("end_year", end)
        document.add_integer("starts", (earliest or latest).toordinal())
        document.add_integer("ends", (latest or datetime.date.max).toordinal())
        document.add_integer("starts_year", start)
        document.add_integer("ends_year", (latest or datetime.date.max).year)
    day = earliest.toordinal() if earliest else None
    document.add_unsigned("date_asc", _packed(day or UNDATED, number, pk))
    backwards = UNDATED - 1 - day if day else UNDATED
    document.add_unsigned("date_desc", _packed(backwards, number, pk))
    document.add_unsigned("date_newest", _packed(backwards, number, (1 << ID_BITS) - 1 - pk))
    document.add_text("title_key", f"{sort_title}\x00{key:016d}")
    for name, value in (("kind", kind), ("level", level)):
        if value:
            document.add_text(name, value)
    for code in languages:
        document.add_text("language", code)
    if languages:
        document.add_text(LANGUAGE_SET, LANGUAGE_SEPARATOR.join(sorted(languages)))
    return document


def _select(model):
    record = model._meta.db_table
    entry = "catalogue_searchentry"
    extra = [f"r.{name}" if _has(model, name) else "NULL" for name in ("kind", "level")]
    # A record saved without its search entry (from the shell, say) is still indexed: its
    # text is then read from the record itself.
    return (
        f"SELECT r.id + %s, e.title, e.names, e.body, e.sort_title, r.date_earliest, "
        f"r.date_latest, r.access, r.embargo_until, {', '.join(extra)} "
        f"FROM {record} r LEFT JOIN {entry} e ON e.id = r.id + %s "
        f"WHERE r.status = %s AND r.access <> %s"
    )


def _texts(model, pks):
    """{id: (title, names, body, sort title)} of records that have no search entry yet."""
    from ..entries import _entry

    queryset = model.objects.with_translations().filter(pk__in=pks)
    if hasattr(model, "other_names"):
        queryset = queryset.prefetch_related("other_names")
    return {
        record.pk: (entry.title, entry.names, entry.body, entry.sort_title)
        for record in queryset
        for entry in [_entry(record)]
    }


def _has(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)


def _languages(pks=None):
    """{document id: [codes]} for these documents (all, when pks is None)."""
    through = Document.languages.through
    sql = (
        f"SELECT t.document_id, l.code FROM {through._meta.db_table} t "
        f"JOIN {Language._meta.db_table} l ON l.id = t.language_id"
    )
    params = []
    if pks is not None:
        sql += f" WHERE t.document_id IN ({', '.join(['%s'] * len(pks))})"
        params = list(pks)
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY t.document_id, l.code", params)
        for document_id, code in cursor.fetchall():
            found.setdefault(document_id, []).append(code)
    return found


def documents(model, pks=None, batch=2000, from_records=False):
    """Index documents of the visible records of one type (all, or those of `pks`): their
    text from their search entries, or from the records themselves (`from_records`)."""
    low = id_range(model.record_type)[0]
    number = TYPE_NUMBERS[model.record_type]
    sql = _select(model)
    params = [low, low, Record.Status.PUBLISHED, Record.Access.RESTRICTED]
    if pks is not None:
        pks = list(pks)
        if not pks:
            return
        sql += f" AND r.id IN ({', '.join(['%s'] * len(pks))})"
        params += pks
    sql += " ORDER BY r.id"
    # A server-side cursor where the database has one: a rebuild reads every record once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(batch):
            languages, texts = {}, {}
            if model is Document:
                languages = _languages([row[0] - low for row in rows])
            if missing := [row[0] - low for row in rows if from_records or row[1] is None]:
                texts = _texts(model, missing)
            for row in rows:
                if from_records or row[1] is None:
                    row = (row[0], *texts.get(row[0] - low, ("", "", "", "")), *row[5:])
                found = _document(row, number, languages.get(row[0] - low, ()))
                if found is not None:
                    yield found
