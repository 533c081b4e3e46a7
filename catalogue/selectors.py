"""What public pages read about a record: every related list goes through `.public()`."""

from django.db.models import Prefetch

from .models import (
    CaseLink,
    CaseParty,
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    LegalCase,
    Membership,
    Organization,
    OrganizationName,
    OrganizationRelation,
    Person,
    PersonName,
)

TREE_LIMIT = 50


def public_agent():
    """A link whose person or organization end is public."""
    return Person.public_q("person__") | Organization.public_q("organization__")


def public_evidence():
    return Prefetch("evidence", queryset=Document.objects.public())


def linked_to(model, end, target):
    """Relationships of `model` whose `end` is a public `target`, with their public evidence.

    The pages' related lists and the API's prefetches both read relationships this way.
    """
    return (
        model.objects.filter(target.public_q(f"{end}__"))
        .select_related(end)
        .prefetch_related(public_evidence())
    )


def linked_to_agents(model):
    """Relationships of `model` whose person or organization is public."""
    return (
        model.objects.filter(public_agent())
        .select_related("person", "organization")
        .prefetch_related(public_evidence())
        .order_by("role", "pk")
    )


def documents_about(**target):
    """Public documents linked to a record, with the role of each link."""
    return (
        DocumentLink.objects.filter(Document.public_q("document__"), **target)
        .select_related("document")
        .order_by("role", "document__date_earliest", "document__reference_code")
    )


def document_context(document):
    public = Document.objects.public()
    ancestors = []
    parent_id = document.parent_id
    while parent_id and len(ancestors) < 20:
        parent = public.filter(pk=parent_id).first()
        if parent is None:  # the tree above a non-public level stays hidden
            break
        ancestors.insert(0, parent)
        parent_id = parent.parent_id
    in_tree = public.only("public_id", "title", "level", "dates", "parent_id")
    children = in_tree.filter(parent=document)
    siblings = in_tree.filter(parent_id=document.parent_id).exclude(pk=document.pk)
    parent_visible = bool(ancestors) and ancestors[-1].pk == document.parent_id
    links = (
        document.links.filter(
            public_agent() | LegalCase.public_q("legal_case__") | Event.public_q("event__")
        )
        .select_related("person", "organization", "legal_case", "event")
        .order_by("role", "pk")
    )
    evidence_for = list(
        Membership.objects.filter(
            Person.public_q("person__"), Organization.public_q("organization__"), evidence=document
        ).select_related("person", "organization")
    ) + list(
        OrganizationRelation.objects.filter(
            Organization.public_q("source__"), Organization.public_q("target__"), evidence=document
        ).select_related("source", "target")
    )
    first_children = list(children[:TREE_LIMIT])
    return {
        "ancestors": ancestors,
        "parent": ancestors[-1] if parent_visible else None,
        "children": first_children,
        # Counted only when the list was cut short.
        "children_count": (
            children.count() if len(first_children) == TREE_LIMIT else len(first_children)
        ),
        "siblings": list(siblings[:TREE_LIMIT]) if parent_visible else [],
        "links": list(links),
        "languages": list(document.languages.all()),
        "evidence_for": evidence_for,
    }


def person_context(person):
    return {
        "other_names": list(person.other_names.all()),
        "identifiers": list(person.identifiers.all()),
        "memberships": list(
            linked_to(Membership, "organization", Organization).filter(person=person)
        ),
        "case_roles": list(
            linked_to(CaseParty, "case", LegalCase)
            .filter(person=person)
            .order_by("case__date_earliest")
        ),
        "event_roles": list(
            linked_to(EventParticipant, "event", Event)
            .filter(person=person)
            .order_by("event__date_earliest")
        ),
        "documents": list(documents_about(person=person)),
    }


def organization_context(organization):
    return {
        "other_names": list(organization.other_names.all()),
        "identifiers": list(organization.identifiers.all()),
        "members": list(
            linked_to(Membership, "person", Person)
            .filter(organization=organization)
            .order_by("kind", "date_earliest", "pk")
        ),
        "relations_out": list(
            linked_to(OrganizationRelation, "target", Organization).filter(source=organization)
        ),
        "relations_in": list(
            linked_to(OrganizationRelation, "source", Organization).filter(target=organization)
        ),
        "cases_heard": list(LegalCase.objects.public().filter(court=organization)),
        "case_roles": list(
            organization.case_parties.filter(LegalCase.public_q("case__"))
            .select_related("case")
            .order_by("case__date_earliest")
        ),
        "event_roles": list(
            organization.event_roles.filter(Event.public_q("event__"))
            .select_related("event")
            .order_by("event__date_earliest")
        ),
        "documents": list(documents_about(organization=organization)),
    }


