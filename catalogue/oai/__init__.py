"""OAI-PMH 2.0: harvesters copy the public catalogue in Dublin Core, EAD3 and EAC-CPF.

The protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html. Every record comes
from `.public()` and is rendered from its `public_view()`; records the public saw and no
longer may are reported deleted from their tombstones.

An EAD3 finding aid holds a whole public tree, so its datestamp is the tree's: the latest
change of the top-level document, of any public document in its tree, or of a removal from
it.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from ..models import BY_NAME
from . import protocol
from .protocol import (
    IDENTIFIER_NS,
    OAI_NS,
    SCHEMA_LOCATION,
    XSI_NS,
    E,
    OAIError,
    base_url,
    datestamp,
    echoable,
    parse,
)
from .verbs import VERB_HANDLERS

__all__ = [
    "BY_NAME",
    "IDENTIFIER_NS",
    "OAI_NS",
    "XSI_NS",
    "datestamp",
    "endpoint",
    "protocol",
    "respond",
]


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
