"""The network around a record: its public neighbours to one or two steps, as nodes and edges.

Every edge comes from a relationship table and is kept only when both its ends are public
(`public_q` on each end, in the same query); the record that evidences an edge is named only
when it is public too. So a draft, restricted or embargoed neighbour is neither drawn nor
counted. Nodes carry a label, a type, a link and their dates, never a protected person's
withheld fields.

The year keeps what held in that year: an edge by its own dates, or where it has none by
those of the record it belongs to (a participation by its event's, a party by its case's);
an edge with neither stays.

The cost is fixed: per step one query per relationship table, then one per record type for
the nodes kept and one for the evidence, however many relationships a record has. The
second step starts only from the records the first step shows, so a record with a thousand
neighbours does not read its neighbours' thousands.
"""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
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

MODELS = {model.record_type: model for model in (Person, Organization, LegalCase, Event)}
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

    def pk_of(self, row):
        return row.pk if self.field == "pk" else getattr(row, f"{self.field}_id")


def held_in(year, prefix=""):
    """Rows whose dates (under `prefix`) overlap `year`; a missing bound does not exclude."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return ~Q(**{f"{prefix}date_earliest__gt": last}) & ~Q(**{f"{prefix}date_latest__lt": first})


@dataclass(frozen=True)
class Table:
    """A relationship table read as edges: its ends, and the field whose display names it."""

    model: type
    ends: tuple
    label: str = ""
    dated: bool = True
    name: str = ""  # what the edge is, where the table's own name does not say it
    anchor: str = ""  # the end whose dates an undated edge takes: the event, the case

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
        return rows.order_by("pk")

    def held_in(self, year):
        prefix = "" if self.anchor == "pk" else f"{self.anchor}__"
        anchored = held_in(year, prefix) if self.anchor else Q()
        if not self.dated:
            return anchored
        undated = Q(date_earliest__isnull=True, date_latest__isnull=True)
        return (~undated & held_in(year)) | (undated & anchored)

    def ends_of(self, row):
        """The row's two ends as (record type, pk)."""
        return [
            (end.model.record_type, pk) for end in self.ends if (pk := end.pk_of(row)) is not None
        ]


def agent_ends():
    return End("person", Person, optional=True), End("organization", Organization, optional=True)


TABLES = (
    Table(Membership, (End("person", Person), End("organization", Organization)), "kind"),
    Table(OrganizationRelation, (End("source", Organization), End("target", Organization)), "kind"),
    Table(CaseParty, (End("case", LegalCase), *agent_ends()), "role", anchor="case"),
    Table(EventParticipant, (End("event", Event), *agent_ends()), "role", anchor="event"),
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


def _edge(table, row, ends):
    source, target = ends
    name = str(table.name or table.model._meta.verbose_name)
    return {
        "source": source,
        "target": target,
        "relationship": name,
        "label": str(getattr(row, f"get_{table.label}_display")()) if table.label else name,
        "role": getattr(row, "role_note", "") or getattr(row, "description", "") or "",
        "dates": row.dates if table.dated else "",
        "earliest": _iso(row.date_earliest) if table.dated else None,
        "latest": _iso(row.date_latest) if table.dated else None,
        "evidence": getattr(row, "evidence_id", None),
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
                edges[(table.model, row.pk)] = (table, row, ends)
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
    keys = {}
    for node in kept:
        found = records.get(node)
        if found is None:
            continue
        keys[node] = found.public_id
        network.nodes.append(_node(found, seen[node]))
    drawn = [
        _edge(table, row, [keys[end] for end in ends])
        for table, row, ends in edges.values()
        if all(end in keys for end in ends)
    ]
    evidence = _evidence(edge["evidence"] for edge in drawn)
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
        for record in MODELS[record_type].objects.public().filter(pk__in=pks):
            found[(record_type, record.pk)] = record.public_view()
    return found


def _node(record, step):
    return {
        "id": record.public_id,
        "type": record.record_type,
        "label": str(record),
        "url": record.get_absolute_url(),
        "dates": _dates(record),
        "earliest": _iso(record.date_earliest),
        "latest": _iso(record.date_latest),
        "step": step,
    }


def _dates(record):
    if isinstance(record, LegalCase):
        return f"{record.date_filed} – {record.date_decided}".strip(" –")
    return getattr(record, "dates", None) or getattr(record, "dates_of_existence", "")


def _evidence(pks):
    pks = {pk for pk in pks if pk}
    if not pks:
        return {}
    return {
        document.pk: {
            "id": document.public_id,
            "title": str(document),
            "url": document.get_absolute_url(),
        }
        for document in Document.objects.public().filter(pk__in=pks)
    }
