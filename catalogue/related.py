"""The records around a record, declared once per record type.

Pages, the API, the bulk dump, exports and OAI-PMH all read a record's related lists from
here: each list holds only public records, and is built anew for every call, so the public
gate reads the date of the request (an embargo that ends today counts today, in every
channel, without a restart).

Each list is a `Prefetch`, so a page of a hundred records costs one query per list, the
same as one record. A gated list lands on `public_<name>`; a record's own rows (other
names, identifiers, languages, translations) are prefetched as they are.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, prefetch_related_objects

from . import tree
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
    translations_of,
)

# A page names a document's first parts only, and so do its exports.
CHILDREN_SHOWN = 50
# A list of records in the API names the first documents about each; its detail names all.
LISTED_DOCUMENTS = 20


def public_agent():
    """A link whose person or organization end is public."""
    return Person.public_q("person__") | Organization.public_q("organization__")


def public_evidence():
    return Prefetch("evidence", queryset=Document.objects.public())


def linked_to(model, end, target):
    """Relationships of `model` whose `end` is a public `target`, with their public evidence."""
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


def public(name, queryset, lookup=None):
    """A gated list: only the public records of `queryset`, on the attribute public_<name>."""
    return Prefetch(lookup or name, queryset=queryset, to_attr=f"public_{name}")


# What a list of documents about a record shows of each (title, type, dates, address) needs
# none of a document's long texts: a person can be named in thousands of documents, and a page
# of the API or of OAI-PMH lists every one of them.
DOCUMENT_TEXTS = (
    "scope_and_content",
    "archival_history",
    "sources",
    "archivist_note",
    "conditions_of_access",
    "conditions_of_reproduction",
    "location_of_originals",
)


def documents_about(limit=None):
    """Public documents linked to a record, with the role of each link: the first `limit`."""
    links = (
        DocumentLink.objects.filter(Document.public_q("document__"))
        .select_related("document")
        .defer(*(f"document__{name}" for name in DOCUMENT_TEXTS))
        .order_by("role", "document__date_earliest", "document__reference_code")
    )
    return public("documents", links[:limit] if limit else links, lookup="document_links")


def count_documents_about(records):
    """Set `documents_total` on each of these records of one type: how many public documents
    are about it. One query for the page, once it is cut (a count per row of a sorted list
    would be made for every row before the sort)."""
    if not records:
        return records
    end = type(records[0])._meta.get_field("document_links").field.name
    counts = dict(
        DocumentLink.objects.filter(
            Document.public_q("document__"), **{f"{end}__in": [r.pk for r in records]}
        )
        .order_by()
        .values_list(end)
        .annotate(n=Count("pk"))
    )
    for record in records:
        record.documents_total = counts.get(record.pk, 0)
    return records


def agent_roles():
    """A person's or organization's parts in public cases and events."""
    return [
        public(
            "case_roles",
            linked_to(CaseParty, "case", LegalCase).order_by("case__date_earliest", "pk"),
            lookup="case_parties",
        ),
        public(
            "event_roles",
            linked_to(EventParticipant, "event", Event).order_by("event__date_earliest", "pk"),
            lookup="event_roles",
        ),
    ]


def names(model):
    return Prefetch("other_names", queryset=model.objects.select_related("language"))


def document_lists(parts=True):
    """A document's lists; its first parts among them unless `parts` is false."""
    return [
        translations_of(Document),
        public("parent", Document.objects.public()),
        *([document_parts()] if parts else []),
        public(
            "links",
            DocumentLink.objects.filter(
                public_agent() | LegalCase.public_q("legal_case__") | Event.public_q("event__")
            )
            .select_related("person", "organization", "legal_case", "event")
            .order_by("role", "pk"),
        ),
        Prefetch("languages"),
    ]


def parts():
    """Public documents as a list of parts shows them, in the tree's order."""
    return Document.objects.public().only(*tree.PART_FIELDS).order_by("reference_code")


def document_parts():
    return public("children", parts()[:CHILDREN_SHOWN])


def person_lists():
    return [
        translations_of(Person),
        names(PersonName),
        Prefetch("identifiers"),
        public("memberships", linked_to(Membership, "organization", Organization)),
        *agent_roles(),
        documents_about(),
    ]


def organization_lists():
    return [
        translations_of(Organization),
        names(OrganizationName),
        Prefetch("identifiers"),
        public(
            "members",
            linked_to(Membership, "person", Person).order_by("kind", "date_earliest", "pk"),
            lookup="memberships",
        ),
        public("relations_out", linked_to(OrganizationRelation, "target", Organization)),
        public("relations_in", linked_to(OrganizationRelation, "source", Organization)),
        public("cases_heard", LegalCase.objects.public()),
        *agent_roles(),
        documents_about(),
    ]


def case_lists():
    return [
        translations_of(LegalCase),
        public("court", Organization.objects.public()),
        public("parties", linked_to_agents(CaseParty)),
        public(
            "links_out",
            CaseLink.objects.filter(LegalCase.public_q("to_case__")).select_related("to_case"),
        ),
        public(
            "links_in",
            CaseLink.objects.filter(LegalCase.public_q("from_case__")).select_related("from_case"),
        ),
        public("events", Event.objects.public()),
        documents_about(),
    ]


