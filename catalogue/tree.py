"""The archival tree: every walk up or down it, with one depth limit (`TREE_DEPTH`).

Public walks pass through public levels only. A level the public cannot see hides the tree
above it from the documents below (no ancestors, no collection) and hides everything below
it from finding aids and collection sets, as the public pages show it.
"""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce

from .models import Document, Tombstone, start_of_day
from .models.documents import TREE_DEPTH

# What a list of parts shows of each part: pages, outlines and exports read only these.
PART_FIELDS = ("public_id", "title", "level", "dates", "parent_id")
# Ids per "parent in (...)" query, below every database's limit on query parameters.
CHUNK = 500


def public_ancestors(document, parent=None):
    """The public documents above this one, from the top down; [] above a hidden level.

    `parent`: the document's public parent, where the caller has read it already."""
    public = Document.objects.public()
    ancestors, parent_id = [], document.parent_id
    if parent is not None:
        ancestors, parent_id = [parent], parent.parent_id
    while parent_id and len(ancestors) < TREE_DEPTH - 1:
        parent = public.filter(pk=parent_id).first()
        if parent is None:
            break
        ancestors.insert(0, parent)
        parent_id = parent.parent_id
    return ancestors


def public_descendants(document, prepare=lambda queryset: queryset):
    """The document and its public descendants as ({parent id: [children]}, root).

    Read level by level, so the number of queries follows the tree's depth, not its size.
    `prepare` adds what the caller reads of each document (prefetches) to each level.
    """
    root = prepare(Document.objects.public().filter(pk=document.pk)).get()
    children, seen, level = {}, {root.pk}, [root.pk]
    for _depth in range(TREE_DEPTH - 1):
        if not level:
            break
        found = []
        for start in range(0, len(level), CHUNK):
            below = Document.objects.public().filter(parent_id__in=level[start : start + CHUNK])
            found += prepare(below.order_by("reference_code"))
        level = []
        for child in found:
            if child.pk not in seen:
                seen.add(child.pk)
                level.append(child.pk)
                children.setdefault(child.parent_id, []).append(child)
    return children, root


def collections_of(documents):
    """{document pk: public_id of the top of its public tree} for these public documents.

    A top-level document is its own collection. A document whose chain of parents passes a
    non-public level belongs to none, as its public page shows no tree above that level.
    One query per level of depth.
    """
    up = {doc.pk: (doc.parent_id, doc.public_id) for doc in documents}
    asked = set(up)
    for _ in range(TREE_DEPTH):
        wanted = {parent for parent, _ in up.values() if parent and parent not in asked}
        if not wanted:
            break
        asked |= wanted
        rows = Document.objects.public().filter(pk__in=wanted)
        up |= {
            pk: (parent, public_id)
            for pk, parent, public_id in rows.values_list("pk", "parent_id", "public_id")
        }
    found = {}
    for doc in documents:
        node, depth = doc.pk, 0
        while node in up and up[node][0] is not None and depth < TREE_DEPTH - 1:
            node, depth = up[node][0], depth + 1
        if node in up and up[node][0] is None:
            found[doc.pk] = up[node][1]
    return found


def collection_members(public_id):
    """A condition on documents for the collection of this top-level document, or None.

    Walks down the public tree one level per query, so the final filter nests subqueries
    instead of carrying a list of every member's id.
    """
    top = Document.objects.public().filter(public_id=public_id, parent__isnull=True)
    if not top.exists():
        return None
    levels = [top]
    while len(levels) < TREE_DEPTH:
        below = Document.objects.public().filter(parent__in=levels[-1])
        if not below.exists():
            break
        levels.append(below)
    return reduce(or_, (Q(pk__in=level.values("pk")) for level in levels))


# A finding aid changes with anything in its public tree


def level_below(depth):
    """(public documents `depth` levels below a public document, reached through public
    levels only; the lookup naming that document's pk from theirs).

    One join per level instead of a list of ids, so each level is one query for a whole
    page of trees, and can be aggregated per tree.
    """
    top = "__".join(["parent"] * depth)
    condition = Document.public_q() & Document.public_q(f"{top}__")
    for hop in range(1, depth):
        condition &= Document.public_q("parent__" * hop)
    return Document.objects.filter(condition).order_by(), top


