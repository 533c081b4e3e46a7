"""What a visitor does in a real browser: search, filter, follow a case to a person.

The shared headless Chromium and the helpers are in tests/browser.py. Screenshots of each
step land in artifacts/screenshots/.
"""

from types import SimpleNamespace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from catalogue import search
from catalogue.models import (
    CaseParty,
    Document,
    DocumentLink,
    LegalCase,
    Membership,
    Organization,
    PersonName,
    Record,
)

from . import factories
from .browser import (
    WAIT_SECONDS,
    check_page,
    follow,
    heading,
    open_page,
    pytestmark,  # noqa: F401 (skipped where Chromium is missing)
    screenshot,
    texts,
)


@pytest.fixture
def catalogue(transactional_db):
    """A small published catalogue around Víctor Polay, plus drafts that must stay hidden."""
    mrta = factories.organization(
        authorized_name="Túpac Amaru Revolutionary Movement",
        acronym="MRTA",
        kind=Organization.Kind.ARMED_GROUP,
    )
    polay = factories.person(authorized_name="Víctor Polay Campos")
    PersonName.objects.create(
        person=polay, name="Comandante Rolando", kind=PersonName.Kind.NOM_DE_GUERRE
    )
    factories.membership(person=polay, organization=mrta, kind=Membership.Kind.LEADER)
    case = factories.legal_case(
        title="Trial of the MRTA leadership",
        jurisdiction=LegalCase.Jurisdiction.NATIONAL,
        kind=LegalCase.Kind.CRIMINAL,
        case_status=LegalCase.CaseStatus.DECIDED,
        date_decided="2006-03-21",
    )
    factories.case_party(
        case=case,
        person=polay,
        role=CaseParty.Role.DEFENDANT,
        outcome=CaseParty.Outcome.CONVICTED,
    )
    judgment = factories.document(
        title="Judgment of the National Criminal Chamber",
        kind=Document.Kind.JUDGMENT,
        dates="2006-03-21",
    )
    article = factories.document(
        title="Rebel leader escapes from Canto Grande prison",
        kind=Document.Kind.NEWS_ARTICLE,
        dates="1990-07-09",
    )
    report = factories.document(
        title="Final report of the Truth and Reconciliation Commission",
        kind=Document.Kind.REPORT,
        dates="2003-08-28",
    )

    # Drafts placed where a leak would show: they match the search, the filters, the case.
    draft_person = factories.person(
        authorized_name="Víctor Polay Unpublished Duplicate", status=Record.Status.DRAFT
    )
    factories.case_party(case=case, person=draft_person, role=CaseParty.Role.WITNESS)
    draft_document = factories.document(
        title="Unpublished memo on the MRTA leadership",
        kind=Document.Kind.REPORT,
        dates="2004-05",
        status=Record.Status.DRAFT,
    )
    for document in (judgment, article, report, draft_document):
        DocumentLink.objects.create(document=document, person=polay)

    # Records saved through the ORM are not indexed; the admin and setup commands do it.
    search.rebuild()
    return SimpleNamespace(
        polay=polay,
        case=case,
        judgment=judgment,
        article=article,
        report=report,
        drafts=[draft_person, draft_document],
    )


# The visit


