import datetime
import functools

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from catalogue import edtf
from catalogue.roles import ARCHIVIST


@pytest.fixture(autouse=True, scope="session")
def remembered_edtf_parses():
    # The EDTF grammar (pyparsing) takes 10-20 ms a date, and the factories give most records
    # the same few dates: parsing each text once halves the suite's time. Only the library's
    # parse of text it accepted is remembered; catalogue.edtf's own checks run on every call,
    # and text the grammar refuses is parsed, and refused, every time.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(edtf, "parse_edtf", functools.cache(edtf.parse_edtf))
        yield


@pytest.fixture(autouse=True, scope="session")
def fast_test_settings():
    # For the whole run, so that data built once for a module is made under them too.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        # No collectstatic before tests: plain storage instead of the hashed manifest.
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def search_index(tmp_path):
    """Each test searches through its own embedded index, built from its own data on the
    first search (inline, not in the background) and kept in step by the change log."""
    from catalogue.search import engine

    folder = str(tmp_path / "search-index")
    with override_settings(MEMORIA_SEARCH_DIR=folder, MEMORIA_SEARCH_REBUILD="inline"):
        yield folder
    engine._engines.pop(folder, None)


@pytest.fixture
def clock(monkeypatch):
    """Moves the site's clock forward, as the days passing would: `clock(days=10)`."""
    real_now = timezone.now

    def forward(days):
        monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=days))

    return forward


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the API's rate limits count in the cache: each test starts afresh


@pytest.fixture(autouse=True)
def catalogue_language():
    """Each test starts in the site's language: a request in another leaves it active in the
    thread, and what a service writes (a merge's summary) is worded in the active language."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction around the rest of a module, for data built once that its tests only read.

    A fixture that builds such data requests this one and unblocks the database while it
    builds. The transaction is rolled back after the module's last test. Each test's own
    transaction (the `db` fixture) is a savepoint inside it, so whatever a test writes is still
    undone when it ends. Every test that runs while it is open sees the data, so its users go
    last in their module; tests that commit (transactional_db, live_server) cannot run inside.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with django_db_blocker.block():  # the tests unblock it for themselves, as usual
            yield
        transaction.set_rollback(True)


@pytest.fixture
def archivist(db):
    user = User.objects.create_user("archie", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=ARCHIVIST))
    return user


@pytest.fixture
def archivist_client(client, archivist):
    client.force_login(archivist)
    return client


@pytest.fixture
def demo_collection(db):
    call_command("loaddata", "mrta", verbosity=0)


# The browser tests' one headless Chromium (tests/browser.py): started by the first test that
# asks for it, shared by every browser test of the run.


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    from . import browser

    yield from browser.start_chromium(tmp_path_factory)


@pytest.fixture
def browser(chromium):
    from . import browser as helpers

    return helpers.fresh(chromium)
