"""The writes that go around `Record.save()` and `Record.delete()`, logged for the search engine.

Django's signals are the only hook these paths offer: a revert (django-reversion) and
`loaddata` save without calling `save()`, a queryset's `delete()` deletes without `delete()`,
and a document's languages change through their own table. Each writes a change-log row, as
`Record.save()` does; what the index then shows is read from the record.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import RECORD_MODELS, Document


def _saved_raw(sender, instance, raw=False, **kwargs):
    if raw:
        instance.note_change()


def _deleted(sender, instance, **kwargs):
    instance.note_change()


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
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}.deleted")
    m2m_changed.connect(
        _languages_changed, sender=Document.languages.through, dispatch_uid="catalogue.search.lang"
    )
