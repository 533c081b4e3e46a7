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
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core import signing
from django.db.models import Min
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree
from lxml.builder import ElementMaker

from . import exports
from .models import BY_NAME, RECORD_MODELS, Document, Tombstone
from .tree import collection_members, collections_of, tree_datestamps, trees_changed

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IDENTIFIER_SCHEMA_LOCATION = f"{IDENTIFIER_NS} {IDENTIFIER_NS}.xsd"

PAGE_SIZE = 100
TOKEN_LIFETIME = datetime.timedelta(hours=24)
TOKEN_SALT = "catalogue.oai.resumption"
# Identify must name a lower bound for datestamps even before anything is published.
EMPTY_EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

E = ElementMaker(namespace=OAI_NS, nsmap={None: OAI_NS, "xsi": XSI_NS})

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


# The harvestable formats, by metadataPrefix; which record types each has is on the models.
FORMATS = {fmt.oai_prefix: fmt for fmt in exports.FORMATS.values() if fmt.oai_prefix}


def types_in(fmt):
    return [model.record_type for model in fmt.models]


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


def identifier(record_type, public_id):
    return f"oai:{settings.MEMORIA_OAI_REPOSITORY_ID}:{record_type}/{public_id}"


def find(oai_identifier):
    """(record_type, public record or None, current tombstone or None) for an identifier."""
    prefix = f"oai:{settings.MEMORIA_OAI_REPOSITORY_ID}:"
    record_type, _, public_id = oai_identifier.removeprefix(prefix).partition("/")
    if oai_identifier.startswith(prefix) and record_type in BY_NAME and public_id.isalnum():
        record = BY_NAME[record_type].model.objects.public().filter(public_id=public_id).first()
        if record is not None:
            return record_type, record, None
        tombstone = (
            Tombstone.objects.current().filter(record_type=record_type, public_id=public_id).first()
        )
        if tombstone is not None:
            return record_type, None, tombstone
    raise OAIError("idDoesNotExist", "No record of this repository has that identifier.")


def header(record_type, record=None, tombstone=None, collection=None, stamp=None):
    """The record's header, dated `stamp` if given, else by its own last change."""
    if tombstone is not None:
        collection = tombstone.collection
    specs = [f"type:{record_type}"] + ([f"collection:{collection}"] if collection else [])
    if tombstone is not None:
        return E.header(
            E.identifier(identifier(record_type, tombstone.public_id)),
            E.datestamp(datestamp(tombstone.removed_at)),
            *(E.setSpec(spec) for spec in specs),
            status="deleted",
        )
    return E.header(
        E.identifier(identifier(record_type, record.public_id)),
        E.datestamp(datestamp(stamp or record.last_changed)),
        *(E.setSpec(spec) for spec in specs),
    )


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
    types = set(BY_NAME)
    if "identifier" in arguments:
        record_type, _record, _tombstone = find(arguments["identifier"])
        types = {record_type}
    formats = [fmt for fmt in FORMATS.values() if types & set(types_in(fmt))]
    if not formats:
        raise OAIError("noMetadataFormats", "This record comes in no metadata format.")
    return E.ListMetadataFormats(
        *(
            E.metadataFormat(
                E.metadataPrefix(fmt.oai_prefix),
                E.schema(fmt.oai_schema),
                E.metadataNamespace(fmt.oai_namespace),
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
    record_type, record, tombstone = find(arguments["identifier"])
    if record_type not in types_in(fmt):
        raise OAIError(
            "cannotDisseminateFormat", f"A {record_type} is not available in {fmt.oai_prefix}."
        )
    if tombstone is not None:
        return E.GetRecord(E.record(header(record_type, tombstone=tombstone)))
    collection = (
        collections_of([record]).get(record.pk) if record_type == Document.record_type else None
    )
    stamp = tree_datestamps([record])[record.pk] if fmt.oai_prefix == "ead3" else None
    (metadata,) = fmt.build_many([record], request)
    return E.GetRecord(
        E.record(
            header(record_type, record, collection=collection, stamp=stamp), E.metadata(metadata)
        )
    )


def list_sets(request, arguments, now):
    if "resumptionToken" in arguments:
        state = resume(arguments["resumptionToken"], "ListSets")
    else:
        state = {"verb": "ListSets", "after": 0, "cursor": 0}
    tops = Document.objects.public().filter(parent__isnull=True).order_by("pk")
    if "total" not in state:
        state["total"] = len(BY_NAME) + tops.count()
    found = list(
        tops.filter(pk__gt=state["after"]).only("pk", "public_id", "title")[: PAGE_SIZE + 1]
    )
    more, found = len(found) > PAGE_SIZE, found[:PAGE_SIZE]
    sets = []
    if not state["cursor"]:
        sets += [
            E.set(
                E.setSpec(f"type:{model.record_type}"),
                E.setName(str(capfirst(model._meta.verbose_name_plural))),
            )
            for model in RECORD_MODELS
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

    record_type: str
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
    types, collection = types_in(fmt), None
    if spec := state.get("set"):
        if not SET_SYNTAX.fullmatch(spec):
            raise OAIError("badArgument", "A set is named like type:document or collection:….")
        family, _, name = spec.partition(":")
        if family == "type" and name in BY_NAME:
            types = [record_type for record_type in types if record_type == name]
        elif family == "collection" and Document.record_type in types:
            collection = collection_members(name)
            types = [Document.record_type] if collection is not None else []
        else:
            types = []
    since, until = window(state, now)

    runs = []
    for record_type in types:
        records = BY_NAME[record_type].model.objects.public()
        if record_type == Document.record_type and fmt.oai_prefix == "ead3":
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
        runs.append(Source(record_type, False, records.order_by("pk")))
        tombstones = Tombstone.objects.current().filter(record_type=record_type)
        if collection is not None:
            # Its tombstone names the tree a document was in when it was removed.
            tombstones = tombstones.filter(collection=name)
        if since:
            tombstones = tombstones.filter(removed_at__gte=since)
        if until:
            tombstones = tombstones.filter(removed_at__lte=until)
        runs.append(Source(record_type, True, tombstones.order_by("pk")))
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
                *(["parent_id"] if runs[index].record_type == Document.record_type else []),
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
    stamps = tree_datestamps(documents) if fmt.oai_prefix == "ead3" else {}
    # Every record of the page at once, so that a page costs the same queries at any size.
    metadata = iter([] if headers_only else fmt.build_many(records, request))
    entries = []
    for index, obj in items:
        run = runs[index]
        if run.deleted:
            entry = header(run.record_type, tombstone=obj)
            entries.append(entry if headers_only else E.record(entry))
            continue
        entry = header(
            run.record_type, obj, collection=collections.get(obj.pk), stamp=stamps.get(obj.pk)
        )
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
