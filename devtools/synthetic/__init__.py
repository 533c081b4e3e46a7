"""A synthetic catalogue for load tests and benchmarks (`manage.py generate_catalogue`).

`vocabulary` holds the words and the benchmark terms, `templates` the text they fill,
`sampling` how they are drawn, and `builder` (with `agents`, `events_and_cases` and
`documents`) writes the records. The names below are the ones the commands and tests use.
"""

from catalogue.models import PUBLIC_ID_ALPHABET

from .builder import CatalogueBuilder, clear_catalogue
from .templates import SCOPE_SENTENCES, TITLES
from .vocabulary import (
    COMMON_SHARE,
    COMMON_TERM,
    CORE_ORGANIZATIONS,
    FIRST_NAMES,
    NEWSPAPERS,
    ORGANIZATION_PATTERNS,
    PHRASE_SHARE,
    PHRASE_TERM,
    PLACES,
    RARE_COUNT,
    RARE_TERM,
    SURNAMES,
    TOPICS,
)

__all__ = [
    "COMMON_SHARE",
    "COMMON_TERM",
    "CORE_ORGANIZATIONS",
    "FIRST_NAMES",
    "NEWSPAPERS",
    "ORGANIZATION_PATTERNS",
    "PHRASE_SHARE",
    "PHRASE_TERM",
    "PLACES",
    "PUBLIC_ID_ALPHABET",
    "RARE_COUNT",
    "RARE_TERM",
    "SCOPE_SENTENCES",
    "SURNAMES",
    "TITLES",
    "TOPICS",
    "CatalogueBuilder",
    "clear_catalogue",
]
