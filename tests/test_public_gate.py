"""Nothing that is not public reaches a public channel.

Each non-public record carries a secret word in its name and text. The records are linked to
public ones in every way the model allows, then every public channel is read and must not
contain a secret word. Add a channel to CHANNELS when you add one to the site.
"""

import datetime
import gzip
import json

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalogue import search
from catalogue.models import (
    CaseLink,
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    LegalCase,
    Organization,
    OrganizationName,
    OrganizationRelation,
    Person,
    PersonName,
    Record,
)

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["tantivy", "database"])
def search_path(request, settings):
    """Every test here runs on both search paths: the embedded index and the database's own
    full-text index, its fallback; both must answer alike."""
    settings.MEMORIA_SEARCH_ENGINE = request.param
    return request.param


PUBLISHED = Record.Status.PUBLISHED
# Every way a record can be kept from the public, as the fields that make it so.
HIDDEN_STATES = {
    "draft": {"status": Record.Status.DRAFT},
    "withdrawn": {"status": Record.Status.WITHDRAWN},
    "restricted": {"status": PUBLISHED, "access": Record.Access.RESTRICTED},
    "embargoed": {
        "status": PUBLISHED,
        "access": Record.Access.EMBARGOED,
        # Far off: read when the tests are collected, it must still lie ahead in a run that
        # goes past midnight.
        "embargo_until": timezone.localdate() + datetime.timedelta(days=365),
    },
}
# A public person whose protected details must not be: their secret word is in those fields.
PROTECTED = "protected"
PROTECTED_BIRTH_DATE = "1899-03-07"


def secret(state):
    return f"zqx{state}secret"


@pytest.fixture
def linked_world(settings, tmp_path):
    """Public records, each linked to non-public ones of every kind and state."""
    settings.MEDIA_ROOT = tmp_path
    settings.MEMORIA_DUMP_ROOT = tmp_path / "dumps"
    settings.MEMORIA_API_ANONYMOUS_RATE = "100000/minute"  # every channel is read many times
    world = {
        "fonds": factories.document(level="fonds", title="Public fonds memoria"),
        "person": factories.person(authorized_name="Public person memoria"),
        "organization": factories.organization(authorized_name="Public org memoria"),
        "case": factories.legal_case(title="Public case memoria"),
        "event": factories.event(name="Public event memoria"),
    }
    world["item"] = factories.document(parent=world["fonds"], title="Public item memoria")
    world["item"].file.save("public-copy.txt", ContentFile(b"A public copy."))
    word = secret(PROTECTED)
    world["protected"] = factories.person(
        authorized_name="Protected witness memoria",
        protected=True,
        birth_date=PROTECTED_BIRTH_DATE,
        birth_place=f"Village {word}",
        personal_details=f"Lives in {word}",
    )
    factories.membership(person=world["protected"], organization=world["organization"])
    DocumentLink.objects.create(document=world["item"], person=world["protected"])
    for state, hiding in HIDDEN_STATES.items():
        word = secret(state)
        hidden = {
            "document": factories.document(
                title=f"Doc {word}", parent=world["fonds"], scope_and_content=word, **hiding
            ),
            "person": factories.person(authorized_name=f"Person {word}", **hiding),
            "organization": factories.organization(
                authorized_name=f"Org {word}", acronym=word[:10], **hiding
            ),
            "case": factories.legal_case(title=f"Case {word}", **hiding),
            "event": factories.event(name=f"Event {word}", **hiding),
        }
        hidden["document"].file.save(f"{state}.txt", ContentFile(word.encode()))
        PersonName.objects.create(person=hidden["person"], name=f"Alias {word}")
        OrganizationName.objects.create(organization=hidden["organization"], name=f"Name {word}")
        # hidden records hanging off public ones, in every relationship
        factories.membership(person=world["person"], organization=hidden["organization"])
        factories.membership(person=hidden["person"], organization=world["organization"])
        factories.membership(
            person=world["person"], organization=world["organization"], evidence=hidden["document"]
        )
        OrganizationRelation.objects.create(
            source=world["organization"], target=hidden["organization"], kind="rival_of"
        )
        OrganizationRelation.objects.create(
            source=hidden["organization"], target=world["organization"], kind="opposed"
        )
        factories.case_party(case=world["case"], person=hidden["person"], role="defendant")
        factories.case_party(case=hidden["case"], person=world["person"], role="defendant")
        factories.case_party(case=world["case"], organization=hidden["organization"], role="victim")
        CaseLink.objects.create(from_case=world["case"], to_case=hidden["case"], kind="related")
        CaseLink.objects.create(from_case=hidden["case"], to_case=world["case"], kind="appeal_of")
        world["case"].events.add(hidden["event"])
        hidden["case"].events.add(world["event"])
        EventParticipant.objects.create(event=world["event"], person=hidden["person"])
        EventParticipant.objects.create(event=hidden["event"], person=world["person"])
        for target in ("person", "organization", "legal_case", "event"):
            key = "case" if target == "legal_case" else target
            DocumentLink.objects.create(document=world["item"], **{target: hidden[key]})
            DocumentLink.objects.create(document=hidden["document"], **{target: world[key]})
        hidden["case"].court = world["organization"]
        hidden["case"].save()
        world["case"].court = hidden["organization"]
        world["case"].save()
    search.rebuild()
    return world


