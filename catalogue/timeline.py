"""Timelines: records along the years, and how many records each year holds.

Drawn on the server (HTML lists and SVG shapes sized by attributes, never by a `style`), so
they work without JavaScript and under the site's Content Security Policy. Every shape has
its words beside it: a row names its record and says its dates as a reader would; a year's
bar is a link named by its year and count, which filters the list it stands over.

A date is drawn as the span its EDTF text can mean ("1997-04" is the whole month, "199X" the
decade), and a side the archivist marked approximate or uncertain (~ ? %) is striped and
reaches out by a whisker. An open end runs to the edge.

Nothing here reads the database: callers hand in records already read, or the counts per
year of a query (`per_year` in the models, `start_year` / `end_year` in the embedded index).
"""

import datetime
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import edtf

COLUMNS = 120  # the most bars a chart draws: years, else decades, else centuries
ROWS = 40  # the most records a timeline draws; the rest are counted and said
WIDTH = 1000  # the drawing's own units across; it stretches to the page's width
QUALIFIED = re.compile(r"[~?%]")
# How far an approximate or uncertain side may reach, by the precision it is written in.
REACH = {"day": 31, "month": 92, "year": 366}


@dataclass(frozen=True)
class Segment:
    """One date of a row, placed: x and width in drawing units, with its whiskers."""

    x: float
    width: float
    reach_x: float
    reach_width: float
    uncertain: bool
    open_start: bool
    open_end: bool
    name: str = ""  # what the date is: "filed", "born"…

    @property
    def end(self):
        return round(self.x + self.width, 2)


@dataclass
class Row:
    label: str
    url: str
    kind: str
    # [(name, EDTF text, (earliest, latest) or None)]: what each date is, as the archivist wrote
    # it, and its bounds where the database already holds them (the grammar is slow to run).
    dates: list
    language: object = None  # the label's LocalText where it is translated
    start: datetime.date | None = None  # where the row sorts among others
    segments: list = field(default_factory=list)
    link: tuple | None = None  # (x, width) of the line joining the row's dates

    @property
    def said(self):
        return "; ".join(
            f"{name}: {edtf.humanize(text)}" if name else edtf.humanize(text)
            for name, text, _known in self.dates
            if text
        )


@dataclass
class Bar:
    first: int
    last: int
    count: int
    height: float  # 0 to 100
    url: str
    selected: bool
    tick: bool  # its year is written under it
    said: str = ""  # "1990: 3 documents"

    @property
    def label(self):
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def top(self):
        return round(100 - self.height, 1)


@dataclass
class Timeline:
    rows: list
    bars: list
    more: int  # records left undrawn
    all_years_url: str = ""  # the list without its year, when a year is chosen

    @property
    def counts(self):
        """Whether any year has a record to count (else the bars are only an axis)."""
        return any(bar.count for bar in self.bars)

    @property
    def empty(self):
        return not self.rows and not any(bar.count for bar in self.bars)


# Reading a date


def _side(text):
    """(precision, qualified, open) of one side of an EDTF text."""
    text = text.strip()
    if text in ("", ".."):
        return None, False, True
    bare = QUALIFIED.sub("", text)
    precision = "day" if edtf.DAY.match(bare) else "month" if edtf.MONTH.match(bare) else "year"
    return precision, bool(QUALIFIED.search(text)) or "X" in bare, False


