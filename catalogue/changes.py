"""What every write to records leaves, whatever its path, in the write's own transaction.

`Record.save()`, the queryset's bulk writes and `search.tracking` (raw saves, deletes) all call
`note`, so a record changed from the admin, a script, an import, a merge, a revert or loaddata
leaves the same traces:
- a line in the change log (`SearchChange`), which the embedded search index and the bulk dump
  read to catch up;
- its entry in the database's own search index, written again (`search.refresh`);
- a tombstone if it left public view, an announcement if it entered it (`announcing`).
"""

from django.db import transaction

from . import announcing
from .search import entries


def note(model, pks, collections=None):
    """After a write to these records of `model`. `collections` places deleted documents'
    tombstones in the tree they were in ({pk: public id of the top})."""
    pks = [pk for pk in dict.fromkeys(pks) if pk is not None]
    if not pks:
        return
    with transaction.atomic():
        entries.note_changes(model.record_type, pks)
        entries.refresh(model, pks)
        announcing.settle(model, pks, collections or {})
