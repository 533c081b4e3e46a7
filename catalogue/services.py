"""Writes to records and everything tied to them: the search index and history.

The admin, commands and imports save, delete and publish through these functions. Tombstones
and the change log are left by the writes themselves, whatever the path (`announcing`).
"""

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from . import search
from .models import Record


def save_record(record, save_related=None, index=True):
    """Save a record and what is saved with it (`save_related`, e.g. a form's inlines).

    In one transaction: its search entry, written after its other names so that they are
    found too. The save itself leaves a tombstone if the record left public view
    (`announcing`). An import passes
    `index=False` and indexes each chunk of records at once (`search.index_many`).
    """
    with transaction.atomic():
        # The save would write the entry before the related rows it lists are in.
        with search.deferred():
            record.save()
            if save_related is not None:
                save_related()
        if index:
            search.index(record)


def delete_records(queryset):
    """Delete these records and their search entries; public ones leave tombstones."""
    pks = list(queryset.values_list("pk", flat=True))
    with transaction.atomic():
        search.remove(queryset.model, pks)
        queryset.delete()


@transaction.atomic
def change_status(records, status, user):
    """Set the publication status of each record; return (changed, refused).

    Publishing needs what the record's type requires of a published record (sources; a
    document's dates and extent), so a record lacking it is refused rather than published:
    `record.publication_gaps` names what is missing.
    Each record is saved on its own so that everything tied to a save runs for it too.
    """
    message = f"Changed publication status to {Record.Status(status).label}."
    # One revision in the records' history, whether or not a request opened one.
    records = list(records)
    if not records:
        return [], []
    with reversion.create_revision():
        changed, refused = _change_status(records, status)
        if changed:
            reversion.set_user(user)
            reversion.set_comment(message)
            _log(changed, message, user)
    return changed, refused


def _change_status(records, status):
    changed, refused = [], []
    for record in records:
        if record.status == status:
            continue
        if status == Record.Status.PUBLISHED and record.missing_for_publication():
            refused.append(record)
            continue
        record.status = status
        record.save(update_fields=["status", "updated_at"])
        changed.append(record)
    return changed, refused


def _log(changed, message, user):
    """The admin's own history of each record shows the change too."""
    content_type = ContentType.objects.get_for_model(changed[0])
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=user.pk,
            content_type=content_type,
            object_id=str(record.pk),
            object_repr=str(record)[:200],
            action_flag=CHANGE,
            change_message=message,
        )
        for record in changed
    )
