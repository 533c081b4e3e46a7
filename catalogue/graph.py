"""The network around a record: its public neighbours to one or two steps, as nodes and edges.

Every edge comes from a relationship table and is kept only when both its ends are public
(`public_q` on each end, in the same query); the record that evidences an edge is named only
when it is public too. So a draft, restricted or embargoed neighbour is neither drawn nor
counted. Nodes carry a label, a type, a link and their dates, never a protected person's
withheld fields.

The year keeps what held in that year: an edge by its own dates, or where it has none by
those of the record it belongs to (a participation by its event's, a party by its case's);
an edge with neither stays.

The cost is fixed however many relationships a record has: per step one query per
relationship table that touches the records reached (reading only ids), then one per record
type for the nodes shown, one per table for the details of the edges drawn, and one for
their evidence. The second step starts only from the records the first step shows, so a
record with a thousand neighbours does not read its neighbours' thousands.
"""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import (
    CaseLink,
    CaseParty,
    Document,
    Event,
    EventParticipant,
    LegalCase,
    Membership,
    Organization,
    OrganizationRelation,
    Person,
)
from .models.relationships import beyond

MODELS = {model.record_type: model for model in (Person, Organization, LegalCase, Event)}
# What a node shows, and what public_view() reads to withhold a protected person's fields.
NODE_FIELDS = {
    model: ("public_id", "date_earliest", "date_latest", *fields)
    for model, fields in {
        Person: ("authorized_name", "birth_date", "death_date", "protected"),
        Organization: ("authorized_name", "acronym", "dates"),
        LegalCase: ("title", "date_filed", "date_decided"),
        Event: ("name", "dates"),
    }.items()
}
MAX_NODES = 60
MAX_DEPTH = 2


@dataclass(frozen=True)
class End:
    field: str  # "pk" for the table's own row, when the table is a record type
    model: type
    optional: bool = False  # one of a person or an organization: the other end is empty

    @property
    def prefix(self):
        return "" if self.field == "pk" else f"{self.field}__"

    @property
    def column(self):
        return "pk" if self.field == "pk" else f"{self.field}_id"


def held_in(year, prefix=""):
    """Rows whose dates (under `prefix`) overlap `year`; a missing bound does not exclude."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return ~Q(**{f"{prefix}date_earliest__gt": last}) & ~Q(**{f"{prefix}date_latest__lt": first})


@dataclass(frozen=True, eq=False)  # a key by identity: hashing its lazy name would translate it
class Table:
    """A relationship table read as edges: its ends, and the field whose display names it."""

    model: type
    ends: tuple
    label: str = ""
    detail: str = ""  # the relationship in the sources' words
    dated: bool = True
    name: str = ""  # what the edge is, where the table's own name does not say it
    anchor: str = ""  # the end whose dates an undated edge takes: the event, the case

    @property
    def details(self):
        """The columns an edge's description reads, beyond its ends."""
        dated = ("dates", "date_earliest", "date_latest", "evidence_id") if self.dated else ()
        return (*filter(None, (self.label, self.detail)), *dated)

    def labels(self):
        """{stored value: its label}, read once a call rather than once a row."""
        if not self.label:
            return {}
        return {
            value: str(label) for value, label in self.model._meta.get_field(self.label).choices
        }

    def rows(self, frontier, year):
        """The rows touching `frontier` ({type: {pk}}) whose every end is public."""
        touching = [
            Q(**{f"{end.field}__in": frontier[end.model.record_type]})
            for end in self.ends
            if frontier.get(end.model.record_type)
        ]
        if not touching:
            return []
        gate = Q()
        for end in self.ends:
            public = end.model.public_q(end.prefix)
            gate &= (Q(**{f"{end.field}__isnull": True}) | public) if end.optional else public
        rows = self.model.objects.filter(reduce(or_, touching), gate)
        if year:
            rows = rows.filter(self.held_in(year))
        return rows.order_by("pk").values_list("pk", *(end.column for end in self.ends))

    def held_in(self, year):
        prefix = "" if self.anchor == "pk" else f"{self.anchor}__"
        anchored = held_in(year, prefix) if self.anchor else Q()
        if not self.dated:
            return anchored
        undated = Q(date_earliest__isnull=True, date_latest__isnull=True)
        return (~undated & held_in(year)) | (undated & anchored)

    def ends_of(self, row):
        """The row's two ends as (record type, pk), from (pk, *ends)."""
        return [
            (end.model.record_type, pk)
            for end, pk in zip(self.ends, row[1:], strict=True)
            if pk is not None
        ]

    def described(self, pks):
        """{pk: {column: value}} of the rows drawn: read for those only, not for every row."""
        if not self.details or not pks:
            return {}
        rows = self.model.objects.filter(pk__in=pks).values("pk", *self.details)
        return {row["pk"]: row for row in rows}


def agent_ends():
    return End("person", Person, optional=True), End("organization", Organization, optional=True)


