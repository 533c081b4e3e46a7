"""What a merge moves and how it chooses: the rules both merging and undoing read."""

import json
from dataclasses import dataclass

from django.core import serializers
from django.db.models import Prefetch, prefetch_related_objects

from ..models import (
    CaseParty,
    DocumentLink,
    EventParticipant,
    LegalCase,
    Membership,
    Organization,
    OrganizationIdentifier,
    OrganizationName,
    OrganizationRelation,
    OrganizationTranslation,
    Person,
    PersonIdentifier,
    PersonName,
    PersonTranslation,
    Record,
)


class MergeError(Exception):
    """A merge or undo that cannot be done, with the reason in words for the archivist."""


@dataclass(frozen=True)
class Move:
    """Rows of `model` whose `field` points at the record; `same` names the columns that make
    a row a duplicate of one the kept record already has (then it is dropped, not moved)."""

    model: type
    field: str
    same: tuple = ()
    # The record at the row's other end, reported modified when the row moves.
    other_end: str = ""


MOVES = {
    Person: (
        Move(PersonName, "person", ("name", "kind")),
        Move(PersonIdentifier, "person", ("scheme", "value")),
        Move(PersonTranslation, "record", ("language_id",)),
        Move(Membership, "person", other_end="organization"),
        Move(CaseParty, "person", other_end="case"),
        Move(EventParticipant, "person", other_end="event"),
        Move(DocumentLink, "person", ("document_id", "role"), other_end="document"),
    ),
    Organization: (
        Move(OrganizationName, "organization", ("name", "kind")),
        Move(OrganizationIdentifier, "organization", ("scheme", "value")),
        Move(OrganizationTranslation, "record", ("language_id",)),
        Move(Membership, "organization", other_end="person"),
        Move(OrganizationRelation, "source", other_end="target"),
        Move(OrganizationRelation, "target", other_end="source"),
        Move(CaseParty, "organization", other_end="case"),
        Move(EventParticipant, "organization", other_end="event"),
        Move(DocumentLink, "organization", ("document_id", "role"), other_end="document"),
        Move(LegalCase, "court"),
    ),
}

# The descriptive fields an archivist chooses between, side by side.
FIELDS = {
    Person: (
        "authorized_name",
        "birth_date",
        "birth_place",
        "death_date",
        "death_place",
        "nationality",
        "biography",
        "functions",
        "personal_details",
        "archivist_note",
    ),
    Organization: (
        "authorized_name",
        "acronym",
        "kind",
        "dates",
        "country",
        "history",
        "functions",
        "archivist_note",
    ),
}
# Fields a merge sets by rule rather than by choice; undo puts them back too.
RULED_FIELDS = ("sources", "status", "protected")


def mergeable(model):
    return model in MOVES


def is_empty(record, field):
    value = getattr(record, field)
    return value in (None, "", [], ()) or (hasattr(value, "__len__") and len(value) == 0)


def default_choices(kept, other):
    """{field: "kept" or "other"}: the kept record's value, or the other's where it has none."""
    return {
        field: "other" if is_empty(kept, field) and not is_empty(other, field) else "kept"
        for field in FIELDS[type(kept)]
    }


def merged_sources(kept, other):
    """Both records' sources, line by line, each citation once, the kept record's first."""
    lines = list(dict.fromkeys([*kept.source_list, *other.source_list]))
    return "\n".join(lines)


def leaves_public_view(kept, other):
    """The rule that a merge never publishes a draft's data: a public record merged with one
    the public may not see (a draft, withdrawn, restricted or embargoed record) becomes a
    draft, to be published again once an archivist has checked what it now says."""
    return kept.is_public and not other.is_public


def counts(record):
    """[(label, how many)] of the rows a merge moves, for the side-by-side page."""
    return [
        (
            f"{move.model._meta.verbose_name_plural} ({move.field})"
            if move.model is OrganizationRelation
            else move.model._meta.verbose_name_plural,
            move.model.objects.filter(**{move.field: record}).count(),
        )
        for move in MOVES[type(record)]
    ]


def rows_of(record, move):
    return list(move.model.objects.filter(**{move.field: record}))


def key_of(row, move):
    return tuple(getattr(row, column) for column in move.same)


def serialized(objects):
    return json.loads(serializers.serialize("json", objects))


def deserialized(data):
    return list(serializers.deserialize("json", json.dumps(data)))


def field_values(record, fields):
    return {field: record._meta.get_field(field).value_to_string(record) for field in fields}


def with_rows_read(record):
    """Read the record's rows, each with the records it names, in one query per kind of row.

    Saving a record keeps each of its rows in its history (django-reversion follows the
    admin's inlines) under the row's name, which names the records it links; read one by one,
    a record with thousands of links would take minutes to save."""
    lookups = []
    for move in MOVES[type(record)]:
        if issubclass(move.model, Record):
            continue
        meta = move.model._meta
        linked = [field.name for field in meta.concrete_fields if field.is_relation]
        lookups.append(
            Prefetch(
                meta.get_field(move.field).remote_field.get_accessor_name(),
                queryset=move.model.objects.select_related(*linked),
            )
        )
    prefetch_related_objects([record], *lookups)
    return record


def chunks(pks, size=500):
    """The ids in lists short enough for any database's limit on query parameters."""
    pks = sorted(pks)
    return [pks[start : start + size] for start in range(0, len(pks), size)]


def rows_named(model, count):
    """How rows of `model` are called, one or several: "1 external identifier", "2 ..."."""
    meta = model._meta
    return meta.verbose_name if count == 1 else meta.verbose_name_plural


def names_fk(model):
    return "person" if model is Person else "organization"


def ruled_fields(model):
    return [field for field in RULED_FIELDS if field != "protected" or model is Person]
