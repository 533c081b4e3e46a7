"""The embedded index shared by processes and machines, and what happens when it breaks."""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from catalogue import search
from catalogue.models import Record, SearchChange
from catalogue.search import engine
from catalogue.search.engine import Filters, Searcher, store

from . import factories

pytestmark = pytest.mark.django_db


def in_use(folder):
    return (Path(folder) / "CURRENT").read_text().strip()


def state_of(folder):
    return Path(folder) / in_use(folder) / "state.json"


def document(**values):
    """A public document, with the search entry the database's path reads."""
    found = factories.document(**values)
    search.index(found)
    return found


def found(client, text):
    response = client.get(reverse("search"), {"q": text, "sort": "date"})
    assert response.status_code == 200
    counted = sum(n for _type, n in response.context["counts"])
    pks = [record.pk for _type, record in response.context["results"]]
    assert counted == len(pks)
    return pks


def counted_by(engine_, text):
    """How many records one process's engine finds, from its own view of the index."""
    searcher = Searcher(engine_.searcher(), engine_.index.schema)
    return searcher.counts(search.parse(text), Filters())["document"]


# Several processes, several machines.


def test_a_change_applied_by_one_process_is_read_by_another_on_the_same_folder(search_index):
    document(title="Huancayo report")
    first, second = store.Engine(search_index), store.Engine(search_index)
    assert counted_by(first, "huancayo") == counted_by(second, "huancayo") == 1

    document(title="Huancayo letter")
    assert counted_by(first, "huancayo") == 2
    # The second process cannot take the writer: it finds the change only by reloading
    # what the first applied.
    writer = first.index.writer(store.HEAP, 1)
    try:
        assert counted_by(second, "huancayo") == 2
    finally:
        del writer


def test_two_machines_with_their_own_folders_both_catch_up_from_the_change_log(tmp_path):
    document(title="Huancayo report")
    machines = [store.Engine(tmp_path / "one"), store.Engine(tmp_path / "two")]
    assert [counted_by(machine, "huancayo") for machine in machines] == [1, 1]
    builds = [in_use(tmp_path / name) for name in ("one", "two")]

    document(title="Huancayo letter")
    draft = factories.document(title="Huancayo notes", status=Record.Status.DRAFT)
    draft.status = Record.Status.PUBLISHED
    draft.save()  # as a script would

    assert [counted_by(machine, "huancayo") for machine in machines] == [3, 3]
    assert [in_use(tmp_path / name) for name in ("one", "two")] == builds


def test_while_another_process_applies_changes_search_answers_from_the_database(
    client, search_index, monkeypatch
):
    monkeypatch.setattr(store, "WAIT_FOR_WRITER", 0.1)  # not two seconds a search, here
    first = document(title="Huancayo report")
    assert found(client, "huancayo") == [first.pk]
    other_process = store.Engine(search_index)
    other_process.searcher()
    writer = other_process.index.writer(store.HEAP, 1)
    try:
        second = document(title="Huancayo letter", dates="1998")
        assert search.engine.searcher() is None
        assert found(client, "huancayo") == [first.pk, second.pk]
    finally:
        del writer
    assert search.engine.searcher() is not None
    assert found(client, "huancayo") == [first.pk, second.pk]


