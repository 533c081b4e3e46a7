"""The catalogue's orders, named once: pages offer some as `sort`, the API all as `ordering`.

Each name reads the same everywhere ("date" is the record's earliest date, undated records
last in either direction; "title" is its heading), and each order is made total by the
record's id, so pages and cursors never shuffle records that tie.
"""

import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

ORDERS = ("created", "modified", "date", "title")
# What the public pages offer, relevance first: it comes from the search index, not a column.
PAGE_SORTS = {
    "relevance": _("Relevance"),
    "date": _("Date, oldest first"),
    "-date": _("Date, newest first"),
    "title": _("Title"),
}

# Records without a date sort after every dated one, in either direction.
UNDATED = {"": datetime.date.max, "-": datetime.date.min}


def ordered(queryset, name):
    """The queryset in the named order ("date", "-title", ...), and the fields it is ordered by.

    The fields are what cursor pagination keeps its position in.
    """
    sign, order = ("-", name[1:]) if name.startswith("-") else ("", name)
    field = {
        "created": "pk",
        "modified": "updated_at",
        "date": "sort_date",
        "title": queryset.model.title_field,
    }[order]
    if field == "sort_date":
        queryset = queryset.annotate(sort_date=Coalesce(F("date_earliest"), Value(UNDATED[sign])))
    fields = (f"{sign}{field}",) if field == "pk" else (f"{sign}{field}", f"{sign}pk")
    return queryset.order_by(*fields), fields
