"""OAI-PMH: harvesters get exactly the public catalogue, in valid XML, as the validator checks.

Every response is validated against the official schemas (OAI-PMH plus each metadata format)
offline, and the official validator's checks are reproduced one test each.
"""

import datetime
import functools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from catalogue import exports, oai, services
from catalogue.models import (
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    OrganizationRelation,
    Person,
    Record,
    Tombstone,
)

from . import factories

pytestmark = pytest.mark.django_db

XSD = Path(__file__).resolve().parent / "xsd"  # the official schemas, see xsd/README.md
NS = {"o": oai.OAI_NS, "id": oai.IDENTIFIER_NS}
PARSER = etree.XMLParser(no_network=True)
# The official validator's test of adminEmail (HTTP::OAIPMH::Validator).
VALIDATOR_EMAIL = re.compile(r"^\w[\w\-\.]+@[a-zA-Z0-9\-\.]+\.[a-z]{2,}$")


@functools.cache
def response_schema():
    driver = XSD / "oai-pmh-response-driver.xsd"
    if not driver.is_file():
        pytest.fail(f"The OAI-PMH schemas are missing: no {driver}.")
    return etree.XMLSchema(etree.parse(str(driver), PARSER))


def harvest(client, method="get", **arguments):
    """The parsed response, checked as every response must be: 200, XML, valid."""
    if "from_" in arguments:
        arguments["from"] = arguments.pop("from_")
    response = getattr(client, method)("/oai/", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content, PARSER)
    response_schema().assertValid(root)
    assert root.get(f"{{{oai.XSI_NS}}}schemaLocation") == (
        "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    )
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.findtext("o:responseDate", None, NS)
    )
    return root


def error_code(root):
    error = root.find("o:error", NS)
    return error.get("code") if error is not None else None


def identifiers(root):
    return [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]


def oai_id(record):
    return f"oai:{settings.MEMORIA_OAI_REPOSITORY_ID}:{record.record_type}/{record.public_id}"


def token_of(root):
    return root.find(".//o:resumptionToken", NS)


def harvest_all(client, verb="ListIdentifiers", **arguments):
    """Every header of a list, following resumption tokens; and the tokens seen."""
    root = harvest(client, verb=verb, **arguments)
    headers, tokens = [], []
    while True:
        assert error_code(root) is None, etree.tostring(root)
        headers += root.findall(".//o:header", NS)
        token = token_of(root)
        if token is None or not token.text:
            tokens.append(token)
            return headers, tokens
        tokens.append(token)
        root = harvest(client, verb=verb, resumptionToken=token.text)


def public_and_hidden_records():
    """A small catalogue: public records of each type, a tree, and records hidden each way."""
    fonds = factories.document(level="fonds", title="Fonds")
    series = factories.document(level="series", parent=fonds)
    item = factories.document(parent=series)
    draft_series = factories.document(level="series", parent=fonds, status="draft")
    item_under_draft = factories.document(parent=draft_series)
    return {
        "fonds": fonds,
        "series": series,
        "item": item,
        "item_under_draft": item_under_draft,
        "other_fonds": factories.document(level="fonds"),
        "person": factories.person(),
        "protected": factories.person(
            protected=True,
            birth_date="1961-07-13",
            birth_place="Secret birthplace",
            personal_details="Secret personal details",
        ),
        "organization": factories.organization(),
        "case": factories.legal_case(),
        "event": factories.event(),
        "draft": factories.document(status=Record.Status.DRAFT),
        "withdrawn": factories.person(status=Record.Status.WITHDRAWN),
        "restricted": factories.organization(access=Record.Access.RESTRICTED),
        "embargoed": factories.event(
            access=Record.Access.EMBARGOED, embargo_until=datetime.date(2999, 1, 1)
        ),
    }


@pytest.fixture
def catalogue():
    return public_and_hidden_records()


PUBLIC = ["fonds", "series", "item", "item_under_draft", "other_fonds"]
PUBLIC += ["person", "protected", "organization", "case", "event"]


def withdraw(record):
    user = User.objects.get_or_create(username="withdrawer")[0]
    services.change_status([record], Record.Status.WITHDRAWN, user)


def some_time_ago(*records, days=1):
    """Pretend these records were last saved `days` ago."""
    for record in records:
        type(record).objects.filter(pk=record.pk).update(
            updated_at=timezone.now() - datetime.timedelta(days=days)
        )


# Identify, as the official validator checks it


