"""The partner API as a partner's developer meets it: over HTTP, JSON in and out."""

import base64
import datetime
import gzip
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue import search, services
from catalogue.models import (
    ApiKey,
    ApiKeyUsage,
    CaseLink,
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    LegalCase,
    Organization,
    OrganizationRelation,
    Person,
    PersonName,
    Record,
)

from . import factories

pytestmark = pytest.mark.django_db

SLUGS = ["documents", "persons", "organizations", "cases", "events"]
HIDDEN = [
    {"status": Record.Status.DRAFT},
    {"status": Record.Status.WITHDRAWN},
    {"access": Record.Access.RESTRICTED},
    {"access": Record.Access.EMBARGOED, "embargo_until": datetime.date(2999, 1, 1)},
]


def get(client, path, headers=None, **params):
    response = client.get(path, params, headers=headers)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response, json.loads(response.content)


def every_page(client, path, **params):
    """Every result of a list, following `next` links as a partner's harvester would."""
    results, url, pages = [], path, 0
    response, body = get(client, url, **params)
    while True:
        assert response.status_code == 200, body
        results += body["results"]
        pages += 1
        if not body["next"]:
            return results, pages
        response, body = get(client, body["next"])


@pytest.fixture
def catalogue():
    """A small linked catalogue, with a hidden record of every state tied to public ones."""
    fonds = factories.document(level="fonds", title="Embassy fonds", dates="1996/1997")
    item = factories.document(parent=fonds, title="Hostage letter", kind="letter", dates="1997-01")
    person = factories.person(authorized_name="Néstor Cerpa Cartolini", death_date="1997-04-22")
    PersonName.objects.create(person=person, name="Comandante Evaristo", kind="nom_de_guerre")
    org = factories.organization(authorized_name="Túpac Amaru Revolutionary Movement")
    court = factories.organization(authorized_name="Supreme Court", kind="court")
    factories.membership(person=person, organization=org, kind="leader", evidence=item)
    case = factories.legal_case(title="Trial of the embassy raid", court=court)
    factories.case_party(case=case, person=person, role="defendant", outcome="convicted")
    event = factories.event(name="Embassy hostage crisis")
    EventParticipant.objects.create(event=event, organization=org, role="leader")
    case.events.add(event)
    DocumentLink.objects.create(document=item, person=person, role="subject")
    DocumentLink.objects.create(document=item, legal_case=case, role="case_record")
    hidden = []
    for hiding in HIDDEN:
        secret_org = factories.organization(authorized_name="Secret faction", **hiding)
        factories.membership(person=person, organization=secret_org)
        OrganizationRelation.objects.create(source=org, target=secret_org, kind="allied_with")
        secret_doc = factories.document(parent=fonds, title="Secret report", **hiding)
        DocumentLink.objects.create(document=secret_doc, person=person)
        secret_case = factories.legal_case(title="Secret case", **hiding)
        CaseLink.objects.create(from_case=secret_case, to_case=case, kind="appeal_of")
        hidden += [secret_org, secret_doc, secret_case]
    search.rebuild()
    return {
        "fonds": fonds,
        "item": item,
        "person": person,
        "organization": org,
        "court": court,
        "case": case,
        "event": event,
        "hidden": hidden,
    }


# Lists and details


@pytest.mark.parametrize("slug", SLUGS)
def test_every_list_holds_exactly_the_public_records_of_its_type(client, catalogue, slug):
    model = {
        "documents": Document,
        "persons": Person,
        "organizations": Organization,
        "cases": LegalCase,
        "events": Event,
    }[slug]
    results, _pages = every_page(client, f"/api/v1/{slug}/")
    assert {r["id"] for r in results} == set(
        model.objects.public().values_list("public_id", flat=True)
    )
    assert "Secret" not in json.dumps(results)


