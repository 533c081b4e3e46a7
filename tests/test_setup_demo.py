import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpRequest

from catalogue.models import Document, Person
from catalogue.roles import ARCHIVIST

pytestmark = pytest.mark.django_db


def run_setup_demo():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_the_demo_command_loads_the_collection_and_prints_a_login_that_works(client):
    output = run_setup_demo()
    assert "Loaded the MRTA demo collection" in output
    assert Person.objects.public().exists() and Document.objects.public().exists()

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
