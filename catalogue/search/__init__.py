"""Full-text search over every type of record, true to the database in use.

SQLite answers through FTS5, PostgreSQL through a tsvector with unaccent (migration 0004); both
fold case and accents and rank a hit in a name or title above one in a description. What a
visitor may see is decided by each record type's `.public()`, never by the index.

Search text is user text: it is cut into words and quoted phrases, and only those reach the
database, so no input can be read as query syntax.
"""

from . import engine
from .backends import backend, matching_ids
from .entries import (
    MODELS,
    deferred,
    entry_id,
    entry_text,
    id_range,
    index,
    index_many,
    note_changes,
    rebuild,
    refresh,
    remove,
)
from .highlight import highlight, passage, snippet
from .query import CONTROL, MAX_QUERY_LENGTH, MAX_TERMS, Query, parse
from .results import (
    SORTS,
    IndexedRecords,
    counts,
    in_relevance_order,
    matching,
    ranked,
    results,
)

__all__ = [
    "CONTROL",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "MODELS",
    "SORTS",
    "IndexedRecords",
    "Query",
    "backend",
    "counts",
    "deferred",
    "engine",
    "entry_id",
    "entry_text",
    "highlight",
    "id_range",
    "in_relevance_order",
    "index",
    "index_many",
    "matching",
    "matching_ids",
    "note_changes",
    "parse",
    "passage",
    "ranked",
    "rebuild",
    "refresh",
    "remove",
    "results",
    "snippet",
]