def test_a_detail_gives_identifiers_urls_dates_and_related_summaries(client, catalogue):
    person = catalogue["person"]
    response, body = get(client, f"/api/v1/persons/{person.public_id}/")
    assert response.status_code == 200
    assert body["id"] == person.public_id
    assert body["url"] == f"http://testserver/api/v1/persons/{person.public_id}/"
    assert body["html_url"] == f"http://testserver/persons/{person.public_id}/"
    assert body["death_date"] == "1997-04-22"
    assert body["date_latest"] == "1997-04-22"
    assert body["other_names"][0]["name"] == "Comandante Evaristo"
    [membership] = body["memberships"]
    assert membership["kind"] == "leader"
    assert membership["organization"]["title"] == "Túpac Amaru Revolutionary Movement"
    assert membership["organization"]["url"].endswith(
        f"/api/v1/organizations/{catalogue['organization'].public_id}/"
    )
    assert membership["evidence"]["id"] == catalogue["item"].public_id
    [role] = body["case_roles"]
    assert (role["role"], role["outcome"]) == ("defendant", "convicted")
    assert [d["document"]["title"] for d in body["documents"]] == ["Hostage letter"]
    assert body["sources"] == ["A source, 2001"]
    assert body["exports"] == {
        "dublin_core": f"http://testserver/persons/{person.public_id}/dc.xml",
        "json_ld": f"http://testserver/persons/{person.public_id}/schema.jsonld",
        "eac_cpf": f"http://testserver/persons/{person.public_id}/eac-cpf.xml",
    }
    assert client.get(body["exports"]["eac_cpf"]).status_code == 200
    assert "Secret" not in json.dumps(body)


def test_a_document_shows_its_parent_and_what_it_is_linked_to(client, catalogue):
    item = catalogue["item"]
    _response, body = get(client, f"/api/v1/documents/{item.public_id}/")
    assert body["parent"]["id"] == catalogue["fonds"].public_id
    assert {(link["role"], link["record"]["type"]) for link in body["links"]} == {
        ("subject", "person"),
        ("case_record", "case"),
    }
    assert body["dates"] == "1997-01"
    assert body["date_earliest"] == "1997-01-01"
    assert body["date_latest"] == "1997-01-31"


def test_a_case_shows_its_court_parties_and_only_public_linked_cases(client, catalogue):
    case = catalogue["case"]
    _response, body = get(client, f"/api/v1/cases/{case.public_id}/")
    assert body["court"]["title"] == "Supreme Court"
    assert body["parties"][0]["agent"]["type"] == "person"
    assert body["links_in"] == []  # every case appealing this one is hidden
    assert [e["title"] for e in body["events"]] == ["Embassy hostage crisis"]


def test_an_organization_shows_only_public_relations(client, catalogue):
    org = catalogue["organization"]
    _response, body = get(client, f"/api/v1/organizations/{org.public_id}/")
    assert body["relations_out"] == []
    assert [m["person"]["title"] for m in body["members"]] == ["Néstor Cerpa Cartolini"]


def test_a_protected_persons_birth_details_are_never_sent(client):
    person = factories.person(protected=True, birth_date="1950-02-03", birth_place="Secret village")
    _response, body = get(client, f"/api/v1/persons/{person.public_id}/")
    assert body["birth_date"] is None
    assert body["birth_place"] == ""
    assert body["date_earliest"] is None
    assert "Secret" not in json.dumps(body) and "1950" not in json.dumps(body)


@pytest.mark.parametrize("hiding", HIDDEN, ids=lambda h: h.get("status") or h["access"])
def test_a_record_that_is_not_public_is_not_found(client, hiding):
    event = factories.event(**hiding)
    response, body = get(client, f"/api/v1/events/{event.public_id}/")
    assert response.status_code == 404
    assert body["detail"]


def test_an_unknown_api_address_answers_in_json(client):
    response, body = get(client, "/api/v1/nothing-here/")
    assert response.status_code == 404
    assert body["detail"] == "There is no such API address."


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, catalogue, method):
    event = catalogue["event"]
    for path in ("/api/v1/events/", f"/api/v1/events/{event.public_id}/"):
        response = getattr(client, method)(path, {"name": "Changed"}, content_type="text/plain")
        assert response.status_code == 405
        assert "not allowed" in json.loads(response.content)["detail"]
    assert Event.objects.get(pk=event.pk).name == "Embassy hostage crisis"


