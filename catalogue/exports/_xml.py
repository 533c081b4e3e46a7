"""What the XML exports share: element building, paragraphs, dates from EDTF, links."""

import functools
import re

from django.conf import settings
from lxml import etree

from .. import edtf

XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# XML 1.0 cannot carry most control characters, and lxml refuses them instead of escaping:
# one stray character pasted into a description must not turn an export into a 500.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
PLAIN_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def clean(value):
    return NOT_XML.sub("", str(value or "")).strip()


def paragraphs(value):
    """A text field's paragraphs, split where the archivist left a blank line."""
    return [clean(part) for part in re.split(r"\n\s*\n", clean(value)) if clean(part)]


def lines(value):
    return [clean(line) for line in clean(value).splitlines() if clean(line)]


class Maker:
    """Builds elements of one namespace, leaving out attributes that have no value."""

    def __init__(self, namespace, nsmap):
        self.namespace = namespace
        self.nsmap = nsmap

    def tag(self, name):
        return f"{{{self.namespace}}}{name}"

    def root(self, name, attrs=None):
        element = etree.Element(self.tag(name), nsmap=self.nsmap)
        self._set(element, None, attrs)
        return element

    def add(self, parent, name, text=None, attrs=None):
        element = etree.SubElement(parent, self.tag(name))
        self._set(element, text, attrs)
        return element

    @staticmethod
    def _set(element, text, attrs):
        if text is not None:
            element.text = clean(text)
        for key, value in (attrs or {}).items():
            if value not in (None, ""):
                element.set(key, clean(value))


def absolute(request, record):
    return request.build_absolute_uri(record.get_absolute_url())


def moment(value):
    """A timestamp as xs:dateTime, to the second."""
    return value.isoformat(timespec="seconds")


def agency():
    return settings.MEMORIA_REPOSITORY_CODE, settings.MEMORIA_SITE_NAME


# EAD3 and EAC-CPF spell the same date elements differently.
EAD3_DATES = {
    "single": "datesingle",
    "range": "daterange",
    "from": "fromdate",
    "to": "todate",
    "standard": "standarddate",
    "notbefore": "notbefore",
    "notafter": "notafter",
}
EAC_DATES = {
    "single": "date",
    "range": "dateRange",
    "from": "fromDate",
    "to": "toDate",
    "standard": "standardDate",
    "notbefore": "notBefore",
    "notafter": "notAfter",
}


def _iso(day):
    return day.isoformat() if day else None


@functools.lru_cache(maxsize=4096)
def _bounds(text):
    # Parsing EDTF takes milliseconds, and a page of relations repeats the same few dates.
    return edtf.parse_or_empty(text)


def _date_attrs(text, names):
    """Machine-readable attributes of one EDTF date: the date itself when it is plain ISO,
    and the days it lies between when it is less precise than a day or uncertain."""
    bounds = _bounds(text)
    attrs = {}
    if PLAIN_ISO_DATE.match(text):
        attrs[names["standard"]] = text
    if bounds.earliest != bounds.latest or (bounds.earliest and not attrs):
        attrs[names["notbefore"]] = _iso(bounds.earliest)
        attrs[names["notafter"]] = _iso(bounds.latest)
    return attrs


def add_dates(maker, parent, text, names):
    """An EDTF date as a single date or a range of the format's date elements.

    Open or unknown ends ("..", or nothing) are left out: both formats read a missing end
    as not known.
    """
    text = clean(text)
    if not text:
        return None
    if "/" not in text:
        return maker.add(parent, names["single"], text, _date_attrs(text, names))
    start, end = (side.strip() for side in text.split("/", 1))
    span = maker.add(parent, names["range"])
    for side, name in ((start, "from"), (end, "to")):
        if side and side != "..":
            maker.add(span, names[name], side, _date_attrs(side, names))
    return span
