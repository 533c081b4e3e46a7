"""Public pages a shared cache (nginx, Varnish, a CDN) can keep: no cookie, Cache-Control, 304."""

import pytest
from django.urls import reverse

from catalogue.models import ApiKey

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    return factories.document(title="Report on the embassy", kind="report", dates="1997-04")


def public_addresses(report):
    return [
        "/",
        "/about/",
        "/search/?q=embassy",
        "/documents/?kind=report&date_from=1990",
        report.get_absolute_url(),
        f"/documents/{report.public_id}/dc.xml",
        "/api/v1/",
        "/api/v1/documents/?kind=report",
        f"/api/v1/documents/{report.public_id}/",
        "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/sitemap.xml",
    ]


def test_public_pages_set_no_cookie_and_say_a_shared_cache_may_keep_them_a_minute(client, report):
    for address in public_addresses(report):
        response = client.get(address)
        assert response.status_code == 200, address
        assert not response.cookies, address
        assert response["Cache-Control"] == "public, max-age=60", address
        varies = {name.strip().lower() for name in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= varies, address
        assert response.has_header("ETag"), address


def test_no_public_page_carries_a_csrf_token(client, report):
    for address in ["/", "/search/?q=embassy", "/documents/", report.get_absolute_url()]:
        assert "csrfmiddlewaretoken" not in client.get(address).text


def test_a_reader_who_already_has_the_page_is_answered_304_without_a_body(client, report):
    for address in public_addresses(report):
        if "oai" in address:
            continue  # every OAI-PMH answer carries the moment it was made
        first = client.get(address)
        again = client.get(address, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, address
        assert again.content == b""
        assert again["Cache-Control"] == "public, max-age=60"


def test_a_record_page_is_sent_again_once_the_record_changed(client, report):
    first = client.get(report.get_absolute_url())
    report.title = "Report on the embassy, revised"
    report.save()
    again = client.get(report.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "revised" in again.text


def test_the_page_in_spanish_has_its_own_etag(client, report):
    english = client.get(report.get_absolute_url(), headers={"Accept-Language": "en"})
    spanish = client.get(
        report.get_absolute_url(),
        headers={"Accept-Language": "es", "If-None-Match": english["ETag"]},
    )
    assert spanish.status_code == 200
    assert '<html lang="es">' in spanish.text


def test_how_long_a_cache_may_keep_a_page_is_a_setting(client, report, settings):
    settings.MEMORIA_PUBLIC_MAX_AGE = 5
    assert client.get("/documents/")["Cache-Control"] == "public, max-age=5"


def test_an_unknown_record_is_a_404_a_cache_keeps_no_longer_than_a_page(client):
    response = client.get("/documents/nosuchid00/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "public, max-age=60"


def test_bad_input_and_tidied_addresses_are_not_marked_for_keeping(client):
    bad = client.get("/documents/", {"date_from": "soon"})
    assert bad.status_code == 400
    tidied = client.get("/documents/", {"utm_source": "mail"})
    assert tidied.status_code == 302
    for response in (bad, tidied):
        assert "public" not in response.get("Cache-Control", "")


def test_a_signed_in_archivist_gets_public_pages_no_cache_may_store(archivist_client, report):
    for address in ["/", report.get_absolute_url(), "/api/v1/documents/"]:
        response = archivist_client.get(address)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, address
        assert "public" not in cache_control


def test_the_admin_is_never_stored(archivist_client):
    response = archivist_client.get(reverse("admin:index"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_partner_calling_with_a_key_gets_answers_no_shared_cache_may_store(client, report):
    key = ApiKey(institution="Partner archive", contact_email="it@partner.example")
    secret = key.issue()
    key.save()
    for headers in ({"Authorization": f"Api-Key {secret}"}, {"X-Api-Key": secret}):
        response = client.get("/api/v1/documents/", headers=headers)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_the_language_switcher_is_a_get_form_that_sets_only_the_language_cookie(client, report):
    page = client.get(report.get_absolute_url()).text
    assert 'class="language" action="/i18n/setlang/" method="get"' in page

    switched = client.get("/i18n/setlang/", {"language": "es", "next": report.get_absolute_url()})

    assert switched.status_code == 302
    assert switched.url == report.get_absolute_url()
    assert set(switched.cookies) == {"django_language"}
    assert switched.cookies["django_language"].value == "es"
    assert "no-store" in switched["Cache-Control"]
    spanish = client.get(report.get_absolute_url())
    assert '<html lang="es">' in spanish.text
    assert not spanish.cookies


@pytest.mark.parametrize(
    "target", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_the_language_switcher_never_sends_a_visitor_to_another_site(client, target):
    response = client.get("/i18n/setlang/", {"language": "es", "next": target})
    assert response.status_code == 302
    assert response.url == "/"


def test_the_language_switcher_ignores_a_language_the_site_does_not_have(client):
    response = client.get("/i18n/setlang/", {"language": "xx", "next": "/about/"})
    assert response.url == "/about/"
    assert not response.cookies
