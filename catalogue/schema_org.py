"""schema.org descriptions of public records, for JSON-LD in pages and exports."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from .models import CATALOGUE_LANGUAGE, Document, Event, LegalCase, Organization, Person
from .related import related_many

ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _day(day):
    return day.isoformat() if day else None


def _compact(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _ref(record, request, type_):
    return {
        "@type": type_,
        "@id": request.build_absolute_uri(record.get_absolute_url()),
        "name": str(record),
    }


def _in_languages(original, translated, language=None):
    """A value with its translations: a plain value alone, else each with its @language.

    `language` is the original's where it is known; a title or name as catalogued may be a
    formal title in the material's own language, so it goes without one.
    """
    if not translated:
        return original
    first = {"@value": original, "@language": language} if language else original
    return [first, *({"@value": value, "@language": tag} for value, tag in translated)]


def _translated(record, related):
    """(name, description) of the record with their translations, for JSON-LD."""
    translations = related["translations"]
    name = _in_languages(
        record.heading, [(t.title, t.language.tag) for t in translations if t.title]
    )
    description = (
        _in_languages(
            record.text,
            [(t.text, t.language.tag) for t in translations if t.text],
            CATALOGUE_LANGUAGE,
        )
        if record.text
        else None
    )
    return {"name": name, "description": description}


def _authority(record, related):
    """What persons and organizations share: their names and their records elsewhere."""
    acronym = [record.acronym] if getattr(record, "acronym", "") else []
    return {
        "name": record.authorized_name,
        "alternateName": acronym + [name.name for name in related["other_names"]],
        "sameAs": [identifier.url for identifier in related["identifiers"] if identifier.url],
    }


def describe(record, request, related=None):
    """The record as schema.org JSON-LD.

    `related` is the record's related lists (`related.lists_of`); a page that has already
    read them passes them in, so the description costs no further queries.
    """
    if related is None:
        (related,) = related_many([record])
    url = request.build_absolute_uri(record.get_absolute_url())
    archive = {"@type": "ArchiveOrganization", "name": settings.MEMORIA_SITE_NAME}
    common = {
        "@context": "https://schema.org",
        "@id": url,
        "url": url,
        "identifier": record.public_id,
    }
    if isinstance(record, Document):
        parent = related["parent"]
        return _compact(
            common
            | {
                "@type": "ArchiveComponent",
                "identifier": [record.public_id, record.reference_code],
                **_translated(record, related),
                "temporalCoverage": record.dates,
                "dateCreated": _day(record.date_earliest)
                if record.date_earliest == record.date_latest
                else None,
                "creator": {"@type": "Thing", "name": record.creator_name}
                if record.creator_name
                else None,
                "publisher": record.publisher,
                "inLanguage": [language.code for language in related["languages"]],
                "materialExtent": record.extent_and_medium,
                "holdingArchive": archive,
                "isPartOf": _ref(parent, request, "ArchiveComponent") if parent else None,
                "about": [
                    _ref(link.target, request, "Person" if link.person_id else "Organization")
                    for link in related["links"]
                    if link.role == link.Role.SUBJECT and (link.person_id or link.organization_id)
                ],
                "sameAs": record.url,
            }
        )
    if isinstance(record, Person):
        return _compact(
            common
            | {
                "@type": "Person",
                **_authority(record, related),
                "birthDate": record.birth_date,
                "deathDate": record.death_date,
                "nationality": [
                    {"@type": "Country", "name": country.name} for country in record.nationality
                ],
                **_translated(record, related),
                "memberOf": [
                    _ref(membership.organization, request, "Organization")
                    for membership in related["memberships"]
                ],
            }
        )
    if isinstance(record, Organization):
        return _compact(
            common
            | {
                "@type": "Organization",
                **_authority(record, related),
                "foundingDate": _day(record.date_earliest),
                "dissolutionDate": _day(record.date_latest),
                "location": {"@type": "Country", "name": record.country.name}
                if record.country
                else None,
                **_translated(record, related),
            }
        )
    if isinstance(record, Event):
        return _compact(
            common
            | {
                "@type": "Event",
                **_translated(record, related),
                "startDate": _day(record.date_earliest),
                "endDate": _day(record.date_latest),
                "location": {"@type": "Place", "name": record.place} if record.place else None,
            }
        )
    if isinstance(record, LegalCase):
        return _compact(
            common
            | {
                "@type": "CreativeWork",
                "genre": "legal case",
                **_translated(record, related),
                "identifier": [record.public_id, *filter(None, [record.case_number])],
                "dateCreated": _day(record.date_earliest),
                "abstract": record.outcome,
            }
        )
    raise TypeError(type(record).__name__)


def safe_json(data):
    """JSON that can sit inside a <script> element without closing it."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=1).translate(ESCAPES))
