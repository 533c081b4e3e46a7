"""What partners receive: explicit fields, stable identifiers, absolute URLs.

Related records come as compact summaries (identifier, type, title, links), read from
lists that the views prefetch through `.public()`; a serializer never queries on its own.
"""

from .records import (
    DeletionSerializer,
    DocumentSerializer,
    EventSerializer,
    LegalCaseSerializer,
    OrganizationSerializer,
    PersonSerializer,
)

__all__ = [
    "DeletionSerializer",
    "DocumentSerializer",
    "EventSerializer",
    "LegalCaseSerializer",
    "OrganizationSerializer",
    "PersonSerializer",
]
