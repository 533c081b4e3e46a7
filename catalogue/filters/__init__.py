"""One FilterSet per record type, shared by the public pages and the API.

Filters on related records take public identifiers and only ever match public records, so a
filter cannot be used to probe for drafts. Facets are counted with every other active filter
applied, and only over public values.
"""

from .fields import Facet, language_names, public_agent_is
from .filtersets import (
    FILTERSETS,
    CatalogueFilterSet,
    DocumentFilterSet,
    EventFilterSet,
    LegalCaseFilterSet,
    OrganizationFilterSet,
    PersonFilterSet,
    TombstoneFilterSet,
    for_api,
)

__all__ = [
    "FILTERSETS",
    "CatalogueFilterSet",
    "DocumentFilterSet",
    "EventFilterSet",
    "Facet",
    "LegalCaseFilterSet",
    "OrganizationFilterSet",
    "PersonFilterSet",
    "TombstoneFilterSet",
    "for_api",
    "language_names",
    "public_agent_is",
]
