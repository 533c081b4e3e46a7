"""Our templates, one per record type and relationship, registered as import types."""

from .. import ImportType, register
from .links import (
    CaseLinkResource,
    CasePartyResource,
    DocumentLinkResource,
    EventParticipantResource,
    MembershipResource,
    OrganizationRelationResource,
)
from .records import (
    DocumentResource,
    EventResource,
    LegalCaseResource,
    OrganizationResource,
    PersonResource,
)

# The names `import_csv --type` takes, each with its template's resource.
RESOURCES = {
    "document": DocumentResource,
    "person": PersonResource,
    "organization": OrganizationResource,
    "event": EventResource,
    "case": LegalCaseResource,
    "membership": MembershipResource,
    "organization-relation": OrganizationRelationResource,
    "case-party": CasePartyResource,
    "event-participant": EventParticipantResource,
    "case-link": CaseLinkResource,
    "document-link": DocumentLinkResource,
}
BY_MODEL = {resource._meta.model: resource for resource in RESOURCES.values()}

for name, resource in RESOURCES.items():
    register(ImportType(name, resource, label=str(resource._meta.model._meta.verbose_name)))
