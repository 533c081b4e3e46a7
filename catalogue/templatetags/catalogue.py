import contextlib
import datetime
import re

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from catalogue import search
from catalogue.citations import title_of

register = template.Library()

DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^(\d{4})$")
DECADE = re.compile(r"^(\d{3})X$")
CENTURY = re.compile(r"^(\d{2})XX$")


def _side(text):
    qualifier = text[-1] if text and text[-1] in "~?%" else ""
    text = text.rstrip("~?%")
    shown = text
    if match := DAY.match(text):
        with contextlib.suppress(ValueError):  # EDTF has checked it; a bad day stays as typed
            shown = formats.date_format(datetime.date(*map(int, match.groups())), "DATE_FORMAT")
    elif match := MONTH.match(text):
        year, month = map(int, match.groups())
        if 1 <= month <= 12:
            shown = formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    elif match := DECADE.match(text):
        shown = _("the %(decade)s0s") % {"decade": match[1]}
    elif match := CENTURY.match(text):
        shown = _("the %(century)s00s") % {"century": match[1]}
    if qualifier == "~":
        return _("about %(date)s") % {"date": shown}
    if qualifier == "?":
        return _("%(date)s (uncertain)") % {"date": shown}
    if qualifier == "%":
        return _("about %(date)s (uncertain)") % {"date": shown}
    return shown


@register.filter
def edtf(text):
    """An EDTF date as a reader would say it: 199X is 'the 1990s', 1990~ 'about 1990'."""
    text = (text or "").strip()
    if not text:
        return ""
    if "/" not in text:
        return _side(text)
    start, end = text.split("/", 1)
    if end == "..":
        return _("%(start)s onwards") % {"start": _side(start)}
    if start == "..":
        return _("until %(end)s") % {"end": _side(end)}
    if not end:
        return _("%(start)s to an unknown date") % {"start": _side(start)}
    if not start:
        return _("an unknown date to %(end)s") % {"end": _side(end)}
    return f"{_side(start)} – {_side(end)}"


@register.filter
def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def search_title(record, query):
    return search.highlight(title_of(record), query)


@register.filter
def title(record):
    return title_of(record)


@register.filter
def search_snippet(record, query):
    return search.snippet(search.body_of(record), query)


@register.filter
def kind_label(record):
    return record._meta.verbose_name
