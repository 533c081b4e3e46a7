"""EAC-CPF 2010 (revised) authority records for persons and organizations."""

import re

from django.urls import reverse

from ..citations import dates_of
from ..models import CATALOGUE_LANGUAGE, DocumentLink, Organization, Person
from ..related import related_many
from ._xml import EAC_DATES, XLINK, XML_LANG, Maker, absolute, add_dates, agency, moment, paragraphs

EAC = "urn:isbn:1-931666-33-4"

eac = Maker(EAC, {None: EAC, "xlink": XLINK})

# The schema's pattern for agencyCode (ISO 15511); another code goes in agencyName only.
AGENCY_CODE = re.compile(r"^(([A-Z]{2})|([a-zA-Z])|([a-zA-Z]{3,4}))(-[a-zA-Z0-9:/\-]{1,11})$")
CONVENTION = "local"  # authorizedForm and alternativeForm name it; it is an xs:NMTOKEN
RESOURCE_RELATION_TYPES = {
    DocumentLink.Role.CREATOR: "creatorOf",
    DocumentLink.Role.SUBJECT: "subjectOf",
}
# An incoming relation seen from the other end: a parent's child is the child's parent.
INVERSE_CATEGORIES = {
    "hierarchical-parent": "hierarchical-child",
    "hierarchical-child": "hierarchical-parent",
    "temporal-earlier": "temporal-later",
    "temporal-later": "temporal-earlier",
}


