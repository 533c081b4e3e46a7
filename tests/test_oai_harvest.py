"""A real OAI-PMH client harvests the catalogue over HTTP, following resumption tokens."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from oaipmh_scythe import Scythe

from catalogue import oai
from catalogue.models import RECORD_MODELS

from .test_oai import (
    PUBLIC,
    public_and_hidden_records,
    response_schema,
    some_time_ago,
    withdraw,
)

pytestmark = pytest.mark.django_db(transaction=True)

# What the protected person's record holds and no harvest may show.
PROTECTED_DATA = ["1961-07-13", "1961", "Secret birthplace", "Secret personal details"]


@pytest.fixture
def base_url(live_server, monkeypatch):
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 2)  # so that every harvest follows tokens
    return f"{live_server.url}/oai/"


@pytest.fixture
def languages(transactional_db):
    """The languages a data migration adds, gone if an earlier live-server test flushed them."""
    importlib.import_module("catalogue.migrations.0002_languages").add_languages(apps, None)


def oai_id(record):
    return f"oai:{settings.MEMORIA_OAI_REPOSITORY_ID}:{record.record_type}/{record.public_id}"


def test_a_harvester_gets_exactly_the_public_records_in_every_format(base_url):
    records = public_and_hidden_records()
    expected = {
        "oai_dc": PUBLIC,
        "ead3": ["fonds", "other_fonds"],
        "eac-cpf": ["person", "protected", "organization"],
    }
    with Scythe(base_url) as scythe:
        for prefix, keys in expected.items():
            harvested = list(scythe.list_records(metadata_prefix=prefix))
            assert sorted(r.header.identifier for r in harvested) == sorted(
                oai_id(records[key]) for key in keys
            )
            assert not any(r.deleted for r in harvested)
            for record in harvested:
                assert not any(secret in record.raw for secret in PROTECTED_DATA), record.raw
        assert len(list(scythe.list_identifiers(metadata_prefix="oai_dc"))) == len(PUBLIC)


def test_an_incremental_harvest_learns_that_a_record_was_withdrawn(base_url):
    records = public_and_hidden_records()
    some_time_ago(*(records[key] for key in PUBLIC))
    since = oai.datestamp(timezone.now() - datetime.timedelta(seconds=1))
    withdraw(records["organization"])
    with Scythe(base_url) as scythe:
        for prefix in ["oai_dc", "eac-cpf"]:
            harvested = list(scythe.list_records(from_=since, metadata_prefix=prefix))
            assert [(r.header.identifier, r.deleted) for r in harvested] == [
                (oai_id(records["organization"]), True)
            ]


def test_the_demo_collection_harvests_whole_in_dublin_core(
    base_url, languages, demo_collection, monkeypatch
):
    monkeypatch.setattr(oai.protocol, "PAGE_SIZE", 25)
    public = sum(model.objects.public().count() for model in RECORD_MODELS)
    with Scythe(base_url) as scythe:
        harvested = list(scythe.list_records(metadata_prefix="oai_dc"))
    assert len({record.header.identifier for record in harvested}) == len(harvested) == public
    for record in harvested:
        (metadata,) = record.xml.find(f"{{{oai.OAI_NS}}}metadata")
        response_schema().assertValid(metadata)
