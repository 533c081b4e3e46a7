"""Dates as archivists write them, in the Library of Congress Extended Date/Time Format.

The text is what the archivist typed and what the public sees; the bounds computed here are
what filters and sorting use. Bounds are the strict ones: "1990~" spans 1990, not 1989-1991.
"""

import contextlib
import datetime
import functools
import re
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from edtf import parse_edtf

HELP_TEXT = _(
    "As written by an archivist, in EDTF: 1997-04-22 (a day), 1997-04 (a month), 199X (the "
    "1990s), 1990~ (about 1990), 1997? (perhaps 1997), 1982/1997 (from 1982 to 1997), "
    "1984/.. (from 1984 on), 1984/ (from 1984, end unknown). Leave empty when unknown."
)

EXAMPLES = "1997-04-22, 1997-04, 199X, 1990~, 1982/1997"


@dataclass(frozen=True)
class Bounds:
    earliest: datetime.date | None = None
    latest: datetime.date | None = None


def _to_date(value, text):
    if not isinstance(value, time.struct_time):
        return None  # an open or unknown end
    if not 1 <= value.tm_year <= 9999:
        raise ValidationError(
            _("“%(value)s” lies outside the years 1 to 9999, which the catalogue can sort."),
            code="edtf_range",
            params={"value": text},
        )
    return datetime.date(value.tm_year, value.tm_mon, value.tm_mday)


@functools.lru_cache(maxsize=4096)
def _strict_bounds(text):
    # The grammar takes 10-20 ms a date; an import of 100,000 rows repeats the same few
    # hundred dates, and each row's date is read twice (its check, then its bounds). Text the
    # grammar refuses raises, and so is never remembered.
    parsed = parse_edtf(text)
    return parsed.lower_strict(), parsed.upper_strict()


def parse(text):
    """Return the Bounds of an EDTF string, or raise ValidationError with a clear message."""
    text = (text or "").strip()
    if not text:
        return Bounds()
    try:
        lower, upper = _strict_bounds(text)
    except Exception:
        # The parser raises several kinds of error for malformed text; all mean the same here.
        raise ValidationError(
            _("“%(value)s” is not a date in EDTF. Write it like one of these: %(examples)s."),
            code="edtf_invalid",
            params={"value": text, "examples": EXAMPLES},
        ) from None
    earliest = None if text.startswith("/") else _to_date(lower, text)
    latest = None if text.endswith("/") else _to_date(upper, text)
    if earliest and latest and earliest > latest:
        raise ValidationError(
            _("“%(value)s” ends before it starts. Put the earlier date first, e.g. 1982/1997."),
            code="edtf_reversed",
            params={"value": text},
        )
    return Bounds(earliest, latest)


def validate_edtf(text):
    parse(text)


def parse_or_empty(text):
    """Bounds for cross-field rules, which leave malformed text to the field's own error."""
    try:
        return parse(text)
    except ValidationError:
        return Bounds()


# Reading dates aloud

DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
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


def humanize(text):
    """An EDTF date as a reader would say it, in the active language: 199X is 'the 1990s'."""
    return _humanized((text or "").strip(), get_language())


@functools.lru_cache(maxsize=4096)  # a page lists a hundred dates, most of them alike
def _humanized(text, language):
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
