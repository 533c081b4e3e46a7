from django import template

from catalogue import edtf as edtf_dates
from catalogue import search
from catalogue.citations import title_of

register = template.Library()


@register.filter
def edtf(text):
    """An EDTF date as a reader would say it: 199X is 'the 1990s', 1990~ 'about 1990'."""
    return edtf_dates.humanize(text)


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
def record_type_label(record):
    return record._meta.verbose_name
