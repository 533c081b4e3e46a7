"""The network around a record: only public neighbours, bounded, at a fixed query cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Document, EventParticipant, Membership, Record

from . import factories

pytestmark = pytest.mark.django_db


def graph(client, **params):
    response = client.get("/explore/graph.json", params)
    return response.status_code, response.json()


@pytest.fixture
def leader():
    """A person in two organizations and an event; evidence for one membership."""
    person = factories.person(authorized_name="Leader One", birth_date="1953-08-14")
    movement = factories.organization(authorized_name="Movement")
    evidence = factories.document(title="Founding statement")
    factories.membership(
        person=person,
        organization=movement,
        kind=Membership.Kind.LEADER,
        dates="1984/1997",
        evidence=evidence,
    )
    later = factories.organization(authorized_name="Later group")
    factories.membership(person=person, organization=later, dates="2005/2010")
    siege = factories.event(name="Siege")
    EventParticipant.objects.create(
        event=siege, person=person, role=EventParticipant.Role.LEADER, dates="1996-12-17"
    )
    return person


def ids(body):
    return {node["label"] for node in body["nodes"]}


def test_the_network_shows_the_record_its_public_neighbours_and_the_evidence_of_each_edge(
    client, leader
):
    status, body = graph(client, focus=leader.public_id)
    assert status == 200
    assert ids(body) == {"Leader One", "Movement", "Later group", "Siege (1996-12-17/1997-04-22)"}
    lead = next(edge for edge in body["edges"] if edge["label"] == "Leader")
    assert lead["evidence"]["title"].endswith("Founding statement")
    assert lead["dates"] == "1984/1997"
    assert body["more"] == 0


def test_a_draft_restricted_or_embargoed_neighbour_is_neither_drawn_nor_counted(client, leader):
    hidden = [
        factories.organization(status=Record.Status.DRAFT),
        factories.organization(access=Record.Access.RESTRICTED),
        factories.organization(
            access=Record.Access.EMBARGOED,
            embargo_until=datetime.date.today() + datetime.timedelta(days=30),
        ),
    ]
    for organization in hidden:
        factories.membership(person=leader, organization=organization)
    status, body = graph(client, focus=leader.public_id, depth=2)
    assert status == 200
    assert not ids(body) & {str(organization) for organization in hidden}
    assert body["more"] == 0
    assert len(body["edges"]) == 3


def test_evidence_that_is_not_public_is_not_named(client, leader):
    Document.objects.update(status=Record.Status.DRAFT)
    _, body = graph(client, focus=leader.public_id)
    assert all(edge["evidence"] is None for edge in body["edges"])


def test_a_protected_persons_birth_date_is_not_in_the_network(client, leader):
    leader.protected = True
    leader.save()
    _, body = graph(client, focus=leader.public_id)
    assert "1953" not in str(body)


def test_the_year_shows_the_network_as_it_stood_then(client, leader):
    _, body = graph(client, focus=leader.public_id, year=1996)
    assert "Later group" not in ids(body)
    assert {"Movement", "Leader One"} <= ids(body)


def test_a_large_network_is_bounded_and_says_how_many_more(client, leader):
    for _ in range(70):
        factories.membership(person=leader, organization=factories.organization())
    _, body = graph(client, focus=leader.public_id)
    assert len(body["nodes"]) == 60
    assert body["more"] == 74 - 60
    shown = {node["id"] for node in body["nodes"]}
    assert all(edge["source"] in shown and edge["target"] in shown for edge in body["edges"])


def test_the_graph_costs_as_many_queries_for_forty_neighbours_as_for_four(client, leader):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            graph(client, focus=leader.public_id, depth=2)
        return len(captured)

    few = queries()
    for _ in range(36):
        factories.membership(person=leader, organization=factories.organization())
    assert queries() == few


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "focus"),
        ({"focus": "x", "depth": "3"}, "depth"),
        ({"focus": "x", "year": "96"}, "year"),
    ],
)
def test_bad_choices_get_a_400_that_says_what_is_wrong(client, params, message):
    status, body = graph(client, **params)
    assert status == 400
    assert message in body["error"]


def test_a_record_that_is_not_public_has_no_network(client):
    draft = factories.person(status=Record.Status.DRAFT)
    status, body = graph(client, focus=draft.public_id)
    assert status == 404
    assert "error" in body


def test_the_explore_page_lists_the_relationships_and_their_evidence_without_javascript(
    client, leader
):
    page = client.get("/explore/", {"focus": leader.public_id, "year": "1996"}).content.decode()
    assert "Network of Leader One" in page
    assert "Founding statement" in page
    assert "Later group" not in page


def test_a_persons_page_links_to_the_explorer_of_their_network(client, leader):
    page = client.get(leader.get_absolute_url()).content.decode()
    assert f"/explore/?focus={leader.public_id}" in page
