"""An embargo ends at midnight, and every channel says so at once, with nothing restarted."""

import datetime
import gzip
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import DocumentLink, Person, Record

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargoed_neighbour(settings, tmp_path):
    settings.MEMORIA_DUMP_ROOT = tmp_path
    document = factories.document(title="Embassy report", level="fonds")
    person = factories.person(
        authorized_name="Embargoed Witness",
        access=Record.Access.EMBARGOED,
        embargo_until=timezone.localdate() + datetime.timedelta(days=10),
    )
    organization = factories.organization(authorized_name="Open Committee")
    DocumentLink.objects.create(document=document, person=person)
    factories.membership(person=person, organization=organization)
    return document, person, organization


def what_each_channel_says(client, document, organization):
    """The text every public channel gives about the document and the organization."""
    call_command("dump_public_records", verbosity=0)
    dump = gzip.decompress(b"".join(client.get("/api/v1/dump/").streaming_content))
    oai = client.get(
        "/oai/",
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": f"oai:memoria.example.org:document/{document.public_id}",
        },
    )
    return {
        "page": client.get(document.get_absolute_url()).content.decode(),
        "organization page": client.get(organization.get_absolute_url()).content.decode(),
        "api detail": client.get(f"/api/v1/documents/{document.public_id}/").content.decode(),
        "api list": client.get("/api/v1/organizations/").content.decode(),
        "dump": dump.decode(),
        "dublin core": client.get(f"/documents/{document.public_id}/dc.xml").content.decode(),
        "json-ld": client.get(f"/documents/{document.public_id}/schema.jsonld").content.decode(),
        "ead3": client.get(f"/documents/{document.public_id}/ead3.xml").content.decode(),
        "eac-cpf": client.get(
            f"/organizations/{organization.public_id}/eac-cpf.xml"
        ).content.decode(),
        "oai-pmh": oai.content.decode(),
        "csv of persons": b"".join(client.get("/persons/results.csv").streaming_content).decode(),
        "csv of an organization's members": b"".join(
            client.get(
                "/persons/results.csv", {"organization": organization.public_id}
            ).streaming_content
        ).decode(),
    }


def test_when_an_embargo_ends_every_channel_shows_the_record_the_same_day(
    client, clock, embargoed_neighbour, settings
):
    settings.MEMORIA_OAI_REPOSITORY_ID = "memoria.example.org"
    document, person, organization = embargoed_neighbour
    before = what_each_channel_says(client, document, organization)
    assert {
        channel: "Embargoed Witness" in text for channel, text in before.items()
    } == dict.fromkeys(before, False)

    clock(days=10)  # the first day the public may see the person
    assert Person.objects.public().filter(pk=person.pk).exists()
    after = what_each_channel_says(client, document, organization)
    assert {
        channel: "Embargoed Witness" in text for channel, text in after.items()
    } == dict.fromkeys(after, True)
    dumped = [json.loads(line) for line in after["dump"].splitlines()]
    assert person.public_id in {record["id"] for record in dumped}