def test_identify_describes_the_repository_as_the_validator_expects(client, catalogue):
    some_time_ago(catalogue["event"], days=400)
    identify = harvest(client, verb="Identify").find("o:Identify", NS)
    field = functools.partial(identify.findtext, namespaces=NS)
    assert field("o:repositoryName") == settings.MEMORIA_SITE_NAME
    assert field("o:baseURL") == "http://testserver/oai/"
    assert field("o:protocolVersion") == "2.0"
    assert VALIDATOR_EMAIL.match(field("o:adminEmail"))
    assert not field("o:adminEmail").endswith("@localhost")
    assert field("o:deletedRecord") == "persistent"
    assert field("o:granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert field("o:earliestDatestamp") == oai.datestamp(
        Event.objects.get(pk=catalogue["event"].pk).updated_at
    )
    description = identify.find("o:description/id:oai-identifier", NS)
    assert description.findtext("id:scheme", None, NS) == "oai"
    assert description.findtext("id:repositoryIdentifier", None, NS) == "memoria.example"
    assert description.findtext("id:delimiter", None, NS) == ":"
    assert description.findtext("id:sampleIdentifier", None, NS).startswith("oai:memoria.example:")


def test_the_endpoint_answers_without_its_trailing_slash_too(client):
    for method in ["get", "post"]:
        response = getattr(client, method)("/oai", {"verb": "Identify"})
        assert response.status_code == 200
        root = etree.fromstring(response.content, PARSER)
        response_schema().assertValid(root)
        assert root.findtext(".//o:baseURL", None, NS) == "http://testserver/oai/"
        assert root.findtext("o:request", None, NS) == "http://testserver/oai/"


def test_an_empty_repository_still_names_an_earliest_datestamp(client):
    identify = harvest(client, verb="Identify")
    assert identify.findtext(".//o:earliestDatestamp", None, NS) == "2000-01-01T00:00:00Z"


def test_identify_and_get_record_answer_a_post_as_well_as_a_get(client, catalogue):
    assert harvest(client, "post", verb="Identify").find("o:Identify", NS) is not None
    root = harvest(
        client,
        "post",
        verb="GetRecord",
        identifier=oai_id(catalogue["person"]),
        metadataPrefix="oai_dc",
    )
    assert identifiers(root) == [oai_id(catalogue["person"])]
    assert root.find("o:request", NS).get("identifier") == oai_id(catalogue["person"])


