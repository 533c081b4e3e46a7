"""Merging two authority records that name the same person or organization, and undoing it.

A merge moves every row tied to the merged-away record onto the kept one, deletes the
merged-away record through `services` (so search and tombstones follow) and keeps a snapshot in
a `Merge`, from which its public id redirects and the merge can be undone.
"""

import json
from dataclasses import dataclass

import reversion
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import services
from .models import (
    CaseParty,
    DocumentLink,
    EventParticipant,
    LegalCase,
    Membership,
    Merge,
    NameForm,
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


def _rows(record, move):
    return list(move.model.objects.filter(**{move.field: record}))


def _key(row, move):
    return tuple(getattr(row, column) for column in move.same)


def _serialize(objects):
    return json.loads(serializers.serialize("json", objects))


def _deserialize(data):
    return list(serializers.deserialize("json", json.dumps(data)))


def _values(record, fields):
    return {field: record._meta.get_field(field).value_to_string(record) for field in fields}


def plan(kept, other, choices=None):
    """The kept record as the merge would leave it (unsaved), checked like the admin checks
    a record; raises MergeError with the reasons when it would not be valid."""
    model = type(kept)
    if not mergeable(model) or type(other) is not model:
        raise MergeError(_("Only two persons or two organizations can be merged."))
    if kept.pk == other.pk:
        raise MergeError(_("Choose two different records to merge."))
    chosen = default_choices(kept, other) | (choices or {})
    result = model.objects.get(pk=kept.pk)
    for field in FIELDS[model]:
        if chosen.get(field) == "other":
            setattr(result, field, getattr(other, field))
    result.sources = merged_sources(kept, other)
    if model is Person:
        result.protected = kept.protected or other.protected
    if leaves_public_view(kept, other):
        result.status = Record.Status.DRAFT
    try:
        result.full_clean()
    except ValidationError as error:
        messages = [f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items()]
        raise MergeError(_("The merged record would not be valid. ") + " ".join(messages)) from None
    return result


def _names_to_add(model, before, after, other):
    """Name forms the merge adds to the kept record: the authorized names (and an
    organization's acronym) it no longer shows as such."""
    names = []
    for record in (before, other):
        if record.authorized_name.casefold() != after.authorized_name.casefold():
            names.append((record.authorized_name, NameForm.Kind.VARIANT))
    if model is Organization and other.acronym and other.acronym != after.acronym:
        names.append((other.acronym, NameForm.Kind.ACRONYM))
    return list(dict.fromkeys(names))


def merge(kept, other, user, choices=None):
    """Merge `other` into `kept` in one transaction and return the `Merge`."""
    model = type(kept)
    with transaction.atomic(), reversion.create_revision():
        kept = model.objects.select_for_update().get(pk=kept.pk)
        other = model.objects.select_for_update().get(pk=other.pk)
        result = plan(kept, other, choices)
        was_public = other.is_public
        snapshot = {"kept": _serialize([kept]), "other": _serialize([other])}
        moved, dropped, notes, touched = [], [], [], {}
        for move in MOVES[model]:
            taken = {_key(row, move) for row in _rows(kept, move)} if move.same else set()
            rows = _rows(other, move)
            if move.model is OrganizationRelation:
                end = "target" if move.field == "source" else "source"
                selfish = [r for r in rows if getattr(r, f"{end}_id") == kept.pk]
                if selfish:
                    notes.append(
                        ngettext(
                            "Dropped %(count)d relation between the two organizations: it "
                            "would relate the organization to itself.",
                            "Dropped %(count)d relations between the two organizations: they "
                            "would relate the organization to itself.",
                            len(selfish),
                        )
                        % {"count": len(selfish)}
                    )
                gone = selfish
            else:
                gone = [row for row in rows if move.same and _key(row, move) in taken]
                if gone:
                    notes.append(
                        _("Dropped %(count)d %(rows)s the kept record already has.")
                        % {"count": len(gone), "rows": move.model._meta.verbose_name_plural}
                    )
            staying = [row for row in rows if row not in gone]
            dropped += _serialize(gone)
            move.model.objects.filter(pk__in=[row.pk for row in gone]).delete()
            if staying:
                pks = [row.pk for row in staying]
                changes = {move.field: kept}
                if issubclass(move.model, Record):
                    changes["updated_at"] = timezone.now()
                move.model.objects.filter(pk__in=pks).update(**changes)
                moved.append(
                    {"model": move.model._meta.label_lower, "field": move.field, "pks": pks}
                )
                notes.append(
                    _("Moved %(count)d %(rows)s.")
                    % {"count": len(pks), "rows": move.model._meta.verbose_name_plural}
                )
                if move.other_end:
                    end_model = move.model._meta.get_field(move.other_end).related_model
                    end_pks = {getattr(row, f"{move.other_end}_id") for row in staying}
                    touched.setdefault(end_model, set()).update(end_pks)

        names = model._meta.get_field("other_names").related_model
        added = []
        have = {(n.name, n.kind) for n in names.objects.filter(**{names_fk(model): kept})}
        for name, kind in _names_to_add(model, kept, result, other):
            if (name, kind) not in have:
                row = names.objects.create(**{names_fk(model): kept, "name": name, "kind": kind})
                added.append({"model": names._meta.label_lower, "pk": row.pk})

        services.delete_records(model.objects.filter(pk=other.pk))
        services.save_record(result)
        # Records whose links now name the kept record changed for partners too.
        now = timezone.now()
        for end_model, pks in touched.items():
            end_model.objects.filter(pk__in=pks - {kept.pk}).update(updated_at=now)

        result.refresh_from_db()
        snapshot |= {
            "moved": moved,
            "dropped": dropped,
            "added": added,
            "after": _values(result, [*FIELDS[model], *ruled_fields(model)]),
        }
        if result.status != kept.status:
            notes.append(_("The kept record was returned to draft: the other was not public."))
        record = Merge.objects.create(
            record_type=model.record_type,
            merged_public_id=other.public_id,
            merged_name=other.authorized_name[:300],
            merged_was_public=was_public,
            kept_public_id=kept.public_id,
            kept_name=result.authorized_name[:300],
            merged_at=now,
            user=user,
            summary="\n".join(notes),
            snapshot=snapshot,
        )
        reversion.set_user(user)
        reversion.set_comment(
            _("Merged %(name)s (%(public_id)s) into this record.")
            % {"name": other.authorized_name, "public_id": other.public_id}
        )
        return record


def names_fk(model):
    return "person" if model is Person else "organization"


def ruled_fields(model):
    return [field for field in RULED_FIELDS if field != "protected" or model is Person]


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _missing_ends(objects):
    """Rows to recreate whose other ends (a document, a case...) no longer exist."""
    missing = []
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if not field.is_relation:
                continue
            value = getattr(obj, field.attname)
            related = field.related_model
            if value is not None and not related._base_manager.filter(pk=value).exists():
                missing.append(obj)
                break
    return missing


def undo(merge_record, user):
    """Undo a merge: the merged-away record comes back with its pk, public id and rows, the
    kept record gets back its fields and sources, and the redirect ends. Refused (MergeError)
    when the kept record is gone or was edited since, as undoing would lose that work."""
    with transaction.atomic(), reversion.create_revision():
        merge_record = Merge.objects.select_for_update().get(pk=merge_record.pk)
        if merge_record.undone_at:
            raise MergeError(_("This merge has already been undone."))
        model = merge_record.model
        snapshot = merge_record.snapshot
        kept = model.objects.filter(public_id=merge_record.kept_public_id).first()
        if kept is None:
            raise MergeError(
                _(
                    "The kept record no longer exists: it was deleted or merged into another. "
                    "Undo that first."
                )
            )
        if model.objects.filter(public_id=merge_record.merged_public_id).exists():
            raise MergeError(_("A record with the merged-away public identifier exists."))
        fields = [*FIELDS[model], *ruled_fields(model)]
        changed = [
            str(model._meta.get_field(field).verbose_name)
            for field, value in _values(kept, fields).items()
            if snapshot["after"].get(field) != value
        ]
        if changed:
            raise MergeError(
                _(
                    "The kept record was edited after the merge (%(fields)s). Undoing would "
                    "overwrite those edits: change them back first, or separate the records by "
                    "hand."
                )
                % {"fields": ", ".join(changed)}
            )

        (restored,) = _deserialize(snapshot["other"])
        restored.save()  # as it was: same pk, public id and dates
        other = restored.object
        notes = []
        for group in snapshot["moved"]:
            rows = _model(group["model"]).objects.filter(
                pk__in=group["pks"], **{group["field"]: kept}
            )
            count = rows.count()
            rows.update(**{group["field"]: other})
            if count < len(group["pks"]):
                notes.append(
                    _("%(count)d %(rows)s were deleted or moved since and stay as they are.")
                    % {
                        "count": len(group["pks"]) - count,
                        "rows": _model(group["model"])._meta.verbose_name_plural,
                    }
                )
        again = _deserialize(snapshot["dropped"])
        lost = _missing_ends(obj.object for obj in again)
        for obj in again:
            if obj.object not in lost:
                obj.save()
        if lost:
            notes.append(
                ngettext(
                    "%(count)d row could not be restored: a record it linked was deleted.",
                    "%(count)d rows could not be restored: a record they linked was deleted.",
                    len(lost),
                )
                % {"count": len(lost)}
            )
        for row in snapshot["added"]:
            _model(row["model"]).objects.filter(pk=row["pk"]).delete()

        (before,) = _deserialize(snapshot["kept"])
        for field in fields:
            setattr(kept, field, getattr(before.object, field))
        services.save_record(kept)
        services.save_record(model.objects.get(pk=other.pk))

        merge_record.undone_at = timezone.now()
        merge_record.undone_by = user
        merge_record.save(update_fields=["undone_at", "undone_by"])
        reversion.set_user(user)
        reversion.set_comment(
            _("Undid the merge of %(name)s (%(public_id)s) into this record.")
            % {"name": merge_record.merged_name, "public_id": merge_record.merged_public_id}
        )
        return notes