def tree_depth():
    """How many levels below a top-level document any public tree reaches."""
    depth = 0
    while depth < TREE_DEPTH - 1 and level_below(depth + 1)[0].exists():
        depth += 1
    return depth


def tree_datestamps(documents):
    """{pk: when the document's public tree last changed} for these public documents.

    The latest of its own last change, its public descendants' and the removals of
    documents from its tree. One query per level of depth and one for removals.
    """
    stamps = {document.pk: document.last_changed for document in documents}
    for depth in range(1, TREE_DEPTH):
        level, top = level_below(depth)
        rows = list(
            level.filter(**{f"{top}__in": list(stamps)})
            .values(top)
            .annotate(
                saved=Max("updated_at"),
                # A public embargoed document's embargo has lifted: that moment is a change.
                lifted=Max("embargo_until", filter=Q(access=Document.Access.EMBARGOED)),
            )
        )
        if not rows:
            break
        for row in rows:
            changes = [stamps[row[top]], row["saved"]]
            if row["lifted"]:
                changes.append(start_of_day(row["lifted"]))
            stamps[row[top]] = max(changes)
    tops = {document.public_id: document.pk for document in documents}
    removals = (
        Tombstone.objects.filter(record_type=Document.record_type, collection__in=list(tops))
        .values("collection")
        .annotate(at=Max("removed_at"))
        .order_by()
    )
    for row in removals:
        pk = tops[row["collection"]]
        stamps[pk] = max(stamps[pk], row["at"])
    return stamps


def trees_changed(since, until):
    """A condition on top-level documents: their tree's datestamp lies in [since, until].

    Both ends are optional. A level below is written as its own subquery, so the condition
    never carries a list of ids; it costs one query per level to know how deep trees go.
    """
    depth = tree_depth()
    removed = Tombstone.objects.filter(record_type=Document.record_type)
    condition = Q()
    if since:
        changed = Q(pk__in=Document.objects.changed_since(since).values("pk"))
        for level, top in map(level_below, range(1, depth + 1)):
            changed |= Q(pk__in=level.changed_since(since).values(top))
        changed |= Q(public_id__in=removed.filter(removed_at__gte=since).values("collection"))
        condition &= changed
    if until:
        # A change after `until` anywhere in the tree dates the whole finding aid later.
        later = until + datetime.timedelta(microseconds=1)
        condition &= Q(pk__in=Document.objects.changed_until(until).values("pk"))
        for level, top in map(level_below, range(1, depth + 1)):
            condition &= ~Q(pk__in=level.changed_since(later).values(top))
        condition &= ~Q(public_id__in=removed.filter(removed_at__gt=until).values("collection"))
    return condition


# How many parts a document page's outline reads at most, whatever the size of the tree.
OUTLINE_SIZE = 300


def outline(parts):
    """[(part, [(subpart, [...]), ...]), ...]: these public parts of a document and the public
    parts below them, read level by level until OUTLINE_SIZE parts are read.

    One query per level, so a page's cost follows the tree's depth, not its size.
    """
    below, level, shown = {}, [part.pk for part in parts], len(parts)
    for _depth in range(TREE_DEPTH - 2):
        if not level or shown >= OUTLINE_SIZE:
            break
        found = list(
            Document.objects.public()
            .filter(parent_id__in=level[:CHUNK])
            .only(*PART_FIELDS)
            # In the codes' order, by an expression of the code rather than the column: with
            # a limit, SQLite would walk the whole catalogue in the codes' index looking for
            # these parents' parts (100 ms at 100k documents) rather than look them up.
            .order_by(Coalesce("reference_code", Value("")))[: OUTLINE_SIZE - shown]
        )
        shown += len(found)
        level = []
        for part in found:
            if part.pk not in below:
                below.setdefault(part.parent_id, []).append(part)
                level.append(part.pk)

    def nested(nodes, seen):
        return [
            (node, nested(below.get(node.pk, []), seen | {node.pk}))
            for node in nodes
            if node.pk not in seen
        ]

    return nested(parts, frozenset())
