"""What partners are told is public, kept in step with `.public()` in the data layer.

`Announced` holds the records partners were last told are public. After any write to records
(a save, a raw save by loaddata or a revert, a delete, a bulk update or create through our
querysets; see `changes`) `settle` compares the written records with `.public()`, in the
write's transaction:
a record that left public view gets a tombstone, which the deletions feed, OAI-PMH and the
dump read; one that entered it is announced. An embargo that lifts needs nothing here: it adds
a record, and `last_changed` dates it.

`reconcile` makes the same comparison over the whole catalogue, for writes that went around
every hook (raw SQL, another program on the database): `manage.py reconcile_announcements`.
"""

from django.apps import apps
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from .models import RECORD_MODELS, Announced, Document, Tombstone
from .search import entries
from .tree import collections_of

CHUNK = 5_000  # ids per query: well under SQLite's limit on variables


def batched(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def settle(model, pks, collections):
    """After a write to these records: tombstones for those that left public view,
    announcements for those that entered it. `collections` gives the public tree of
    documents already deleted ({pk: public id}); a document still in the database is placed
    from its tree as it stands."""
    for chunk in batched(pks, CHUNK):
        public = dict(model.objects.public().filter(pk__in=chunk).values_list("pk", "public_id"))
        announced = dict(
            Announced.objects.filter(
                record_type=model.record_type, object_id__in=chunk
            ).values_list("object_id", "public_id")
        )
        _settle(model, public, announced, collections)


def reconcile():
    """Compare what was announced with what is public, for every record; return
    {record type: (tombstones written, records announced)}."""
    done = {}
    for model in RECORD_MODELS:
        buried = added = 0
        top = max(
            model._base_manager.aggregate(top=Max("pk"))["top"] or 0,
            Announced.objects.filter(record_type=model.record_type).aggregate(top=Max("object_id"))[
                "top"
            ]
            or 0,
        )
        for low in range(0, top + 1, CHUNK * 10):
            span = {"pk__gte": low, "pk__lt": low + CHUNK * 10}
            with transaction.atomic():
                public = dict(model.objects.public().filter(**span).values_list("pk", "public_id"))
                announced = dict(
                    Announced.objects.filter(
                        record_type=model.record_type,
                        object_id__gte=low,
                        object_id__lt=low + CHUNK * 10,
                    ).values_list("object_id", "public_id")
                )
                gone, new = _settle(model, public, announced, {})
                # Search and the dump learn of them as of any other change.
                entries.note_changes(model.record_type, gone | new)
                entries.refresh(model, gone | new)
            buried, added = buried + len(gone), added + len(new)
        done[model.record_type] = (buried, added)
    return done


def _settle(model, public, announced, collections):
    """Tombstone what `announced` has and `public` lacks; announce the reverse."""
    gone = {pk: public_id for pk, public_id in announced.items() if pk not in public}
    new = {pk: public_id for pk, public_id in public.items() if pk not in announced}
    if gone:
        _bury(model, gone, collections)
        Announced.objects.filter(record_type=model.record_type, object_id__in=list(gone)).delete()
    if new:
        Announced.objects.bulk_create(
            [
                Announced(record_type=model.record_type, object_id=pk, public_id=public_id)
                for pk, public_id in new.items()
            ],
            batch_size=1000,
        )
    return gone.keys(), new.keys()


def _bury(model, gone, collections):
    """A tombstone for each of these records ({pk: public id}), naming a document's tree."""
    places = dict(collections)
    if model is Document:
        standing = Document._base_manager.filter(pk__in=list(gone)).only("parent_id", "public_id")
        places |= collections_of(list(standing))
    now = timezone.now()
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                record_type=model.record_type,
                public_id=public_id,
                removed_at=now,
                # A top-level document is in no tree but its own.
                collection="" if places.get(pk) == public_id else places.get(pk, ""),
            )
            for pk, public_id in gone.items()
        ],
        update_conflicts=True,
        unique_fields=["record_type", "public_id"],
        update_fields=["removed_at", "collection"],
        batch_size=1000,
    )


def showing(changed):
    """{record type: ids} of the records whose related lists, parent or court name one of
    `changed`: through every table that ties two records (links, relationships and the
    tables behind many-to-many fields), and a record's own keys to another."""
    types = {model: model.record_type for model in RECORD_MODELS}
    found = {record_type: set() for record_type in types.values()}
    for model in apps.get_app_config("catalogue").get_models(include_auto_created=True):
        keys = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.ForeignKey) and field.related_model in types
        ]
        for key in keys:
            pks = changed.get(types[key.related_model])
            if not pks:
                continue
            if model in types:  # a record naming another: a document's parent, a case's court
                ends = [(model._meta.pk, types[model])]
            else:
                ends = [(other, types[other.related_model]) for other in keys if other != key]
            for chunk in batched(sorted(pks), CHUNK):
                rows = model._base_manager.filter(**{f"{key.attname}__in": chunk})
                for end, record_type in ends:
                    values = rows.exclude(**{end.attname: None}).values_list(end.attname, flat=True)
                    found[record_type] |= set(values)
    return found
