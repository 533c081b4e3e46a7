"""The index on disk: built whole, swapped in at once, and kept in step with the change log.

Layout under `MEMORIA_SEARCH_DIR`: one folder per build (`build-<ns>/`, Tantivy's files and
`state.json`) and `CURRENT`, naming the build in use. A rebuild writes a new folder and then
replaces `CURRENT` in one rename, so readers never see half an index, and a rebuild that fails
(a full disk) leaves the old one serving.

`state.json` says up to which change-log row the build has applied. Before a search the engine
compares it with the log (one query on its primary key); if rows are waiting it applies them,
holding Tantivy's writer lock, so one process writes at a time and the others reload. On
PostgreSQL a transaction can commit after a later one: a row id the engine passed without
seeing is kept as a gap and looked for again until `GAP_SECONDS` have gone by.
"""

import contextlib
import datetime
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from tantivy import Query as Q_

from ...api import dump
from ...models import RECORD_MODELS, SearchChange
from ..entries import entry_id
from . import schema

log = logging.getLogger("catalogue.search")

GAP_SECONDS = 6 * 3600  # longer than any import's transaction
MAX_GAPS = 50
APPLY_BATCH = 20_000  # change rows applied in one commit
WAIT_FOR_WRITER = 2.0  # seconds a reader waits for another process that is applying changes
HEAP = 64_000_000
LOG_DAYS = 30  # change-log rows kept after every build has applied them


class Unavailable(Exception):
    """The index cannot answer now; search falls back to the database."""