# Errors: always HTTP 200 with well-formed, valid XML and the right code


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "junk"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:memoria.example:person/x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "ead3"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "junk"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "junk"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T00:00:00"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-12-31T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListIdentifiers",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "junk"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "junk"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "junk", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type:x"}, "noRecordsMatch"),
        (
            {"verb": "GetRecord", "identifier": 'invalid"id', "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:memoria.example:person/nobody",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "<&\x01>"}, "idDoesNotExist"),
    ],
)
def test_a_bad_request_gets_its_error_code_in_valid_xml(client, arguments, code):
    root = harvest(client, **arguments)
    assert error_code(root) == code
    request = root.find("o:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}
    assert request.text == "http://testserver/oai/"


def test_a_bad_argument_is_never_echoed_in_the_request_element(client):
    root = harvest(client, verb="GetRecord", identifier='x"><evil/>', metadataPrefix="oai_dc")
    assert root.find("o:request", NS).attrib == {"verb": "GetRecord", "metadataPrefix": "oai_dc"}


def test_a_record_type_without_the_format_cannot_be_disseminated_in_it(client, catalogue):
    for record, prefix in [(catalogue["item"], "eac-cpf"), (catalogue["event"], "ead3")]:
        root = harvest(client, verb="GetRecord", identifier=oai_id(record), metadataPrefix=prefix)
        assert error_code(root) == "cannotDisseminateFormat"


def test_records_the_public_may_not_see_do_not_exist(client, catalogue):
    for key in ["draft", "withdrawn", "restricted", "embargoed"]:
        identifier = oai_id(catalogue[key])
        for arguments in [
            {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
            {"verb": "ListMetadataFormats"},
        ]:
            root = harvest(client, identifier=identifier, **arguments)
            assert error_code(root) == "idDoesNotExist"


# Metadata formats and sets


def test_each_record_type_lists_the_formats_it_comes_in(client, catalogue):
    def formats(**arguments):
        root = harvest(client, verb="ListMetadataFormats", **arguments)
        return {e.text for e in root.iterfind(".//o:metadataPrefix", NS)}

    assert formats() == {"oai_dc", "ead3", "eac-cpf"}
    assert formats(identifier=oai_id(catalogue["item"])) == {"oai_dc", "ead3"}
    assert formats(identifier=oai_id(catalogue["person"])) == {"oai_dc", "eac-cpf"}
    assert formats(identifier=oai_id(catalogue["organization"])) == {"oai_dc", "eac-cpf"}
    assert formats(identifier=oai_id(catalogue["case"])) == {"oai_dc"}
    assert formats(identifier=oai_id(catalogue["event"])) == {"oai_dc"}


def test_sets_are_the_record_types_and_one_collection_per_public_fonds(client, catalogue):
    root = harvest(client, verb="ListSets")
    specs = {
        e.findtext("o:setSpec", None, NS): e.findtext("o:setName", None, NS)
        for e in root.iterfind(".//o:set", NS)
    }
    assert set(specs) == {
        "type:document",
        "type:person",
        "type:organization",
        "type:case",
        "type:event",
        f"collection:{catalogue['fonds'].public_id}",
        f"collection:{catalogue['other_fonds'].public_id}",
    }
    assert specs[f"collection:{catalogue['fonds'].public_id}"] == "Fonds"


def test_sets_page_through_resumption_tokens_too(client, catalogue, monkeypatch):
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 1)
    root, specs = harvest(client, verb="ListSets"), []
    while True:
        specs += [e.text for e in root.iterfind(".//o:setSpec", NS)]
        token = token_of(root)
        if token is None or not token.text:
            break
        root = harvest(client, verb="ListSets", resumptionToken=token.text)
    assert len(specs) == len(set(specs)) == 7
    assert (token.get("cursor"), token.get("completeListSize")) == ("6", "7")


def test_a_collection_set_holds_the_public_documents_reached_through_public_levels(
    client, catalogue
):
    fonds = catalogue["fonds"]
    root = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=f"collection:{fonds.public_id}"
    )
    assert identifiers(root) == [oai_id(catalogue[key]) for key in ["fonds", "series", "item"]]
    for header in root.iterfind(".//o:header", NS):
        specs = [e.text for e in header.iterfind("o:setSpec", NS)]
        assert specs == ["type:document", f"collection:{fonds.public_id}"]


def test_a_type_set_holds_the_public_records_of_that_type(client, catalogue):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:person")
    assert identifiers(root) == [oai_id(catalogue["person"]), oai_id(catalogue["protected"])]


def test_ead3_lists_one_finding_aid_per_fonds_and_serves_any_document_alone(client, catalogue):
    root = harvest(client, verb="ListRecords", metadataPrefix="ead3")
    assert identifiers(root) == [oai_id(catalogue["fonds"]), oai_id(catalogue["other_fonds"])]
    item = harvest(
        client, verb="GetRecord", identifier=oai_id(catalogue["item"]), metadataPrefix="ead3"
    )
    assert item.find(".//o:metadata/{http://ead3.archivists.org/schema/}ead", NS) is not None


def test_eac_cpf_lists_the_public_persons_and_organizations(client, catalogue):
    root = harvest(client, verb="ListRecords", metadataPrefix="eac-cpf")
    expected = [oai_id(catalogue[key]) for key in ["person", "protected", "organization"]]
    assert identifiers(root) == expected


# Datestamps


def test_list_records_limited_by_a_datestamp_lists_what_changed_since(client, catalogue):
    old = [catalogue[key] for key in PUBLIC if key != "case"]
    some_time_ago(*old, days=3)
    stamp = harvest(
        client, verb="GetRecord", identifier=oai_id(catalogue["case"]), metadataPrefix="oai_dc"
    ).findtext(".//o:datestamp", None, NS)
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", from_=stamp)
    assert identifiers(root) == [oai_id(catalogue["case"])]
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", until=stamp)
    assert len(identifiers(root)) == len(PUBLIC)


def test_until_a_day_includes_the_whole_day(client, catalogue):
    some_time_ago(catalogue["event"], days=3)
    day = (timezone.now() - datetime.timedelta(days=3)).date().isoformat()
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", from_=day, until=day)
    assert identifiers(root) == [oai_id(catalogue["event"])]


def test_until_a_year_before_the_earliest_datestamp_matches_no_records(client, catalogue):
    earliest = harvest(client, verb="Identify").findtext(".//o:earliestDatestamp", None, NS)
    year_before = f"{int(earliest[:4]) - 1}{earliest[4:]}"
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", until=year_before)
    assert error_code(root) == "noRecordsMatch"