TABLES = (
    Table(Membership, (End("person", Person), End("organization", Organization)), "kind", "role"),
    Table(
        OrganizationRelation,
        (End("source", Organization), End("target", Organization)),
        "kind",
        "description",
    ),
    Table(CaseParty, (End("case", LegalCase), *agent_ends()), "role", "role_detail", anchor="case"),
    Table(
        EventParticipant,
        (End("event", Event), *agent_ends()),
        "role",
        "role_detail",
        anchor="event",
    ),
    Table(
        CaseLink,
        (End("from_case", LegalCase), End("to_case", LegalCase)),
        "kind",
        dated=False,
        anchor="from_case",
    ),
    Table(
        LegalCase.events.through,
        (End("legalcase", LegalCase), End("event", Event)),
        dated=False,
        name=_("case about the event"),
        anchor="legalcase",
    ),
    Table(
        LegalCase,
        (End("pk", LegalCase), End("court", Organization)),
        dated=False,
        name=_("heard by the court"),
        anchor="pk",
    ),
)


def _edge(table, labels, row, ends):
    source, target = ends
    name = str(table.name or table.model._meta.verbose_name)
    label = labels.get(row[table.label], row[table.label]) if table.label else name
    return {
        "source": source,
        "target": target,
        "relationship": name,
        "label": label,
        # What the sources say beyond the label: "led the commando" under Leader
        "role": beyond(label, row[table.detail]) if table.detail else "",
        "dates": row.get("dates", ""),
        "earliest": _iso(row.get("date_earliest")),
        "latest": _iso(row.get("date_latest")),
        "evidence": row.get("evidence_id"),
    }


def _iso(day):
    return day.isoformat() if day else None


@dataclass
class Network:
    focus: object
    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    more: int = 0

    def as_json(self):
        return {
            "focus": self.focus.public_id,
            "nodes": self.nodes,
            "edges": self.edges,
            "more": self.more,
        }


def around(record, depth=1, year=None, limit=MAX_NODES):
    """The public network of `record` (itself public) to `depth` steps, at most `limit`
    nodes, the rest counted; `year` keeps only relationships that held in that year."""
    start = (record.record_type, record.pk)
    seen = {start: 0}  # node -> step it was reached at
    order = [start]
    edges = {}
    frontier = {record.record_type: {record.pk}}
    for step in range(1, depth + 1):
        reached = {}
        for table in TABLES:
            for row in table.rows(frontier, year):
                ends = table.ends_of(row)
                if len(ends) != 2:
                    continue
                edges[(table, row[0])] = ends
                for node in ends:
                    if node not in seen:
                        seen[node] = step
                        order.append(node)
                        if len(order) <= limit:  # only what is shown is walked further
                            reached.setdefault(node[0], set()).add(node[1])
        frontier = reached
        if not frontier:
            break
    kept = order[:limit]
    network = Network(record, more=len(order) - len(kept))
    records = _records(kept)
    keys, addresses = {}, Addresses()
    for node in kept:
        found = records.get(node)
        if found is None:
            continue
        keys[node] = found.public_id
        network.nodes.append(_node(found, seen[node], addresses))
    drawn = [
        (table, pk, ends) for (table, pk), ends in edges.items() if all(e in keys for e in ends)
    ]
    details = {table: table.described([pk for t, pk, _ in drawn if t is table]) for table in TABLES}
    labels = {table: table.labels() for table in TABLES}
    drawn = [
        _edge(table, labels[table], details[table].get(pk, {}), [keys[end] for end in ends])
        for table, pk, ends in drawn
    ]
    evidence = _evidence((edge["evidence"] for edge in drawn), addresses)
    for edge in drawn:
        edge["evidence"] = evidence.get(edge["evidence"])
    network.edges = drawn
    return network


def _records(nodes):
    by_type = {}
    for record_type, pk in nodes:
        by_type.setdefault(record_type, []).append(pk)
    found = {}
    for record_type, pks in by_type.items():
        model = MODELS[record_type]
        for record in model.objects.public().filter(pk__in=pks).only(*NODE_FIELDS[model]):
            found[(record_type, record.pk)] = record.public_view()
    return found


class Addresses(dict):
    """Record addresses by type, resolved once a call: reverse() for each of sixty nodes
    costs more than the rest of a node."""

    PLACEHOLDER = "0" * 10

    def __missing__(self, record_type):
        self[record_type] = reverse(f"{record_type}_detail", args=[self.PLACEHOLDER])
        return self[record_type]

    def of(self, record):
        return self[record.record_type].replace(self.PLACEHOLDER, record.public_id)


def _node(record, step, addresses):
    return {
        "id": record.public_id,
        "type": record.record_type,
        "label": str(record),
        "url": addresses.of(record),
        "dates": _dates(record),
        "earliest": _iso(record.date_earliest),
        "latest": _iso(record.date_latest),
        "step": step,
    }


def _dates(record):
    if isinstance(record, LegalCase):
        return f"{record.date_filed} – {record.date_decided}".strip(" –")
    return getattr(record, "dates", None) or getattr(record, "dates_of_existence", "")


def _evidence(pks, addresses):
    pks = {pk for pk in pks if pk}
    if not pks:
        return {}
    return {
        document.pk: {
            "id": document.public_id,
            "title": str(document),
            "url": addresses.of(document),
        }
        for document in Document.objects.public()
        .filter(pk__in=pks)
        .only("public_id", "reference_code", "title")
    }
