"""OAI-PMH 2.0: harvesters copy the public catalogue in Dublin Core, EAD3 and EAC-CPF.

The protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html. Every record comes
from `.public()` and is rendered from its `public_view()`; records the public saw and no
longer may are reported deleted from their tombstones.

An EAD3 finding aid holds a whole public tree, so its datestamp is the tree's: the latest
change of the top-level document, of any public document in its tree, or of a removal from
it.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, reduce
from operator import or_

from django.conf import settings
from django.core import signing
from django.db.models import Max, Min, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree
from lxml.builder import ElementMaker

from . import exports
from .models import RECORD_MODELS, Document, Tombstone, start_of_day

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IDENTIFIER_SCHEMA_LOCATION = f"{IDENTIFIER_NS} {IDENTIFIER_NS}.xsd"

PAGE_SIZE = 100
TOKEN_LIFETIME = datetime.timedelta(hours=24)
TOKEN_SALT = "catalogue.oai.resumption"
# Deeper levels of a tree are left out of its collection set: archival trees rarely pass
# eight, and each level costs the query one more nested subquery.
MAX_DEPTH = 16
# Identify must name a lower bound for datestamps even before anything is published.
EMPTY_EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

E = ElementMaker(namespace=OAI_NS, nsmap={None: OAI_NS, "xsi": XSI_NS})

MODELS = {model.url_name: model for model in RECORD_MODELS}

# The protocol's own syntax for each argument; a value that fails it is never echoed back.
PREFIX_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
IDENTIFIER_SYNTAX = re.compile(
    r"oai:[A-Za-z][A-Za-z0-9\-]*(\.[A-Za-z][A-Za-z0-9\-]*)+:[A-Za-z0-9\-_.!~*'();/?:@&=+$,%]+"
)
DAY_SYNTAX = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECOND_SYNTAX = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    kinds: tuple
    render: Callable  # (public records, request) -> their metadata elements, in order


FORMATS = {
    fmt.prefix: fmt
    for fmt in [
        Format(
            "oai_dc",
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
            tuple(MODELS),
            exports.dublin_core_many,
        ),
        Format(
            "ead3",
            "https://www.loc.gov/ead/ead3.xsd",
            "http://ead3.archivists.org/schema/",
            ("document",),
            exports.ead3_many,
        ),
        Format(
            "eac-cpf",
            "https://eac.staatsbibliothek-berlin.de/schema/cpf.xsd",
            "urn:isbn:1-931666-33-4",
            ("person", "organization"),
            exports.eac_cpf_many,
        ),
    ]
}

# verb: (required arguments, optional ones); a list verb may instead take a resumptionToken.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}


@csrf_exempt  # harvesters POST forms without a session; nothing here writes
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    query = request.POST if request.method == "POST" else request.GET
    body = etree.tostring(respond(request, query), xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def respond(request, query):
    """The whole OAI-PMH response to one request, errors included, as an element."""
    now = timezone.now()
    echo = {}
    try:
        verb, arguments = parse(query)
        echo = {"verb": verb} | {
            name: value for name, value in arguments.items() if echoable(name, value)
        }
        body = VERB_HANDLERS[verb](request, arguments, now)
    except OAIError as error:
        body = E.error(error.message, code=error.code)
        if error.code in {"badVerb", "badArgument"}:
            echo = {}  # the protocol wants no attributes then: the request was not understood
    root = E("OAI-PMH", E.responseDate(datestamp(now)), E.request(base_url(request), **echo))
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    root.append(body)
    return root


def base_url(request):
    return request.build_absolute_uri(reverse("oai"))


def parse(query):
    """The verb and its arguments {name: value}, checked against what the verb takes."""
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "Give exactly one verb from the OAI-PMH 2.0 protocol.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    allowed = required | optional | ({"resumptionToken"} if verb in RESUMABLE else set())
    names = set(query) - {"verb"}
    if names - allowed:
        raise OAIError("badArgument", f"{verb} takes only: {', '.join(sorted(allowed)) or '-'}.")
    if any(len(query.getlist(name)) > 1 for name in names):
        raise OAIError("badArgument", "Give each argument once.")
    if "resumptionToken" in names:
        if names != {"resumptionToken"}:
            raise OAIError("badArgument", "A resumptionToken comes without other arguments.")
    elif missing := required - names:
        raise OAIError("badArgument", f"{verb} needs: {', '.join(sorted(missing))}.")
    return verb, {name: query[name] for name in names}


def echoable(name, value):
    """Whether an argument is well-formed enough to be repeated in the response's <request>."""
    if name == "metadataPrefix":
        return bool(PREFIX_SYNTAX.fullmatch(value))
    if name == "set":
        return bool(SET_SYNTAX.fullmatch(value))
    if name == "identifier":
        return bool(IDENTIFIER_SYNTAX.fullmatch(value))
    if name in {"from", "until"}:
        return bool(DAY_SYNTAX.fullmatch(value) or SECOND_SYNTAX.fullmatch(value))
    if name == "resumptionToken":
        try:
            read_token(value)
        except OAIError:
            return False
        return True
    return False


def datestamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(name, text, end=False):
    """(moment, granularity) of a from/until argument; `end` reads it as the end of its span.

    Datestamps are shown to the second, so until=…T10:00:00Z includes 10:00:00.7 and
    until=2024-05-01 the whole day.
    """
    try:
        if DAY_SYNTAX.fullmatch(text):
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(
                day, datetime.time.max if end else datetime.time.min, tzinfo=datetime.UTC
            )
            return moment, "day"
        if SECOND_SYNTAX.fullmatch(text):
            moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
            moment = moment.replace(tzinfo=datetime.UTC)
            if end:
                moment += datetime.timedelta(microseconds=999_999)
            return moment, "second"
    except ValueError:
        pass
    raise OAIError("badArgument", f"Give {name} as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


# Identifiers


def identifier(kind, public_id):
    return f"oai:{settings.MEMORIA_OAI_REPOSITORY_ID}:{kind}/{public_id}"


def find(oai_identifier):
    """(kind, public record or None, current tombstone or None) for an identifier."""
    prefix = f"oai:{settings.MEMORIA_OAI_REPOSITORY_ID}:"
    kind, _, public_id = oai_identifier.removeprefix(prefix).partition("/")
    if oai_identifier.startswith(prefix) and kind in MODELS and public_id.isalnum():
        record = MODELS[kind].objects.public().filter(public_id=public_id).first()
        if record is not None:
            return kind, record, None
        tombstone = Tombstone.objects.current().filter(kind=kind, public_id=public_id).first()
        if tombstone is not None:
            return kind, None, tombstone
    raise OAIError("idDoesNotExist", "No record of this repository has that identifier.")


def header(kind, record=None, tombstone=None, collection=None, stamp=None):
    """The record's header, dated `stamp` if given, else by its own last change."""
    if tombstone is not None:
        collection = tombstone.collection
    specs = [f"type:{kind}"] + ([f"collection:{collection}"] if collection else [])
    if tombstone is not None:
        return E.header(
            E.identifier(identifier(kind, tombstone.public_id)),
            E.datestamp(datestamp(tombstone.removed_at)),
            *(E.setSpec(spec) for spec in specs),
            status="deleted",
        )
    return E.header(
        E.identifier(identifier(kind, record.public_id)),
        E.datestamp(datestamp(stamp or record.last_changed)),
        *(E.setSpec(spec) for spec in specs),
    )


# Collections: a public top-level document and the public documents under it


def collection_members(public_id):
    """A condition on documents for the collection set of this top-level document, or None.

    Walks down the public tree one level per query, so the final filter nests subqueries
    instead of carrying a list of every member's id.
    """
    top = Document.objects.public().filter(public_id=public_id, parent__isnull=True)
    if not top.exists():
        return None
    levels = [top]
    while len(levels) < MAX_DEPTH:
        below = Document.objects.public().filter(parent__in=levels[-1])
        if not below.exists():
            break
        levels.append(below)
    return reduce(or_, (Q(pk__in=level.values("pk")) for level in levels))


def collections_of(documents):
    """{document pk: public_id of its collection's top} for these public documents.

    A document whose chain of parents passes a non-public one belongs to no collection, as
    its public page shows no tree above that level. One query per level of depth.
    """
    up = {doc.pk: (doc.parent_id, doc.public_id) for doc in documents}
    asked = set(up)
    for _ in range(MAX_DEPTH):
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
        while node in up and up[node][0] is not None and depth < MAX_DEPTH - 1:
            node, depth = up[node][0], depth + 1
        if node in up and up[node][0] is None:
            found[doc.pk] = up[node][1]
    return found


# EAD3 datestamps: a finding aid changes with anything in its public tree


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
    """How many levels below a top-level document any public tree reaches, to MAX_DEPTH."""
    depth = 0
    while depth < MAX_DEPTH - 1 and level_below(depth + 1)[0].exists():
        depth += 1
    return depth


def tree_datestamps(documents):
    """{pk: datestamp of the document's EAD3 finding aid} for these public documents.

    The latest of its own last change, its public descendants' and the removals of
    documents from its tree. One query per level of depth and one for removals.
    """
    stamps = {document.pk: document.last_changed for document in documents}
    for depth in range(1, MAX_DEPTH):
        level, top = level_below(depth)
        rows = (
            level.filter(**{f"{top}__in": list(stamps)})
            .values(top)
            .annotate(
                saved=Max("updated_at"),
                # A public embargoed document's embargo has lifted: that moment is a change.
                lifted=Max("embargo_until", filter=Q(access=Document.Access.EMBARGOED)),
            )
        )
        rows = list(rows)
        if not rows:
            break
        for row in rows:
            changes = [stamps[row[top]], row["saved"]]
            if row["lifted"]:
                changes.append(start_of_day(row["lifted"]))
            stamps[row[top]] = max(changes)
    tops = {document.public_id: document.pk for document in documents}
    removals = (
        Tombstone.objects.filter(kind=Tombstone.Kind.DOCUMENT, collection__in=list(tops))
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
    condition = Q()
    if since:
        changed = Q(pk__in=Document.objects.changed_since(since).values("pk"))
        for level, top in map(level_below, range(1, depth + 1)):
            changed |= Q(pk__in=level.changed_since(since).values(top))
        removed = Tombstone.objects.filter(kind=Tombstone.Kind.DOCUMENT, removed_at__gte=since)
        changed |= Q(public_id__in=removed.values("collection"))
        condition &= changed
    if until:
        # A change after `until` anywhere in the tree dates the whole finding aid later.
        later = until + datetime.timedelta(microseconds=1)
        condition &= Q(pk__in=Document.objects.changed_until(until).values("pk"))
        for level, top in map(level_below, range(1, depth + 1)):
            condition &= ~Q(pk__in=level.changed_since(later).values(top))
        removed = Tombstone.objects.filter(kind=Tombstone.Kind.DOCUMENT, removed_at__gt=until)
        condition &= ~Q(public_id__in=removed.values("collection"))
    return condition


# Resumption tokens


def make_token(state):
    return signing.dumps(state, salt=TOKEN_SALT, compress=True)


def read_token(token):
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_LIFETIME)
    except signing.BadSignature:  # also expired ones
        raise OAIError(
            "badResumptionToken", "This resumptionToken is invalid or expired."
        ) from None


def resume(token, verb):
    """The state of a list that this token continues: where it stopped and its arguments."""
    state = read_token(token)
    if state.get("verb") != verb:
        raise OAIError("badResumptionToken", "This resumptionToken is for another verb.")
    return state


def token_element(state, cursor, total, more, now):
    """The resumptionToken closing a page: a new token, empty on a resumed last page, or None."""
    if more:
        return E.resumptionToken(
            make_token(state),
            completeListSize=str(total),
            cursor=str(cursor),
            expirationDate=datestamp(now + TOKEN_LIFETIME),
        )
    if cursor:
        return E.resumptionToken(completeListSize=str(total), cursor=str(cursor))
    return None


# Verbs


def identify(request, arguments, now):
    repository = settings.MEMORIA_OAI_REPOSITORY_ID
    return E.Identify(
        E.repositoryName(settings.MEMORIA_SITE_NAME),
        E.baseURL(base_url(request)),
        E.protocolVersion("2.0"),
        E.adminEmail(settings.MEMORIA_ADMIN_EMAIL),
        E.earliestDatestamp(datestamp(earliest_datestamp())),
        E.deletedRecord("persistent"),
        E.granularity(GRANULARITY),
        E.description(oai_identifier_description(repository)),
    )


def oai_identifier_description(repository):
    ids = ElementMaker(namespace=IDENTIFIER_NS, nsmap={None: IDENTIFIER_NS, "xsi": XSI_NS})
    description = ids(
        "oai-identifier",
        ids.scheme("oai"),
        ids.repositoryIdentifier(repository),
        ids.delimiter(":"),
        ids.sampleIdentifier(identifier("document", "a1b2c3d4e5")),
    )
    description.set(f"{{{XSI_NS}}}schemaLocation", IDENTIFIER_SCHEMA_LOCATION)
    return description


def earliest_datestamp():
    """No datestamp is older: a record's last change is never before its last save."""
    oldest = [
        model.objects.public().aggregate(at=Min("updated_at"))["at"] for model in RECORD_MODELS
    ]
    oldest.append(Tombstone.objects.current().aggregate(at=Min("removed_at"))["at"])
    return min((moment for moment in oldest if moment), default=EMPTY_EARLIEST)


def list_metadata_formats(request, arguments, now):
    kinds = set(MODELS)
    if "identifier" in arguments:
        kind, _record, _tombstone = find(arguments["identifier"])
        kinds = {kind}
    formats = [fmt for fmt in FORMATS.values() if kinds & set(fmt.kinds)]
    if not formats:
        raise OAIError("noMetadataFormats", "This record comes in no metadata format.")
    return E.ListMetadataFormats(
        *(
            E.metadataFormat(
                E.metadataPrefix(fmt.prefix),
                E.schema(fmt.schema),
                E.metadataNamespace(fmt.namespace),
            )
            for fmt in formats
        )
    )


def metadata_format(prefix):
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"Choose one of: {', '.join(FORMATS)}.")
    return FORMATS[prefix]