@pytest.mark.parametrize(
    ("since", "until", "code"),
    [
        ("0001-01-01", "9999-12-31", None),
        ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", None),
        ("9999-12-31T23:59:59Z", None, "noRecordsMatch"),
        (None, "0001-01-01", "noRecordsMatch"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_answered(client, catalogue, since, until, code):
    dates = {"from": since, "until": until}
    arguments = {name: value for name, value in dates.items() if value}
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
    assert error_code(root) == code


# Deleted records


def test_a_withdrawn_record_is_reported_deleted_with_the_time_it_left(client, catalogue):
    person = catalogue["person"]
    withdraw(person)
    removed_at = Tombstone.objects.get(public_id=person.public_id).removed_at
    for arguments in [{}, {"set": "type:person"}, {"from_": oai.datestamp(removed_at)}]:
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="eac-cpf", **arguments)
        deleted = root.find(".//o:header[@status='deleted']", NS)
        assert deleted.findtext("o:identifier", None, NS) == oai_id(person)
        assert deleted.findtext("o:datestamp", None, NS) == oai.datestamp(removed_at)
    record = harvest(client, verb="GetRecord", identifier=oai_id(person), metadataPrefix="oai_dc")
    assert record.find(".//o:header", NS).get("status") == "deleted"
    assert record.find(".//o:metadata", NS) is None


def test_ead3_harvesters_learn_of_any_withdrawn_document(client, catalogue):
    # Over-reporting is harmless: a harvester ignores deletions of records it never had.
    withdraw(catalogue["item"])
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="ead3")
    deleted = root.find(".//o:header[@status='deleted']", NS)
    assert deleted.findtext("o:identifier", None, NS) == oai_id(catalogue["item"])


def test_deletions_stay_out_of_other_types_and_collections(client, catalogue):
    withdraw(catalogue["item"])
    for arguments in [
        {"set": "type:event"},
        {"set": f"collection:{catalogue['other_fonds'].public_id}"},
        {"metadataPrefix": "eac-cpf"},
    ]:
        root = harvest(client, verb="ListIdentifiers", **({"metadataPrefix": "oai_dc"} | arguments))
        assert root.find(".//o:header[@status='deleted']", NS) is None


def test_a_collection_set_reports_the_documents_removed_from_its_tree(client, catalogue):
    fonds, item = catalogue["fonds"], catalogue["item"]
    some_time_ago(*(catalogue[key] for key in PUBLIC), days=3)
    since = oai.datestamp(timezone.now() - datetime.timedelta(seconds=1))
    withdraw(item)
    spec = f"collection:{fonds.public_id}"
    for arguments in [{}, {"from_": since}]:
        root = harvest(
            client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec, **arguments
        )
        deleted = root.findall(".//o:header[@status='deleted']", NS)
        assert [h.findtext("o:identifier", None, NS) for h in deleted] == [oai_id(item)]
        specs = [e.text for e in deleted[0].iterfind("o:setSpec", NS)]
        assert specs == ["type:document", spec]


# EAD3 datestamps: a finding aid is as new as the latest change in its tree


def ead3_headers(client, **arguments):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="ead3", **arguments)
    if error_code(root) == "noRecordsMatch":
        return {}
    assert error_code(root) is None
    return {
        h.findtext("o:identifier", None, NS): h.findtext("o:datestamp", None, NS)
        for h in root.iterfind(".//o:header", NS)
        if h.get("status") != "deleted"
    }


def ead3_datestamp(client, document):
    root = harvest(client, verb="GetRecord", identifier=oai_id(document), metadataPrefix="ead3")
    return root.findtext(".//o:header/o:datestamp", None, NS)


def publish_a_new_part(catalogue):
    part = factories.document(parent=catalogue["series"], status=Record.Status.DRAFT)
    some_time_ago(part, days=3)
    user = User.objects.get_or_create(username="publisher")[0]
    services.change_status([part], Record.Status.PUBLISHED, user)


def edit_the_item(catalogue):
    Document.objects.get(pk=catalogue["item"].pk).save()


def delete_the_item(catalogue):
    Document.objects.filter(pk=catalogue["item"].pk).delete()


def lift_an_embargo_today(catalogue):
    # Saved long ago, public since midnight with nothing saved: the tree changed today.
    today = timezone.localdate()
    part = factories.document(
        parent=catalogue["series"], access=Record.Access.EMBARGOED, embargo_until=today
    )
    some_time_ago(part, days=30)


