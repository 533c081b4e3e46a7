"""Cursor pagination for harvesting, and the API's one way of ordering records."""

from base64 import b64decode
from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .. import ordering

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
CURSOR_SALT = "catalogue.api.cursor"


class RecordOrdering(BaseFilterBackend):
    """`ordering=` one of a few named orders, each made total by the record's id.

    Field names stay ours to change: partners see `date`, `title`, `created`, `modified`.
    """

    param = "ordering"

    def choices(self, view):
        return [name for order in ordering.ORDERS for name in (order, f"-{order}")]

    def name(self, request, view):
        name = request.query_params.get(self.param, "").strip() or view.default_ordering
        if name not in self.choices(view):
            raise ParseError(
                _("ordering must be one of: %(choices)s.")
                % {"choices": ", ".join(self.choices(view))}
            )
        return name

    def get_ordering(self, request, queryset, view):
        return ordering.ordered(queryset, self.name(request, view))[1]

    def filter_queryset(self, request, queryset, view):
        return ordering.ordered(queryset, self.name(request, view))[0]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Order of the results; a leading - reverses it.",
                "schema": {
                    "type": "string",
                    "enum": self.choices(view),
                    "default": view.default_ordering,
                },
            }
        ]


class HarvestPagination(CursorPagination):
    """Stable pages for full and incremental syncs: follow `next` until it is null.

    A cursor marks a position in the chosen order rather than an offset, so records added
    or removed while a partner pages through do not shift the pages.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_cursor_message = _(
        "This cursor is not valid. Use the next or previous link of a page as it is."
    )

    # An empty parameter means what leaving it out means, as it does for every filter.

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return self.page_size
        if not raw.strip().isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ParseError(
                _("page_size must be a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}
            )
        return int(raw)

    # Cursors are signed, and bound to their ordering: a position the API did not issue for
    # this order never reaches the database.

    def encode_cursor(self, cursor):
        url = super().encode_cursor(cursor)
        plain = parse_qs(urlsplit(url).query)[self.cursor_query_param][0]
        signed = signing.dumps([plain, list(self.ordering)], salt=CURSOR_SALT, compress=True)
        return replace_query_param(url, self.cursor_query_param, signed)

    def decode_cursor(self, request):
        signed = request.query_params.get(self.cursor_query_param, "")
        if not signed:
            return None
        try:
            plain, ordering = signing.loads(signed, salt=CURSOR_SALT)
            tokens = parse_qs(b64decode(plain.encode("ascii")).decode("ascii"))
            offset = int(tokens.get("o", ["0"])[0])
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
        except (signing.BadSignature, ValueError, TypeError, UnicodeError):
            raise ParseError(self.invalid_cursor_message) from None
        if ordering != list(self.ordering):
            raise ParseError(
                _("This cursor was made for another ordering: keep `ordering` as it was.")
            )
        return Cursor(offset=offset, reverse=reverse, position=position)

    def paginate_queryset(self, queryset, request, view=None):
        self.count = queryset.count()
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        paged["properties"] = {
            "count": {"type": "integer", "example": 123},
            **paged["properties"],
        }
        paged["required"] = ["count", "next", "previous", "results"]
        return paged

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "Where the page starts: the value of a page's `next` or `previous` link, "
                    "as it is. Any other value is refused with 400."
                )
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                }
        return parameters


def empty_values_allowed(result, generator, request, public):
    """Say in the schema that every query parameter may be empty: `kind=` means what leaving
    it out means, on every list (the FilterSets and the paging read it so)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
