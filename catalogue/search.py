"""Full-text search over every kind of record, true to the database in use.

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

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe

from .models import Document, Event, LegalCase, Organization, Person, SearchEntry

KINDS = {
    "document": Document,
    "person": Person,
    "organization": Organization,
    "case": LegalCase,
    "event": Event,
}
KIND_OF_MODEL = {model: kind for kind, model in KINDS.items()}

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


# What each kind of record puts in the index.


def _lines(*parts):
    return "\n".join(part for part in parts if part)


def body_of(record):
    """The descriptive text of a record, which snippets are cut from."""
    if isinstance(record, Document):
        return _lines(record.scope_and_content, record.archival_history)
    if isinstance(record, Person):
        return _lines(record.biography, record.functions, record.birth_place, record.death_place)
    if isinstance(record, Organization):
        return _lines(record.history, record.functions)
    if isinstance(record, LegalCase):
        return _lines(record.summary, record.outcome)
    if isinstance(record, Event):
        return record.description
    raise TypeError(f"{type(record).__name__} is not searchable")


def entry_text(record):
    """(title, names, body) of a record; Person and Organization read their other names."""
    if isinstance(record, Document):
        names = _lines(record.reference_code, record.creator_name, record.publisher)
        title = record.title
    elif isinstance(record, Person):
        names = _lines(*(name.name for name in record.other_names.all()))
        title = record.authorized_name
    elif isinstance(record, Organization):
        names = _lines(record.acronym, *(name.name for name in record.other_names.all()))
        title = record.authorized_name
    elif isinstance(record, LegalCase):
        names = _lines(record.case_number, record.court_detail)
        title = record.title
    else:
        names = record.place
        title = record.name
    return title, names, body_of(record)


def _entry(record):
    title, names, body = (unicodedata.normalize("NFKC", text or "") for text in entry_text(record))
    return SearchEntry(
        kind=KIND_OF_MODEL[type(record)],
        object_id=record.pk,
        title=title,
        names=names,
        body=body,
        date_earliest=record.date_earliest,
        sort_title=title[:300],
    )


@transaction.atomic
def index(record):
    """Bring one record's entry up to date, in the caller's transaction."""
    entry = _entry(record)
    SearchEntry.objects.update_or_create(
        kind=entry.kind,
        object_id=entry.object_id,
        defaults={
            field: getattr(entry, field)
            for field in ("title", "names", "body", "date_earliest", "sort_title")
        },
    )


def remove(model, pks):
    SearchEntry.objects.filter(kind=KIND_OF_MODEL[model], object_id__in=list(pks)).delete()


@transaction.atomic
def rebuild(batch_size=2000):
    """Index every record again; returns the number of entries."""
    SearchEntry.objects.all().delete()
    total = 0
    for model in KINDS.values():
        queryset = model.objects.order_by("pk")
        if model in (Person, Organization):
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


def public_entries(kinds=None):
    """Entries of records the public may see: each kind through its own `.public()`."""
    condition = Q()
    for kind in kinds or KINDS:
        visible = KINDS[kind].objects.public().filter(pk=OuterRef("object_id"))
        condition |= Q(kind=kind) & Exists(visible)
    return SearchEntry.objects.filter(condition)


class SQLiteBackend:
    weights = (10.0, 4.0, 1.0)  # title, names, body

    def expression(self, query):
        # Each term is quoted, so FTS5 reads it as a string or phrase, never as an operator.
        return " ".join('"{}"'.format(" ".join(term)) for term in query.terms)

    def matching(self, entries, query):
        # Self-contained SQL, so the filter also works where Django nests it as a subquery.
        found = RawSQL(
            "SELECT rowid FROM catalogue_search_fts WHERE catalogue_search_fts MATCH %s",
            [self.expression(query)],
        )
        return entries.filter(id__in=found)

    def ranked(self, entries, query):
        # bm25() only works in the query that joins the FTS5 table, hence extra(); ranked
        # querysets are only ever used at the top level, where the table names hold.
        weights = ", ".join(str(weight) for weight in self.weights)
        return entries.extra(
            select={"score": f"bm25(catalogue_search_fts, {weights})"},
            tables=["catalogue_search_fts"],
            where=[
                "catalogue_search_fts.rowid = catalogue_searchentry.id",
                "catalogue_search_fts MATCH %s",
            ],
            params=[self.expression(query)],
            order_by=["score"],
        )


class PostgresBackend:
    def expression(self, query):
        # Words are letters and digits only, so they cannot carry tsquery operators.
        return " & ".join("({})".format(" <-> ".join(term)) for term in query.terms)

    def matching(self, entries, query):
        found = RawSQL(
            "SELECT id FROM catalogue_searchentry WHERE vector @@ to_tsquery('memoria', %s)",
            [self.expression(query)],
        )
        return entries.filter(id__in=found)

    def ranked(self, entries, query):
        expression = self.expression(query)
        return entries.extra(
            select={"score": "ts_rank(catalogue_searchentry.vector, to_tsquery('memoria', %s))"},
            select_params=[expression],
            where=["catalogue_searchentry.vector @@ to_tsquery('memoria', %s)"],
            params=[expression],
            order_by=["-score", "id"],
        )


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def matching_ids(query, kind):
    """Ids of the public records of one kind that match; usable as a subquery."""
    return backend().matching(public_entries([kind]), query).values("object_id")


def counts(query, kinds=None):
    """How many public records of each kind match."""
    rows = (
        backend()
        .matching(public_entries(kinds), query)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    found = dict(rows)
    return {kind: found.get(kind, 0) for kind in kinds or KINDS}


SORTS = {
    "relevance": None,
    "date": "date_earliest",
    "-date": "-date_earliest",
    "title": "sort_title",
}


def results(query, kinds=None, sort="relevance", offset=0, limit=20):
    """One page of matching public records, best first: [(kind, record, score)]."""
    search = backend()
    entries = public_entries(kinds)
    if SORTS.get(sort):
        page = search.matching(entries, query).order_by(SORTS[sort], "id")
    else:
        page = search.ranked(entries, query)
    page = list(page.values_list("kind", "object_id")[offset : offset + limit])
    by_kind = {}
    for kind, object_id in page:
        by_kind.setdefault(kind, []).append(object_id)
    records = {}
    for kind, ids in by_kind.items():
        model = KINDS[kind]
        # The page's records are read through .public() once more: a record unpublished
        # between the two queries is left out rather than shown.
        for record in model.objects.public().filter(pk__in=ids):
            records[kind, record.pk] = record
    return [(kind, records[kind, pk]) for kind, pk in page if (kind, pk) in records]


# Highlighting, the same for both databases


def _fold(text):
    """Accent- and case-folded text, and for each folded character its index in the text."""
    folded, positions = [], []
    for index, char in enumerate(text):
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        for c in base.casefold():
            folded.append(c)
            positions.append(index)
    return "".join(folded), positions


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


class RankedRecords:
    """Records in search-score order, sliceable and countable for a Paginator."""

    def __init__(self, model, entries):
        self.model = model
        self.entries = entries

    def count(self):
        return self.entries.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        ids = list(self.entries.values_list("object_id", flat=True)[window])
        records = self.model.objects.public().in_bulk(ids)
        return [records[pk] for pk in ids if pk in records]


def in_relevance_order(queryset, query, kind):
    """The records of a filtered public queryset, best match first."""
    entries = backend().ranked(public_entries([kind]), query)
    return RankedRecords(queryset.model, entries.filter(object_id__in=queryset.values("pk")))
