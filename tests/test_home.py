import pytest
from django.contrib.auth.models import Group

from catalogue.models import AboutText, Record
from catalogue.roles import ARCHIVIST, CATALOGUER, ensure_groups

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


def test_the_home_page_counts_public_documents_by_decade_with_links_to_them(client):
    factories.document(dates="1984")
    factories.document(dates="1996-12-17")
    factories.document(dates="1997-04")
    factories.document(dates="1992", status=Record.Status.DRAFT)
    response = client.get("/")
    assert response.context["decades"] == [(1980, 1), (1990, 2)]
    html = response.content.decode()
    assert "date_from=1990&amp;date_to=1999" in html
    assert "2 documents" in html


def test_the_about_page_is_written_by_archivists_in_each_language(client, settings):
    assert "About the archive" in client.get("/about/").content.decode()
    AboutText.objects.create(
        language="en",
        title="About us",
        summary="A human-rights archive.",
        body="We keep.\n\nWe share.",
    )
    AboutText.objects.create(language="es", title="Sobre nosotros", body="Guardamos.")
    english = client.get("/about/").content.decode()
    assert "<h1>About us</h1>" in english and "<p>We share.</p>" in english
    assert "A human-rights archive." in client.get("/").content.decode()
    spanish = client.get("/about/", headers={"accept-language": "es"}).content.decode()
    assert "<h1>Sobre nosotros</h1>" in spanish


def test_cataloguers_read_but_do_not_edit_the_about_page(db):
    ensure_groups()
    cataloguer = Group.objects.get(name=CATALOGUER)
    codenames = set(cataloguer.permissions.values_list("codename", flat=True))
    assert "view_abouttext" in codenames and "change_abouttext" not in codenames
    archivist = Group.objects.get(name=ARCHIVIST)
    assert archivist.permissions.filter(codename="change_abouttext").exists()
