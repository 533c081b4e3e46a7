import datetime
import statistics
import time

from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client

from catalogue.models import (
    CaseParty,
    Document,
    Event,
    EventParticipant,
    LegalCase,
    Membership,
    Organization,
    Person,
    Record,
)

GRAPH = "/explore/graph.json"
SCENARIOS = {
    "one step": {},
    "one step, 1996": {"year": "1996"},
    "two steps": {"depth": "2"},
}


def published(model, n, **values):
    """`n` public records, written in one statement (no save(): the dates are given here)."""
    day = datetime.date(1990, 1, 1)
    values = {"status": Record.Status.PUBLISHED, "sources": "Benchmark", **values}
    return model.objects.bulk_create(
        model(date_earliest=day, date_latest=day, **values) for _ in range(n)
    )


def build(relationships, analyze=True):
    """A person with `relationships` relationships: memberships, event roles and case parties
    in equal shares, dated over 1980-2009, every third citing a document, one in ten to a
    draft that the network must leave out."""
    person = published(Person, 1, authorized_name="Benchmark focus")[0]
    evidence = published(Document, 1, reference_code="BG-1", title="Evidence", dates="1990")[0]
    share = relationships // 3
    counts = {Membership: share, EventParticipant: share, CaseParty: relationships - 2 * share}
    organizations = published(Organization, counts[Membership], authorized_name="Benchmark org")
    events = published(Event, counts[EventParticipant], name="Benchmark event", dates="1990")
    cases = published(LegalCase, counts[CaseParty], title="Benchmark case", jurisdiction="national")
    drafts = [others[::10] for others in (organizations, events, cases)]
    for others in drafts:
        type(others[0]).objects.filter(pk__in=[o.pk for o in others]).update(
            status=Record.Status.DRAFT
        )

    def dated(i):
        year = 1980 + i % 30
        return {
            "dates": f"{year}/{year + 3}",
            "date_earliest": datetime.date(year, 1, 1),
            "date_latest": datetime.date(year + 3, 12, 31),
            "evidence": evidence if i % 3 == 0 else None,
        }

    Membership.objects.bulk_create(
        Membership(person=person, organization=other, **dated(i))
        for i, other in enumerate(organizations)
    )
    EventParticipant.objects.bulk_create(
        EventParticipant(person=person, event=other, **dated(i)) for i, other in enumerate(events)
    )
    CaseParty.objects.bulk_create(
        CaseParty(person=person, case=other, role=CaseParty.Role.DEFENDANT, **dated(i))
        for i, other in enumerate(cases)
    )
    if analyze and connection.vendor == "postgresql":
        # The planner's statistics, as a catalogue that grew over time would have them. Table
        # sizes are written outside the transaction: the rollback leaves them behind.
        with connection.cursor() as cursor:
            for model in (Person, Document, Organization, Event, LegalCase, *counts):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return person


class Command(BaseCommand):
    help = (
        "Time /explore/graph.json for a person with 1,000 relationships (a tenth of them to "
        "drafts), in this process through Django's test client: median and p95 per scenario, "
        "the processor time the process used (on a busy machine, what the wall clock would "
        "show on an idle one, with SQLite), and the queries each answer costs. The records "
        "are written in a transaction that is rolled back at the end: nothing is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--relationships", type=int, default=1000, help="(1,000)")
        parser.add_argument("--requests", type=int, default=50, help="Per scenario (50).")
        parser.add_argument(
            "--no-analyze",
            dest="analyze",
            action="store_false",
            help="Leave PostgreSQL's planner statistics alone (tests: they outlive the rollback).",
        )

    def handle(self, *args, relationships, requests, analyze, **options):
        if relationships < 3 or requests < 1:
            raise CommandError("Give at least 3 relationships and 1 request.")
        with transaction.atomic():
            person = build(relationships, analyze)
            self.stdout.write(
                f"Database: {connection.vendor}; a person with {relationships} relationships"
            )
            client = Client(HTTP_HOST="localhost")
            # What any request costs here, for comparison: a page that reads nothing.
            self.run(client, "robots.txt (no query)", "/robots.txt", {}, requests)
            for name, params in SCENARIOS.items():
                self.run(client, name, GRAPH, {"focus": person.public_id, **params}, requests)
            transaction.set_rollback(True)

    def run(self, client, name, url, params, requests):
        queries = []
        with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
            response = client.get(url, params)  # and warms up
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}: {response.content[:200]}")
        times, cpu = [], []
        for _ in range(requests):
            started, used = time.perf_counter(), time.process_time()
            client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        shown = ""
        if url == GRAPH:
            body = response.json()
            shown = f"; {len(body['nodes'])} nodes, {len(body['edges'])} edges, {body['more']} more"
        self.stdout.write(
            f"{name}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
            f"(processor time: median {statistics.median(cpu):.1f} ms); "
            f"{len(queries)} queries{shown}"
        )