@pytest.mark.parametrize(
    "change",
    [
        edit_the_item,
        publish_a_new_part,
        lambda catalogue: withdraw(Document.objects.get(pk=catalogue["item"].pk)),
        delete_the_item,
    ],
    ids=["edited", "published", "withdrawn", "deleted"],
)
def test_an_incremental_ead3_harvest_learns_of_a_change_deep_in_a_fonds(client, catalogue, change):
    fonds, other = catalogue["fonds"], catalogue["other_fonds"]
    some_time_ago(*(catalogue[key] for key in PUBLIC), days=3)
    before = oai.datestamp(timezone.now() - datetime.timedelta(seconds=1))
    old = ead3_headers(client)
    assert old[oai_id(fonds)] < before
    change(catalogue)
    changed = ead3_headers(client, from_=before)
    assert list(changed) == [oai_id(fonds)]  # not the other fonds, unchanged
    assert changed[oai_id(fonds)] >= before
    assert ead3_datestamp(client, fonds) == changed[oai_id(fonds)]
    assert ead3_headers(client)[oai_id(other)] == old[oai_id(other)]
    # Until a moment before the change, the fonds had not changed yet: it is not listed then.
    assert oai_id(fonds) not in ead3_headers(client, until=old[oai_id(fonds)])
    assert ead3_headers(client, until=changed[oai_id(fonds)]) == ead3_headers(client)


def test_an_embargo_lifting_deep_in_a_fonds_dates_its_finding_aid(client, catalogue):
    some_time_ago(*(catalogue[key] for key in PUBLIC), days=3)
    lift_an_embargo_today(catalogue)
    midnight = oai.datestamp(
        timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    )
    assert ead3_headers(client)[oai_id(catalogue["fonds"])] == midnight
    assert list(ead3_headers(client, from_=midnight)) == [oai_id(catalogue["fonds"])]


def test_a_change_below_a_hidden_level_leaves_the_finding_aid_alone(client, catalogue):
    some_time_ago(*(catalogue[key] for key in PUBLIC), days=3)
    before = oai.datestamp(timezone.now() - datetime.timedelta(seconds=1))
    Document.objects.get(pk=catalogue["item_under_draft"].pk).save()
    assert ead3_headers(client, from_=before) == {}


# Resumption tokens


def test_a_harvest_pages_through_resumption_tokens_to_every_public_record(
    client, catalogue, monkeypatch
):
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 3)
    headers, tokens = harvest_all(client, metadataPrefix="oai_dc")
    found = [h.findtext("o:identifier", None, NS) for h in headers]
    assert sorted(found) == sorted(oai_id(catalogue[key]) for key in PUBLIC)
    assert [int(t.get("cursor")) for t in tokens] == [0, 3, 6, 9]
    assert {t.get("completeListSize") for t in tokens} == {str(len(PUBLIC))}
    assert all(t.get("expirationDate") for t in tokens[:-1])
    assert tokens[-1].text is None  # an empty token closes the list


def test_a_token_survives_records_added_and_withdrawn_during_a_harvest(
    client, catalogue, monkeypatch
):
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 4)
    first = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    withdraw(Document.objects.get(pk=catalogue["fonds"].pk))  # already harvested
    withdraw(Person.objects.get(pk=catalogue["person"].pk))  # not yet harvested
    added = factories.event()
    headers, _ = harvest_all(client, resumptionToken=token_of(first).text)
    headers = first.findall(".//o:header", NS) + headers
    seen = [(h.findtext("o:identifier", None, NS), h.get("status")) for h in headers]
    assert len(seen) == len(set(seen))
    still_public = [key for key in PUBLIC if key != "person"]
    assert {(oai_id(catalogue[key]), None) for key in still_public} <= set(seen)
    assert (oai_id(added), None) in seen
    assert (oai_id(catalogue["fonds"]), "deleted") in seen
    assert (oai_id(catalogue["person"]), "deleted") in seen