def case_context(case):
    return {
        "court": Organization.objects.public().filter(pk=case.court_id).first(),
        "parties": list(linked_to_agents(CaseParty).filter(case=case)),
        "links_out": list(
            case.links_out.filter(LegalCase.public_q("to_case__")).select_related("to_case")
        ),
        "links_in": list(
            case.links_in.filter(LegalCase.public_q("from_case__")).select_related("from_case")
        ),
        "events": list(case.events.public()),
        "documents": list(documents_about(legal_case=case)),
    }


def event_context(event):
    return {
        "participants": list(linked_to_agents(EventParticipant).filter(event=event)),
        "legal_cases": list(event.legal_cases.public()),
        "documents": list(documents_about(event=event)),
    }


CONTEXTS = {
    Document: document_context,
    Person: person_context,
    Organization: organization_context,
    LegalCase: case_context,
    Event: event_context,
}


# The API's lists: every related list of a page of records in one query each, whatever the
# page size. Each attribute holds only public records, like the detail pages' lists.


def documents_linked():
    return Prefetch(
        "document_links",
        queryset=DocumentLink.objects.filter(Document.public_q("document__"))
        .select_related("document")
        .order_by("role", "document__date_earliest", "document__reference_code"),
        to_attr="public_documents",
    )


def names(model):
    return Prefetch("other_names", queryset=model.objects.select_related("language"))


def case_roles():
    return Prefetch(
        "case_parties",
        queryset=linked_to(CaseParty, "case", LegalCase).order_by("case__date_earliest", "pk"),
        to_attr="public_case_roles",
    )


def event_roles():
    return Prefetch(
        "event_roles",
        queryset=linked_to(EventParticipant, "event", Event).order_by("event__date_earliest", "pk"),
        to_attr="public_event_roles",
    )


def agents_linked(model, related_name):
    return Prefetch(
        related_name, queryset=linked_to_agents(model), to_attr=f"public_{related_name}"
    )


API_PREFETCHES = {
    Document: [
        Prefetch("parent", queryset=Document.objects.public(), to_attr="public_parent"),
        "languages",
        Prefetch(
            "links",
            queryset=DocumentLink.objects.filter(
                public_agent() | LegalCase.public_q("legal_case__") | Event.public_q("event__")
            )
            .select_related("person", "organization", "legal_case", "event")
            .order_by("role", "pk"),
            to_attr="public_links",
        ),
    ],
    Person: [
        names(PersonName),
        "identifiers",
        Prefetch(
            "memberships",
            queryset=linked_to(Membership, "organization", Organization),
            to_attr="public_memberships",
        ),
        case_roles(),
        event_roles(),
        documents_linked(),
    ],
    Organization: [
        names(OrganizationName),
        "identifiers",
        Prefetch(
            "memberships",
            queryset=linked_to(Membership, "person", Person).order_by(
                "kind", "date_earliest", "pk"
            ),
            to_attr="public_members",
        ),
        Prefetch(
            "relations_out",
            queryset=linked_to(OrganizationRelation, "target", Organization),
            to_attr="public_relations_out",
        ),
        Prefetch(
            "relations_in",
            queryset=linked_to(OrganizationRelation, "source", Organization),
            to_attr="public_relations_in",
        ),
        Prefetch("cases_heard", queryset=LegalCase.objects.public(), to_attr="public_cases_heard"),
        case_roles(),
        event_roles(),
        documents_linked(),
    ],
    LegalCase: [
        Prefetch("court", queryset=Organization.objects.public(), to_attr="public_court"),
        agents_linked(CaseParty, "parties"),
        Prefetch(
            "links_out",
            queryset=CaseLink.objects.filter(LegalCase.public_q("to_case__")).select_related(
                "to_case"
            ),
            to_attr="public_links_out",
        ),
        Prefetch(
            "links_in",
            queryset=CaseLink.objects.filter(LegalCase.public_q("from_case__")).select_related(
                "from_case"
            ),
            to_attr="public_links_in",
        ),
        Prefetch("events", queryset=Event.objects.public(), to_attr="public_events"),
        documents_linked(),
    ],
    Event: [
        agents_linked(EventParticipant, "participants"),
        Prefetch("legal_cases", queryset=LegalCase.objects.public(), to_attr="public_legal_cases"),
        documents_linked(),
    ],
}
