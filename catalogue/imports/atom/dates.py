"""AtoM's dates read as EDTF.

AtoM gives each event a free display text (`eventDates`: "[ca. 1885]", "January 1, 2015 -
December 31, 2016") and ISO 8601 bounds (`eventStartDates`, `eventEndDates`: YYYY, YYYY-MM,
YYYY-MM-DD, and its legacy `2016-00-00` for an unknown month and day). Authority records give
only free text (`datesOfExistence`: "1940 - 2020", "2000 - Present").
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ... import edtf
from .values import RowError

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def iso_date(text, column):
    """An AtoM start or end date as EDTF: `2016-00-00` is 2016, `2016-05-00` is 2016-05."""
    text = text.strip()
    if not text:
        return ""
    match = ISO_DATE.match(text)
    bounds = _span(match) if match else None
    if bounds is None:
        raise RowError(
            column,
            _(
                "“%(value)s” is not a date AtoM writes. Write it as YYYY, YYYY-MM or "
                "YYYY-MM-DD, e.g. 1997-04-22."
            )
            % {"value": text},
        )
    year, month, day = match.groups()
    parts = [year]
    if month and month != "00":
        parts.append(month)
        if day and day != "00":
            parts.append(day)
    return "-".join(parts)


def _span(match):
    """(first day, last day) an ISO date match covers, or None when it is no real date."""
    year, month, day = (int(part) if part else 0 for part in match.groups())
    try:
        if not month:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if not day:
            last = calendar.monthrange(year, month)[1]
            return datetime.date(year, month, 1), datetime.date(year, month, last)
        return datetime.date(year, month, day), datetime.date(year, month, day)
    except ValueError:
        return None


def interval(start, end):
    """The EDTF of an event from its start and end: a single date when they are the same
    or only one is given (an end alone is open at the start)."""
    start = iso_date(start, "eventStartDates")
    end = iso_date(end, "eventEndDates")
    if not end or start == end:
        return start
    if not start:
        return f"/{end}"
    if _span(ISO_DATE.match(end))[1] < _span(ISO_DATE.match(start))[0]:
        raise RowError(
            "eventEndDates",
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": end, "start": start},
        )
    return f"{start}/{end}"


def as_edtf(text):
    """`text` when it already is an EDTF date (AtoM's display text often is: "2016"), else ""."""
    text = text.strip()
    if not text or not re.match(r"^[\d./~?X-]+$", text):
        return ""
    try:
        edtf.parse(text)
    except ValidationError:
        return ""
    return text


APPROXIMATE = re.compile(r"^(?:c\.|ca\.?|circa|about|approx\.?)\s*", re.IGNORECASE)
OPEN_END = {"present", "now", "today", "..", "ongoing"}


def _one(text):
    """EDTF of one end of a free-text range, "" when unknown, None when unreadable."""
    text = text.strip(" []")
    if not text or text == "?":
        return ""
    approximate = bool(APPROXIMATE.match(text))
    text = APPROXIMATE.sub("", text).strip()
    if text.casefold() in OPEN_END:
        return ".."
    match = ISO_DATE.match(text)
    if not match:
        return None
    date = "-".join(p for p in match.groups() if p and p != "00")
    return f"{date}~" if approximate else date


def existence(text):
    """(start, end) in EDTF from AtoM's free-text dates of existence, or None when the text
    is not a range or date the import can read (it is then kept in a note). An end of
    "Present" is ".." (still existing); a missing end is ""."""
    # Parenthesised remarks, e.g. "(ISAAR 5.2.1)", say nothing of the dates themselves.
    bare = re.sub(r"\([^)]*\)", "", text).strip()
    if not bare:
        return None
    ends = re.split(r"\s+(?:-|–|—|to)\s+|(?<=\d)\s*[–—]\s*(?=\d)", bare, maxsplit=1)
    if len(ends) == 1 and re.fullmatch(r"\d{4}-\d{4}", bare):
        ends = bare.split("-")
    start = _one(ends[0])
    end = _one(ends[1]) if len(ends) == 2 else start
    if start is None or end is None or start == "..":
        return None
    try:
        edtf.parse(f"{start or ''}/{end}" if end else start)
    except ValidationError:
        return None
    return start, end


def main_date(events):
    """A description's dates: its first creation event's, else its first dated event's."""
    dated = [e for e in events if e["edtf"]]
    creation = [e for e in dated if e["creates"]]
    if creation or dated:
        return (creation or dated)[0]["edtf"]
    for event in events:
        if found := as_edtf(event["text"]):
            return found
    return ""


def note_with_dates(note, events):
    """The archivist's note, then each event's dates as AtoM displayed them: kept, not lost."""
    lines = []
    for event in events:
        if not (event["text"] or event["edtf"]):
            continue
        shown = event["text"] or event["edtf"]
        extra = f" [{event['edtf']}]" if event["edtf"] and event["edtf"] != shown else ""
        actor = f" ({event['actor']})" if event["actor"] else ""
        lines.append(f"{event['type']}{actor}: {shown}{extra}")
    if not lines:
        return note
    block = _("Dates as given in AtoM:") + "\n" + "\n".join(lines)
    return f"{note}\n\n{block}" if note else block
