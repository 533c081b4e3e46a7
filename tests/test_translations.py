"""Records with their title and main text in Spanish too: pages, search, exports, API, admin."""

import html
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from catalogue import search
from catalogue.models import Language, Record
from catalogue.roles import CATALOGUER

from . import factories
from .test_exports import assert_valid, parse
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


def test_a_spanish_page_shows_the_spanish_title_and_text_without_marking_their_language(
    client, report
):
    page = get(client, report.get_absolute_url(), "es")
    attributes, title = heading(page)
    assert html.unescape(title) == "Informe final de la Comisión de la Verdad"
    assert "lang=" not in attributes
    assert "<div><p>Las conclusiones de la comisión sobre la violencia.</p></div>" in page
    assert "The commission's findings" not in visible(page)


def test_an_english_page_shows_the_record_as_catalogued(client, report):
    page = get(client, report.get_absolute_url(), "en")
    attributes, title = heading(page)
    assert html.unescape(title) == "Final Report of the Truth Commission"
    assert "lang=" not in attributes
    assert "Las conclusiones" not in visible(page)


def test_an_untranslated_part_on_a_spanish_page_is_marked_as_english(client):
    person = factories.person(authorized_name="Ana Pérez", biography="A journalist.")
    factories.translation(person, text="Una periodista.")
    untranslated = factories.event(name="Hostage crisis", description="Four months.")
    page = get(client, person.get_absolute_url(), "es")
    assert heading(page) == (' lang="en"', "Ana Pérez")
    assert "<div><p>Una periodista.</p></div>" in page
    page = get(client, untranslated.get_absolute_url(), "es")
    assert heading(page) == (' lang="en"', "Hostage crisis")
    assert '<div lang="en"><p>Four months.</p></div>' in page


def test_a_spanish_word_of_a_translation_finds_the_record(client, report):
    page = get(client, "/search/?q=conclusiones", "es")
    assert "1 resultado" in page
    assert f'href="{report.get_absolute_url()}">Informe final de la Comisión' in html.unescape(page)
    assert "<mark>conclusiones</mark>" in page


def test_an_english_page_finds_by_a_spanish_word_and_marks_the_spanish_snippet(client, report):
    page = get(client, "/search/?q=conclusiones", "en")
    assert "1 result" in page
    assert html.unescape(report.title) in html.unescape(page)
    assert '<p class="snippet" lang="es">Las <mark>conclusiones</mark>' in page


def test_browse_lists_show_translated_titles_in_spanish(client, report):
    page = visible(get(client, "/documents/", "es"))
    assert "Informe final de la Comisión de la Verdad" in page
    assert "Final Report of the Truth Commission" not in page


def test_the_translation_of_a_record_the_public_cannot_see_is_never_shown_or_found(client):
    draft = factories.document(title="Draft report", status=Record.Status.DRAFT)
    factories.translation(draft, title="Informe borrador", text="Texto zqxoculto.")
    search.index(draft)
    assert "0 resultados" in get(client, "/search/?q=zqxoculto", "es")
    assert client.get(draft.get_absolute_url()).status_code == 404
    api = client.get(reverse("api:document-list")).json()
    assert "zqxoculto" not in json.dumps(api)


def test_a_translation_is_indexed_again_when_the_record_is_rebuilt(client, report):
    search.rebuild()
    assert "1 result" in get(client, "/search/?q=comision+verdad", "en")


def test_the_ead3_finding_aid_gives_the_spanish_title_and_scope_with_their_language(client, report):
    ead = parse(client.get(reverse("document_ead3", args=[report.public_id])).content)
    assert_valid("ead3", ead)
    assert ead.find(f"{EAD}control").get("langencoding") == "iso639-3"
    titles = {t.get("lang"): t.text for t in ead.iter(f"{EAD}unittitle")}
    assert titles == {
        None: "Final Report of the Truth Commission",
        "spa": "Informe final de la Comisión de la Verdad",
    }
    scopes = {s.get("lang"): s.findtext(f"{EAD}p") for s in ead.iter(f"{EAD}scopecontent")}
    assert scopes["spa"] == "Las conclusiones de la comisión sobre la violencia."


def test_the_eac_cpf_record_gives_the_spanish_name_and_history_with_xml_lang(client):
    organization = factories.organization(
        authorized_name="Truth and Reconciliation Commission", history="Created in 2001."
    )
    factories.translation(
        organization, title="Comisión de la Verdad y Reconciliación", text="Creada en 2001."
    )
    eac = parse(client.get(reverse("organization_eac_cpf", args=[organization.public_id])).content)
    assert_valid("eac_cpf", eac)
    histories = {h.get(XML_LANG): h.findtext(f"{EAC}p") for h in eac.iter(f"{EAC}biogHist")}
    assert histories == {"en": "Created in 2001.", "es": "Creada en 2001."}
    names = {
        entry.findtext(f"{EAC}part"): entry.get(XML_LANG) for entry in eac.iter(f"{EAC}nameEntry")
    }
    assert names["Comisión de la Verdad y Reconciliación"] == "es"


def test_dublin_core_gives_each_title_and_description_with_its_language(client, report):
    dc = parse(client.get(reverse("document_dc", args=[report.public_id])).content)
    assert_valid("dc", dc)
    found = {
        (e.tag, e.get(XML_LANG), e.text) for e in dc if e.tag in {f"{DC}title", f"{DC}description"}
    }
    assert found == {
        (f"{DC}title", None, "Final Report of the Truth Commission"),
        (f"{DC}title", "es", "Informe final de la Comisión de la Verdad"),
        (f"{DC}description", "en", "The commission's findings on the violence."),
        (f"{DC}description", "es", "Las conclusiones de la comisión sobre la violencia."),
    }


def test_json_ld_gives_the_translations_as_language_tagged_values(client, report):
    data = client.get(reverse("document_jsonld", args=[report.public_id])).json()
    assert data["name"] == [
        "Final Report of the Truth Commission",
        {"@value": "Informe final de la Comisión de la Verdad", "@language": "es"},
    ]
    assert data["description"] == [
        {"@value": "The commission's findings on the violence.", "@language": "en"},
        {"@value": "Las conclusiones de la comisión sobre la violencia.", "@language": "es"},
    ]


def test_json_ld_of_an_untranslated_record_is_as_before(client):
    event = factories.event(name="Hostage crisis", description="Four months.")
    data = client.get(reverse("event_jsonld", args=[event.public_id])).json()
    assert data["name"] == "Hostage crisis"
    assert data["description"] == "Four months."


def test_the_api_gives_a_records_translations(client, report):
    data = client.get(reverse("api:document-detail", args=[report.public_id])).json()
    assert data["translations"] == [
        {
            "language": "spa",
            "title": "Informe final de la Comisión de la Verdad",
            "text": "Las conclusiones de la comisión sobre la violencia.",
        }
    ]
    assert data["title"] == "Final Report of the Truth Commission"
    listed = client.get(reverse("api:document-list")).json()["results"]
    assert listed[0]["translations"][0]["language"] == "spa"


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


def test_an_archivist_adds_a_spanish_translation_in_the_admin_and_it_is_found(
    archivist_client, client
):
    document = factories.document(title="Annual report")
    url, data = translation_form(
        archivist_client,
        document,
        **{
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": str(Language.objects.get(code="spa").pk),
            "translations-0-title": "Informe anual",
            "translations-0-text": "",
        },
    )
    response = archivist_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert document.translations.get().title == "Informe anual"
    assert "1 resultado" in get(client, "/search/?q=anual", "es")


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