def test_a_visitor_searches_filters_documents_and_follows_a_case_to_its_defendant(
    live_server, browser, catalogue
):
    drafts = catalogue.drafts

    # The home page, with its search box.
    open_page(browser, live_server.url + "/")
    assert heading(browser) == "Search the archive"
    check_page(browser, "01-home", drafts)

    # Searching without accents finds the person, and only the published one.
    box = browser.find_element(By.CSS_SELECTOR, "main input[type=search]")
    box.send_keys("victor polay")
    follow(browser, lambda: box.send_keys(Keys.ENTER))
    assert "/search/" in browser.current_url
    assert texts(browser, ".results .result h3 a") == ["Víctor Polay Campos"]
    assert browser.find_element(By.ID, "results-heading").text == "1 result"
    check_page(browser, "02-search-results-victor-polay", drafts)

    # Documents: a type facet and a date range narrow the list.
    follow(browser, lambda: browser.find_element(By.LINK_TEXT, "Documents").click())
    assert browser.current_url == live_server.url + "/documents/"
    assert heading(browser) == "Documents"
    assert browser.find_element(By.ID, "results-heading").text == "3 records"
    for kind in (Document.Kind.REPORT, Document.Kind.NEWS_ARTICLE):
        checkbox = browser.find_element(By.CSS_SELECTOR, f"input[name=kind][value={kind}]")
        label = browser.find_element(
            By.CSS_SELECTOR, f"label[for='{checkbox.get_attribute('id')}']"
        )
        # The draft report is never counted.
        assert label.text == f"{kind.label} (1)"
        label.click()
        assert checkbox.is_selected()
    browser.find_element(By.ID, "id_date_from").send_keys("2000")
    browser.find_element(By.ID, "id_date_to").send_keys("2010")
    apply = browser.find_element(By.XPATH, "//form[@class='filters']//button[@type='submit']")
    follow(browser, apply.click)
    # The 1990 article falls outside the dates, the 2006 judgment outside the types.
    assert texts(browser, ".results .result h3 a") == [catalogue.report.title]
    assert browser.find_element(By.ID, "results-heading").text == "1 record"
    assert browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=report]").is_selected()
    assert browser.find_element(By.ID, "id_date_from").get_attribute("value") == "2000"
    assert browser.find_element(By.ID, "id_date_to").get_attribute("value") == "2010"
    check_page(browser, "03-documents-reports-and-news-2000-to-2010", drafts)

    # The legal case, from the list of cases, with its parties.
    follow(browser, lambda: browser.find_element(By.LINK_TEXT, "Legal cases").click())
    assert heading(browser) == "Legal cases"
    follow(browser, lambda: browser.find_element(By.LINK_TEXT, catalogue.case.title).click())
    assert heading(browser) == catalogue.case.title
    parties = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=parties-heading]")
    assert parties.find_element(By.TAG_NAME, "h3").text == "Defendant"
    assert parties.find_element(By.TAG_NAME, "li").text == "Víctor Polay Campos: convicted"
    check_page(browser, "04-case-trial-of-the-mrta-leadership", drafts)

    # The defendant's page, where his nom de guerre is given.
    defendant = parties.find_element(By.LINK_TEXT, "Víctor Polay Campos")
    follow(browser, defendant.click)
    assert browser.current_url == live_server.url + catalogue.polay.get_absolute_url()
    assert heading(browser) == "Víctor Polay Campos"
    assert "Comandante Rolando" in browser.find_element(By.CSS_SELECTOR, "dl.fields").text
    documents = texts(browser, "section[aria-labelledby=documents-heading] li a")
    assert sorted(documents) == sorted(
        d.title for d in (catalogue.judgment, catalogue.article, catalogue.report)
    )
    check_page(browser, "05-person-victor-polay-campos", drafts)

    # A draft's own address is not found, for a visitor who guesses it.
    for draft in drafts:
        open_page(browser, live_server.url + draft.get_absolute_url())
        assert heading(browser) == "Not found"
        # The address itself is echoed in the language form; the record's name must not be.
        text = browser.find_element(By.TAG_NAME, "body").text
        assert "Unpublished" not in text


def test_a_partners_developer_reads_the_interactive_api_docs(live_server, browser, catalogue):
    """Swagger UI, from our own static files, renders every endpoint under our CSP."""
    open_page(browser, live_server.url + "/api/v1/docs/")
    WebDriverWait(browser, WAIT_SECONDS).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".opblock-summary-path"))
    )
    paths = {
        element.text.replace("\u200b", "")
        for element in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    assert {"/api/v1/documents/", "/api/v1/events/{id}/", "/api/v1/deletions/"} <= paths
    screenshot(browser, "api-docs")
    blocked = [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]
    assert blocked == []