def event_lists():
    return [
        translations_of(Event),
        public("participants", linked_to_agents(EventParticipant)),
        public("legal_cases", LegalCase.objects.public()),
        documents_about(),
    ]


LISTS = {
    Document: document_lists,
    Person: person_lists,
    Organization: organization_lists,
    LegalCase: case_lists,
    Event: event_lists,
}


def prefetches(model, listed=False):
    """The related lists of a record type, built now: for `prefetch_related`.

    `listed`: as a list of records gives them, with the first `LISTED_DOCUMENTS` documents
    about each; a case can have thousands, which its own page and detail give in full.
    """
    lists = LISTS[model]()
    if listed:
        lists = [
            documents_about(LISTED_DOCUMENTS)
            if getattr(prefetch, "to_attr", None) == "public_documents"
            else prefetch
            for prefetch in lists
        ]
    return lists


def attach(records):
    """Read the related lists of these records, one set of queries per record type."""
    by_type = {}
    for record in records:
        by_type.setdefault(type(record), []).append(record)
    for model, group in by_type.items():
        prefetch_related_objects(group, *prefetches(model))
    return records


def lists_of(record, declared=None):
    """{name: list} of a record whose lists were read by `attach` or `prefetches`.

    `declared` is its type's `prefetches`, when the caller already has them.
    """
    found = {}
    for prefetch in declared or prefetches(type(record)):
        if prefetch.to_attr:
            found[prefetch.to_attr.removeprefix("public_")] = getattr(record, prefetch.to_attr)
        else:
            found[prefetch.prefetch_to] = list(getattr(record, prefetch.prefetch_to).all())
    return found


def related_many(records):
    """Each record's related public lists, in order: one set of queries per type."""
    records = attach(list(records))
    declared = {model: prefetches(model) for model in {type(record) for record in records}}
    return [lists_of(record, declared[type(record)]) for record in records]


# What only a record's public page shows


def page_queryset(model):
    """The public records of a type as their pages read them: a document with whether any
    relationship cites it as evidence, read with it rather than by one more query."""
    records = model.objects.public()
    if model is Document:
        records = records.annotate(**{name: Exists(query) for name, query in _citing()})
    return records


def page_lists(record):
    """The lists a record's public page shows: its related lists, and a document's place in
    the tree and the relationships it is the evidence for."""
    # One document's parts are read by a plain query, not the prefetch's window over the
    # parts of many.
    declared = document_lists(parts=False) if type(record) is Document else prefetches(type(record))
    prefetch_related_objects([record], *declared)
    lists = lists_of(record, declared)
    if type(record) is Document:
        lists |= _document_page(record, lists)
    return lists


# Alongside a document, the parts of the same level nearest to it in the tree's order, as
# many on each side as this, as a finding aid's tree shows them; the whole level is a link
# away. A level can hold thousands.
NEIGHBOURS = 5


def _document_page(document, lists):
    ancestors = tree.public_ancestors(document, parent=lists["parent"])
    children = list(parts().filter(parent_id=document.pk)[:CHILDREN_SHOWN])
    before, after = _neighbours(document) if lists["parent"] else ([], [])
    return {
        "children": children,
        "ancestors": ancestors,
        # Counted only when the list was cut short.
        "children_count": (
            document.children.public().count() if len(children) == CHILDREN_SHOWN else len(children)
        ),
        "siblings_before": before[:NEIGHBOURS][::-1],
        "siblings_after": after[:NEIGHBOURS],
        "more_siblings": len(before) > NEIGHBOURS or len(after) > NEIGHBOURS,
        "outline": tree.outline(children),
        "evidence_for": evidence_for(document),
    }


def _neighbours(document):
    """(the public parts of the document's level before it, nearest first; those after it),
    one more than shown on each side, to tell whether there are more."""
    level = parts().filter(parent_id=document.parent_id)
    code = document.reference_code
    before = level.filter(reference_code__lt=code).order_by("-reference_code")
    after = level.filter(reference_code__gt=code).order_by("reference_code")
    return list(before[: NEIGHBOURS + 1]), list(after[: NEIGHBOURS + 1])


# The relationships that cite a document as their evidence, and their two ends.
CITING = {
    Membership: (("person", Person), ("organization", Organization)),
    OrganizationRelation: (("source", Organization), ("target", Organization)),
}


def _citing():
    """(annotation, query) of each kind of relationship that may cite a document."""
    return [
        (f"cited_by_{model._meta.model_name}", model.objects.filter(evidence=OuterRef("pk")))
        for model in CITING
    ]


def evidence_for(document):
    """The public relationships that cite this document as their evidence.

    Most documents are the evidence for none: one look at the tables' partial indexes first
    (read with the document by `page_queryset`, or else now), then only the tables that cite
    it are read, through their ends' public gates.
    """
    names = [name for name, _query in _citing()]
    if all(hasattr(document, name) for name in names):
        cites = [getattr(document, name) for name in names]
    else:
        cites = (
            Document.objects.filter(pk=document.pk)
            .values_list(*(Exists(query) for _name, query in _citing()))
            .get()
        )
    found = []
    for (model, ends), cited in zip(CITING.items(), cites, strict=True):
        if cited:
            gates = [end_model.public_q(f"{end}__") for end, end_model in ends]
            rows = model.objects.filter(*gates, evidence=document)
            found += rows.select_related(*(end for end, _model in ends))
    return found
