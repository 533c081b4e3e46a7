"""What each record puts in the index, and keeping the index in step with the records."""

import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

from ..models import RECORD_MODELS, SearchChange, SearchEntry

MODELS = {model.record_type: model for model in RECORD_MODELS}

# An entry's id tells its record type: type number × ID_SPAN + the record's id. Searches for
# one type are then a range of index rowids, which the full-text index skips to without a
# join. The numbers follow the registry's order, which only ever grows at its end.
ID_SPAN = 10**12
TYPE_NUMBERS = {name: number for number, name in enumerate(MODELS, start=1)}
TYPE_OF_NUMBER = {number: name for name, number in TYPE_NUMBERS.items()}


def entry_id(record_type, object_id):
    return TYPE_NUMBERS[record_type] * ID_SPAN + object_id


def id_range(record_type):
    return TYPE_NUMBERS[record_type] * ID_SPAN, (TYPE_NUMBERS[record_type] + 1) * ID_SPAN - 1


# What each type of record puts in the index.


def _lines(*parts):
    return "\n".join(part for part in parts if part)


def body_of(record):
    """The descriptive text of a record, which snippets are cut from."""
    return _lines(*(getattr(record, field) for field in record.text_fields))


def entry_text(record):
    """(title, names, body) of a record; names include its other forms of name, if any, and
    the title and body its translations, so a reader finds it in either language."""
    names = [getattr(record, field) for field in record.name_fields]
    if hasattr(record, "other_names"):
        names += [name.name for name in record.other_names.all()]
    translations = list(record.translations.all())
    title = _lines(record.heading, *(translation.title for translation in translations))
    body = _lines(body_of(record), *(translation.text for translation in translations))
    return title, _lines(*names), body


def _normal(text):
    return unicodedata.normalize("NFKC", text or "")


def _entry(record):
    # Indexed from the public view: a withheld field must not be findable by searching for it.
    view = record.public_view()
    title, names, body = (_normal(text) for text in entry_text(view))
    return SearchEntry(
        id=entry_id(record.record_type, record.pk),
        record_type=record.record_type,
        object_id=record.pk,
        title=title,
        names=names,
        body=body,
        date_earliest=record.date_earliest,
        sort_title=_normal(view.heading)[:300],
    )


def note_changes(record_type, pks):
    """Log that these records may show differently in search: the search engine applies the
    log before it answers, on every machine. In the caller's transaction."""
    SearchChange.objects.bulk_create(
        [SearchChange(record_type=record_type, object_id=pk) for pk in pks], batch_size=1000
    )


@transaction.atomic
def index(record):
    """Bring one record's entry up to date, in the caller's transaction."""
    entry = _entry(record)
    SearchEntry.objects.update_or_create(
        id=entry.id,
        defaults={
            field: getattr(entry, field)
            for field in (
                "record_type",
                "object_id",
                "title",
                "names",
                "body",
                "date_earliest",
                "sort_title",
            )
        },
    )


_deferred = ContextVar("search_entries_deferred", default=False)


@contextmanager
def deferred():
    """Within: writes leave the search entries of the records they touch to the caller, who
    writes them at once when its related rows are in (an import's chunk, the generator)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def refresh(model, pks, chunk=2000):
    """Bring the entries of these records up to date after any write, in its transaction:
    written as `index` writes them, or removed where the record is gone. So the database's
    search is in step whatever path changed a record."""
    if _deferred.get():
        return
    pks = sorted(pks)
    prefetch = ["translations", *(["other_names"] if hasattr(model, "other_names") else [])]
    for start in range(0, len(pks), chunk):
        part = pks[start : start + chunk]
        records = model._base_manager.filter(pk__in=part).prefetch_related(*prefetch)
        entries = [_entry(record) for record in records]
        SearchEntry.objects.filter(record_type=model.record_type, object_id__in=part).delete()
        SearchEntry.objects.bulk_create(entries)


@transaction.atomic
def index_many(records):
    """Bring the entries of many records of one type up to date at once (imports).

    `records` should have their `translations` (and `other_names`, where the type has
    them) prefetched; each entry is written as `index` would write it.
    """
    entries = [_entry(record) for record in records]
    if entries:
        SearchEntry.objects.filter(id__in=[entry.id for entry in entries]).delete()
        SearchEntry.objects.bulk_create(entries)


def remove(model, pks):
    pks = list(pks)
    SearchEntry.objects.filter(record_type=model.record_type, object_id__in=pks).delete()
    note_changes(model.record_type, pks)


@transaction.atomic
def rebuild(batch_size=2000):
    """Index every record again; returns the number of entries."""
    SearchEntry.objects.all().delete()
    total = 0
    for model in RECORD_MODELS:
        queryset = model.objects.with_translations().order_by("pk")
        if hasattr(model, "other_names"):
            queryset = queryset.prefetch_related("other_names")
        batch = []
        for record in queryset.iterator(chunk_size=batch_size):
            batch.append(_entry(record))
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
        total += len(batch)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalogue_search_fts(catalogue_search_fts) VALUES ('optimize')"
            )
    return total