def get_record(request, arguments, now):
    fmt = metadata_format(arguments["metadataPrefix"])
    kind, record, tombstone = find(arguments["identifier"])
    if kind not in fmt.kinds:
        raise OAIError("cannotDisseminateFormat", f"A {kind} is not available in {fmt.prefix}.")
    if tombstone is not None:
        return E.GetRecord(E.record(header(kind, tombstone=tombstone)))
    collection = collections_of([record]).get(record.pk) if kind == "document" else None
    stamp = tree_datestamps([record])[record.pk] if fmt.prefix == "ead3" else None
    (metadata,) = fmt.render([record], request)
    return E.GetRecord(
        E.record(header(kind, record, collection=collection, stamp=stamp), E.metadata(metadata))
    )


def list_sets(request, arguments, now):
    if "resumptionToken" in arguments:
        state = resume(arguments["resumptionToken"], "ListSets")
    else:
        state = {"verb": "ListSets", "after": 0, "cursor": 0}
    tops = Document.objects.public().filter(parent__isnull=True).order_by("pk")
    if "total" not in state:
        state["total"] = len(MODELS) + tops.count()
    found = list(
        tops.filter(pk__gt=state["after"]).only("pk", "public_id", "title")[: PAGE_SIZE + 1]
    )
    more, found = len(found) > PAGE_SIZE, found[:PAGE_SIZE]
    sets = []
    if not state["cursor"]:
        sets += [
            E.set(
                E.setSpec(f"type:{kind}"), E.setName(str(capfirst(model._meta.verbose_name_plural)))
            )
            for kind, model in MODELS.items()
        ]
    sets += [
        E.set(E.setSpec(f"collection:{top.public_id}"), E.setName(top.public_view().title))
        for top in found
    ]
    cursor = state["cursor"]
    if more:
        state = state | {"after": found[-1].pk, "cursor": cursor + len(sets)}
    token = token_element(state, cursor, max(state["total"], cursor + len(sets)), more, now)
    return E.ListSets(*sets, *([token] if token is not None else []))