def _write_json(path, data):
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w") as file:
        json.dump(data, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def _open(folder):
    index = tantivy.Index.open(str(folder))
    index.register_tokenizer(schema.ANALYZER, schema.analyzer())
    index.config_reader("Manual")
    index.reload()
    index.searcher()  # reads every segment's meta: a damaged file fails here
    return index


def _latest_change():
    return SearchChange.objects.latest_id()


def _pending(state):
    """A condition on change-log rows this build has not applied."""
    condition = Q(id__gt=state["applied"])
    for low, high, _seen in state["gaps"]:
        condition |= Q(id__range=(low, high))
    return condition


def _gaps(state, seen_ids, top):
    """The state's gaps, less the ids now seen, plus the ids skipped up to `top`."""
    seen = set(seen_ids)
    now = time.time()
    ranges = []
    for low, high, since in state["gaps"]:
        if now - since > GAP_SECONDS:
            continue
        start = low
        for found in sorted(i for i in seen if low <= i <= high):
            if start < found:
                ranges.append([start, found - 1, since])
            start = found + 1
        if start <= high:
            ranges.append([start, high, since])
    start = state["applied"] + 1
    for found in sorted(i for i in seen if i > state["applied"]):
        if start < found:
            ranges.append([start, found - 1, now])
        start = found + 1
    if start <= top:
        ranges.append([start, top, now])
    ranges.sort()
    while len(ranges) > MAX_GAPS:  # join the closest two: a gap may cover seen ids, no harm
        nearest = min(range(len(ranges) - 1), key=lambda i: ranges[i + 1][0] - ranges[i][1])
        low, _high, since = ranges[nearest]
        _low, high, later = ranges.pop(nearest + 1)
        ranges[nearest] = [low, high, min(since, later)]
    return ranges


def apply_changes(index, writer, rows):
    """Put the current version of each changed record into the index, or take it out.

    Its text is read from the record itself, not from its search entry, which a record saved
    by a script (not through `services.save_record`) leaves as it was.
    """
    by_type = {}
    for _id, record_type, object_id in rows:
        by_type.setdefault(record_type, set()).add(object_id)
    models = {model.record_type: model for model in RECORD_MODELS}
    index_schema = index.schema
    for record_type, pks in by_type.items():
        model = models.get(record_type)
        if model is None:
            continue
        pks = sorted(pks)
        for start in range(0, len(pks), 2000):
            chunk = pks[start : start + 2000]
            # A query, not delete_documents_by_term: the bindings read a Python int as a
            # signed term, which matches nothing in an unsigned field.
            keys = [entry_id(record_type, pk) for pk in chunk]
            writer.delete_documents_by_query(Q_.term_set_query(index_schema, "key", keys))
            for document in schema.documents(model, chunk, from_records=True):
                writer.add_document(document)


class Engine:
    """One process's handle on the index in one folder."""

    def __init__(self, root):
        self.root = Path(root)
        self.lock = threading.RLock()
        self.index = None
        self.build = None  # the folder in use
        self.state = None
        self.stamp = None  # (CURRENT's, state.json's) modification times when last read
        self.rebuilding = False
        self.problem = None  # why the index is not in use, for the log and the status command

    # Reading

    def searcher(self):
        """A searcher on an index that has applied every committed change, or Unavailable."""
        with self.lock:
            try:
                self._follow_current()
                if self.index is None:
                    raise Unavailable(self.problem or "no index")
                self._catch_up()
                return self.index.searcher()
            except Unavailable:
                raise
            except Exception as error:  # a damaged index: fall back now, rebuild aside
                log.exception("The search index failed; searching the database instead.")
                self._discard(f"failed: {error}")
                raise Unavailable(str(error)) from error

    def _stamps(self):
        current = self.root / "CURRENT"
        try:
            first = current.stat().st_mtime_ns
            name = current.read_text().strip()
            second = (self.root / name / "state.json").stat().st_mtime_ns
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        return name, (first, second)

    def _follow_current(self):
        """Open the build CURRENT names, or reload it if another process wrote to it."""
        name, stamp = self._stamps()
        if stamp == self.stamp and self.index is not None:
            return
        if name is None:
            self._discard("missing")
            return
        folder = self.root / name
        try:
            state = json.loads((folder / "state.json").read_text())
            if state.get("version") != schema.VERSION:
                self._discard("built by another version")
                return
            index = self.index if folder == self.build else _open(folder)
            index.reload()
        except Exception as error:
            log.warning("The search index in %s cannot be read (%s); rebuilding it.", folder, error)
            self._discard(f"unreadable: {error}")
            return
        if folder != self.build and not self._in_step_with_log(state):
            return
        self.index, self.build, self.state, self.stamp = index, folder, state, stamp
        self.problem = None

    def _in_step_with_log(self, state):
        """False (and a rebuild) when the log cannot bring this build up to date."""
        first = SearchChange.objects.order_by("id").values_list("id", flat=True).first()
        if state["applied"] > _latest_change():
            self._discard("ahead of the database (restored or rolled back)")
            return False
        if first is not None and state["applied"] < first - 1:
            self._discard("older than the change log")
            return False
        return True

    def _discard(self, problem):
        self.index = self.build = self.state = self.stamp = None
        self.problem = problem
        self.start_rebuild()

    # Writing

    def _catch_up(self):
        # One query on the log's primary key: is anything waiting, and is the log still
        # ahead of this build (it is not after a restore of an older database)?
        latest = _latest_change()
        if latest < self.state["applied"]:
            self._discard("ahead of the database (restored or rolled back)")
            raise Unavailable(self.problem)
        waiting = latest > self.state["applied"] or (
            self.state["gaps"] and SearchChange.objects.filter(_pending(self.state)).exists()
        )
        if not waiting:
            return
        try:
            writer = self.index.writer(HEAP, 1)
        except ValueError as error:
            if "LockBusy" not in str(error):
                raise  # a damaged index: rebuilt, and the database answers meanwhile
            self._wait_for_other_writer()  # another process applies: wait for it
            return
        try:
            self._apply_all(writer)
        finally:
            del writer  # releases Tantivy's lock

    def _wait_for_other_writer(self):
        deadline = time.monotonic() + WAIT_FOR_WRITER
        while time.monotonic() < deadline:
            time.sleep(0.02)
            self._follow_current()
            if self.index is None:
                break
            if not SearchChange.objects.filter(_pending(self.state)).exists():
                return
        raise Unavailable("another process is applying changes")

    def _apply_all(self, writer):
        state = dict(self.state)
        while True:
            top = _latest_change()
            rows = list(
                SearchChange.objects.filter(_pending(state), id__lte=top)
                .order_by("id")
                .values_list("id", "record_type", "object_id")[:APPLY_BATCH]
            )
            if not rows:
                break
            apply_changes(self.index, writer, rows)
            writer.commit()
            reached = top if len(rows) < APPLY_BATCH else rows[-1][0]
            state["gaps"] = _gaps(state, [row[0] for row in rows], reached)
            state["applied"] = max(state["applied"], reached)
            _write_json(self.build / "state.json", state)
            if len(rows) < APPLY_BATCH:
                break
        writer.wait_merging_threads()
        self.index.reload()
        self.state = state
        self.stamp = self._stamps()[1]

    # Rebuilding

    def start_rebuild(self):
        """Rebuild in the background (or now, if settings say so); searches meanwhile go to
        the database."""
        if self.rebuilding:
            return
        self.rebuilding = True
        if settings.MEMORIA_SEARCH_REBUILD == "inline":
            try:
                with contextlib.suppress(Exception):
                    self.rebuild()
                    self._follow_current()
            finally:
                self.rebuilding = False
            return

        def run():
            try:
                self.rebuild()
            except Exception:
                log.exception("Rebuilding the search index failed.")
            finally:
                self.rebuilding = False
                connection.close()

        threading.Thread(target=run, name="search-rebuild", daemon=True).start()

    def rebuild(self, progress=None):
        """Build the index afresh from the database and put it in use; returns its size."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "rebuild.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Unavailable("another process is rebuilding the index") from None
            return self._rebuild(progress)

    def _rebuild(self, progress):
        # Changes logged from here on are applied after the swap: applying one twice is
        # harmless, missing one is not.
        applied = _latest_change()
        recent = set(
            SearchChange.objects.filter(id__gt=applied - 10_000).values_list("id", flat=True)
        )
        folder = self.root / f"build-{time.time_ns()}"
        folder.mkdir()
        total = 0
        try:
            index = tantivy.Index(schema.schema(), path=str(folder))
            index.register_tokenizer(schema.ANALYZER, schema.analyzer())
            writer = index.writer(256_000_000, 1)
            for model in RECORD_MODELS:
                for document in schema.documents(model):
                    writer.add_document(document)
                    total += 1
                    if progress and total % 50_000 == 0:
                        progress(total)
            writer.commit()
            writer.wait_merging_threads()
            del writer
            state = {"version": schema.VERSION, "applied": applied, "gaps": [], "documents": total}
            state["gaps"] = _gaps(
                {"applied": max(applied - 10_000, 0), "gaps": []}, recent, applied
            )
            _write_json(folder / "state.json", state)
            temporary = self.root / "CURRENT.tmp"
            with open(temporary, "w") as file:
                file.write(folder.name)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.root / "CURRENT")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        # Other machines read the log too: only rows older than any of them can lag are pruned,
        # and none the bulk dump has yet to apply.
        cutoff = timezone.now() - datetime.timedelta(days=LOG_DAYS)
        written = dump.current()
        kept = min(applied, written.watermark) if written else applied
        SearchChange.objects.filter(id__lt=kept, created_at__lt=cutoff).delete()
        for old in self.root.glob("build-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
        return total
