"""The embedded search engine (Tantivy): fast counts, pages and facets at a million records.

The database stays the source of truth and the gate: the index is a cache that may be deleted
at any time (`manage.py rebuild_search_index` builds it again), ids it returns are confirmed
through `.public()` before anything is shown, and whenever it cannot answer (missing, being
rebuilt, damaged, or behind a writer it cannot wait for) `searcher()` returns None and search
takes the database's full-text path, which gives the same results, more slowly.
"""

import threading

from django.conf import settings

from . import schema
from .queries import Filters, Searcher
from .store import Engine, Unavailable

_engines = {}
_engines_lock = threading.Lock()


def engine():
    """This process's engine for the configured folder."""
    root = settings.MEMORIA_SEARCH_DIR
    with _engines_lock:
        if root not in _engines:
            _engines[root] = Engine(root)
        return _engines[root]


def enabled():
    return settings.MEMORIA_SEARCH_ENGINE == "tantivy"


def searcher():
    """A Searcher on an index in step with the database, or None: search the database."""
    if not enabled():
        return None
    current = engine()
    try:
        found = current.searcher()
    except Unavailable:
        return None
    return Searcher(found, current.index.schema)


def rebuild(progress=None):
    """Build the index afresh, put it in use, and return how many records it holds."""
    current = engine()
    total = current.rebuild(progress)
    with current.lock:
        current.stamp = None  # read the new build on the next search
    return total


__all__ = [
    "Filters",
    "Searcher",
    "Unavailable",
    "enabled",
    "engine",
    "rebuild",
    "schema",
    "searcher",
]
