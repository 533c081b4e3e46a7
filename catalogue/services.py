"""Writes to records and everything tied to them: the search index, tombstones, history.

The admin, commands and imports save, delete and publish through these functions, so that
every path leaves the same traces.
"""

from contextlib import contextmanager

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import search
from .models import Document, Record, Tombstone
from .tree import collections_of


@contextmanager
def noting_removals(model, pks):
    """Leave a tombstone for each of these records that the write inside hides from the public.

    Wrap every write that can withdraw, unpublish, restrict, embargo or delete a record, so
    that partners' mirrors and harvesters learn it is gone.
    """
    pks = [pk for pk in pks if pk is not None]
    with transaction.atomic():
        before = model.objects.public().filter(pk__in=pks)
        # Read before the write, which may delete the document or cut its tree.
        if model is Document:
            before = list(before.only("pk", "parent_id", "public_id"))
            collections = collections_of(before)
        else:
            before, collections = list(before.only("pk", "public_id")), {}
        yield
        still = set(
            model.objects.public()
            .filter(pk__in=[r.pk for r in before])
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        for record in before:
            if record.pk in still:
                continue
            # A tombstone names the tree a document was in; a top-level document is in none.
            collection = collections.get(record.pk, "")
            Tombstone.objects.update_or_create(
                record_type=model.record_type,
                public_id=record.public_id,
                defaults={
                    "removed_at": now,
                    "collection": "" if collection == record.public_id else collection,
                },
            )


def save_record(record, save_related=None, index=True):
    """Save a record and what is saved with it (`save_related`, e.g. a form's inlines).

    In one transaction: a tombstone if the record left public view, and its search entry,
    written after its other names so that they are found too. An import passes
    `index=False` and indexes each chunk of records at once (`search.index_many`).
    """
    # A new record has no pk yet: it was never public, and noting it costs no query.
    with transaction.atomic(), noting_removals(type(record), [record.pk]):
        record.save()
        if save_related is not None:
            save_related()
        if index:
            search.index(record)


def delete_records(queryset):
    """Delete these records, their search entries, and leave tombstones for public ones."""
    pks = list(queryset.values_list("pk", flat=True))
    with transaction.atomic(), noting_removals(queryset.model, pks):
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
    with reversion.create_revision(), noting_removals(type(records[0]), [r.pk for r in records]):
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
