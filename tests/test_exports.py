"""Per-record exports (EAD3, EAC-CPF, Dublin Core, JSON-LD), the sitemap and robots.txt.

Every XML export is checked against the official schema, loaded offline from the copies in
tests/xsd/ (taken from the shared standards folder, which a test compares them with).
"""

import datetime
import functools
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from catalogue import exports
from catalogue.exports.sitemaps import RecordSitemap
from catalogue.models import (
    RECORD_MODELS,
    Document,
    DocumentLink,
    EventParticipant,
    Language,
    Organization,
    OrganizationName,
    OrganizationRelation,
    Person,
    PersonIdentifier,
    PersonName,
    Record,
)

from . import factories

pytestmark = pytest.mark.django_db

XSD = Path(__file__).resolve().parent / "xsd"  # the official schemas, see xsd/README.md
SCHEMAS = {
    "dc": "oai-pmh/oai_dc.xsd",
    "ead3": "ead3/ead3.xsd",
    "eac_cpf": "eac-cpf/cpf.xsd",  # EAC-CPF 2010 revised; eac.xsd is 2.0
}
# Which exports each record type has, by URL name suffix.
FORMATS = {
    "document": ["dc", "jsonld", "ead3"],
    "person": ["dc", "jsonld", "eac_cpf"],
    "organization": ["dc", "jsonld", "eac_cpf"],
    "case": ["dc", "jsonld"],
    "event": ["dc", "jsonld"],
}
HIDDEN_STATES = {
    "draft": {"status": Record.Status.DRAFT},
    "withdrawn": {"status": Record.Status.WITHDRAWN},
    "restricted": {"access": Record.Access.RESTRICTED},
    "embargoed": {
        "access": Record.Access.EMBARGOED,
        # Far off: read when the tests are collected, it must still lie ahead in a run that
        # goes past midnight.
        "embargo_until": timezone.localdate() + datetime.timedelta(days=365),
    },
}
PROTECTED_BIRTH_DATE = "1899-03-07"


def secret(state):
    return f"zqx{state}secret"


@functools.cache
def schema(key):
    path = XSD / SCHEMAS[key]
    assert path.is_file(), f"The official schema {path} is missing: restore {XSD}."
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


def test_the_schema_copies_are_the_shared_official_ones():
    shared = Path(settings.BASE_DIR).parent / "shared" / "standards" / "xsd"
    if not shared.is_dir():
        pytest.skip(
            f"nothing to compare tests/xsd/ with: there is no shared standards folder at "
            f"{shared}, beside this clone. Only this comparison needs it; every export and "
            "OAI-PMH test validates against the project's own copies in tests/xsd/."
        )
    for copy in XSD.rglob("*.xsd"):
        if copy.name == "oai-pmh-response-driver.xsd":
            continue  # ours: imports only the formats we embed
        assert copy.read_bytes() == (shared / copy.relative_to(XSD)).read_bytes(), copy


def parse(body):
    return etree.fromstring(body, etree.XMLParser(no_network=True, resolve_entities=False))


def assert_valid(key, element):
    if not schema(key).validate(element):
        raise AssertionError(f"invalid {key}: {schema(key).error_log}")


def export_url(kind, fmt, record):
    return reverse(f"{kind}_{fmt}", args=[record.public_id])


def fetch(client, kind, fmt, record):
    response = client.get(export_url(kind, fmt, record))
    assert response.status_code == 200, (kind, fmt, record)
    return response


