"""Serving the dump as the catalogue stands now, not as it stood when the dump was written.

A record saved, withdrawn, restricted, embargoed, protected or deleted since writes a line in
the change log (`announcing`). Serving reads the log past the dump's watermark and redoes only
the gzip members that hold a changed record or one whose related lists show it: a line whose
record is no longer public is dropped, a changed one is serialized again from its public
view, one newly public is added. Every other member is copied as it lies on disk. So what
stopped being public is out of the next download, in constant memory, and the work grows
with the changes, not with the catalogue; writing the dump again (nightly) keeps it small.
"""

import bisect
import datetime
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ...announcing import showing
from ...models import BY_NAME, RECORD_MODELS, SearchChange
from ...models.base import lifted_between
from .writing import INDEX_NAME, folder_of, lines, member

PIECE = 1 << 16  # bytes read at a time from an unchanged member


@dataclass
class Dump:
    path: Path
    watermark: int
    written: datetime.datetime
    members: list
    latest: int  # the change log's latest id now

    @property
    def etag(self):
        """Changes with the file, with every change since, and with the day (embargoes)."""
        today = timezone.localdate().toordinal()
        return f"{self.path.stem}-{max(self.latest, self.watermark):x}-{today:x}"

    @property
    def changed(self):
        return self.latest > self.watermark or self.written.date() < timezone.localdate()


def current(folder=None):
    """The dump as it stands, or None when none has been written."""
    folder = folder_of(folder)
    try:
        index = json.loads((folder / INDEX_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return None
    path = folder / index["file"]
    if not path.exists():
        return None
    if not _in_step(index):
        return None
    latest = SearchChange.objects.latest_id()
    return Dump(
        path, index["watermark"], parse_datetime(index["written"]), index["members"], latest
    )


def _in_step(index):
    """False when the change log no longer holds the row the dump was written at: the
    database was restored or replaced, and what changed since cannot be known."""
    if not index["watermark"]:
        return True
    anchor = parse_datetime(index.get("anchor") or "")
    row = SearchChange.objects.filter(id=index["watermark"]).values_list("created_at", flat=True)
    return anchor is not None and row.first() == anchor


def last_modified(dump):
    """When the dump's content last changed: written, or changed since."""
    moments = [dump.written]
    if dump.latest > dump.watermark:
        moments.append(SearchChange.objects.get(id=dump.latest).created_at)
    return max(moments)


def stream(dump):
    """The dump's bytes, with every member that changed since it was written redone."""
    if not dump.changed:
        yield from _copy(dump.path, 0, dump.path.stat().st_size)
        return
    dirty = {record_type: sorted(pks) for record_type, pks in stale_records(dump).items() if pks}
    seen = {record_type: [] for record_type in dirty}
    covered = {}
    for record_type, first, last, offset, length in dump.members:
        covered[record_type] = max(covered.get(record_type, 0), last)
        wanted = dirty.get(record_type, [])
        hits = wanted[bisect.bisect_left(wanted, first) : bisect.bisect_right(wanted, last)]
        if not hits:
            yield from _copy(dump.path, offset, length)
            continue
        raw = _read(dump.path, offset, length)
        redone = _redo(BY_NAME[record_type].model, gzip.decompress(raw), hits)
        seen[record_type].extend(hits)
        if redone:
            yield member(redone)
    # Records past the last member of their type: new, or published since.
    for model in RECORD_MODELS:
        wanted = dirty.get(model.record_type, [])
        later = wanted[bisect.bisect_right(wanted, covered.get(model.record_type, 0)) :]
        if later:
            added = [line for _, line in lines(model, model.objects.public().filter(pk__in=later))]
            if added:
                yield member(added)


def _redo(model, text, hits):
    """The member's lines as they stand now: `hits` are the ids in its span to read again.

    A line whose record is no longer public is dropped, a changed one replaced in place, and
    a record newly public in this span added at the end.
    """
    old = text.splitlines(keepends=True)
    ids = [json.loads(line)["id"] for line in old]
    public = set(
        model.objects.public().filter(public_id__in=ids).values_list("public_id", flat=True)
    )
    fresh = {
        json.loads(line)["id"]: line
        for _, line in lines(model, model.objects.public().filter(pk__in=hits))
    }
    kept = [
        fresh.pop(public_id, line)
        for public_id, line in zip(ids, old, strict=True)
        if public_id in public
    ]
    return kept + list(fresh.values())


def stale_records(dump):
    """{record type: ids} of the records whose line may differ from the dump's: changed since
    it was written, their embargo lifted since, or showing one of those in a related list."""
    changed = {model.record_type: set() for model in RECORD_MODELS}
    rows = SearchChange.objects.filter(id__gt=dump.watermark, id__lte=dump.latest)
    for record_type, pk in rows.values_list("record_type", "object_id").iterator(chunk_size=5000):
        changed.setdefault(record_type, set()).add(pk)
    lifted = lifted_between(dump.written, timezone.now())
    for model in RECORD_MODELS:
        changed[model.record_type] |= set(
            model.objects.public().filter(lifted).values_list("pk", flat=True)
        )
    stale = {record_type: set(pks) for record_type, pks in changed.items()}
    for record_type, pks in showing(changed).items():
        stale[record_type] |= pks
    return stale


def _read(path, offset, length):
    with open(path, "rb") as file:
        file.seek(offset)
        return file.read(length)


def _copy(path, offset, length):
    with open(path, "rb") as file:
        file.seek(offset)
        while length > 0:
            piece = file.read(min(PIECE, length))
            if not piece:
                return
            length -= len(piece)
            yield piece
