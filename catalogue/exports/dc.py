"""Simple Dublin Core (oai_dc) for every record type: the lowest common format of harvesters."""

from django.conf import settings

from ..citations import dates_of, title_of
from ..models import (
    CATALOGUE_LANGUAGE,
    Document,
    DocumentLink,
    Event,
    LegalCase,
    Organization,
    Person,
)
from ..related import related_many
from ._xml import XML_LANG, Maker, absolute, lines, paragraphs

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"

oai_dc = Maker(OAI_DC, {"oai_dc": OAI_DC, "dc": DC})
dc = Maker(DC, None)

# DCMI Type Vocabulary terms; a document of any other kind is Text.
DCMI_TYPES = {
    Document.Kind.PHOTOGRAPH: "StillImage",
    Document.Kind.AUDIOVISUAL: "MovingImage",
    Document.Kind.WEB_PAGE: "InteractiveResource",
}
AGGREGATE_LEVELS = {
    Document.Level.FONDS,
    Document.Level.SUBFONDS,
    Document.Level.COLLECTION,
    Document.Level.SERIES,
    Document.Level.SUBSERIES,
    Document.Level.FILE,
}
RECORD_TYPES = {
    Person: "Person",
    Organization: "Organization",
    LegalCase: "Legal case",
    Event: "Event",
}


def related_records(record, related):
    """Every public record the page of `record` links to, from its selector's context."""
    if isinstance(record, Document):
        found = [related["parent"], *related["children"]]
        found += [link.target for link in related["links"]]
    elif isinstance(record, Person):
        found = [membership.organization for membership in related["memberships"]]
        found += [role.case for role in related["case_roles"]]
        found += [role.event for role in related["event_roles"]]
    elif isinstance(record, Organization):
        found = [membership.person for membership in related["members"]]
        found += [relation.target for relation in related["relations_out"]]
        found += [relation.source for relation in related["relations_in"]]
        found += related["cases_heard"]
        found += [role.case for role in related["case_roles"]]
        found += [role.event for role in related["event_roles"]]
    elif isinstance(record, LegalCase):
        found = [related["court"], *(party.agent for party in related["parties"])]
        found += [link.to_case for link in related["links_out"]]
        found += [link.from_case for link in related["links_in"]]
        found += related["events"]
    else:
        found = [participant.agent for participant in related["participants"]]
        found += related["legal_cases"]
    if not isinstance(record, Document):
        found += [link.document for link in related["documents"]]
    unique = {}
    for other in found:
        if other is not None:
            unique.setdefault((type(other), other.pk), other)
    return list(unique.values())


def _descriptions(record):
    if isinstance(record, Document):
        return [record.scope_and_content]
    if isinstance(record, Person):
        return [record.biography, record.personal_details]
    if isinstance(record, Organization):
        return [record.history]
    if isinstance(record, LegalCase):
        return [record.summary, record.outcome]
    return [record.description]


def _fields(record, request, related):
    """(element, value) pairs, or (element, value, language) for text in a known language, in
    the order harvesters show them."""
    translations = related["translations"]
    fields = [("title", title_of(record))]
    fields += [("title", t.title, t.language.tag) for t in translations]
    if isinstance(record, (Person, Organization)):
        fields += [("title", name.name) for name in related["other_names"]]
    if isinstance(record, Document):
        creators = [
            link.target for link in related["links"] if link.role == DocumentLink.Role.CREATOR
        ]
        fields += [("creator", record.creator_name)]
        fields += [
            ("creator", str(agent)) for agent in creators if str(agent) != record.creator_name
        ]
        fields += [
            ("subject", str(link.target))
            for link in related["links"]
            if link.role == DocumentLink.Role.SUBJECT
        ]
        fields += [("publisher", record.publisher)]
    fields += [("subject", line) for line in lines(getattr(record, "functions", ""))]
    fields += [
        ("description", text, CATALOGUE_LANGUAGE)
        for field in _descriptions(record)
        for text in paragraphs(field)
    ]
    fields += [
        ("description", text, t.language.tag) for t in translations for text in paragraphs(t.text)
    ]
    fields += [("date", dates_of(record))]
    if isinstance(record, Document):
        aggregate = record.level in AGGREGATE_LEVELS
        fields += [("type", "Collection" if aggregate else DCMI_TYPES.get(record.kind, "Text"))]
        fields += [("type", record.get_kind_display())]
        fields += [("format", record.extent_and_medium)]
        fields += [("language", language.code) for language in related["languages"]]
        fields += [("identifier", record.reference_code)]
    else:
        fields += [("type", RECORD_TYPES[type(record)])]
    fields += [("identifier", absolute(request, record)), ("identifier", record.public_id)]
    if isinstance(record, LegalCase):
        fields += [("identifier", number.strip()) for number in record.case_number.split(";")]
    if isinstance(record, (Person, Organization)):
        fields += [
            ("identifier", identifier.url or str(identifier))
            for identifier in related["identifiers"]
        ]
    fields += [("source", line) for line in record.source_list]
    fields += [("relation", absolute(request, other)) for other in related_records(record, related)]
    if isinstance(record, Document):
        fields += [("relation", record.url)]
        fields += [("rights", record.conditions_of_access)]
        fields += [("rights", record.conditions_of_reproduction)]
    if isinstance(record, Event):
        fields += [("coverage", record.place)]
    if isinstance(record, Organization) and record.country:
        fields += [("coverage", record.country.name)]
    if isinstance(record, Person):
        fields += [("coverage", country.name) for country in record.nationality]
    return fields


def dublin_core(record, request):
    """The record as an oai_dc:dc element (OAI-PMH 2.0, simple Dublin Core)."""
    return dublin_core_many([record], request)[0]


def dublin_core_many(records, request):
    """Each record's oai_dc:dc element, in order, its related records read for all at once."""
    views = [record.public_view() for record in records]
    return [
        _dublin_core(view, request, related)
        for view, related in zip(views, related_many(views), strict=True)
    ]


def _dublin_core(record, request, related):
    root = oai_dc.root("dc")
    seen = set()
    for name, value, *language in _fields(record, request, related):
        value = str(value or "").strip()
        if value and (name, value, *language) not in seen:
            seen.add((name, value, *language))
            dc.add(root, name, value, {XML_LANG: language[0] if language else None})
    if settings.MEMORIA_SITE_NAME and not isinstance(record, Document):
        dc.add(root, "publisher", settings.MEMORIA_SITE_NAME)
    return root