@dataclass
class Source:
    """One run of a list: the public records of one type, or its tombstones, in pk order."""

    kind: str
    deleted: bool
    queryset: object


def window(state, now):
    """(since, until) of a list request's from and until arguments, each None when absent.

    Both are kept between the epoch and now: nothing changed outside that span, and moments
    near the ends of the calendar would overflow in time zone and embargo arithmetic.
    """
    since = until = None
    if "from" in state:
        since, since_granularity = parse_datestamp("from", state["from"])
    if "until" in state:
        until, until_granularity = parse_datestamp("until", state["until"], end=True)
    if since and until:
        if since_granularity != until_granularity:
            raise OAIError("badArgument", "Give from and until with the same granularity.")
        if since > until:
            raise OAIError("badArgument", "The from date is later than the until date.")
    if since and since > now:
        raise OAIError("noRecordsMatch", "Nothing has changed after now.")
    if until and until < EPOCH:
        raise OAIError("noRecordsMatch", "Nothing had changed yet by then.")
    since = max(since, EPOCH) if since else None
    until = min(until, now) if until else None
    return since, until


def sources(state, now):
    """What a ListIdentifiers or ListRecords request lists, in the order it pages through."""
    fmt = metadata_format(state["prefix"])
    kinds, collection = list(fmt.kinds), None
    if spec := state.get("set"):
        if not SET_SYNTAX.fullmatch(spec):
            raise OAIError("badArgument", "A set is named like type:document or collection:….")
        family, _, name = spec.partition(":")
        if family == "type" and name in MODELS:
            kinds = [kind for kind in kinds if kind == name]
        elif family == "collection" and "document" in kinds:
            collection = collection_members(name)
            kinds = ["document"] if collection is not None else []
        else:
            kinds = []
    since, until = window(state, now)

    runs = []
    for kind in kinds:
        records = MODELS[kind].objects.public()
        if kind == "document" and fmt.prefix == "ead3":
            # One EAD3 finding aid per fonds, its public descendants inside it, dated by them.
            records = records.filter(parent__isnull=True)
            if since or until:
                records = records.filter(trees_changed(since, until))
        else:
            if since:
                records = records.changed_since(since)
            if until:
                records = records.changed_until(until)
        if collection is not None:
            records = records.filter(collection)
        runs.append(Source(kind, False, records.order_by("pk")))
        tombstones = Tombstone.objects.current().filter(kind=kind)
        if collection is not None:
            # Its tombstone names the tree a document was in when it was removed.
            tombstones = tombstones.filter(collection=name)
        if since:
            tombstones = tombstones.filter(removed_at__gte=since)
        if until:
            tombstones = tombstones.filter(removed_at__lte=until)
        runs.append(Source(kind, True, tombstones.order_by("pk")))
    return fmt, runs


