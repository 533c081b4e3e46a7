import pytest

from catalogue.models import Record

from . import factories

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_only_published_records(client):
    factories.person()
    factories.person(status=Record.Status.DRAFT)
    factories.person(status=Record.Status.WITHDRAWN)
    response = client.get("/")
    assert response.status_code == 200
    counts = {type_.name: n for type_, n in response.context["counts"]}
    assert counts["person"] == 1