def test_the_api_root_lists_every_endpoint(client):
    _response, body = get(client, "/api/v1/")
    assert set(body) == {*SLUGS, "deletions", "dump", "schema", "docs"}


# Filters, search and ordering


def test_filters_are_the_public_pages_filters(client, catalogue):
    person = catalogue["person"]
    _r, body = get(client, "/api/v1/documents/", person=person.public_id)
    assert [d["title"] for d in body["results"]] == ["Hostage letter"]
    _r, body = get(client, "/api/v1/documents/", kind="letter")
    assert [d["title"] for d in body["results"]] == ["Hostage letter"]
    _r, body = get(client, "/api/v1/documents/", level="fonds", date_from="1996", date_to="1996")
    assert [d["title"] for d in body["results"]] == ["Embassy fonds"]
    _r, body = get(client, "/api/v1/cases/", court=catalogue["court"].public_id)
    assert [c["title"] for c in body["results"]] == ["Trial of the embassy raid"]


def test_a_filter_naming_a_hidden_record_matches_nothing(client, catalogue):
    secret_org = catalogue["hidden"][0]
    _r, body = get(client, "/api/v1/persons/", organization=secret_org.public_id)
    assert body["count"] == 0


def test_search_is_the_catalogues_full_text_search_and_text_is_not_syntax(client, catalogue):
    _r, body = get(client, "/api/v1/persons/", search="evaristo")
    assert [p["authorized_name"] for p in body["results"]] == ["Néstor Cerpa Cartolini"]
    for text in ['"unclosed', "a AND OR NOT (", "*", "NEAR(x y)", "\x00"]:
        response, body = get(client, "/api/v1/documents/", search=text)
        assert response.status_code == 200


def test_ordering_by_title_date_and_modified_in_both_directions(client, catalogue):
    _r, body = get(client, "/api/v1/documents/", ordering="title")
    assert [d["title"] for d in body["results"]] == ["Embassy fonds", "Hostage letter"]
    _r, body = get(client, "/api/v1/documents/", ordering="-date")
    assert [d["title"] for d in body["results"]] == ["Hostage letter", "Embassy fonds"]
    _r, body = get(client, "/api/v1/documents/", ordering="-modified")
    assert body["results"][0]["title"] == "Hostage letter"


def test_undated_records_come_last_when_sorted_by_date(client):
    factories.organization(authorized_name="Undated")
    factories.organization(authorized_name="Dated", dates="1990")
    for ordering in ("date", "-date"):
        results, _pages = every_page(
            client, "/api/v1/organizations/", ordering=ordering, page_size=1
        )
        names = [r["authorized_name"] for r in results]
        assert sorted(names) == ["Dated", "Undated"]
    _r, body = get(client, "/api/v1/organizations/", ordering="date")
    assert [r["authorized_name"] for r in body["results"]] == ["Dated", "Undated"]


