import functools

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command

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


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # the API's rate limits count in the cache: each test starts afresh
    # No collectstatic before tests: plain storage instead of the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
