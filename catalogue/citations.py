"""How to cite a record: a formatted citation, BibTeX and CSL-JSON, all with its permalink."""

import json
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import edtf
from .models import Document, Event, LegalCase, Organization, Person

CSL_TYPES = {
    Document.Kind.JUDGMENT: "legal_case",
    Document.Kind.LEGAL_FILING: "legal_case",
    Document.Kind.LEGISLATION: "legislation",
    Document.Kind.REPORT: "report",
    Document.Kind.NEWS_ARTICLE: "article-newspaper",
    Document.Kind.BOOK: "book",
    Document.Kind.WEB_PAGE: "webpage",
    Document.Kind.LETTER: "personal_communication",
    Document.Kind.PHOTOGRAPH: "graphic",
    Document.Kind.AUDIOVISUAL: "motion_picture",
    Document.Kind.TESTIMONY: "interview",
}


def permalink(record, request):
    return request.build_absolute_uri(record.get_absolute_url())


def title_of(record):
    return record.heading


def dates_of(record):
    """The record's dates as written, in EDTF."""
    if isinstance(record, Person):
        return (
            "/".join([record.birth_date, record.death_date])
            if record.death_date
            else (f"{record.birth_date}/.." if record.birth_date else "")
        )
    if isinstance(record, LegalCase):
        return record.date_decided or record.date_filed
    return record.dates


def description_of(record):
    if isinstance(record, Document):
        return record.get_level_display()
    return {
        Person: _("Authority record (person)"),
        Organization: _("Authority record (organization)"),
        LegalCase: _("Legal case"),
        Event: _("Event"),
    }[type(record)]


def text(record, request):
    """A citation in the usual archival order: who, what, when, what kind, where, how to find."""
    parts = []
    if isinstance(record, Document) and record.creator_name:
        parts.append(record.creator_name)
    parts.append(f"“{title_of(record)}”")
    if dates := dates_of(record):
        parts.append(edtf.humanize(dates))
    parts.append(description_of(record))
    if isinstance(record, Document):
        parts.append(record.reference_code)
    parts.append(settings.MEMORIA_SITE_NAME)
    accessed = timezone.localdate().isoformat()
    parts.append(
        _("%(url)s (accessed %(date)s)") % {"url": permalink(record, request), "date": accessed}
    )
    return ". ".join(part.rstrip(".") for part in parts) + "."


LATEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")


def _bibtex_escape(value):
    escaped = LATEX_SPECIAL.sub(
        lambda m: {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(m[1], "\\" + m[1]),
        str(value),
    )
    return " ".join(escaped.split())


def bibtex(record, request):
    fields = {"title": title_of(record)}
    if isinstance(record, Document):
        if record.creator_name:
            fields["author"] = "{" + record.creator_name + "}"
        if record.publisher:
            fields["publisher"] = record.publisher
        fields["note"] = f"{record.get_level_display()}, {record.reference_code}"
    else:
        fields["note"] = description_of(record)
    if record.date_earliest:
        fields["year"] = str(record.date_earliest.year)
    if dates := dates_of(record):
        fields["date"] = dates
    fields["organization"] = settings.MEMORIA_SITE_NAME
    fields["url"] = permalink(record, request)
    fields["urldate"] = timezone.localdate().isoformat()
    lines = [f"@misc{{memoria_{record.public_id},"]
    for name, value in fields.items():
        # author is pre-braced so a corporate name is not split into first and last names
        value = value if name == "author" else _bibtex_escape(value)
        if name == "url":
            value = str(fields["url"])
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _date_parts(day):
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(record, request):
    item = {
        "id": f"memoria-{record.public_id}",
        "type": CSL_TYPES.get(getattr(record, "kind", None), "document")
        if isinstance(record, Document)
        else ("legal_case" if isinstance(record, LegalCase) else "entry"),
        "title": title_of(record),
        "URL": permalink(record, request),
        "archive": settings.MEMORIA_SITE_NAME,
        "accessed": _date_parts(timezone.localdate()),
    }
    if isinstance(record, Document):
        item["archive_location"] = record.reference_code
        if record.creator_name:
            item["author"] = [{"literal": record.creator_name}]
        if record.publisher:
            item["publisher"] = record.publisher
    if record.date_earliest and not isinstance(record, (Person, Organization)):
        item["issued"] = _date_parts(record.date_earliest)
        if dates := dates_of(record):
            item["issued"]["literal"] = dates
    return item


def csl_json(record, request):
    return json.dumps([csl_item(record, request)], ensure_ascii=False, indent=2) + "\n"
