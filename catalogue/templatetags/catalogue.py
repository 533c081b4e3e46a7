from django import template
from django.utils.html import format_html

from catalogue import edtf as edtf_dates
from catalogue import search

register = template.Library()


@register.filter
def edtf(text):
    """An EDTF date as a reader would say it: 199X is 'the 1990s', 1990~ 'about 1990'."""
    return edtf_dates.humanize(text)


@register.filter
def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def localized(record):
    """The record's heading and main text in the reader's language, where it has them."""
    return record.localized()


@register.filter
def lang(text):
    """A `lang` attribute for a text that is not in the page's language, else nothing."""
    return format_html(' lang="{}"', text.language) if text.foreign else ""


@register.filter
def marked(text, query):
    """The text, escaped, with the query's words marked."""
    return search.highlight(str(text), query)


@register.filter
def search_passage(record, query):
    return search.passage(record, query)


@register.filter
def record_type_label(record):
    return record._meta.verbose_name
