"""Records with their title and main text in Spanish too: pages, search, exports, API, admin."""

import html
import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from catalogue import search
from catalogue.models import Language
from catalogue.roles import CATALOGUER

from . import factories
from .test_workflow import form_data

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EAD = "{http://ead3.archivists.org/schema/}"
EAC = "{urn:isbn:1-931666-33-4}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(autouse=True)
def default_language_afterwards():
    # LocaleMiddleware leaves the last request's language active in the test thread.
    yield
    translation.deactivate()


@pytest.fixture
def report():
    document = factories.document(
        title="Final Report of the Truth Commission",
        scope_and_content="The commission's findings on the violence.",
    )
    factories.translation(
        document,
        title="Informe final de la Comisión de la Verdad",
        text="Las conclusiones de la comisión sobre la violencia.",
    )
    search.index(document)
    return document


def get(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def visible(page):
    """The page without its JSON-LD, which carries every language on purpose."""
    return html.unescape(re.sub(r"<script.*?</script>", "", page, flags=re.S))


def heading(page):
    return re.search(r'<h1 id="record-heading"([^>]*)>(.*?)</h1>', page, re.S).groups()


def test_a_record_has_one_translation_per_language_and_never_an_empty_one(report):
    spanish = Language.objects.get(code="spa")
    with pytest.raises(IntegrityError), transaction.atomic():
        report.translations.create(language=spanish, title="Otro título")
    quechua = Language.objects.get(code="que")
    with pytest.raises(IntegrityError), transaction.atomic():
        report.translations.create(language=quechua)


def translation_form(client, document, **rows):
    url = reverse("admin:catalogue_document_change", args=[document.pk])
    return url, form_data(client.get(url)) | rows


def test_the_admin_refuses_a_translation_into_the_records_own_language(archivist_client):
    document = factories.document(title="Annual report")
    url, data = translation_form(
        archivist_client,
        document,
        **{
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": str(Language.objects.get(code="eng").pk),
            "translations-0-title": "Annual report",
        },
    )
    response = archivist_client.post(url, data)
    assert response.status_code == 200
    assert "The record itself is in this language" in response.content.decode()
    assert not document.translations.exists()


def test_a_cataloguer_cannot_change_the_translations_of_a_published_record(client):
    user = User.objects.create_user("cata", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=CATALOGUER))
    client.force_login(user)
    person = factories.person()
    factories.translation(person, text="Una vida.")
    page = client.get(reverse("admin:catalogue_person_change", args=[person.pk]))
    inline = next(
        formset
        for formset in page.context["inline_admin_formsets"]
        if formset.formset.prefix == "translations"
    )
    assert not inline.has_add_permission
    assert not inline.has_change_permission