@pytest.fixture
def world():
    """Public records of every type, each tied to non-public ones in every state."""
    spanish = Language.objects.get_or_create(code="spa", defaults={"name": "Spanish"})[0]
    fonds = factories.document(
        level="fonds", title="Public fonds", scope_and_content="First.\n\nSecond."
    )
    fonds.languages.add(spanish)
    series = factories.document(level="series", parent=fonds, title="Public series")
    item = factories.document(level="item", parent=series, title="Public item")
    person = factories.person(
        authorized_name="Public person",
        birth_date="1950-05",
        death_date="2001",
        biography="A life.",
        functions="Journalist",
        nationality=["PE"],
    )
    organization = factories.organization(
        authorized_name="Public org", acronym="PO", dates="1982-03/1997~", country="PE"
    )
    ally = factories.organization(authorized_name="Allied org")
    protected = factories.person(
        authorized_name="Protected witness",
        protected=True,
        birth_date=PROTECTED_BIRTH_DATE,
        birth_place=f"Village {secret('protected')}",
        personal_details=f"Lives in {secret('protected')}",
    )
    case = factories.legal_case(title="Public case", case_number="A-1; B-2", court=organization)
    event = factories.event(name="Public event", place="Lima")
    PersonName.objects.create(person=person, name="Alias of person", kind="alias")
    PersonIdentifier.objects.create(person=person, scheme="wikidata", value="Q42")
    OrganizationName.objects.create(
        organization=organization, name="Org in Spanish", kind="translation", language=spanish
    )
    factories.membership(person=person, organization=organization, dates="1985/1990")
    factories.membership(person=protected, organization=organization)
    OrganizationRelation.objects.create(source=organization, target=ally, kind="part_of")
    OrganizationRelation.objects.create(source=ally, target=organization, kind="merged_into")
    DocumentLink.objects.create(document=fonds, person=person, role="creator")
    DocumentLink.objects.create(document=fonds, organization=organization, role="subject")
    DocumentLink.objects.create(document=item, person=protected, role="mentioned")
    DocumentLink.objects.create(document=item, legal_case=case)
    DocumentLink.objects.create(document=item, event=event)
    factories.case_party(case=case, person=person, role="defendant")
    EventParticipant.objects.create(event=event, organization=organization)
    records = {
        "fonds": fonds,
        "series": series,
        "item": item,
        "person": person,
        "organization": organization,
        "ally": ally,
        "protected": protected,
        "case": case,
        "event": event,
    }
    for state, hiding in HIDDEN_STATES.items():
        word = secret(state)
        hidden_part = factories.document(title=f"Part {word}", parent=series, **hiding)
        # public below a hidden level: cut off with the level above it
        factories.document(title=f"Orphan {word}", parent=hidden_part)
        hidden_person = factories.person(authorized_name=f"Person {word}", **hiding)
        hidden_org = factories.organization(authorized_name=f"Org {word}", **hiding)
        hidden_case = factories.legal_case(title=f"Case {word}", **hiding)
        hidden_event = factories.event(name=f"Event {word}", **hiding)
        hidden_document = factories.document(title=f"Doc {word}", **hiding)
        factories.membership(person=person, organization=hidden_org)
        factories.membership(person=hidden_person, organization=organization)
        OrganizationRelation.objects.create(source=organization, target=hidden_org, kind="opposed")
        OrganizationRelation.objects.create(source=hidden_org, target=organization, kind="part_of")
        for public_document in (fonds, item):
            DocumentLink.objects.create(document=public_document, person=hidden_person)
            DocumentLink.objects.create(
                document=public_document, organization=hidden_org, role="creator"
            )
            DocumentLink.objects.create(document=public_document, legal_case=hidden_case)
            DocumentLink.objects.create(document=public_document, event=hidden_event)
        for target in (person, organization):
            DocumentLink.objects.create(document=hidden_document, **{target.record_type: target})
        factories.case_party(case=case, person=hidden_person, role="victim")
        EventParticipant.objects.create(event=event, organization=hidden_org)
        case.events.add(hidden_event)
    return records


def kind_of(record):
    return record.record_type


def every_export(client, records):
    for record in records:
        for fmt in FORMATS[kind_of(record)]:
            yield record, fmt, fetch(client, kind_of(record), fmt, record)