def pages(client, world):
    """Every public page and download, as (channel, text)."""
    yield "home", client.get("/")
    for word in ("memoria", "public", "doc", "person", "org", "case", "event", "alias", "name"):
        yield f"search {word}", client.get(reverse("search"), {"q": word})
        for slug in ("documents", "persons", "organizations", "cases", "events"):
            yield f"browse {slug} {word}", client.get(f"/{slug}/", {"q": word})
    for slug in ("documents", "persons", "organizations", "cases", "events"):
        yield f"browse {slug}", client.get(f"/{slug}/")
    yield from downloads(client)
    yield "protected birth year", client.get("/persons/", {"date_from": 1899, "date_to": 1899})
    yield "protected birth place", client.get(reverse("search"), {"q": "village"})
    yield "public file", client.get(world["item"].file.url)
    for record in world.values():
        url = record.get_absolute_url()
        yield f"detail {url}", client.get(url)
        yield f"cite bib {url}", client.get(f"{url}cite.bib")
        yield f"cite json {url}", client.get(f"{url}cite.json")
        pid = record.public_id
        for slug, name in (
            ("documents", "person"),
            ("documents", "organization"),
            ("documents", "case"),
            ("documents", "event"),
            ("documents", "parent"),
            ("persons", "organization"),
            ("cases", "party"),
            ("events", "participant"),
        ):
            yield f"browse {slug} by {name}", client.get(f"/{slug}/", {name: pid})
            yield f"api {slug} by {name}", client.get(f"/api/v1/{slug}/", {name: pid})
        api_url = reverse(f"api:{record.record_type}-detail", args=[pid])
        yield f"api detail {api_url}", client.get(api_url)
        yield from exports(client, record)
    yield from api_channels(client)
    yield "sitemap", client.get("/sitemap.xml")
    for key in ("document", "person", "organization", "case", "event"):
        yield f"sitemap {key}", client.get(f"/sitemap-{key}.xml")
    yield "robots.txt", client.get("/robots.txt")
    yield from harvests(client, world)


def downloads(client):
    """The CSV downloads of browse and search results: plain, searched, and of every type."""
    for slug in ("documents", "persons", "organizations", "cases", "events"):
        yield f"csv {slug}", client.get(f"/{slug}/results.csv")
        for word in ("memoria", "doc", "alias", "name", "village"):
            yield f"csv {slug} {word}", client.get(f"/{slug}/results.csv", {"q": word})
    for word in ("memoria", "public", "doc", "person", "org", "alias", "name", "village"):
        yield f"csv search {word}", client.get("/search/results.csv", {"q": word})
        yield (
            f"csv search {word} by date",
            client.get("/search/results.csv", {"q": word, "sort": "date"}),
        )
    yield (
        "csv protected birth year",
        client.get("/persons/results.csv", {"date_from": 1899, "date_to": 1899}),
    )
    yield "csv protected birth place", client.get("/search/results.csv", {"q": "village"})


def harvests(client, world):
    """OAI-PMH: every list verb in every format, and each public record by identifier."""
    for verb in ("Identify", "ListSets", "ListMetadataFormats"):
        yield f"oai {verb}", client.get("/oai/", {"verb": verb})
    for prefix in ("oai_dc", "ead3", "eac-cpf"):
        for verb in ("ListRecords", "ListIdentifiers"):
            yield (
                f"oai {verb} {prefix}",
                client.get("/oai/", {"verb": verb, "metadataPrefix": prefix}),
            )
    repository = settings.MEMORIA_OAI_REPOSITORY_ID
    for record in world.values():
        identifier = f"oai:{repository}:{record.record_type}/{record.public_id}"
        yield (
            f"oai GetRecord {identifier}",
            client.get(
                "/oai/", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}
            ),
        )


def exports(client, record):
    """Every standard export of one public record."""
    key = record.record_type
    names = [f"{key}_dc", f"{key}_jsonld"]
    names += {"document": ["document_ead3"], "person": ["person_eac_cpf"]}.get(key, [])
    names += ["organization_eac_cpf"] if key == "organization" else []
    for name in names:
        url = reverse(name, args=[record.public_id])
        yield f"export {url}", client.get(url)


