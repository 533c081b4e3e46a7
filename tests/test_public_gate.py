"""Nothing that is not public reaches a public channel.

Each non-public record carries a secret word in its name and text. The records are linked to
public ones in every way the model allows, then every public channel is read and must not
contain a secret word. Add a channel to CHANNELS when you add one to the site.
"""

import json

import pytest
from django.urls import reverse

from catalogue import search
from catalogue.models import (
    CaseLink,
    DocumentLink,
    EventParticipant,
    OrganizationName,
    OrganizationRelation,
    PersonName,
    Record,
)

from . import factories

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": Record.Status.DRAFT,
    "withdrawn": Record.Status.WITHDRAWN,
}


def secret(state):
    return f"zqx{state}secret"


@pytest.fixture
def linked_world():
    """Public records, each linked to non-public ones of every kind and state."""
    world = {
        "fonds": factories.document(level="fonds", title="Public fonds memoria"),
        "person": factories.person(authorized_name="Public person memoria"),
        "organization": factories.organization(authorized_name="Public org memoria"),
        "case": factories.legal_case(title="Public case memoria"),
        "event": factories.event(name="Public event memoria"),
    }
    world["item"] = factories.document(parent=world["fonds"], title="Public item memoria")
    for state, status in HIDDEN_STATES.items():
        word = secret(state)
        hidden = {
            "document": factories.document(
                title=f"Doc {word}", parent=world["fonds"], status=status, scope_and_content=word
            ),
            "person": factories.person(authorized_name=f"Person {word}", status=status),
            "organization": factories.organization(
                authorized_name=f"Org {word}", status=status, acronym=word[:10]
            ),
            "case": factories.legal_case(title=f"Case {word}", status=status),
            "event": factories.event(name=f"Event {word}", status=status),
        }
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


def test_non_public_records_appear_on_no_public_channel(client, linked_world):
    checked = 0
    for channel, response in pages(client, linked_world):
        assert response.status_code == 200, channel
        text = response.content.decode()
        for state in HIDDEN_STATES:
            assert secret(state) not in text, f"{state} record leaked through {channel}"
        checked += 1
    assert checked > 60


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
    from catalogue.models import Document, Event, LegalCase, Organization, Person

    for model in (Document, Person, Organization, LegalCase, Event):
        for record in model.objects.exclude(status=Record.Status.PUBLISHED):
            url = record.get_absolute_url()
            assert client.get(url).status_code == 404, url
            assert client.get(f"{url}cite.bib").status_code == 404, url
            assert client.get(f"{url}cite.json").status_code == 404, url


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
