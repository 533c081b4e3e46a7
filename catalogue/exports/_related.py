"""What exports read about many records at once: each related list in one query per page.

The lists hold only public records, as the detail pages' selectors do, and carry the same
names (`selectors.CONTEXTS`), so an export reads the same whether it is made alone or in a
harvested page of a hundred.
"""

from django.db.models import Prefetch, prefetch_related_objects

from ..models import Document, Event, LegalCase, Organization, Person
from ..selectors import API_PREFETCHES, TREE_LIMIT

PREFETCHES = API_PREFETCHES | {
    Document: [
        *API_PREFETCHES[Document],
        # A page names its first parts only, and so does its Dublin Core.
        Prefetch(
            "children",
            queryset=Document.objects.public().only("public_id", "parent_id")[:TREE_LIMIT],
            to_attr="public_children",
        ),
    ],
}


def _document(document):
    return {
        "parent": document.public_parent,
        "children": document.public_children,
        "links": document.public_links,
        "languages": list(document.languages.all()),
    }


def _person(person):
    return {
        "other_names": list(person.other_names.all()),
        "identifiers": list(person.identifiers.all()),
        "memberships": person.public_memberships,
        "case_roles": person.public_case_roles,
        "event_roles": person.public_event_roles,
        "documents": person.public_documents,
    }


def _organization(organization):
    return {
        "other_names": list(organization.other_names.all()),
        "identifiers": list(organization.identifiers.all()),
        "members": organization.public_members,
        "relations_out": organization.public_relations_out,
        "relations_in": organization.public_relations_in,
        "cases_heard": organization.public_cases_heard,
        "case_roles": organization.public_case_roles,
        "event_roles": organization.public_event_roles,
        "documents": organization.public_documents,
    }


def _case(case):
    return {
        "court": case.public_court,
        "parties": case.public_parties,
        "links_out": case.public_links_out,
        "links_in": case.public_links_in,
        "events": case.public_events,
        "documents": case.public_documents,
    }


def _event(event):
    return {
        "participants": event.public_participants,
        "legal_cases": event.public_legal_cases,
        "documents": event.public_documents,
    }


CONTEXTS = {
    Document: _document,
    Person: _person,
    Organization: _organization,
    LegalCase: _case,
    Event: _event,
}


def related_many(records):
    """The related public records of each record, in order: one set of queries per type."""
    by_type = {}
    for record in records:
        by_type.setdefault(type(record), []).append(record)
    for model, group in by_type.items():
        prefetch_related_objects(group, *PREFETCHES[model])
    return [CONTEXTS[type(record)](record) for record in records]
