"""Counts, pages and downloads of matching public records."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F

from ..models import attach_translations
from ..ordering import PAGE_SORTS
from . import engine
from .backends import backend, matching_ids
from .entries import ID_SPAN, MODELS, TYPE_NUMBERS, TYPE_OF_NUMBER, id_range


def counts(query, types=None, within=None):
    """How many public records of each type match, in one query of the database.

    Each type's matches are joined to the SQL of its `.public()` queryset, so the gate, not
    the index, decides what is counted. (`facets.overview` counts from the embedded index.)
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


MAX_LISTED = 5000  # ids the index hands the database as a list; more, and it matches itself


def matching(query, record_type):
    """Ids of the records of one type whose words match, for `pk__in`: the public ones, as a
    list from the embedded index when they are few, else the database's own subquery."""
    indexed = engine.searcher()
    if indexed is not None:
        filters = engine.Filters(types=(record_type,))
        keys = indexed.keys(query, filters, "date", 0, MAX_LISTED + 1)
        if len(keys) <= MAX_LISTED:
            return [engine.schema.entry_of(key)[1] for key in keys]
    return matching_ids(query, record_type)


def _filters(filters, types):
    types = tuple(types or MODELS)
    if filters is None:
        return engine.Filters(types=types)
    return engine.Filters(**{**filters.__dict__, "types": types})


def _candidates(query, types, sort, limit, filters=None, indexed=None):
    """(record_type, object_id) of matching entries in the chosen order, public or not:
    callers confirm them through `.public()`. `indexed`: a searcher the caller already holds."""
    indexed = indexed or engine.searcher()
    if indexed is not None:
        keys = indexed.keys(query, _filters(filters, types), sort, 0, limit)
        return [engine.schema.entry_of(key) for key in keys]
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


def confirmed(candidates, within=None, prepare=None):
    """{(record_type, id): public view} of the candidates that `.public()` (and `within`, a
    queryset per type) still returns: one query per record type, plus `prepare`'s."""
    by_type = {}
    for record_type, object_id in candidates:
        by_type.setdefault(record_type, []).append(object_id)
    visible = {}
    for record_type, ids in by_type.items():
        queryset = within[record_type] if within else MODELS[record_type].objects.public()
        queryset = prepare(record_type, queryset) if prepare else queryset
        for start in range(0, len(ids), CHUNK):
            for record in queryset.filter(pk__in=ids[start : start + CHUNK]):
                visible[record_type, record.pk] = record.public_view()
    return visible


def results(
    query, types=None, sort="relevance", offset=0, limit=20, within=None, filters=None, indexed=None
):
    """One page of matching public records in the chosen order: [(record_type, record)].

    The index gives candidates in order; only those that `.public()` (and `within`, a
    queryset per type) returns are kept. Candidates are read in growing batches until the
    page is full, so a page costs a few queries whatever the number of matches.
    """
    types = list(types or MODELS)
    wanted = offset + limit
    # The embedded index holds public records only: a few more than the page cover a record
    # hidden since. The database's entries include records that are not public.
    batch = wanted + 5 if indexed else max(2 * wanted, 50)
    while True:
        candidates = _candidates(query, types, sort, batch, filters, indexed)
        visible = confirmed(candidates, within)
        kept = [
            (record_type, visible[record_type, pk])
            for record_type, pk in candidates
            if (record_type, pk) in visible
        ]
        if len(kept) >= wanted or len(candidates) < batch:
            page = kept[offset:wanted]
            attach_translations(record for _type, record in page)  # shown in the reader's
            return page
        batch *= 4


def ranked(query, types=None, sort="relevance", within=None, limit=10_000, batch=500, prepare=None):
    """Matching public records in the chosen order, up to `limit`, for downloads: yields
    batches of public views [(record_type, record)].

    The index gives `limit` candidates in one query (more, and again, only when hidden ones
    leave fewer than `limit`); each batch of candidates goes through `.public()` (and
    `within`) in one query per record type, plus what `prepare(record_type, queryset)` adds
    (prefetches), so a batch costs the same queries however many records there are.
    """
    types = list(types or MODELS)
    fetch, seen, sent = limit, set(), 0
    while True:
        candidates = [key for key in _candidates(query, types, sort, fetch) if key not in seen]
        for start in range(0, len(candidates), batch):
            chunk = candidates[start : start + batch]
            seen.update(chunk)
            visible = confirmed(chunk, within, prepare)
            found = [(key[0], visible[key]) for key in chunk if key in visible][: limit - sent]
            sent += len(found)
            yield found
            if sent >= limit:
                return
        if len(seen) < fetch:
            return
        # Read again, longer. Scores can tie and a longer list may order ties differently, so
        # what was already gated is skipped by identity, not by position.
        fetch *= 4


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


class IndexedRecords:
    """A browse page's records from the embedded index, sliceable for a Paginator: the
    count and the order come from the index, each page's records from `.public()`."""

    def __init__(self, indexed, record_type, query, sort, filters, page_size=20):
        self.indexed, self.record_type, self.query = indexed, record_type, query
        self.sort, self.filters = sort, filters
        self.first = None  # the first page's keys, read with the count: most views need both
        self.total = None
        self.page_size = page_size

    def count(self):
        if self.total is None:
            self.first, self.total = self._keys(0, self.page_size)
        return self.total

    def __len__(self):
        return self.count()

    def _keys(self, start, size):
        return self.indexed.page(self.query, self.filters, self.sort, start, size, browsing=True)

    def __getitem__(self, window):
        start = window.start or 0
        if start == 0 and window.stop <= self.page_size and self.first is not None:
            keys = self.first[: window.stop]  # the only page, shorter than a full one
        else:
            keys = self._keys(start, window.stop - start)[0]
        candidates = [engine.schema.entry_of(key) for key in keys]
        visible = confirmed(candidates)
        return attach_translations([visible[key] for key in candidates if key in visible])
