"""Writes that touch several records at once."""

from contextlib import contextmanager

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import Document, Record, Tombstone

# Deeper than archival trees go; a cycle the database let through stops here.
TREE_DEPTH = 50


@contextmanager
def noting_removals(model, pks):
    """Leave a tombstone for each of these records that the write inside hides from the public.

    Wrap every write that can withdraw, unpublish, restrict, embargo or delete a record, so
    that partners' mirrors and harvesters learn it is gone.
    """
    pks = [pk for pk in pks if pk is not None]
    with transaction.atomic():
        before = dict(model.objects.public().filter(pk__in=pks).values_list("pk", "public_id"))
        # Read before the write, which may delete the document or cut its tree.
        collections = collections_of(before) if model is Document else {}
        yield
        still = set(model.objects.public().filter(pk__in=before).values_list("pk", flat=True))
        now = timezone.now()
        for pk, public_id in before.items():
            if pk not in still:
                Tombstone.objects.update_or_create(
                    kind=model.url_name,
                    public_id=public_id,
                    defaults={"removed_at": now, "collection": collections.get(pk, "")},
                )


def collections_of(pks):
    """{document pk: public_id of the top-level document whose public tree holds it}.

    Only through public levels, as the public tree and its finding aid show it: a document
    below a hidden level, or at the top itself, is in none. One query per level above.
    """
    up = {}  # pk: (parent pk, public_id), public documents only
    wanted = asked = set(pks)
    for _ in range(TREE_DEPTH):
        if not wanted:
            break
        rows = Document.objects.public().filter(pk__in=wanted)
        up |= {
            pk: (parent, public_id)
            for pk, parent, public_id in rows.values_list("pk", "parent_id", "public_id")
        }
        wanted = {parent for parent, _ in up.values() if parent} - asked
        asked = asked | wanted
    found = {}
    for pk in pks:
        node, seen = pk, set()
        while node in up and up[node][0] is not None and node not in seen:
            seen.add(node)
            node = up[node][0]
        if node != pk and node in up and up[node][0] is None:
            found[pk] = up[node][1]
    return found


@transaction.atomic
def change_status(records, status, user):
    """Set the publication status of each record; return (changed, refused).

    Publishing needs sources, so a record without them is refused rather than published.
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
        if status == Record.Status.PUBLISHED and not record.source_list:
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
