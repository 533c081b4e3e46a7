"""Writes that touch several records at once."""

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Record


@transaction.atomic
def change_status(records, status, user):
    """Set the publication status of each record; return (changed, refused).

    Publishing needs sources, so a record without them is refused rather than published.
    Each record is saved on its own so that everything tied to a save runs for it too.
    """
    message = f"Changed publication status to {Record.Status(status).label}."
    # One revision in the records' history, whether or not a request opened one.
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
