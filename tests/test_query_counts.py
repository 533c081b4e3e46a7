"""Pages run a fixed number of queries, however many rows (and translations) they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import search
from catalogue.models import DocumentLink, EventParticipant, PersonName

from . import factories

pytestmark = pytest.mark.django_db


def grow(n, hub=None):
    """n more of everything, all linked to one hub of each kind."""
    hub = hub or {
        "person": factories.person(authorized_name="Hub person"),
        "organization": factories.organization(authorized_name="Hub org", country="PE"),
        "case": factories.legal_case(title="Hub case"),
        "event": factories.event(name="Hub event"),
        "fonds": factories.document(level="fonds", title="Hub fonds"),
    }
    for i in range(n):
        person = factories.person(authorized_name=f"Member {i} hub")
        PersonName.objects.create(person=person, name=f"Alias {i}")
        org = factories.organization(authorized_name=f"Org {i} hub", country="CL")
        factories.membership(person=person, organization=hub["organization"], dates="1990/1995")
        factories.membership(person=hub["person"], organization=org)
        factories.case_party(case=hub["case"], person=person, role="defendant")
        EventParticipant.objects.create(event=hub["event"], person=person)
        case = factories.legal_case(title=f"Case {i} hub", court=org)
        factories.case_party(case=case, organization=org, role="respondent_state")
        factories.event(name=f"Event {i} hub")
        document = factories.document(parent=hub["fonds"], title=f"Report {i} hub")
        for record in (person, org, case, document):
            factories.translation(record, title=f"Traducción {i} hub", text="En castellano.")
        for target in ("person", "organization", "legal_case", "event"):
            key = "case" if target == "legal_case" else target
            DocumentLink.objects.create(document=document, **{target: hub[key]})
    search.rebuild()
    return hub


PAGES = [
    lambda hub: "/",
    lambda hub: "/search/?q=hub",
    lambda hub: "/search/?q=hub&type=person&sort=title",
    lambda hub: "/documents/?q=hub",
    lambda hub: "/documents/?sort=title",
    lambda hub: f"/documents/?person={hub['person'].public_id}&date_from=1900",
    lambda hub: "/persons/",
    lambda hub: f"/persons/?organization={hub['organization'].public_id}",
    lambda hub: "/organizations/",
    lambda hub: "/cases/",
    lambda hub: "/events/",
    lambda hub: hub["person"].get_absolute_url(),
    lambda hub: hub["organization"].get_absolute_url(),
    lambda hub: hub["case"].get_absolute_url(),
    lambda hub: hub["event"].get_absolute_url(),
    lambda hub: hub["fonds"].get_absolute_url(),
]


def queries_for(client, url):
    # The search index first catches up with the records made since: what is counted is the
    # page, not the applying of changes (whose queries follow the record types changed).
    search.engine.searcher()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_every_public_page_runs_as_many_queries_for_thirty_rows_as_for_three(
    client, django_assert_max_num_queries
):
    hub = grow(3)
    few = {page(hub): queries_for(client, page(hub)) for page in PAGES}
    grow(27, hub)
    for url, count in few.items():
        many = queries_for(client, url)
        if url.startswith("/search/"):
            # one query per record type on the page: at most five, whatever the rows
            assert many <= count + 4, url
        else:
            assert many == count, url
        with django_assert_max_num_queries(25):
            client.get(url)