def in_another_process(folder, code):
    """The last line `code` prints, run by `manage.py shell` on this test's database."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    environment = os.environ | {
        "DATABASE_URL": url,
        "MEMORIA_SEARCH_DIR": folder,
        "MEMORIA_SEARCH_REBUILD": "inline",
        "MEMORIA_SEARCH_ENGINE": "tantivy",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's test database is in memory: no other process can open it",
)
@pytest.mark.django_db(transaction=True)
def test_a_change_made_in_another_process_is_found_here_and_the_other_way_round(
    client, search_index
):
    first = document(title="Huancayo report")
    assert found(client, "huancayo") == [first.pk]
    build = in_use(search_index)

    made_there = in_another_process(
        search_index,
        "from catalogue import search\n"
        "from tests import factories\n"
        "document = factories.document(title='Huancayo letter', dates='1998')\n"
        "search.index(document)\n"
        "assert search.engine.searcher() is not None\n"
        "print(document.pk)",
    )
    state = json.loads(state_of(search_index).read_text())
    assert state["applied"] == SearchChange.objects.latest("id").id  # applied over there
    written = state_of(search_index).stat().st_mtime_ns
    assert found(client, "huancayo") == [first.pk, int(made_there)]
    assert state_of(search_index).stat().st_mtime_ns == written  # read here, not applied

    third = document(title="Huancayo notes", dates="1999")
    assert found(client, "huancayo") == [first.pk, int(made_there), third.pk]
    seen_there = in_another_process(
        search_index,
        "from catalogue import search\n"
        "assert search.engine.searcher() is not None\n"
        "print(search.counts(search.parse('huancayo'))['document'])",
    )
    assert seen_there == "3"
    assert in_use(search_index) == build


# Faults: a search still answers, and the index is built again.


def test_a_deleted_index_is_built_again_and_search_answers_meanwhile(client, search_index):
    first = document(title="Huancayo report")
    assert found(client, "huancayo") == [first.pk]
    build = in_use(search_index)
    shutil.rmtree(search_index)
    second = document(title="Huancayo letter", dates="1998")

    assert found(client, "huancayo") == [first.pk, second.pk]
    assert search.engine.searcher() is not None
    assert in_use(search_index) != build


def a_damaged(folder, suffix):
    """Garbage in place of one of the build's files, as a bad disk or a bad copy leaves it.

    A new file under the old name: this process still reads the old one it has mapped, as a
    running server would, while a process that starts opens the damaged one.
    """
    path = next((Path(folder) / in_use(folder)).glob(f"*{suffix}"))
    path.unlink()
    path.write_bytes(b"\x00garbage\xff" * 50)


@pytest.mark.parametrize("suffix", [".term", ".idx", "meta.json"])
def test_a_damaged_file_is_rebuilt_by_the_next_process_with_no_error_page(
    client, search_index, suffix
):
    first = document(title="Huancayo report")
    assert found(client, "huancayo") == [first.pk]
    build = in_use(search_index)
    a_damaged(search_index, suffix)
    assert found(client, "huancayo") == [first.pk]  # this process: what it has read

    engine._engines.pop(search_index)  # a process that starts now
    assert found(client, "huancayo") == [first.pk]
    assert search.engine.searcher() is not None
    assert in_use(search_index) != build


def test_a_damaged_meta_file_found_while_applying_a_change_is_rebuilt(
    client, search_index, monkeypatch
):
    monkeypatch.setattr(store, "WAIT_FOR_WRITER", 0.1)  # not two seconds a search, here
    first = document(title="Huancayo report")
    assert found(client, "huancayo") == [first.pk]
    build = in_use(search_index)
    a_damaged(search_index, "meta.json")
    second = document(title="Huancayo letter", dates="1998")

    assert found(client, "huancayo") == [first.pk, second.pk]
    assert search.engine.searcher() is not None
    assert in_use(search_index) != build


def test_a_rebuild_that_fills_the_disk_leaves_the_old_index_serving(client, search_index):
    words = [
        document(scope_and_content=" ".join(f"w{n}x{i}" for i in range(100))) for n in range(25)
    ]
    assert found(client, "w3x7") == [words[3].pk]
    build = in_use(search_index)
    # A real full disk, for this process: writing past 4 KB into any file fails (EFBIG).
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        with pytest.raises(ValueError, match="File too large"):
            search.engine.rebuild()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)

    assert in_use(search_index) == build
    assert [path.name for path in Path(search_index).glob("build-*")] == [build]
    latest = document(title="w3x7")
    assert search.engine.searcher() is not None
    assert found(client, "w3x7") == [words[3].pk, latest.pk]
    assert in_use(search_index) == build


def an_index_ahead_of_the_database(folder):
    """The index's state as after the database was restored from an older backup."""
    state_file = state_of(folder)
    state = json.loads(state_file.read_text())
    state["applied"] = SearchChange.objects.latest("id").id + 1000
    state_file.write_text(json.dumps(state))


def test_an_index_ahead_of_the_change_log_is_rebuilt_by_the_next_process(client, search_index):
    first = document(title="Huancayo report")
    assert found(client, "huancayo") == [first.pk]
    build = in_use(search_index)
    an_index_ahead_of_the_database(search_index)
    second = document(title="Huancayo letter", dates="1998")  # a change it would skip

    engine._engines.pop(search_index)  # a process that starts now
    assert found(client, "huancayo") == [first.pk, second.pk]
    assert in_use(search_index) != build


def test_a_running_process_notices_an_index_ahead_of_the_change_log(client, search_index):
    first = document(title="Huancayo report")
    assert found(client, "huancayo") == [first.pk]
    build = in_use(search_index)
    an_index_ahead_of_the_database(search_index)
    second = document(title="Huancayo letter", dates="1998")

    assert found(client, "huancayo") == [first.pk, second.pk]
    assert in_use(search_index) != build