def bounds(text, known=None):
    """(earliest, latest, reach earliest, reach latest, uncertain, open start, open end) of
    an EDTF text, or None when it is empty or malformed (a draft's, say). `known` are its
    (earliest, latest) as the database holds them, when it does."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        found = edtf.Bounds(*known) if known else edtf.parse(text)
    except ValidationError:
        return None
    if found.earliest is None and found.latest is None:
        return None
    start, _slash, end = text.partition("/") if "/" in text else (text, "", text)
    (p1, q1, open1), (p2, q2, open2) = _side(start), _side(end)
    earliest, latest = found.earliest, found.latest
    reach_from = earliest - datetime.timedelta(REACH[p1]) if q1 and earliest else earliest
    reach_to = latest + datetime.timedelta(REACH[p2]) if q2 and latest else latest
    return earliest, latest, reach_from, reach_to, q1 or q2, open1, open2


# Placing dates on the axis


@dataclass(frozen=True)
class Axis:
    first: int  # the first year of the first column
    step: int  # years per column
    columns: int

    @classmethod
    def spanning(cls, years):
        low, high = min(years), max(years)
        step = 1
        while (high // step - low // step + 1) > COLUMNS:
            step *= 10
        first = low // step * step
        return cls(first, step, high // step - low // step + 1)

    @property
    def last(self):
        return self.first + self.step * self.columns - 1

    def x(self, day, end=False):
        """Where a day begins (or ends) across the drawing."""
        if day is None:
            return 0.0 if not end else float(WIDTH)
        if end:
            day = min(day, datetime.date.max - datetime.timedelta(1)) + datetime.timedelta(1)
        start = datetime.date(day.year, 1, 1).toordinal()
        length = datetime.date(day.year, 12, 31).toordinal() - start + 1
        years = day.year + (day.toordinal() - start) / length - self.first
        span = self.step * self.columns
        return round(max(0.0, min(float(WIDTH), years / span * WIDTH)), 2)


def _segment(axis, name, found):
    earliest, latest, reach_from, reach_to, uncertain, open_start, open_end = found
    x = axis.x(earliest or latest)
    end = axis.x(latest, end=True) if latest else float(WIDTH)
    reach_x = axis.x(reach_from) if reach_from else x
    reach_end = axis.x(reach_to, end=True) if reach_to else end
    width = max(end - x, 3.0)  # a single day still shows
    return Segment(
        x, width, reach_x, max(reach_end - reach_x, width), uncertain, open_start, open_end, name
    )


def _years(found):
    earliest, latest, reach_from, reach_to = found[:4]
    return [day.year for day in (reach_from, reach_to, earliest, latest) if day]


# Counting per year


def overlapping(starts, ends, first, last):
    """Records whose dates overlap the years first..last, from {start year: records} and
    {end year: records} (open ends count in none): those that start by `last`, less those
    that end before `first`. The same rule as the date filters' `date_from` and `date_to`."""
    begun = sum(n for year, n in starts.items() if year <= last)
    over = sum(n for year, n in ends.items() if year < first)
    return begun - over


def overlaps(starts, ends):
    """`overlapping` as a function of (first, last), from running sums of `starts` and `ends`
    made once: a chart asks it for each of up to 120 bars."""
    start_years, end_years = sorted(starts), sorted(ends)
    begun = list(accumulate(starts[year] for year in start_years))
    over = list(accumulate(ends[year] for year in end_years))

    def count(first, last):
        i, j = bisect_right(start_years, last), bisect_left(end_years, first)
        return (begun[i - 1] if i else 0) - (over[j - 1] if j else 0)

    return count


def counted_years(records):
    """({start year: n}, {end year: n}) of records already read, as `per_year` counts them."""
    starts, ends = Counter(), Counter()
    for record in records:
        start = record.date_earliest or record.date_latest
        if start is None:
            continue
        starts[start.year] += 1
        if record.date_latest is not None:
            ends[record.date_latest.year] += 1
    return starts, ends


