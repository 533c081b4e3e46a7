"""EAD3 finding aids: a document with its public descendants nested beneath it."""

from django.db.models import Prefetch
from django.urls import reverse

from ..models import Document, DocumentLink, Organization, translations_of
from ..related import public_agent
from ..tree import public_descendants
from ._xml import EAD3_DATES, Maker, absolute, add_dates, agency, moment, paragraphs

EAD3 = "http://ead3.archivists.org/schema/"

ead = Maker(EAD3, {None: EAD3})

DESCRIPTION_BLOCKS = (
    ("scopecontent", "scope_and_content"),
    ("custodhist", "archival_history"),
    ("accessrestrict", "conditions_of_access"),
    ("userestrict", "conditions_of_reproduction"),
    ("originalsloc", "location_of_originals"),
)


def _with_details(queryset):
    """Documents with what their description shows, read once per level of the tree."""
    agent_links = (
        DocumentLink.objects.filter(public_agent())
        .select_related("person", "organization")
        .order_by("role", "pk")
    )
    return queryset.prefetch_related(
        "languages",
        translations_of(Document),
        Prefetch("links", queryset=agent_links, to_attr="agent_links"),
    )


def _name(parent, tag, agent, request, relator=None):
    element = ead.add(
        parent, tag, attrs={"identifier": absolute(request, agent), "relator": relator}
    )
    ead.add(element, "part", agent.authorized_name)
    return element


def _agent_tag(agent):
    return "corpname" if isinstance(agent, Organization) else "persname"


def _did(parent, document, request):
    did = ead.add(parent, "did")
    ead.add(did, "unitid", document.reference_code)
    ead.add(did, "unitid", document.public_id, {"localtype": "public-id"})
    ead.add(did, "unittitle", document.title)
    # A translated title beside the original; `lang` reads as ISO 639-3 (see <control>).
    for translation in document.translations.all():
        if translation.title:
            ead.add(did, "unittitle", translation.title, {"lang": translation.language.code})
    if document.dates:
        bounds = "/".join(
            day.isoformat() for day in (document.date_earliest, document.date_latest) if day
        )
        ead.add(did, "unitdate", document.dates, {"unitdatetype": "inclusive", "normal": bounds})
        structured = ead.add(did, "unitdatestructured", attrs={"unitdatetype": "inclusive"})
        add_dates(ead, structured, document.dates, EAD3_DATES)
    if document.extent_and_medium:
        ead.add(did, "physdesc", document.extent_and_medium)
    languages = list(document.languages.all())
    if languages:
        langmaterial = ead.add(did, "langmaterial")
        for language in languages:
            ead.add(langmaterial, "language", language.name, {"langcode": language.code})
    creators = [link.target for link in document.agent_links if link.role == link.Role.CREATOR]
    if creators or document.creator_name:
        origination = ead.add(did, "origination", attrs={"label": document.creator_name})
        for agent in creators:
            _name(origination, _agent_tag(agent), agent, request, "creator")
        if not creators:
            ead.add(ead.add(origination, "name"), "part", document.creator_name)
    if document.file:
        ead.add(
            did,
            "dao",
            attrs={
                "daotype": "unknown",
                "href": request.build_absolute_uri(document.file.url),
                "linktitle": document.file.name.rsplit("/", 1)[-1],
            },
        )
    if document.url:
        ead.add(did, "dao", attrs={"daotype": "unknown", "href": document.url})
    return did


def _description(parent, document, request):
    _did(parent, document, request)
    for tag, field in DESCRIPTION_BLOCKS:
        _block(parent, tag, getattr(document, field))
        if field == document.translated_text:
            for translation in document.translations.all():
                _block(parent, tag, translation.text, translation.language.code)
    points = [link for link in document.agent_links if link.role != link.Role.CREATOR]
    if points:
        controlaccess = ead.add(parent, "controlaccess")
        for link in points:
            _name(controlaccess, _agent_tag(link.target), link.target, request, link.role)


def _block(parent, tag, text, language=None):
    texts = paragraphs(text)
    if texts:
        block = ead.add(parent, tag, attrs={"lang": language})
        for text in texts:
            ead.add(block, "p", text)


def _components(parent, document, children, request):
    for child in children.get(document.pk, []):
        component = ead.add(
            parent, "c", attrs={"level": child.level, "id": f"memoria-{child.public_id}"}
        )
        _description(component, child.public_view(), request)
        _components(component, child, children, request)


def _control(root, document, request):
    code, name = agency()
    # Language codes in `lang` and `langcode` attributes are ISO 639-3, as the catalogue's.
    control = ead.add(root, "control", attrs={"langencoding": "iso639-3"})
    url = request.build_absolute_uri(reverse("document_ead3", args=[document.public_id]))
    ead.add(control, "recordid", document.public_id, {"instanceurl": url})
    ead.add(
        control,
        "representation",
        document.title,
        {"href": absolute(request, document), "localtype": "html"},
    )
    titlestmt = ead.add(ead.add(control, "filedesc"), "titlestmt")
    ead.add(titlestmt, "titleproper", document.title)
    ead.add(control, "maintenancestatus", attrs={"value": "derived"})
    ead.add(control, "publicationstatus", attrs={"value": "published"})
    maintenanceagency = ead.add(control, "maintenanceagency")
    ead.add(maintenanceagency, "agencycode", code)
    ead.add(maintenanceagency, "agencyname", name)
    convention = ead.add(control, "conventiondeclaration")
    ead.add(convention, "abbr", "ISAD(G)")
    ead.add(convention, "citation", "ISAD(G): General International Standard Archival Description")
    history = ead.add(control, "maintenancehistory")
    events = [("created", document.created_at)]
    if document.last_changed != document.created_at:
        events.append(("revised", document.last_changed))
    for event_type, when in events:
        event = ead.add(history, "maintenanceevent")
        ead.add(event, "eventtype", attrs={"value": event_type})
        ead.add(event, "eventdatetime", moment(when), {"standarddatetime": moment(when)})
        ead.add(event, "agenttype", attrs={"value": "human"})
        ead.add(event, "agent", name)


def ead3(document, request):
    """The document as an EAD3 finding aid, with every public part of it in <dsc>."""
    children, root_document = public_descendants(document, _with_details)
    root_document = root_document.public_view()
    root = ead.root("ead")
    _control(root, root_document, request)
    archdesc = ead.add(root, "archdesc", attrs={"level": root_document.level})
    _description(archdesc, root_document, request)
    if children.get(root_document.pk):
        _components(ead.add(archdesc, "dsc"), root_document, children, request)
    return root


def ead3_many(documents, request):
    """Each document's finding aid, in order; each tree is read level by level."""
    return [ead3(document, request) for document in documents]