def api_channels(client):
    """The partner API: root, every list (plain, searched), deletions and the bulk dump."""
    yield "api root", client.get("/api/v1/")
    for slug in ("documents", "persons", "organizations", "cases", "events"):
        yield f"api {slug}", client.get(f"/api/v1/{slug}/", {"page_size": 500})
        for word in ("memoria", "doc", "alias", "name", "village"):
            yield f"api {slug} search {word}", client.get(f"/api/v1/{slug}/", {"search": word})
    yield (
        "api protected birth year",
        client.get("/api/v1/persons/", {"date_from": 1899, "date_to": 1899}),
    )
    yield "api deletions", client.get("/api/v1/deletions/")
    call_command("dump_public_records", verbosity=0)
    yield "api dump", client.get("/api/v1/dump/")


def test_non_public_records_appear_on_no_public_channel(client, linked_world):
    checked = 0
    for channel, response in pages(client, linked_world):
        assert response.status_code == 200, channel
        body = b"".join(response)
        if response["Content-Type"] == "application/gzip":
            body = gzip.decompress(body)
        text = body.decode()
        for state in [*HIDDEN_STATES, PROTECTED]:
            assert secret(state) not in text, f"{state} record leaked through {channel}"
        for form in (PROTECTED_BIRTH_DATE, "March 1899"):
            assert form not in text, f"a protected birth date leaked through {channel}"
        if "protected" in channel:  # found by what only the withheld fields hold
            assert "Protected witness" not in text, channel
        checked += 1
    assert checked > 60


def test_a_protected_persons_public_page_shows_them_without_their_private_details(
    client, linked_world
):
    person = linked_world["protected"]
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "Protected witness memoria" in response.content.decode()
    assert response.context["record"].birth_place == ""
    assert client.get("/persons/", {"date_from": 1899, "date_to": 1899}).context["total"] == 0


def test_files_of_hidden_documents_are_not_served_but_public_ones_are(client, linked_world):
    public = client.get(linked_world["item"].file.url)
    assert public.status_code == 200
    assert b"".join(public) == b"A public copy."
    for state in HIDDEN_STATES:
        document = Document.objects.get(title=f"Doc {secret(state)}")
        assert client.get(document.file.url).status_code == 404, state
    assert client.get("/media/../archive/settings.py").status_code == 404
    assert client.get("/media/documents/none.txt").status_code == 404


def test_staff_who_may_view_documents_open_any_attached_file(archivist_client, linked_world):
    for state in HIDDEN_STATES:
        document = Document.objects.get(title=f"Doc {secret(state)}")
        response = archivist_client.get(document.file.url)
        assert response.status_code == 200
        assert b"".join(response) == secret(state).encode()


def test_an_embargoed_record_is_public_from_its_embargo_date_with_nothing_to_run(client):
    today = timezone.localdate()
    due = factories.document(
        title="Embargo ends today", access=Record.Access.EMBARGOED, embargo_until=today
    )
    pending = factories.document(
        title="Embargo ends tomorrow",
        access=Record.Access.EMBARGOED,
        embargo_until=today + datetime.timedelta(days=1),
    )
    assert client.get(due.get_absolute_url()).status_code == 200
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert list(Document.objects.public()) == [due]


def test_searching_for_a_hidden_records_words_finds_nothing(client, linked_world):
    for state in HIDDEN_STATES:
        response = client.get(reverse("search"), {"q": secret(state)})
        assert response.context["total"] == 0
        for slug in ("documents", "persons", "organizations", "cases", "events"):
            assert client.get(f"/{slug}/", {"q": secret(state)}).context["total"] == 0


def test_facet_counts_count_only_public_records(client, linked_world):
    response = client.get("/documents/")
    counted = sum(
        count
        for facet in response.context["facets"]
        if facet.name == "level"
        for _v, _l, count, _s in facet.values
    )
    assert counted == 2  # the public fonds and item
    cases = client.get("/cases/")
    courts = next(facet for facet in cases.context["facets"] if facet.name == "court")
    assert courts.values == []  # the only court with a public case is not public


def test_non_public_records_answer_404_at_their_addresses(client, linked_world):
    for model in (Document, Person, Organization, LegalCase, Event):
        hidden = model.objects.exclude(pk__in=model.objects.public())
        assert hidden.count() == len(HIDDEN_STATES)
        for record in hidden:
            url = record.get_absolute_url()
            assert client.get(url).status_code == 404, url
            assert client.get(f"{url}cite.bib").status_code == 404, url
            assert client.get(f"{url}cite.json").status_code == 404, url
            api_url = reverse(f"api:{record.record_type}-detail", args=[record.public_id])
            assert client.get(api_url).status_code == 404, api_url
            for channel, response in exports(client, record):
                assert response.status_code == 404, channel


def test_the_json_ld_of_a_public_record_names_no_hidden_record(client, linked_world):
    for record in linked_world.values():
        html = client.get(record.get_absolute_url()).content.decode()
        start = html.index('<script type="application/ld+json">') + len(
            '<script type="application/ld+json">'
        )
        data = json.loads(html[start : html.index("</script>", start)])
        assert data["url"].endswith(record.get_absolute_url())
        for state in HIDDEN_STATES:
            assert secret(state) not in json.dumps(data)