def test_modified_since_returns_what_changed_for_an_incremental_sync(client, catalogue):
    long_ago = timezone.now() - datetime.timedelta(days=10)
    Event.objects.update(updated_at=long_ago)
    before = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    _r, body = get(client, "/api/v1/events/", modified_since=before)
    assert body["results"] == []
    event = catalogue["event"]
    event.place = "Lima"
    event.save()
    _r, body = get(client, "/api/v1/events/", modified_since=before)
    assert [e["id"] for e in body["results"]] == [event.public_id]
    assert datetime.datetime.fromisoformat(body["results"][0]["modified"]) >= event.updated_at


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999+00:00",
        "0220-09-21T21:18:20+19:57",  # an offset PostgreSQL refuses
    ],
)
def test_modified_since_at_the_ends_of_time_is_an_answer_not_an_error(client, catalogue, moment):
    response, _body = get(client, "/api/v1/events/", modified_since=moment)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "April 1997"},
        {"date_to": "1997-13"},
        {"modified_since": "yesterday"},
        {"kind": "not-a-kind"},
        {"language": "xx"},
        {"ordering": "secret_field"},
        {"ordering": "-"},
        {"page_size": "0"},
        {"page_size": "501"},
        {"page_size": "10000000000000000000000"},
        {"page_size": "ten"},
        {"cursor": "junk"},
        {"cursor": base64.b64encode(b"p=not-a-number").decode()},
        {"page": "2"},
        {"fields": "title"},
        {"q": "words"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_bad_parameters_get_a_400_with_a_message(client, catalogue, params):
    response, body = get(client, "/api/v1/documents/", **params)
    assert response.status_code == 400
    assert body["detail"]


def test_an_edited_cursor_or_one_from_another_ordering_gets_a_400(client, catalogue):
    for raw in [b"o=99999999999999999999&p=3", b"r=1&p=", b"p=2999-01-01", b"o=-1", b"\xff"]:
        cursor = base64.b64encode(raw).decode()
        for ordering in ("created", "date", "-modified", "title"):
            response, body = get(client, "/api/v1/documents/", cursor=cursor, ordering=ordering)
            assert response.status_code == 400, body
    _r, body = get(client, "/api/v1/documents/", ordering="date", page_size=1)
    cursor = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
    response, body = get(client, "/api/v1/documents/", cursor=cursor, ordering="-modified")
    assert response.status_code == 400
    assert "another ordering" in body["detail"]


def test_a_detail_takes_no_parameters(client, catalogue):
    response, body = get(client, f"/api/v1/events/{catalogue['event'].public_id}/", kind="x")
    assert response.status_code == 400
    assert "Unknown parameters: kind" in body["detail"]


# Pagination


def test_cursor_pages_cover_every_record_once(client):
    for n in range(7):
        factories.event(name=f"Event {n}")
    results, pages = every_page(client, "/api/v1/events/", page_size=2)
    assert pages == 4
    assert len({r["id"] for r in results}) == len(results) == 7


def test_records_published_while_a_partner_pages_do_not_shift_the_pages(client, archivist):
    events = [factories.event(name=f"Event {n}") for n in range(4)]
    _r, first = get(client, "/api/v1/events/", page_size=2)
    factories.event(name="Published meanwhile")
    services.change_status([events[0]], Record.Status.WITHDRAWN, archivist)
    _r, second = get(client, first["next"])
    assert [e["name"] for e in second["results"]] == ["Event 2", "Event 3"]


def test_the_page_size_has_a_default_and_a_documented_maximum(client):
    for _n in range(3):
        factories.event()
    _r, body = get(client, "/api/v1/events/")
    assert body["count"] == 3 and len(body["results"]) == 3
    response, body = get(client, "/api/v1/events/", page_size=500)
    assert response.status_code == 200


@pytest.mark.parametrize("slug", SLUGS)
def test_list_queries_do_not_grow_with_the_page_size(client, slug):
    for _n in range(12):
        fonds = factories.document(level="fonds")
        item = factories.document(parent=fonds)
        person = factories.person()
        org = factories.organization()
        case = factories.legal_case(court=org)
        event = factories.event()
        factories.membership(person=person, organization=org, evidence=item)
        factories.case_party(case=case, person=person, role="defendant", evidence=item)
        EventParticipant.objects.create(event=event, organization=org, evidence=item)
        DocumentLink.objects.create(document=item, person=person)
        DocumentLink.objects.create(document=item, event=event)
        case.events.add(event)

    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/{slug}/", {"page_size": page_size})
        assert response.status_code == 200
        return len(captured)

    assert queries(10) == queries(2)


# HTTP: content types, conditional requests, CORS


def test_an_unchanged_record_is_answered_304_not_modified(client, catalogue):
    path = f"/api/v1/events/{catalogue['event'].public_id}/"
    response = client.get(path)
    assert response["ETag"] and response["Last-Modified"]
    assert client.get(path, headers={"If-None-Match": response["ETag"]}).status_code == 304
    since = response["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": since}).status_code == 304
    event = catalogue["event"]
    event.place = "Lima"
    event.save()
    assert client.get(path, headers={"If-None-Match": response["ETag"]}).status_code == 200


