import html
from dataclasses import dataclass

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

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
def result(record, record_type, query):
    """A result in a list, an item of it: its kind, its title (linked, the query's words
    marked), its reference and dates, and a passage. Written here rather than by a template
    included for each result, which cost as much again as reading the parts."""
    row = summarize(record, record_type, query)
    reference = f"{_escaped(row.reference)} · " if row.reference else ""
    passage = (
        f'  <p class="snippet"{lang(row.passage)}>{_escaped(row.passage.value)}</p>'
        if row.passage.value
        else "  "
    )
    title = f'<a href="{_escaped(row.url)}"{lang(row.title)}>{_escaped(row.marked_title)}</a>'
    return mark_safe(  # every value escaped
        f'<li class="result">\n  <p class="kind">{_escaped(row.kind)}</p>\n'
        f"  <h3>{title}</h3>\n"
        f'  <p class="meta">{reference}{_escaped(row.dates)}</p>\n{passage}\n</li>\n'
    )


def summarize(record, record_type, query):
    """A result's parts, read in one call: otherwise a page of twenty results pays for the
    template's lookup of each part, and for the misses (a person has no reference code)."""
    shown = record.localized()
    labels = [_type_label(record_type)]
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


_TYPE_LABELS = {}


def _type_label(record_type):
    """ "Document", in the reader's language: translated once per language, not per result."""
    key = (record_type.name, get_language())
    if key not in _TYPE_LABELS:
        _TYPE_LABELS[key] = capfirst(str(record_type.label))
    return _TYPE_LABELS[key]


def _dates(record):
    """The record's dates as a reader says them: its span, a life, a decision or a filing."""
    if dates := getattr(record, "dates", ""):
        return edtf_dates.humanize(dates)
    birth, death = getattr(record, "birth_date", ""), getattr(record, "death_date", "")
    if birth or death:
        return f"{edtf_dates.humanize(birth) or '?'} – {edtf_dates.humanize(death)}"
    decided, filed = getattr(record, "date_decided", ""), getattr(record, "date_filed", "")
    return edtf_dates.humanize(decided or filed)


# A timeline's bars and rows are written here rather than by loops in its template, which
# pay for a dozen lookups of each of up to 120 bars and 40 rows; in f-strings, each value
# escaped as the template escapes it (format_html costs as much again).


@register.simple_tag
def year_bars(bars):
    """A timeline's bars, each an item of its list."""
    return mark_safe("".join(map(_bar, bars)))  # every value escaped by _bar


@register.simple_tag
def timeline_rows(rows):
    """A timeline's rows, each an item of its list: the record's name and dates in words,
    then its dates drawn."""
    return mark_safe("".join(map(_row, rows)))  # every value escaped by _row


def _escaped(value):
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _number(value):
    return _escaped(localize(value, use_l10n=False))


def _bar(bar):
    classes = ("tick" if bar.tick else "") + (" selected" if bar.selected else "")
    shape = (
        '<svg viewBox="0 0 10 100" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false"><rect x="1" width="8" y="{_number(bar.top)}" '
        f'height="{_number(bar.height)}"/></svg><span class="tl-year">{_escaped(bar.label)}</span>'
    )
    if not bar.count:
        return f'<li class="{classes}" aria-hidden="true"><span class="tl-none">{shape}</span></li>'
    current = ' aria-current="true"' if bar.selected else ""
    return (
        f'<li class="{classes}"><a href="{_escaped(bar.url)}" aria-label="{_escaped(bar.said)}"'
        f"{current}>{shape}</a></li>"
    )


def _row(row):
    shapes = []
    if row.link:
        x, width = row.link
        shapes.append(
            f'<rect class="tl-link" x="{_number(x)}" y="9.5" width="{_number(width)}" height="1"/>'
        )
    for segment in row.segments:
        if segment.uncertain:
            shapes.append(
                f'<rect class="tl-reach" x="{_number(segment.reach_x)}" y="9" '
                f'width="{_number(segment.reach_width)}" height="2"/>'
            )
        classes = "tl-span" + (" uncertain" if segment.uncertain else "")
        classes += " open" if segment.open_start or segment.open_end else ""
        shapes.append(
            f'<rect class="{classes}" x="{_number(segment.x)}" y="3" '
            f'width="{_number(segment.width)}" height="14"/>'
        )
    language = lang(row.language) if row.language else ""
    kind = f"{_escaped(row.kind)} · " if row.kind else ""
    return (
        f'<li>\n      <p class="tl-label"><a href="{_escaped(row.url)}"{language}>'
        f'{_escaped(row.label)}</a> <span class="meta">{kind}{_escaped(row.said)}</span></p>\n'
        '      <svg class="tl-strip" viewBox="0 0 1000 20" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{"".join(shapes)}</svg>\n    </li>'
    )


@register.simple_tag
def facet_choices(facet):
    """A browse page's facet: its values to tick, each with how many records it has. Written
    here rather than by a template included for each facet, which pays for a dozen lookups of
    each value."""
    if not facet.values:
        return "\n"
    kind = "checkbox" if facet.multiple else "radio"
    name = _escaped(facet.name)
    choices = "".join(
        f'\n  <div class="check">\n    <input type="{kind}" id="f-{name}-{number}" '
        f'name="{name}" value="{_escaped(localize(value))}"{" checked" if selected else ""}>\n'
        f'    <label for="f-{name}-{number}">{_escaped(localize(label))} '
        f'<span class="count">({_escaped(localize(count))})</span></label>\n  </div>\n  '
        for number, (value, label, count, selected) in enumerate(facet.values, start=1)
    )
    return mark_safe(  # every value escaped
        f'\n<fieldset class="facet">\n  <legend>{_escaped(facet.label)}</legend>\n  '
        f"{choices}\n</fieldset>\n\n"
    )


@register.simple_tag
def outline(nodes):
    """A document's parts and the parts below them, as nested lists that open: written here
    rather than by a template that includes itself for each part, at 300 parts a fonds's
    page's longest work."""
    return mark_safe(_outline(nodes))  # every value escaped by _part


def _outline(nodes):
    items = "".join(
        f"<li><details><summary>{_part(node)}</summary>{_outline(parts)}\n</details></li>"
        if parts
        else f"<li>{_part(node)}</li>"
        for node, parts in nodes
    )
    return f'<ul class="related outline">{items}</ul>'


def _part(node):
    return (
        f'<a href="{_escaped(node.get_absolute_url())}">{_escaped(node.title)}</a> '
        f'<span class="meta">{_escaped(node.get_level_display())}, '
        f"{_escaped(edtf_dates.humanize(node.dates))}</span>"
    )
