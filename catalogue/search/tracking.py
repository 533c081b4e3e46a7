"""The writes that go around `Record.save()` and `Record.delete()`, noted as a save notes them.

Django's signals are the only hook these paths offer: a revert (django-reversion) and
`loaddata` save without calling `save()`, a queryset's `delete()` deletes without `delete()`,
and a document's languages change through their own table. Each is noted as `Record.save()`
notes a save (`announcing.note`: the change log, tombstones); what the index then shows is
read from the record.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from ..announcing import showing
from ..models import RECORD_MODELS, Document
from ..tree import collections_of
from .entries import note_changes


def _saved_raw(sender, instance, raw=False, **kwargs):
    if raw:
        # Computed columns as a save computes them: a fixture's may be stale or missing.
        computed = instance.computed_dates()
        stale = {f: v for f, v in computed.items() if getattr(instance, f) != v}
        if stale:
            sender._base_manager.filter(pk=instance.pk).update(**stale)
        instance.note_change()


def _deleting(sender, instance, **kwargs):
    """Before a record goes, while its links and tree stand: the records whose related lists
    show it change too, and a document's tombstone will name the tree it was in."""
    if instance.pk is None:
        return
    for record_type, pks in showing({instance.record_type: {instance.pk}}).items():
        note_changes(record_type, sorted(pks))
    if isinstance(instance, Document):
        instance.deleted_from = collections_of([instance]).get(instance.pk)


def _deleted(sender, instance, **kwargs):
    instance.note_change(getattr(instance, "deleted_from", None))


def _languages_changed(sender, instance, action, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Document):
        instance.note_change()
    else:  # changed from the language's side
        for pk in pk_set or ():
            Document(pk=pk).note_change()


def connect():
    for model in RECORD_MODELS:
        uid = f"catalogue.search.{model.record_type}"
        post_save.connect(_saved_raw, sender=model, dispatch_uid=f"{uid}.raw")
        pre_delete.connect(_deleting, sender=model, dispatch_uid=f"{uid}.deleting")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}.deleted")

    m2m_changed.connect(
        _languages_changed, sender=Document.languages.through, dispatch_uid="catalogue.search.lang"
    )