def _link(request, record):
    return {f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": absolute(request, record)}


def _control(root, agent, request):
    code, name = agency()
    control = eac.add(root, "control")
    eac.add(control, "recordId", agent.public_id)
    url = request.build_absolute_uri(
        reverse(f"{agent.record_type}_eac_cpf", args=[agent.public_id])
    )
    eac.add(control, "otherRecordId", url, {"localType": "eac-cpf"})
    eac.add(control, "otherRecordId", absolute(request, agent), {"localType": "html"})
    eac.add(control, "maintenanceStatus", "derived")
    eac.add(control, "publicationStatus", "approved")
    maintenance_agency = eac.add(control, "maintenanceAgency")
    if AGENCY_CODE.match(code or ""):
        eac.add(maintenance_agency, "agencyCode", code)
    eac.add(maintenance_agency, "agencyName", name)
    convention = eac.add(control, "conventionDeclaration")
    eac.add(convention, "abbreviation", CONVENTION)
    eac.add(
        convention,
        "citation",
        "ISAAR(CPF): International Standard Archival Authority Record for Corporate Bodies, "
        "Persons and Families, 2nd edition",
    )
    history = eac.add(control, "maintenanceHistory")
    events = [("created", agent.created_at)]
    if agent.last_changed != agent.created_at:
        events.append(("revised", agent.last_changed))
    for event_type, when in events:
        event = eac.add(history, "maintenanceEvent")
        eac.add(event, "eventType", event_type)
        eac.add(event, "eventDateTime", moment(when), {"standardDateTime": moment(when)})
        eac.add(event, "agentType", "human")
        eac.add(event, "agent", name)


def _name_entry(identity, name, form, kind="", language=None):
    entry = eac.add(identity, "nameEntry", attrs={XML_LANG: language, "localType": kind or None})
    eac.add(entry, "part", name)
    eac.add(entry, form, CONVENTION)


def _identity(description, agent, related):
    identity = eac.add(description, "identity")
    for identifier in related["identifiers"]:
        eac.add(
            identity,
            "entityId",
            identifier.url or identifier.value,
            {"localType": identifier.scheme},
        )
    is_person = isinstance(agent, Person)
    eac.add(identity, "entityType", "person" if is_person else "corporateBody")
    _name_entry(identity, agent.authorized_name, "authorizedForm")
    if getattr(agent, "acronym", ""):
        _name_entry(identity, agent.acronym, "alternativeForm", "acronym")
    for name in related["other_names"]:
        language = name.language.tag if name.language else None
        _name_entry(identity, name.name, "alternativeForm", name.kind, language)
    for translation in related["translations"]:
        if translation.title:
            language = translation.language.tag
            _name_entry(identity, translation.title, "alternativeForm", "translation", language)


def _place(places, role, name="", country=None):
    place = eac.add(places, "place")
    eac.add(place, "placeRole", role)
    eac.add(place, "placeEntry", name or country.name, {"countryCode": country and country.code})


def _description(parent, agent, related):
    description = eac.add(parent, "description")
    if dates := dates_of(agent):
        add_dates(eac, eac.add(description, "existDates"), dates, EAC_DATES)
    places = eac.add(description, "places")
    if isinstance(agent, Person):
        if agent.birth_place:
            _place(places, "birth", agent.birth_place)
        if agent.death_place:
            _place(places, "death", agent.death_place)
        for country in agent.nationality:
            _place(places, "nationality", country=country)
    elif agent.country:
        _place(places, "seat", country=agent.country)
    if not len(places):
        description.remove(places)
    functions = [line.strip() for line in agent.functions.splitlines() if line.strip()]
    if functions:
        block = eac.add(description, "functions")
        for function in functions:
            eac.add(eac.add(block, "function"), "term", function)
    histories = [(agent.text, None, CATALOGUE_LANGUAGE)]
    histories += [(t.text, None, t.language.tag) for t in related["translations"]]
    histories += [(getattr(agent, "personal_details", ""), "personal", CATALOGUE_LANGUAGE)]
    for text, kind, language in histories:
        texts = paragraphs(text)
        if texts:
            biog_hist = eac.add(
                description, "biogHist", attrs={"localType": kind, XML_LANG: language}
            )
            for paragraph in texts:
                eac.add(biog_hist, "p", paragraph)
    if not len(description):
        parent.remove(description)


def _relation(relations, tag, kind_attr, kind, other, request, dates="", note=""):
    relation = eac.add(relations, tag, attrs={kind_attr: kind, **_link(request, other)})
    eac.add(relation, "relationEntry", str(other))
    if dates:
        add_dates(eac, relation, dates, EAC_DATES)
    if note:
        eac.add(eac.add(relation, "descriptiveNote"), "p", note)
    return relation


def _membership_note(membership):
    return ", ".join(filter(None, [membership.get_kind_display(), membership.role]))


def _relation_note(relation):
    # Worded from the source's side, which reads right from either end.
    return "; ".join(filter(None, [str(relation), relation.description]))


def _relations(parent, agent, related, request):
    relations = eac.add(parent, "relations")
    cpf = []
    if isinstance(agent, Person):
        cpf += [
            ("associative", m.organization, m.dates, _membership_note(m))
            for m in related["memberships"]
        ]
    else:
        cpf += [("associative", m.person, m.dates, _membership_note(m)) for m in related["members"]]
        cpf += [
            (r.category, r.target, r.dates, _relation_note(r)) for r in related["relations_out"]
        ]
        cpf += [
            (INVERSE_CATEGORIES.get(r.category, r.category), r.source, r.dates, _relation_note(r))
            for r in related["relations_in"]
        ]
    for category, other, dates, note in cpf:
        _relation(
            relations, "cpfRelation", "cpfRelationType", category, other, request, dates, note
        )
    for link in related["documents"]:
        _relation(
            relations,
            "resourceRelation",
            "resourceRelationType",
            RESOURCE_RELATION_TYPES.get(link.role, "other"),
            link.document,
            request,
            link.document.dates,
            link.note,
        )
    if not len(relations):
        parent.remove(relations)


def eac_cpf(agent, request):
    """A person or organization as an EAC-CPF 2010 (revised) authority record."""
    return eac_cpf_many([agent], request)[0]


def eac_cpf_many(agents, request):
    """Each agent's EAC-CPF record, in order, their related records read for all at once."""
    for agent in agents:
        if not isinstance(agent, (Person, Organization)):
            raise TypeError(
                f"EAC-CPF describes persons and organizations, not {type(agent).__name__}."
            )
    views = [agent.public_view() for agent in agents]
    return [
        _eac_cpf(view, request, related)
        for view, related in zip(views, related_many(views), strict=True)
    ]


def _eac_cpf(agent, request, related):
    root = eac.root("eac-cpf")
    _control(root, agent, request)
    description = eac.add(root, "cpfDescription")
    _identity(description, agent, related)
    _description(description, agent, related)
    _relations(description, agent, related, request)
    return root
