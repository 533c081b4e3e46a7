"""Merging one record into another, in one transaction."""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import services
from ..models import (
    Merge,
    NameForm,
    Organization,
    OrganizationRelation,
    Person,
    Record,
)
from .rules import (
    FIELDS,
    MOVES,
    MergeError,
    chunks,
    default_choices,
    field_values,
    key_of,
    leaves_public_view,
    mergeable,
    merged_sources,
    names_fk,
    rows_named,
    rows_of,
    ruled_fields,
    serialized,
    with_rows_read,
)


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


def _dropped(move, kept, rows):
    """The rows of the other record that would double one of the kept record's, or relate
    an organization to itself; and a note saying so."""
    if move.model is OrganizationRelation:
        end = "target" if move.field == "source" else "source"
        gone = [row for row in rows if getattr(row, f"{end}_id") == kept.pk]
        note = ngettext(
            "Dropped %(count)d relation between the two organizations: it would relate the "
            "organization to itself.",
            "Dropped %(count)d relations between the two organizations: they would relate the "
            "organization to itself.",
            len(gone),
        )
    else:
        taken = {key_of(row, move) for row in rows_of(kept, move)} if move.same else set()
        gone = [row for row in rows if move.same and key_of(row, move) in taken]
        note = _("Dropped %(count)d %(rows)s the kept record already has.")
    if not gone:
        return [], None
    return gone, note % {"count": len(gone), "rows": rows_named(move.model, len(gone))}


def _move_rows(model, kept, other):
    """Move or drop every row tied to `other`; return what was moved and dropped, notes for
    the archivist, and {model: pks} of the records at the moved rows' other ends."""
    moved, dropped, notes, touched = [], [], [], {}
    for move in MOVES[model]:
        rows = rows_of(other, move)
        gone, note = _dropped(move, kept, rows)
        if note:
            notes.append(note)
        dropped += serialized(gone)
        gone_pks = {row.pk for row in gone}
        for chunk in chunks(gone_pks):
            move.model.objects.filter(pk__in=chunk).delete()
        staying = [row for row in rows if row.pk not in gone_pks]
        if not staying:
            continue
        pks = [row.pk for row in staying]
        changes = {move.field: kept}
        if issubclass(move.model, Record):
            changes["updated_at"] = timezone.now()
        # Every row of the other record left is moved: no list of ids, however many there are.
        move.model.objects.filter(**{move.field: other}).update(**changes)
        moved.append({"model": move.model._meta.label_lower, "field": move.field, "pks": pks})
        notes.append(
            _("Moved %(count)d %(rows)s.")
            % {"count": len(pks), "rows": rows_named(move.model, len(pks))}
        )
        if move.other_end:
            end_model = move.model._meta.get_field(move.other_end).related_model
            end_pks = {getattr(row, f"{move.other_end}_id") for row in staying}
            touched.setdefault(end_model, set()).update(end_pks)
    return moved, dropped, notes, touched


def _add_names(model, kept, result, other):
    """Add the names the kept record no longer shows as its own as name forms; return them."""
    names = model._meta.get_field("other_names").related_model
    fk = names_fk(model)
    have = {(n.name, n.kind) for n in names.objects.filter(**{fk: kept})}
    added = []
    for name, kind in _names_to_add(model, kept, result, other):
        if (name, kind) not in have:
            row = names.objects.create(**{fk: kept, "name": name, "kind": kind})
            added.append({"model": names._meta.label_lower, "pk": row.pk})
    return added


def merge(kept, other, user, choices=None):
    """Merge `other` into `kept` in one transaction and return the `Merge`."""
    model = type(kept)
    with transaction.atomic(), reversion.create_revision():
        kept = model.objects.select_for_update().get(pk=kept.pk)
        other = model.objects.select_for_update().get(pk=other.pk)
        result = plan(kept, other, choices)
        was_public = other.is_public
        snapshot = {"kept": serialized([kept]), "other": serialized([other])}
        moved, dropped, notes, touched = _move_rows(model, kept, other)
        added = _add_names(model, kept, result, other)

        services.delete_records(model.objects.filter(pk=other.pk))
        services.save_record(with_rows_read(result))
        # Records whose links now name the kept record changed for partners too.
        now = timezone.now()
        for end_model, pks in touched.items():
            for chunk in chunks(pks - {kept.pk}):
                end_model.objects.filter(pk__in=chunk).update(updated_at=now)

        result.refresh_from_db()
        snapshot |= {
            "moved": moved,
            "dropped": dropped,
            "added": added,
            "after": field_values(result, [*FIELDS[model], *ruled_fields(model)]),
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
