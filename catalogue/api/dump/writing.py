"""Writing the dump: every public record as the API gives it, one JSON object per line.

The file is a run of gzip members, each holding up to `CHUNK` records of one type in id
order; gunzip and every gzip library read it as one stream. Beside it, the index names the
file, where each member lies and which ids it covers, and the change log's latest id when
the dump began, so that serving can redo just the members that changed since (`serving`).
"""

import gzip
import json
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ... import related
from ...models import RECORD_MODELS, SearchChange
from .. import serializers as api

CHUNK = 500
INDEX_NAME = "memoria-public.json"  # names the current data file: replaced in one rename
DATA_PREFIX = "memoria-public-"
SERIALIZERS = {
    "document": api.DocumentSerializer,
    "person": api.PersonSerializer,
    "organization": api.OrganizationSerializer,
    "case": api.LegalCaseSerializer,
    "event": api.EventSerializer,
}


def folder_of(folder=None):
    return Path(folder or settings.MEMORIA_DUMP_ROOT)


def lines(model, queryset):
    """The dump's lines (bytes, each ending in a newline) for these records, in id order."""
    # One serializer for every record, as a list's child is: its fields are built once.
    serializer = SERIALIZERS[model.record_type](context={"base_url": settings.MEMORIA_BASE_URL})
    queryset = queryset.prefetch_related(*related.prefetches(model)).order_by("pk")
    for record in queryset.iterator(chunk_size=CHUNK):
        data = serializer.to_representation(record.public_view())
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
        yield record.pk, (text + "\n").encode()


def member(lines):
    """One gzip member holding these lines."""
    return gzip.compress(b"".join(lines), compresslevel=6, mtime=0)


def write(folder=None):
    """Write a new dump beside the old one, then point the index at it; return {type: count}.

    A partner downloading meanwhile gets the whole old file or the whole new one.
    """
    folder = folder_of(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # Read before the records: a change committed meanwhile is redone when served, never lost.
    anchor = SearchChange.objects.order_by("-id").values_list("id", "created_at").first()
    watermark, anchored = anchor or (0, None)
    written = timezone.now()
    counts = {model.record_type: 0 for model in RECORD_MODELS}
    members = []
    name = f"{DATA_PREFIX}{time.time_ns()}.jsonl.gz"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".dump-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            for model in RECORD_MODELS:
                for first, last, data in _members(model):
                    members.append([model.record_type, first, last, out.tell(), len(data[1])])
                    out.write(data[1])
                    counts[model.record_type] += data[0]
        os.chmod(temporary, 0o644)
        os.replace(temporary, folder / name)
        index = {
            "file": name,
            "watermark": watermark,
            # The log row at the watermark, as a restore or a new database would not have it.
            "anchor": anchored.isoformat() if anchored else None,
            "written": written.isoformat(),
            "members": members,
        }
        _replace_json(folder / INDEX_NAME, index)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _remove_old(folder, keep=name)
    return counts


def _members(model):
    """(first id, last id, (records, gzip member)) for each run of `CHUNK` public records."""
    batch = []
    for pk, line in lines(model, model.objects.public()):
        batch.append((pk, line))
        if len(batch) == CHUNK:
            yield _closed(batch)
            batch = []
    if batch:
        yield _closed(batch)


def _closed(batch):
    return batch[0][0], batch[-1][0], (len(batch), member(line for _, line in batch))


def _replace_json(path, data):
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(data, out)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _remove_old(folder, keep):
    """Drop data files older than the one before `keep`: a download that began on the
    previous file may still be reading it."""
    files = sorted(folder.glob(f"{DATA_PREFIX}*.jsonl.gz"))
    for old in files[: max(0, files.index(folder / keep) - 1)]:
        old.unlink(missing_ok=True)
