"""Undoing a merge from the snapshot it kept."""

import reversion
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import services
from ..models import Merge
from .rules import (
    FIELDS,
    MergeError,
    chunks,
    deserialized,
    field_values,
    rows_named,
    ruled_fields,
    with_rows_read,
)


def _model(label):
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
            for field, value in field_values(kept, fields).items()
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

        (restored,) = deserialized(snapshot["other"])
        restored.save()  # as it was: same pk, public id and dates
        other = restored.object
        notes = []
        for group in snapshot["moved"]:
            model_of_rows = _model(group["model"])
            missing = len(group["pks"])
            for chunk in chunks(group["pks"]):
                rows = model_of_rows.objects.filter(pk__in=chunk, **{group["field"]: kept})
                missing -= rows.update(**{group["field"]: other})
            if missing:
                notes.append(
                    ngettext(
                        "%(count)d %(rows)s was deleted or moved since and stays as it is.",
                        "%(count)d %(rows)s were deleted or moved since and stay as they are.",
                        missing,
                    )
                    % {"count": missing, "rows": rows_named(model_of_rows, missing)}
                )
        again = deserialized(snapshot["dropped"])
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

        (before,) = deserialized(snapshot["kept"])
        for field in fields:
            setattr(kept, field, getattr(before.object, field))
        services.save_record(with_rows_read(kept))
        services.save_record(with_rows_read(model.objects.get(pk=other.pk)))

        merge_record.undone_at = timezone.now()
        merge_record.undone_by = user
        merge_record.save(update_fields=["undone_at", "undone_by"])
        reversion.set_user(user)
        reversion.set_comment(
            _("Undid the merge of %(name)s (%(public_id)s) into this record.")
            % {"name": merge_record.merged_name, "public_id": merge_record.merged_public_id}
        )
        return notes