def test_every_export_of_every_record_type_is_valid_against_the_official_schema(client, world):
    checked = 0
    for _record, fmt, response in every_export(client, world.values()):
        if fmt == "jsonld":
            assert response["Content-Type"] == "application/ld+json"
            assert json.loads(response.content)["@context"] == "https://schema.org"
        else:
            assert response["Content-Type"] == "application/xml; charset=utf-8"
            assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
            assert_valid(fmt, parse(response.content))
        checked += 1
    assert checked == 25


def test_no_export_shows_a_non_public_record_or_a_protected_persons_details(client, world):
    for record, fmt, response in every_export(client, world.values()):
        text = response.content.decode()
        for state in [*HIDDEN_STATES, "protected"]:
            assert secret(state) not in text, f"{state} leaked through {fmt} of {record}"
        assert "1899" not in text, f"a protected birth date leaked through {fmt} of {record}"


def test_the_finding_aid_of_a_fonds_nests_its_public_parts_only(client, world):
    root = parse(fetch(client, "document", "ead3", world["fonds"]).content)
    ns = {"e": "http://ead3.archivists.org/schema/"}
    assert root.findtext("e:control/e:recordid", namespaces=ns) == world["fonds"].public_id
    assert root.find("e:control/e:maintenanceagency/e:agencycode", ns).text == "PE-MEM"
    assert root.find("e:archdesc", ns).get("level") == "fonds"
    series = root.find("e:archdesc/e:dsc/e:c", ns)
    assert series.get("level") == "series"
    assert series.findtext("e:did/e:unittitle", namespaces=ns) == "Public series"
    parts = series.findall("e:c", ns)
    assert [part.findtext("e:did/e:unittitle", namespaces=ns) for part in parts] == ["Public item"]
    assert root.findtext(".//e:origination/e:persname/e:part", namespaces=ns) == "Public person"
    assert root.findtext(".//e:controlaccess/e:corpname/e:part", namespaces=ns) == "Public org"
    date = root.find("e:archdesc/e:did/e:unitdatestructured/e:datesingle", ns)
    assert (date.get("standarddate"), date.get("notafter")) == ("1997-04", "1997-04-30")
    assert root.find(".//e:langmaterial/e:language", ns).get("langcode") == "spa"
    scope = root.findall("e:archdesc/e:scopecontent/e:p", ns)
    assert [p.text for p in scope] == ["First.", "Second."]


def test_an_authority_record_lists_names_dates_and_public_relations(client, world):
    ns = {"c": "urn:isbn:1-931666-33-4", "x": "http://www.w3.org/1999/xlink"}
    href = "{http://www.w3.org/1999/xlink}href"
    person = parse(fetch(client, "person", "eac_cpf", world["person"]).content)
    identity = person.find("c:cpfDescription/c:identity", ns)
    assert identity.findtext("c:entityType", namespaces=ns) == "person"
    assert identity.findtext("c:entityId", namespaces=ns) == "https://www.wikidata.org/wiki/Q42"
    names = [
        entry.findtext("c:part", namespaces=ns) for entry in identity.findall("c:nameEntry", ns)
    ]
    assert names == ["Public person", "Alias of person"]
    dates = person.find(".//c:existDates/c:dateRange", ns)
    assert dates.find("c:fromDate", ns).get("standardDate") == "1950-05"
    assert dates.find("c:toDate", ns).get("standardDate") == "2001"
    relations = person.findall(".//c:cpfRelation", ns)
    assert [r.get(href) for r in relations] == [
        f"http://testserver{world['organization'].get_absolute_url()}"
    ]
    resource = person.find(".//c:resourceRelation", ns)
    assert resource.get("resourceRelationType") == "creatorOf"
    assert resource.get(href) == f"http://testserver{world['fonds'].get_absolute_url()}"

    organization = parse(fetch(client, "organization", "eac_cpf", world["organization"]).content)
    relations = [
        (r.findtext("c:relationEntry", namespaces=ns), r.get("cpfRelationType"))
        for r in organization.findall(".//c:cpfRelation", ns)
    ]
    # It is part of its ally, which merged into it later: a parent, and an earlier body.
    assert sorted(relations) == [
        ("Allied org", "hierarchical-parent"),
        ("Allied org", "temporal-earlier"),
        ("Protected witness", "associative"),
        ("Public person", "associative"),
    ]
    entity_type = organization.findtext(".//c:entityType", namespaces=ns)
    assert entity_type == "corporateBody"


