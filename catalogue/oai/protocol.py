"""The protocol's vocabulary: arguments and their syntax, errors, datestamps, identifiers,
headers and resumption tokens."""

import datetime
import re

from django.conf import settings
from django.core import signing
from django.urls import reverse
from lxml.builder import ElementMaker

from .. import exports
from ..models import BY_NAME, Tombstone

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
