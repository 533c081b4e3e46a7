"""The public pages in Spanish, the language most of this archive's readers use."""

import ast
import gettext
import html
import re

import pytest
from django.conf import settings
from django.utils import translation

from catalogue import search

from . import factories

pytestmark = pytest.mark.django_db

CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(autouse=True)
def default_language_afterwards():
    # LocaleMiddleware leaves the last request's language active in the test thread.
    yield
    translation.deactivate()


def po_entries(path):
    """The entries of a .po file as dicts: msgid, msgid_plural, msgstr (or msgstr[n]), flags."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry = None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, quoted = line.split(" ", 1)
            entry[key] = ast.literal_eval(quoted)
    return entries


@pytest.fixture(scope="module")
def spanish_po():
    header, *entries = po_entries(CATALOGUE / "django.po")
    return header, entries


def translations_of(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def page_text(response):
    body = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def shows(text, words):
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def test_the_spanish_catalogue_declares_spanish_utf8_and_two_plural_forms(spanish_po):
    header, _entries = spanish_po
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: es\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_every_entry_of_the_spanish_catalogue_is_translated_and_none_is_fuzzy(spanish_po):
    _header, entries = spanish_po
    assert len(entries) > 400
    untranslated = [e["msgid"] for e in entries if not all(translations_of(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_every_spanish_translation_keeps_the_placeholders_of_its_english_text(spanish_po):
    _header, entries = spanish_po
    broken = []
    for entry in entries:
        if "msgid_plural" in entry:
            pairs = [
                (entry["msgid"], entry["msgstr[0]"]),
                (entry["msgid_plural"], entry["msgstr[1]"]),
            ]
        else:
            pairs = [(entry["msgid"], entry["msgstr"])]
        broken += [
            english
            for english, spanish in pairs
            if set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(spanish))
        ]
    assert broken == []


def test_the_compiled_spanish_catalogue_is_in_step_with_the_po(spanish_po):
    _header, entries = spanish_po
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in entries:
        if "msgid_plural" in entry:
            singular, plural = entry["msgid"], entry["msgid_plural"]
            if compiled.ngettext(singular, plural, 1) != entry["msgstr[0]"]:
                stale.append(singular)
            if compiled.ngettext(singular, plural, 2) != entry["msgstr[1]"]:
                stale.append(plural)
        elif compiled.gettext(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == []


# The same pages, one per kind, asked for by a browser set to Spanish or to English.


@pytest.fixture
def report():
    document = factories.document(
        title="Informe final de la Comisión de la Verdad",
        dates="2003-08",
        extent_and_medium="9 tomos",
        kind="report",
    )
    search.rebuild()
    return document


PAGES = {
    "home": (
        lambda report: "/",
        ["Buscar en el archivo", "Lo que conserva el archivo", "Casos judiciales"],
        ["Search the archive", "What the archive holds", "Legal cases"],
    ),
    "search": (
        lambda report: "/search/?q=comision",
        ["1 resultado", "Tipo de registro", "Fecha, primero la más antigua", "agosto de 2003"],
        ["1 result", "Record type", "Date, oldest first", "August 2003"],
    ),
    "browse": (
        lambda report: "/documents/",
        ["Filtrar", "Tipo documental", "Aplicar filtros", "1 registro"],
        ["Filter", "Document type", "Apply filters", "1 record"],
    ),
    "detail": (
        lambda report: report.get_absolute_url(),
        ["Código de referencia", "Volumen y soporte", "agosto de 2003", "Cómo citar"],
        ["Reference code", "Extent and medium", "August 2003", "Cite this"],
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_browser_asking_for_spanish_gets_the_page_in_spanish(client, report, page):
    url, spanish, english = PAGES[page]
    response = client.get(url(report), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    assert response["Content-Language"] == "es"
    text = page_text(response)
    assert all(shows(text, words) for words in spanish), text
    assert not any(shows(text, words) for words in english), text


@pytest.mark.parametrize("page", PAGES)
def test_the_spanish_page_has_the_same_address_as_the_english_one(client, report, page):
    url, _spanish, english = PAGES[page]
    response = client.get(url(report), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    text = page_text(response)
    assert all(shows(text, words) for words in english), text


def test_the_language_switcher_brings_the_visitor_back_to_the_same_page_in_spanish(client):
    factories.document(title="Informe de la Defensoría", kind="report")
    factories.document(title="Carta a la familia", kind="letter")
    page = "/documents/?kind=report&sort=title"
    english = client.get(page)
    assert '<html lang="en">' in english.content.decode()
    next_field = re.search(r'name="next" value="([^"]*)"', english.content.decode())
    assert html.unescape(next_field[1]) == page

    response = client.get(
        "/i18n/setlang/", {"language": "es", "next": html.unescape(next_field[1])}, follow=True
    )

    assert response.redirect_chain == [(page, 302)]
    assert '<html lang="es">' in response.content.decode()
    text = page_text(response)
    assert "1 registro" in text
    assert "Informe de la Defensoría" in text
    assert "Carta a la familia" not in text
    assert response.context["sort"] == "title"


def test_the_chosen_language_stays_for_the_rest_of_the_visit(client):
    client.get("/i18n/setlang/", {"language": "es", "next": "/"})
    response = client.get("/search/")
    assert '<html lang="es">' in response.content.decode()
    assert "Escriba una o más palabras" in page_text(response)


@pytest.mark.parametrize(
    ("dates", "in_spanish"),
    [
        ("1997-04-22", "22 de abril de 1997"),
        ("1997-04", "abril de 1997"),
        ("1997", "1997"),
        ("199X", "la década de 1990"),
        ("19XX", "el período 1900-1999"),
        ("1990~", "hacia 1990"),
        ("1997?", "1997 (fecha incierta)"),
        ("1997%", "hacia 1997 (fecha incierta)"),
        ("1982/1997-04", "1982 – abril de 1997"),
        ("1984/..", "desde 1984"),
        ("../1984", "hasta 1984"),
        ("1984/", "desde 1984 hasta una fecha desconocida"),
        ("/1984", "desde una fecha desconocida hasta 1984"),
    ],
)
def test_edtf_dates_read_naturally_in_spanish_on_a_detail_page(client, dates, in_spanish):
    document = factories.document(dates=dates)
    response = client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    shown = re.search(r'<time data-edtf="[^"]*">(.*?)</time>', response.content.decode())
    assert html.unescape(shown[1]) == in_spanish