def test_dublin_core_describes_every_record_type_with_links_to_public_related_records(
    client, world
):
    dc = "{http://purl.org/dc/elements/1.1/}"
    item = parse(fetch(client, "document", "dc", world["item"]).content)
    relations = {element.text for element in item.iter(f"{dc}relation")}
    assert relations == {
        f"http://testserver{world[key].get_absolute_url()}"
        for key in ("series", "protected", "case", "event")
    }
    identifiers = [element.text for element in item.iter(f"{dc}identifier")]
    assert f"http://testserver{world['item'].get_absolute_url()}" in identifiers
    assert world["item"].public_id in identifiers
    assert [element.text for element in item.iter(f"{dc}source")] == ["A source, 2001"]
    case = parse(fetch(client, "case", "dc", world["case"]).content)
    assert {"A-1", "B-2"} <= {element.text for element in case.iter(f"{dc}identifier")}
    event = parse(fetch(client, "event", "dc", world["event"]).content)
    assert event.findtext(f"{dc}date") == "1996-12-17/1997-04-22"
    assert event.findtext(f"{dc}coverage") == "Lima"


def test_the_export_functions_give_elements_that_others_can_embed(world):
    request = RequestFactory().get("/", SERVER_NAME="localhost")
    for record in world.values():
        assert_valid("dc", exports.dublin_core(record.public_view(), request))
    assert_valid("ead3", exports.ead3(world["series"].public_view(), request))
    assert_valid("eac_cpf", exports.eac_cpf(world["ally"].public_view(), request))
    body = exports.serialize(exports.dublin_core(world["event"], request))
    assert body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<oai_dc:dc")
    assert b"\n  <dc:title>Public event</dc:title>" in body


def test_a_page_of_records_exports_at_once_as_each_record_alone(world):
    request = RequestFactory().get("/", SERVER_NAME="localhost")
    records = [type(record).objects.get(pk=record.pk) for record in world.values()]
    alone = [exports.serialize(exports.dublin_core(record, request)) for record in records]
    together = exports.dublin_core_many(records, request)
    assert [exports.serialize(element) for element in together] == alone
    for element in together:
        assert_valid("dc", element)
    agents = [record for record in records if isinstance(record, (Person, Organization))]
    alone = [exports.serialize(exports.eac_cpf(agent, request)) for agent in agents]
    together = exports.eac_cpf_many(agents, request)
    assert [exports.serialize(element) for element in together] == alone
    for element in together:
        assert_valid("eac_cpf", element)


def test_a_page_of_records_exports_with_the_same_queries_as_one(world):
    request = RequestFactory().get("/", SERVER_NAME="localhost")
    persons = [world["person"], world["protected"], *(factories.person() for _ in range(10))]
    counts = []
    for page in (persons[:1], persons):
        page = [Person.objects.get(pk=person.pk) for person in page]
        with CaptureQueriesContext(connection) as queries:
            exports.dublin_core_many(page, request)
            exports.eac_cpf_many(page, request)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_exports_of_non_public_records_are_not_found(client, state):
    hiding = HIDDEN_STATES[state]
    records = [
        factories.document(**hiding),
        factories.person(**hiding),
        factories.organization(**hiding),
        factories.legal_case(**hiding),
        factories.event(**hiding),
    ]
    for record in records:
        for fmt in FORMATS[kind_of(record)]:
            response = client.get(export_url(kind_of(record), fmt, record))
            assert response.status_code == 404, (state, fmt, record)


def test_exports_of_unknown_identifiers_are_not_found(client):
    for kind, formats in FORMATS.items():
        for fmt in formats:
            assert client.get(reverse(f"{kind}_{fmt}", args=["nosuchid00"])).status_code == 404