def test_a_list_can_be_revalidated_with_its_etag(client, catalogue):
    response = client.get("/api/v1/documents/")
    assert (
        client.get("/api/v1/documents/", headers={"If-None-Match": response["ETag"]}).status_code
        == 304
    )


def test_partners_web_pages_may_call_the_api(client, catalogue):
    response = client.get("/api/v1/events/", headers={"Origin": "https://partner.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/events/",
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_the_public_pages_are_not_opened_to_other_sites(client):
    response = client.get("/", headers={"Origin": "https://partner.example"})
    assert "Access-Control-Allow-Origin" not in response


# Keys and rate limits


def issue_key(**values):
    key = ApiKey(institution="Partner archive", contact_email="it@partner.example", **values)
    secret = key.issue()
    key.save()
    return key, secret


def test_anonymous_callers_are_limited_and_told_when_to_retry(client, settings):
    settings.MEMORIA_API_ANONYMOUS_RATE = "3/minute"
    for _n in range(3):
        assert client.get("/api/v1/events/").status_code == 200
    response, body = get(client, "/api/v1/events/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in body["detail"]


def test_a_partner_key_raises_the_limit_and_its_use_is_counted(client, settings):
    settings.MEMORIA_API_ANONYMOUS_RATE = "2/minute"
    key, secret = issue_key(rate_per_hour=100)
    for _n in range(5):
        response = client.get("/api/v1/events/", headers={"Authorization": f"Api-Key {secret}"})
        assert response.status_code == 200
    assert client.get("/api/v1/events/", headers={"X-Api-Key": secret}).status_code == 200
    usage = ApiKeyUsage.objects.get(key=key)
    assert (usage.day, usage.requests) == (timezone.localdate(), 6)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_key_has_its_own_limit(client):
    _key, secret = issue_key(rate_per_hour=2)
    headers = {"X-Api-Key": secret}
    assert [client.get("/api/v1/", headers=headers).status_code for _n in range(3)] == [
        200,
        200,
        429,
    ]
    assert client.get("/api/v1/").status_code == 200  # anonymous callers count apart


@pytest.mark.parametrize(
    "header", ["Api-Key mem_00000000_wrong", "Api-Key nonsense", "Api-Key mem__x", "Api-Key  x"]
)
def test_a_wrong_key_is_refused_with_401_rather_than_ignored(client, header):
    issue_key()
    response, body = get(client, "/api/v1/events/", headers={"Authorization": header})
    assert response.status_code == 401
    assert "not valid" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Api-Key")


def test_a_revoked_key_is_refused_from_that_moment(client):
    key, secret = issue_key()
    key.revoked_at = timezone.now()
    key.save()
    response = client.get("/api/v1/events/", headers={"X-Api-Key": secret})
    assert response.status_code == 401
    assert "revoked" in json.loads(response.content)["detail"]


def test_an_archivist_issues_a_key_that_is_shown_once_and_revokes_it(archivist_client, client):
    response = archivist_client.post(
        reverse("admin:catalogue_apikey_add"),
        {
            "institution": "Lugar de la Memoria",
            "contact_email": "archivo@lum.example",
            "rate_per_hour": "5000",
            "usage-TOTAL_FORMS": "0",
            "usage-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"] if "mem_" in str(m)]
    secret = message.split(" is ", 1)[1].split(". ", 1)[0]
    key = ApiKey.objects.get()
    assert secret.startswith(f"mem_{key.prefix}_") and secret not in key.secret_hash
    assert client.get("/api/v1/", headers={"X-Api-Key": secret}).status_code == 200
    archivist_client.post(
        reverse("admin:catalogue_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    assert client.get("/api/v1/", headers={"X-Api-Key": secret}).status_code == 401


# Deletions


def test_withdrawn_and_deleted_records_are_in_the_deletions_feed(client, archivist):
    kept, withdrawn, deleted = factories.event(), factories.event(), factories.document()
    start = timezone.now().isoformat()
    services.change_status([withdrawn], Record.Status.WITHDRAWN, archivist)
    deleted.delete()
    _r, body = get(client, "/api/v1/deletions/", removed_since=start)
    assert {(d["type"], d["id"]) for d in body["results"]} == {
        ("event", withdrawn.public_id),
        ("document", deleted.public_id),
    }
    _r, body = get(client, "/api/v1/deletions/", type="event")
    assert [d["id"] for d in body["results"]] == [withdrawn.public_id]
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    _r, body = get(client, "/api/v1/deletions/", removed_since=later)
    assert body["results"] == []
    assert kept.public_id not in json.dumps(body)


def test_a_record_published_again_leaves_the_deletions_feed(client, archivist):
    event = factories.event()
    services.change_status([event], Record.Status.WITHDRAWN, archivist)
    services.change_status([event], Record.Status.PUBLISHED, archivist)
    _r, body = get(client, "/api/v1/deletions/")
    assert body["results"] == []


def test_bad_deletion_parameters_get_a_400(client):
    for params in (
        {"removed_since": "last week"},
        {"removed_since": "0001-01-01T00:00:00+05:00"},  # before the year 1 in UTC
        {"type": "secret"},
        {"since": "x"},
    ):
        response, body = get(client, "/api/v1/deletions/", **params)
        assert response.status_code == 400 and body["detail"]


# The bulk dump


def test_the_dump_holds_every_public_record_and_nothing_else(client, catalogue, settings, tmp_path):
    settings.MEMORIA_DUMP_ROOT = tmp_path
    response, body = get(client, "/api/v1/dump/")
    assert response.status_code == 404 and "No dump" in body["detail"]
    call_command("dump_public_records", verbosity=0)
    response = client.get("/api/v1/dump/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    lines = gzip.decompress(b"".join(response.streaming_content)).decode().splitlines()
    records = [json.loads(line) for line in lines]
    expected = {
        (model.record_type, public_id)
        for model in (Document, Person, Organization, LegalCase, Event)
        for public_id in model.objects.public().values_list("public_id", flat=True)
    }
    assert {(r["type"], r["id"]) for r in records} == expected
    assert "Secret" not in json.dumps(records)
    # Each line is the record as its detail endpoint gives it, with the site's own address.
    person = next(r for r in records if r["id"] == catalogue["person"].public_id)
    _r, detail = get(client, f"/api/v1/persons/{person['id']}/")
    assert person == json.loads(
        json.dumps(detail).replace("http://testserver", settings.MEMORIA_BASE_URL)
    )
    etag = response["ETag"]
    assert client.get("/api/v1/dump/", headers={"If-None-Match": etag}).status_code == 304


def test_a_list_names_the_first_documents_about_each_record_and_says_where_the_rest_are(client):
    case = factories.legal_case()
    documents = [factories.document(dates=f"19{60 + n}") for n in range(25)]
    for document in documents:
        DocumentLink.objects.create(document=document, legal_case=case, role="case_record")
    hidden = factories.document(status=Record.Status.DRAFT)
    DocumentLink.objects.create(document=hidden, legal_case=case, role="case_record")

    _r, body = get(client, "/api/v1/cases/")
    listed = body["results"][0]
    assert listed["documents_total"] == 25  # the draft is not counted
    first = [d["document"]["id"] for d in listed["documents"]]
    assert first == [d.public_id for d in documents[:20]]  # oldest first, as on its page
    _r, detail = get(client, f"/api/v1/cases/{case.public_id}/")
    assert detail["documents_total"] == 25 and len(detail["documents"]) == 25
    assert detail["documents_url"] == listed["documents_url"]
    every, _pages = every_page(client, listed["documents_url"])
    assert {d["id"] for d in every} == {d.public_id for d in documents}
