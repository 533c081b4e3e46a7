"""The network around a record: only public neighbours, bounded, at a fixed query cost."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import (
    CaseLink,
    CaseParty,
    Document,
    Event,
    EventParticipant,
    Membership,
    Organization,
    OrganizationRelation,
    Person,
    Record,
)

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


def test_an_undated_participation_holds_in_the_years_of_its_event(client, leader):
    operation = factories.event(name="Operation", dates="1997-04-22")
    EventParticipant.objects.create(
        event=operation, person=leader, role=EventParticipant.Role.TARGET
    )
    _, in_1996 = graph(client, focus=leader.public_id, year=1996)
    _, in_1997 = graph(client, focus=leader.public_id, year=1997)
    assert "Operation (1997-04-22)" not in ids(in_1996)
    assert "Operation (1997-04-22)" in ids(in_1997)


def test_a_case_is_in_the_network_of_its_parties_and_its_court_only_while_it_ran(client, leader):
    court = factories.organization(authorized_name="Supreme Court")
    case = factories.legal_case(
        title="Trial", court=court, date_filed="2002", date_decided="2006-03-21"
    )
    factories.case_party(case=case, person=leader, role=CaseParty.Role.DEFENDANT)
    _, body = graph(client, focus=case.public_id)
    assert ids(body) == {"Trial", "Supreme Court", "Leader One"}
    court_edge = next(edge for edge in body["edges"] if edge["target"] == court.public_id)
    assert court_edge["label"] == "heard by the court"
    assert next(node for node in body["nodes"] if node["label"] == "Trial")["dates"] == (
        "2002 – 2006-03-21"
    )
    _, before = graph(client, focus=leader.public_id, year=1996)
    _, during = graph(client, focus=leader.public_id, year=2004)
    assert "Trial" not in ids(before)
    assert "Trial" in ids(during)


def test_a_court_that_is_not_public_is_not_in_its_cases_network(client):
    court = factories.organization(authorized_name="Secret court", status=Record.Status.DRAFT)
    case = factories.legal_case(title="Trial", court=court)
    _, body = graph(client, focus=case.public_id)
    assert ids(body) == {"Trial"}
    assert body["edges"] == [] and body["more"] == 0


def test_two_steps_reach_the_neighbours_of_neighbours_but_never_through_a_draft(client, leader):
    movement = Organization.objects.get(authorized_name="Movement")
    comrade = factories.person(authorized_name="Comrade")
    factories.membership(person=comrade, organization=movement)
    draft = factories.organization(authorized_name="Draft cell", status=Record.Status.DRAFT)
    factories.membership(person=leader, organization=draft)
    hidden = factories.person(authorized_name="Only through the draft")
    factories.membership(person=hidden, organization=draft)
    restricted = factories.person(
        authorized_name="Restricted comrade", access=Record.Access.RESTRICTED
    )
    factories.membership(person=restricted, organization=movement)

    _, one = graph(client, focus=leader.public_id)
    _, two = graph(client, focus=leader.public_id, depth=2)
    assert "Comrade" not in ids(one)
    assert "Comrade" in ids(two)
    assert next(node for node in two["nodes"] if node["label"] == "Comrade")["step"] == 2
    assert not ids(two) & {"Draft cell", "Only through the draft", "Restricted comrade"}
    assert two["more"] == 0
    assert draft.public_id not in str(two) and restricted.public_id not in str(two)


def test_a_protected_neighbours_withheld_fields_are_not_in_the_network(client, leader):
    witness = factories.person(
        authorized_name="Protected witness",
        protected=True,
        birth_date="1961-02-03",
        birth_place="Huancayo",
        personal_details="Lives in Lima with her family",
    )
    siege = Event.objects.get(name="Siege")
    EventParticipant.objects.create(event=siege, person=witness, role="witness")
    _, body = graph(client, focus=siege.public_id)
    node = next(node for node in body["nodes"] if node["label"] == "Protected witness")
    assert node["dates"] == "" and node["earliest"] is None
    for withheld in ("1961", "Huancayo", "Lives in Lima"):
        assert withheld not in str(body)
    page = client.get("/explore/", {"focus": siege.public_id}).content.decode()
    assert "Protected witness" in page and "1961" not in page and "Huancayo" not in page


def test_restricted_evidence_is_not_named(client, leader):
    Document.objects.update(access=Record.Access.RESTRICTED)
    _, body = graph(client, focus=leader.public_id)
    assert all(edge["evidence"] is None for edge in body["edges"])
    assert "Founding statement" not in str(body)


def test_drafts_beyond_the_bound_are_not_counted_among_the_more(client, leader):
    for _ in range(70):
        factories.membership(person=leader, organization=factories.organization())
    for _ in range(5):
        factories.membership(
            person=leader, organization=factories.organization(status=Record.Status.DRAFT)
        )
    _, body = graph(client, focus=leader.public_id, depth=2)
    assert len(body["nodes"]) == 60
    assert body["more"] == 74 - 60
    page = client.get("/explore/", {"focus": leader.public_id}).content.decode()
    assert "60 records shown, and 14 more." in page


@pytest.mark.parametrize("params", [{"depth": 1}, {"depth": 2}, {"depth": 2, "year": 1996}])
def test_the_graph_costs_the_same_queries_for_every_kind_of_relationship_many_times_over(
    client, leader, params
):
    movement = Organization.objects.get(authorized_name="Movement")
    siege = Event.objects.get(name="Siege")
    evidence = Document.objects.get()
    first_case = factories.legal_case(date_filed="1995")

    def one_of_each_kind():
        other = factories.organization()
        factories.membership(person=leader, organization=other, dates="1996", evidence=evidence)
        OrganizationRelation.objects.create(
            source=movement, target=other, kind=OrganizationRelation.Kind.ALLIED_WITH
        )
        case = factories.legal_case(court=other, date_filed="1995")
        case.events.add(siege)
        factories.case_party(case=case, person=leader, role=CaseParty.Role.DEFENDANT)
        EventParticipant.objects.create(event=factories.event(), organization=other)
        CaseLink.objects.create(from_case=case, to_case=first_case, kind=CaseLink.Kind.RELATED)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            status, _ = graph(client, focus=leader.public_id, **params)
        assert status == 200
        return len(captured)

    one_of_each_kind()
    few = queries()
    for _ in range(12):
        one_of_each_kind()
    assert queries() == few


@pytest.mark.parametrize(
    "params",
    [
        {"focus": "x", "depth": "two"},
        {"focus": "x", "depth": "0"},
        {"focus": "x", "year": "abcd"},
        {"focus": "x", "year": "0999"},
        {"focus": "x", "year": "19960"},
        {"focus": "  "},
    ],
)
def test_malformed_choices_answer_400_on_the_json_and_on_the_page(client, params):
    status, body = graph(client, **params)
    assert status == 400 and body["error"]
    assert client.get("/explore/", params).status_code == 400


def test_an_unknown_or_unpublished_focus_is_not_found_on_the_page_either(client):
    draft = factories.event(status=Record.Status.DRAFT)
    for focus in ("nosuchid00", "x" * 300, draft.public_id):
        assert graph(client, focus=focus)[0] == 404
        assert client.get("/explore/", {"focus": focus}).status_code in (302, 404)


def test_the_explorers_recentre_links_keep_the_year_and_steps(client, leader):
    page = client.get(
        "/explore/", {"focus": leader.public_id, "year": "1996", "depth": "2"}
    ).content.decode()
    movement = Organization.objects.get(authorized_name="Movement")
    assert f"/explore/?focus={movement.public_id}&amp;depth=2&amp;year=1996" in page


def test_record_pages_carry_the_network_view_and_its_scripts_but_documents_do_not(client, leader):
    page = client.get(leader.get_absolute_url()).content.decode()
    assert f'data-focus="{leader.public_id}"' in page
    assert "/static/vendor/cytoscape/cytoscape.min.js" in page
    assert "/static/js/network.js" in page
    document = client.get(Document.objects.get().get_absolute_url()).content.decode()
    assert "network.js" not in document


def test_the_graph_benchmark_times_each_scenario_and_keeps_nothing(db):
    out = io.StringIO()
    call_command(
        "benchmark_graph", "--relationships", "30", "--requests", "2", "--no-analyze", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("a person with 30 relationships")
    assert [line.split(":")[0] for line in lines[2:]] == ["one step", "one step, 1996", "two steps"]
    # One in ten of the neighbours is a draft: 27 public ones and the person, none more.
    assert lines[2].endswith("28 nodes, 27 edges, 0 more")
    assert not Person.objects.exists()
    with pytest.raises(CommandError):
        call_command("benchmark_graph", "--requests", "0")


def test_the_demo_gives_cerpa_cartolinis_1996_network_with_the_evidence_of_the_embassy_siege(
    client, demo_collection
):
    cerpa = Person.objects.get(authorized_name="Néstor Cerpa Cartolini")
    _, body = graph(client, focus=cerpa.public_id, year=1996)
    assert ids(body) == {
        "Néstor Cerpa Cartolini",
        "Túpac Amaru Revolutionary Movement (MRTA)",
        "Japanese embassy hostage crisis (1996-12-17/1997-04-22)",
    }
    assert all(edge["evidence"] for edge in body["edges"])
    siege = next(edge for edge in body["edges"] if edge["role"] == "led the commando")
    assert client.get(siege["evidence"]["url"]).status_code == 200
