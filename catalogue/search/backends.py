"""How each database matches a Query.

Each backend turns a Query into self-contained SQL: the object ids of one record type whose
entries match, in index order or best first. Visibility is never decided there: callers put
those ids through the record type's own `.public()`.
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from .entries import id_range


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
