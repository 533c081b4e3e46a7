"""Full-text search over every type of record, true to the database in use.

SQLite answers through FTS5, PostgreSQL through a tsvector with unaccent (migration 0004); both
fold case and accents and rank a hit in a name or title above one in a description. What a
visitor may see is decided by each record type's `.public()`, never by the index.

Search text is user text: it is cut into words and quoted phrases, and only those reach the
database, so no input can be read as query syntax.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe

from .models import CATALOGUE_LANGUAGE, RECORD_MODELS, LocalText, SearchEntry
from .ordering import PAGE_SORTS

MODELS = {model.record_type: model for model in RECORD_MODELS}

# An entry's id tells its record type: type number × ID_SPAN + the record's id. Searches for
# one type are then a range of index rowids, which the full-text index skips to without a
# join. The numbers follow the registry's order, which only ever grows at its end.
ID_SPAN = 10**12
TYPE_NUMBERS = {name: number for number, name in enumerate(MODELS, start=1)}
TYPE_OF_NUMBER = {number: name for name, number in TYPE_NUMBERS.items()}


def entry_id(record_type, object_id):
    return TYPE_NUMBERS[record_type] * ID_SPAN + object_id


def id_range(record_type):
    return TYPE_NUMBERS[record_type] * ID_SPAN, (TYPE_NUMBERS[record_type] + 1) * ID_SPAN - 1


MAX_QUERY_LENGTH = 300
MAX_TERMS = 12
TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')
WORD = re.compile(r"[^\W_]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Query:
    """A search as the database will see it: terms, each a word or a phrase of words."""

    terms: tuple[tuple[str, ...], ...]

    def __bool__(self):
        return bool(self.terms)

    @property
    def words(self):
        return [word for term in self.terms for word in term]


def parse(text):
    """Turn what a visitor typed into a Query: quoted phrases, and words that must all match."""
    text = unicodedata.normalize("NFKC", CONTROL.sub(" ", str(text or "")))[:MAX_QUERY_LENGTH]
    terms = []
    for phrase, bare in TERM.findall(text):
        if phrase:
            candidates = [tuple(WORD.findall(phrase))]
        else:
            candidates = [(word,) for word in WORD.findall(bare)]
        for term in candidates:
            term = tuple(word.lower() for word in term)
            if term and term not in terms:
                terms.append(term)
    return Query(tuple(terms[:MAX_TERMS]))


# What each type of record puts in the index.


def _lines(*parts):
    return "\n".join(part for part in parts if part)


def body_of(record):
    """The descriptive text of a record, which snippets are cut from."""
    return _lines(*(getattr(record, field) for field in record.text_fields))


def entry_text(record):
    """(title, names, body) of a record; names include its other forms of name, if any, and
    the title and body its translations, so a reader finds it in either language."""
    names = [getattr(record, field) for field in record.name_fields]
    if hasattr(record, "other_names"):
        names += [name.name for name in record.other_names.all()]
    translations = list(record.translations.all())
    title = _lines(record.heading, *(translation.title for translation in translations))
    body = _lines(body_of(record), *(translation.text for translation in translations))
    return title, _lines(*names), body


def _normal(text):
    return unicodedata.normalize("NFKC", text or "")


def _entry(record):
    # Indexed from the public view: a withheld field must not be findable by searching for it.
    view = record.public_view()
    title, names, body = (_normal(text) for text in entry_text(view))
    return SearchEntry(
        id=entry_id(record.record_type, record.pk),
        record_type=record.record_type,
        object_id=record.pk,
        title=title,
        names=names,
        body=body,
        date_earliest=record.date_earliest,
        sort_title=_normal(view.heading)[:300],
    )


@transaction.atomic
def index(record):
    """Bring one record's entry up to date, in the caller's transaction."""
    entry = _entry(record)
    SearchEntry.objects.update_or_create(
        id=entry.id,
        defaults={
            field: getattr(entry, field)
            for field in (
                "record_type",
                "object_id",
                "title",
                "names",
                "body",
                "date_earliest",
                "sort_title",
            )
        },
    )


@transaction.atomic
def index_many(records):
    """Bring the entries of many records of one type up to date at once (imports).

    `records` should have their `translations` (and `other_names`, where the type has
    them) prefetched; each entry is written as `index` would write it.
    """
    entries = [_entry(record) for record in records]
    if entries:
        SearchEntry.objects.filter(id__in=[entry.id for entry in entries]).delete()
        SearchEntry.objects.bulk_create(entries)


def remove(model, pks):
    SearchEntry.objects.filter(record_type=model.record_type, object_id__in=list(pks)).delete()


@transaction.atomic
def rebuild(batch_size=2000):
    """Index every record again; returns the number of entries."""
    SearchEntry.objects.all().delete()
    total = 0
    for model in RECORD_MODELS:
        queryset = model.objects.with_translations().order_by("pk")
        if hasattr(model, "other_names"):
            queryset = queryset.prefetch_related("other_names")
        batch = []
        for record in queryset.iterator(chunk_size=batch_size):
            batch.append(_entry(record))
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
        total += len(batch)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalogue_search_fts(catalogue_search_fts) VALUES ('optimize')"
            )
    return total


# Searching
#
# Each backend turns a Query into self-contained SQL: the object ids of one record type whose
# entries match, in index order or best first. Visibility is never decided there: callers put
# those ids through the record type's own `.public()`.


class SQLiteBackend:
    weights = (10.0, 4.0, 1.0)  # title, names, body
    MATCH = "FROM catalogue_search_fts WHERE catalogue_search_fts MATCH %s"
    ID = "catalogue_search_fts.rowid"
    SCORE = "bm25(catalogue_search_fts, {}, {}, {})".format(*weights)
    # For sorts that need the entry's columns. CROSS JOIN keeps the match as the outer loop;
    # left to itself SQLite's planner walks every entry and probes the index once for each.
    JOINED = (
        "FROM catalogue_search_fts CROSS JOIN catalogue_searchentry e "
        "ON e.id = catalogue_search_fts.rowid WHERE catalogue_search_fts MATCH %s"
    )
    # Matches joined to a record type's public rows, for counting.
    GATED = (
        "FROM catalogue_search_fts CROSS JOIN ({gate}) g "
        "ON g.record_id = catalogue_search_fts.rowid - %s WHERE catalogue_search_fts MATCH %s"
    )
    ORDERS = {
        "date": "e.date_earliest IS NULL, e.date_earliest, e.id",
        "-date": "e.date_earliest IS NULL, e.date_earliest DESC, e.id",
        "title": "e.sort_title, e.id",
    }

    def expression(self, query):
        # Each term is quoted, so FTS5 reads it as a string or phrase, never as an operator.
        return " ".join('"{}"'.format(" ".join(term)) for term in query.terms)


class PostgresBackend:
    MATCH = "FROM catalogue_searchentry WHERE vector @@ to_tsquery('memoria', %s)"
    ID = "catalogue_searchentry.id"
    SCORE = "-ts_rank(vector, to_tsquery('memoria', %s))"
    JOINED = "FROM catalogue_searchentry e WHERE e.vector @@ to_tsquery('memoria', %s)"
    GATED = (
        "FROM catalogue_searchentry JOIN ({gate}) g ON g.record_id = catalogue_searchentry.id - %s "
        "WHERE vector @@ to_tsquery('memoria', %s)"
    )
    ORDERS = {
        "date": "e.date_earliest ASC NULLS LAST, e.id",
        "-date": "e.date_earliest DESC NULLS LAST, e.id",
        "title": "e.sort_title, e.id",
    }

    def expression(self, query):
        # Words are letters and digits only, so they cannot carry tsquery operators.
        return " & ".join("({})".format(" <-> ".join(term)) for term in query.terms)


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def matching_ids(query, record_type):
    """Ids of the records of one type whose entry matches, as a subquery for `pk__in`."""
    search = backend()
    low, high = id_range(record_type)
    return RawSQL(
        f"SELECT {search.ID} - %s {search.MATCH} AND {search.ID} BETWEEN %s AND %s",
        [low, search.expression(query), low, high],
    )


def counts(query, types=None, within=None):
    """How many public records of each type match, in one query.

    Each type's matches are joined to the SQL of its `.public()` queryset, so the gate, not
    the index, decides what is counted.
    """
    search = backend()
    expression = search.expression(query)
    selects, params = [], []
    for record_type in types or MODELS:
        public = within[record_type] if within else MODELS[record_type].objects.public()
        gate = public.order_by().values(record_id=F("pk"))
        try:
            gate_sql, gate_params = gate.query.sql_with_params()
        except EmptyResultSet:  # nothing of this type can match: counted as none
            continue
        low, high = id_range(record_type)
        source = search.GATED.format(gate=gate_sql)
        selects.append(f"SELECT %s, COUNT(*) {source} AND {search.ID} BETWEEN %s AND %s")
        params += [TYPE_NUMBERS[record_type], *gate_params, low, expression, low, high]
    found = dict.fromkeys(types or MODELS, 0)
    if selects:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            found |= {TYPE_OF_NUMBER[number]: count for number, count in cursor.fetchall()}
    return found


SORTS = tuple(PAGE_SORTS)
CHUNK = 5000  # ids per query, well under the databases' limits on bound parameters


def _candidates(query, types, sort, limit):
    """(record_type, object_id) of matching entries in the chosen order, public or not."""
    search = backend()
    expression = search.expression(query)
    ranges = [id_range(record_type) for record_type in types]
    if sort == "relevance":
        column, source, order = search.ID, search.MATCH, search.SCORE
    else:
        column, source, order = "e.id", search.JOINED, search.ORDERS[sort]
    if set(types) == set(MODELS):
        ranges = [(ID_SPAN, (len(MODELS) + 1) * ID_SPAN - 1)]
    within = " OR ".join([f"{column} BETWEEN %s AND %s"] * len(ranges))
    params = [expression, *(bound for pair in ranges for bound in pair)]
    if "%s" in order:
        params.append(expression)
    sql = f"SELECT {column} {source} AND ({within}) ORDER BY {order} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    return [(TYPE_OF_NUMBER[rowid // ID_SPAN], rowid % ID_SPAN) for (rowid,) in rows]


def results(query, types=None, sort="relevance", offset=0, limit=20, within=None):
    """One page of matching public records in the chosen order: [(record_type, record)].

    The index gives candidates in order; only those that `.public()` (and `within`, a
    queryset per type) returns are kept. Candidates are read in growing batches until the
    page is full, so a page costs a few queries whatever the number of matches.
    """
    types = list(types or MODELS)
    wanted = offset + limit
    batch = max(2 * wanted, 50)
    while True:
        candidates = _candidates(query, types, sort, batch)
        by_type = {}
        for record_type, object_id in candidates:
            by_type.setdefault(record_type, []).append(object_id)
        visible = {}
        for record_type, ids in by_type.items():
            queryset = within[record_type] if within else MODELS[record_type].objects.public()
            queryset = queryset.with_translations()  # results show them in the reader's language
            for start in range(0, len(ids), CHUNK):
                for record in queryset.filter(pk__in=ids[start : start + CHUNK]):
                    visible[record_type, record.pk] = record.public_view()
        kept = [
            (record_type, visible[record_type, pk])
            for record_type, pk in candidates
            if (record_type, pk) in visible
        ]
        if len(kept) >= wanted or len(candidates) < batch:
            return kept[offset:wanted]
        batch *= 4


# Highlighting, the same for both databases


class _FoldTable(dict):
    """str.translate table: each character to its case- and accent-folded form, on demand."""

    def __missing__(self, code):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        folded = self[code] = base.casefold()
        return folded


_FOLD = _FoldTable()


def _fold(text):
    """Accent- and case-folded text, and for each folded character its index in the text."""
    folded = text.translate(_FOLD)
    if len(folded) == len(text):  # one character for one: the usual case
        return folded, range(len(text))
    positions = []
    for index, char in enumerate(text):
        positions.extend([index] * len(char.translate(_FOLD)))
    return folded, positions


def _spans(text, query):
    if not query or not text:
        return []
    folded, positions = _fold(text)
    words = sorted({_fold(word)[0] for word in query.words}, key=len, reverse=True)
    pattern = re.compile(r"(?<![^\W_])(?:{})(?![^\W_])".format("|".join(map(re.escape, words))))
    spans = []
    for match in pattern.finditer(folded):
        start = positions[match.start()]
        end = positions[match.end() - 1] + 1
        spans.append((start, end))
    return spans


def highlight(text, query):
    """The text, escaped, with the query's words marked."""
    text = text or ""
    out, last = [], 0
    for start, end in _spans(text, query):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text, query, width=220):
    """A passage around the first hit, escaped and marked; the opening when nothing matches."""
    text = " ".join((text or "").split())
    spans = _spans(text, query)
    if not spans:
        cut = text[:width]
        return highlight(cut + ("…" if len(text) > width else ""), query)
    start = max(0, spans[0][0] - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    passage = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return highlight(prefix + passage + suffix, query)


def passage(record, query):
    """The snippet a result shows, marked, with its language: from the record's text in the
    reader's language, or else from the first text the query's words are found in."""
    shown = record.localized().text
    candidates = [LocalText(body_of(record), CATALOGUE_LANGUAGE)]
    candidates += [
        LocalText(translation.text, translation.language.tag)
        for translation in record.translations.all()
    ]
    if shown.language != CATALOGUE_LANGUAGE:
        candidates.insert(0, shown)
    chosen = next(
        (text for text in candidates if _spans(" ".join(text.value.split()), query)), candidates[0]
    )
    return LocalText(snippet(chosen.value, query), chosen.language)


class RankedRecords:
    """Records of a filtered public queryset, best match first; sliceable for a Paginator."""

    def __init__(self, queryset, query, record_type):
        self.queryset = queryset
        self.query = query
        self.record_type = record_type

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        found = results(
            self.query,
            [self.record_type],
            "relevance",
            window.start or 0,
            window.stop - (window.start or 0),
            within={self.record_type: self.queryset},
        )
        return [record for _kind, record in found]


def in_relevance_order(queryset, query, record_type):
    return RankedRecords(queryset, query, record_type)