def test_a_forged_expired_or_borrowed_token_is_refused(client, catalogue, monkeypatch):
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 2)
    token = token_of(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    root = harvest(client, verb="ListIdentifiers", resumptionToken=forged)
    assert error_code(root) == "badResumptionToken"
    assert root.find("o:request", NS).attrib == {"verb": "ListIdentifiers"}
    for verb in ["ListRecords", "ListSets"]:  # a token serves only the verb that issued it
        root = harvest(client, verb=verb, resumptionToken=token)
        assert error_code(root) == "badResumptionToken"
    monkeypatch.setattr(oai.protocol, "TOKEN_LIFETIME", datetime.timedelta(seconds=-1))
    root = harvest(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"


def test_the_demo_collection_is_valid_in_ead3_and_eac_cpf(client, demo_collection):
    # Its Dublin Core is validated as a harvester collects it, in test_oai_harvest.py.
    for prefix in ["ead3", "eac-cpf"]:
        headers, _ = harvest_all(client, "ListRecords", metadataPrefix=prefix)
        assert headers


# Cost


def count_queries(client, **arguments):
    with CaptureQueriesContext(connection) as queries:
        root = harvest(client, **arguments)
    assert error_code(root) is None
    return len(queries)


def test_listing_identifiers_costs_the_same_queries_however_many_records_a_page_holds(
    client, catalogue
):
    before = count_queries(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    for _ in range(5):
        factories.document(parent=catalogue["item"])
        factories.person()
        factories.organization()
        factories.legal_case()
        factories.event()
    withdraw(catalogue["event"])
    after = count_queries(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert after == before


def test_listing_records_adds_no_query_per_record_to_the_exports_own(
    client, catalogue, monkeypatch, rf
):
    """The endpoint's own queries are fixed; the exports' per-record reads come on top."""
    documents = [factories.document(parent=catalogue["item"]) for _ in range(4)]
    with CaptureQueriesContext(connection) as per_record:
        exports.dublin_core(documents[0].public_view(), rf.get("/"))
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 2)
    small = count_queries(client, verb="ListRecords", metadataPrefix="oai_dc", set="type:document")
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 8)
    large = count_queries(client, verb="ListRecords", metadataPrefix="oai_dc", set="type:document")
    assert large - small <= 6 * len(per_record)


def test_an_ead3_page_dated_by_its_trees_costs_the_same_queries_at_any_size(client, monkeypatch):
    for _ in range(31):
        series = factories.document(parent=factories.document(level="fonds"), level="series")
        factories.document(parent=factories.document(parent=series))
    since = oai.datestamp(timezone.now() - datetime.timedelta(days=1))
    counts = []
    for size in (3, 30):
        monkeypatch.setattr(oai.protocol, "PAGE_SIZE", size)
        arguments = {"verb": "ListIdentifiers", "metadataPrefix": "ead3", "from_": since}
        assert len(harvest(client, **arguments).findall(".//o:header", NS)) == size
        counts.append(count_queries(client, **arguments))
    assert counts[0] == counts[1]


def many_related_records(count):
    """`count` public records of each type, each tied to public and hidden related ones."""
    hidden = {"status": Record.Status.DRAFT}
    fonds = factories.document(level="fonds")
    for _ in range(count):
        person, organization = factories.person(), factories.organization()
        document = factories.document(parent=fonds)
        case = factories.legal_case(court=organization)
        event = factories.event()
        factories.membership(person=person, organization=organization)
        factories.membership(person=person, organization=factories.organization(**hidden))
        factories.case_party(case=case, person=person, role="defendant")
        EventParticipant.objects.create(event=event, organization=organization)
        DocumentLink.objects.create(document=document, person=person, role="creator")
        DocumentLink.objects.create(document=document, organization=organization)
        DocumentLink.objects.create(document=document, event=event)
        DocumentLink.objects.create(document=document, person=factories.person(**hidden))
        factories.document(parent=document)
        OrganizationRelation.objects.create(
            source=organization, target=factories.organization(), kind="part_of"
        )


# Last in the module: these records stay in the database until the module ends.


@pytest.fixture(scope="module")
def many_related(module_transaction, django_db_blocker):
    # Built once for the seven formats and sets below, which only read them.
    with django_db_blocker.unblock():
        many_related_records(31)


@pytest.mark.parametrize(
    ("prefix", "spec"),
    [
        *(("oai_dc", f"type:{kind}") for kind in oai.BY_NAME),
        ("eac-cpf", "type:person"),
        ("eac-cpf", "type:organization"),
    ],
)
def test_a_page_of_records_costs_the_same_queries_at_any_size(
    client, monkeypatch, many_related, prefix, spec
):
    counts = []
    for size in (3, 30):
        monkeypatch.setattr(oai.protocol, "PAGE_SIZE", size)
        root = harvest(client, verb="ListRecords", metadataPrefix=prefix, set=spec)
        assert len(root.findall(".//o:record", NS)) == size
        counts.append(count_queries(client, verb="ListRecords", metadataPrefix=prefix, set=spec))
    assert counts[0] == counts[1]
