"""The six verbs, each answering with the element the response holds."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db.models import Min
from django.utils.text import capfirst
from lxml.builder import ElementMaker

from ..models import BY_NAME, RECORD_MODELS, Document, Tombstone
from ..tree import collection_members, collections_of, tree_datestamps, trees_changed
from . import protocol
from .protocol import (
    EMPTY_EARLIEST,
    EPOCH,
    FORMATS,
    GRANULARITY,
    IDENTIFIER_NS,
    IDENTIFIER_SCHEMA_LOCATION,
    SET_SYNTAX,
    XSI_NS,
    E,
    OAIError,
    base_url,
    datestamp,
    find,
    header,
    identifier,
    parse_datestamp,
    resume,
    token_element,
    types_in,
)

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
        tops.filter(pk__gt=state["after"]).only("pk", "public_id", "title")[
            : protocol.PAGE_SIZE + 1
        ]
    )
    more, found = len(found) > protocol.PAGE_SIZE, found[: protocol.PAGE_SIZE]
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
    items, more = page(runs, state["at"], protocol.PAGE_SIZE, headers_only)
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
