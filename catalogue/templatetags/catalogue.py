from dataclasses import dataclass

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.text import capfirst

from catalogue import edtf as edtf_dates
from catalogue import search
from catalogue.models import LocalText

register = template.Library()


@register.filter
def edtf(text):
    """An EDTF date as a reader would say it: 199X is 'the 1990s', 1990~ 'about 1990'."""
    return edtf_dates.humanize(text)


@register.filter
def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def lang(text):
    """A `lang` attribute for a text that is not in the page's language, else nothing."""
    return format_html(' lang="{}"', text.language) if text.foreign else ""


@register.filter
def record_type_label(record):
    return record._meta.verbose_name


@dataclass(frozen=True)
class Summary:
    """What a result in a list shows of a record."""

    kind: str  # its type, kind and level: "Document · Report · Item"
    url: str
    title: LocalText
    marked_title: str  # escaped, the query's words marked
    dates: str
    reference: str
    passage: LocalText


@register.simple_tag
def summarize(record, record_type, query):
    """A result's parts, read in one call: otherwise a page of twenty results pays for the
    template's lookup of each part, and for the misses (a person has no reference code)."""
    shown = record.localized()
    labels = [capfirst(record_type.label)]
    for name in ("kind", "level"):
        if display := getattr(record, f"get_{name}_display", None):
            labels.append(display())
    title = shown.title
    return Summary(
        kind=" · ".join(str(label) for label in labels if label),
        url=record.get_absolute_url(),
        title=title,
        marked_title=search.highlight(str(title), query) if query else conditional_escape(title),
        dates=_dates(record),
        reference=getattr(record, "reference_code", ""),
        passage=search.passage(record, query, shown),
    )


def _dates(record):
    """The record's dates as a reader says them: its span, a life, a decision or a filing."""
    if dates := getattr(record, "dates", ""):
        return edtf_dates.humanize(dates)
    birth, death = getattr(record, "birth_date", ""), getattr(record, "death_date", "")
    if birth or death:
        return f"{edtf_dates.humanize(birth) or '?'} – {edtf_dates.humanize(death)}"
    decided, filed = getattr(record, "date_decided", ""), getattr(record, "date_filed", "")
    return edtf_dates.humanize(decided or filed)