def page(runs, position, size, headers_only):
    """Up to `size` (run index, object) pairs from `position` on, and whether more follow."""
    start, after = position
    items = []
    for index in range(start, len(runs)):
        queryset = runs[index].queryset
        if headers_only and not runs[index].deleted:
            queryset = queryset.only(
                "pk",
                "public_id",
                "updated_at",
                "access",
                "embargo_until",
                *(["parent_id"] if runs[index].kind == "document" else []),
            )
        if index == start:
            queryset = queryset.filter(pk__gt=after)
        items += [(index, obj) for obj in queryset[: size + 1 - len(items)]]
        if len(items) > size:
            break
    return items[:size], len(items) > size


def list_items(verb, request, arguments, now):
    if "resumptionToken" in arguments:
        state = resume(arguments["resumptionToken"], verb)
    else:
        state = {
            "verb": verb,
            "prefix": arguments["metadataPrefix"],
            **{name: arguments[name] for name in ("from", "until", "set") if name in arguments},
            "at": [0, 0],
            "cursor": 0,
        }
    fmt, runs = sources(state, now)
    if "total" not in state:
        state["total"] = sum(run.queryset.count() for run in runs)
    headers_only = verb == "ListIdentifiers"
    items, more = page(runs, state["at"], PAGE_SIZE, headers_only)
    if not items:
        # Also on a resumed list whose remaining records all left since the last page: the
        # schema forbids an empty list, and harvesters read this as "nothing more".
        raise OAIError("noRecordsMatch", "No record matches these arguments.")

    records = [obj for index, obj in items if not runs[index].deleted]
    documents = [obj for obj in records if isinstance(obj, Document)]
    collections = collections_of(documents)
    stamps = tree_datestamps(documents) if fmt.prefix == "ead3" else {}
    # Every record of the page at once, so that a page costs the same queries at any size.
    metadata = iter([] if headers_only else fmt.render(records, request))
    entries = []
    for index, obj in items:
        run = runs[index]
        if run.deleted:
            entry = header(run.kind, tombstone=obj)
            entries.append(entry if headers_only else E.record(entry))
            continue
        entry = header(run.kind, obj, collection=collections.get(obj.pk), stamp=stamps.get(obj.pk))
        if headers_only:
            entries.append(entry)
        else:
            entries.append(E.record(entry, E.metadata(next(metadata))))

    cursor = state["cursor"]
    total = max(state["total"], cursor + len(items) + more)
    if more:
        state = state | {"at": [items[-1][0], items[-1][1].pk], "cursor": cursor + len(items)}
    token = token_element(state, cursor, total, more, now)
    return E(verb, *entries, *([token] if token is not None else []))


VERB_HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": partial(list_items, "ListIdentifiers"),
    "ListRecords": partial(list_items, "ListRecords"),
}