def test_exports_are_shown_in_the_browser_with_a_file_name_to_save_them_under(client, world):
    record = world["fonds"]
    response = fetch(client, "document", "ead3", record)
    expected = f'inline; filename="memoria-{record.public_id}-ead3.xml"'
    assert response["Content-Disposition"] == expected
    response = fetch(client, "person", "eac_cpf", world["person"])
    assert '-eac-cpf.xml"' in response["Content-Disposition"]


def test_detail_pages_link_every_export_of_their_record_type(client, world):
    for record in world.values():
        html = client.get(record.get_absolute_url()).content.decode()
        assert "Export / Download" in html
        for fmt in FORMATS[kind_of(record)]:
            url = export_url(kind_of(record), fmt, record)
            assert f'<a href="{url}"' in html, (record, fmt)
            media_type = "application/ld+json" if fmt == "jsonld" else "application/xml"
            assert f'<link rel="alternate" type="{media_type}" href="{url}"' in html
    item_html = client.get(world["item"].get_absolute_url()).content.decode()
    assert "eac-cpf.xml" not in item_html
    person_html = client.get(world["person"].get_absolute_url()).content.decode()
    assert "ead3.xml" not in person_html


def sitemap_locations(client, url):
    root = parse(client.get(url).content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    if root.tag == f"{{{ns['s']}}}sitemapindex":
        found = []
        for loc in root.findall("s:sitemap/s:loc", ns):
            found += sitemap_locations(client, loc.text.removeprefix("http://testserver"))
        return found
    for entry in root.findall("s:url", ns):
        assert entry.findtext("s:lastmod", namespaces=ns)
    return [loc.text for loc in root.findall("s:url/s:loc", ns)]


def public_urls():
    return {
        f"http://testserver{record.get_absolute_url()}"
        for model in RECORD_MODELS
        for record in model.objects.public()
    }


def test_the_sitemap_lists_exactly_the_public_records(client, world):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    assert b"<urlset" in response.content
    locations = sitemap_locations(client, reverse("sitemap"))
    assert sorted(locations) == sorted(public_urls())
    # The world's records and the orphans below hidden levels. (Addresses hold public ids
    # only, which may spell anything, so the hidden records' secret words are not looked for.)
    assert len(locations) == 9 + 4


def test_the_sitemap_becomes_an_index_once_one_file_cannot_hold_every_record(
    client, world, monkeypatch
):
    monkeypatch.setattr(RecordSitemap, "limit", 2)
    response = client.get(reverse("sitemap"))
    assert b"<sitemapindex" in response.content
    assert b"sitemap-document.xml?p=2" in response.content
    locations = sitemap_locations(client, reverse("sitemap"))
    assert sorted(locations) == sorted(public_urls())


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_the_demo_collection_exports_valid_finding_aids_and_authority_records(
    client, demo_collection
):
    fonds = Document.objects.public().filter(parent=None)
    assert fonds.exists()
    for document in fonds:
        assert_valid("ead3", parse(fetch(client, "document", "ead3", document).content))
    agents = [*Person.objects.public(), *Organization.objects.public()]
    assert len(agents) > 20
    for agent in agents:
        assert_valid("eac_cpf", parse(fetch(client, agent.record_type, "eac_cpf", agent).content))


def build_tree(parts_per_series):
    fonds = factories.document(level="fonds")
    for _ in range(2):
        series = factories.document(level="series", parent=fonds)
        for _ in range(parts_per_series):
            item = factories.document(level="item", parent=series)
            DocumentLink.objects.create(document=item, person=factories.person())
    return fonds


def test_the_finding_aid_of_a_fonds_costs_the_same_queries_however_many_parts_it_has(client):
    counts = []
    for parts in (1, 12):
        fonds = build_tree(parts)
        with CaptureQueriesContext(connection) as queries:
            response = fetch(client, "document", "ead3", fonds)
        assert response.content.count(b"<c ") == 2 + 2 * parts
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 15