def build(rows, per_year, year_url, counted, chosen=None, all_years_url=""):
    """A timeline of `rows` (Row, in order; the first ROWS drawn) over bars counting
    `per_year` ((starts, ends)), each linking to `year_url(first, last)` and named with
    `counted(n)` ("3 documents"); `chosen` is the (first, last) years the list is narrowed
    to."""
    shown, more = rows[:ROWS], max(len(rows) - ROWS, 0)
    starts, ends = per_year
    placed = [
        (row, [(name, bounds(text, known)) for name, text, known in row.dates]) for row in shown
    ]
    years = [y for _row, dates in placed for _name, found in dates if found for y in _years(found)]
    years += [*starts, *ends]
    if not years:
        return Timeline([], [], more, all_years_url)
    axis = Axis.spanning(years)
    drawn = []
    for row, dates in placed:
        row.segments = [_segment(axis, name, found) for name, found in dates if found]
        if not row.segments:
            continue
        if len(row.segments) > 1:
            left = row.segments[0].x + row.segments[0].width
            row.link = (left, max(row.segments[-1].x - left, 0.0))
        drawn.append(row)
    bars = []
    count = overlaps(starts, ends)
    for column in range(axis.columns):
        first = axis.first + column * axis.step
        last = first + axis.step - 1
        bars.append([first, last, count(first, last)])
    most = max((n for *_years_, n in bars), default=0) or 1
    tick_every = 10 if axis.step == 1 else axis.step * 10
    found = Timeline(
        drawn,
        [
            Bar(
                first,
                last,
                n,
                round(n / most * 100, 1),
                year_url(first, last),
                chosen == (first, last),
                first % tick_every == 0 or column == 0,
            )
            for column, (first, last, n) in enumerate(bars)
        ],
        more,
        all_years_url,
    )
    said = {}  # a count's words, translated once
    for bar in found.bars:
        if bar.count not in said:
            said[bar.count] = counted(bar.count)
        bar.said = f"{bar.label}: {said[bar.count]}"
    return found


# Rows of each record type


def held(record):
    """The bounds the database holds of a record's or relationship's `dates`."""
    return record.date_earliest, record.date_latest


def record_row(record, kind="", translated=True):
    """The row of a public record (a public view: a protected person's birth stays out),
    named in the reader's language when its translations have been read (`translated`)."""
    title = record.localized().title if translated else None
    return Row(
        str(title or record.heading),
        record.get_absolute_url(),
        kind,
        record_dates(record),
        title,
        record.date_earliest or record.date_latest,
    )


def record_dates(record):
    name = record.record_type
    if name == "person":
        return [(_("born"), record.birth_date, None), (_("died"), record.death_date, None)]
    if name == "case":
        decided = (record.decided_earliest, record.decided_latest)
        return [(_("filed"), record.date_filed, None), (_("decided"), record.date_decided, decided)]
    return [("", record.dates, held(record))]


def _related(other, kind, relation):
    return Row(
        str(other),
        other.get_absolute_url(),
        kind,
        [("", relation.dates, held(relation))],
        start=relation.date_earliest or relation.date_latest,
    )


def agent_rows(record):
    """A person's or organization's life along the years, from the lists its page already
    read: its own dates, memberships, relations, cases and events; in date order."""
    kind = _("Life") if record.record_type == "person" else _("Existence")
    rows = []
    for relation in getattr(record, "public_memberships", ()):
        rows.append(_related(relation.organization, relation.get_kind_display(), relation))
    for relation in getattr(record, "public_members", ()):
        rows.append(_related(relation.person, relation.get_kind_display(), relation))
    for relation in [
        *getattr(record, "public_relations_out", ()),
        *getattr(record, "public_relations_in", ()),
    ]:
        other = relation.target if relation.source_id == record.pk else relation.source
        rows.append(_related(other, relation.get_kind_display(), relation))
    for relation in getattr(record, "public_case_roles", ()):
        rows.append(record_row(relation.case, relation.get_role_display(), translated=False))
    for relation in getattr(record, "public_event_roles", ()):
        rows.append(record_row(relation.event, relation.get_role_display(), translated=False))
    own = record_row(record, kind=kind)
    dated = sorted((row for row in rows if row.start), key=by_start)
    return [own, *dated] if own.start else dated


def by_start(row):
    return row.start or datetime.date.max


def documents_counted(n):
    return ngettext("%(n)s document", "%(n)s documents", n) % {"n": n}


def records_counted(n):
    return ngettext("%(n)s record", "%(n)s records", n) % {"n": n}


def results_counted(n):
    return ngettext("%(n)s result", "%(n)s results", n) % {"n": n}
