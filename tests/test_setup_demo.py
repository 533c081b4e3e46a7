import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpRequest

from catalogue.models import RECORD_MODELS, Document, Person
from catalogue.roles import ARCHIVIST

pytestmark = pytest.mark.django_db


def run_setup_demo():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_address_in_the_environment(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)


def test_the_demo_command_loads_the_collection_and_prints_a_login_that_works(client):
    output = run_setup_demo()
    assert "Loaded the MRTA demo collection" in output
    assert Person.objects.public().exists() and Document.objects.public().exists()
    not_public = sum(
        model.objects.exclude(pk__in=model.objects.public()).count() for model in RECORD_MODELS
    )
    assert not_public > 0
    assert f"{not_public} of them are not public" in output
    assert "Archivist login for http://127.0.0.1:8000/admin/" in output

    username = re.search(r"username: (\S+)", output).group(1)
    password = re.search(r"password: (\S+)", output).group(1)
    # The login lockout needs to see the request a password comes with.
    assert client.login(request=HttpRequest(), username=username, password=password)
    user = User.objects.get(username=username)
    assert user.is_staff and user.groups.filter(name=ARCHIVIST).exists()
    assert client.get("/admin/catalogue/person/").status_code == 200


def test_running_the_demo_command_again_keeps_the_records_and_resets_the_password(client):
    run_setup_demo()
    count = Person.objects.count()
    output = run_setup_demo()
    assert "was not loaded" in output
    assert Person.objects.count() == count
    password = re.search(r"password: (\S+)", output).group(1)
    assert client.login(request=HttpRequest(), username="archivist", password=password)


def test_the_login_names_the_admin_on_the_host_and_port_make_demo_serves(monkeypatch):
    monkeypatch.setenv("HOST", "localhost")
    monkeypatch.setenv("PORT", "8001")
    assert "Archivist login for http://localhost:8001/admin/" in run_setup_demo()
    monkeypatch.setenv("HOST", "::1")
    assert "Archivist login for http://[::1]:8001/admin/" in run_setup_demo()
