"""What a visitor does in a real browser: search, filter, follow a case to a person.

Runs headless Chromium through the system chromedriver against the live test server, one
browser for the whole run. Where either program is missing the tests are skipped, and the
reason names it (Debian: apt-get install chromium chromium-driver). Screenshots of each step
land in artifacts/screenshots/.
"""

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
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


def first_on_path(*names):
    return next((path for name in names if (path := shutil.which(name))), None)


BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = first_on_path(*BROWSER_NAMES)
CHROMEDRIVER = first_on_path("chromedriver")
MISSING = [
    program
    for program, path in [
        (f"Chromium (looked for {', '.join(BROWSER_NAMES)})", CHROMIUM),
        ("chromedriver", CHROMEDRIVER),
    ]
    if not path
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
WAIT_SECONDS = 15
# Without the background-networking flags Chromium dials out, and on a closed network its
# connections are refused; a fresh profile keeps one run from leaking into the next.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
]

pytestmark = [
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"{' and '.join(MISSING)} not on the PATH: the browser tests drive headless "
        "Chromium through chromedriver. To run them, install Debian's packages: "
        "sudo apt-get install chromium chromium-driver (see the README on make test).",
    ),
    pytest.mark.timeout(180),
]


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """One headless Chromium for every browser test: starting one takes about a second."""
    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"intl.accept_languages": "en"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        # Selenium Manager must never try to download a driver: ours is given explicitly.
        patch.setenv("SE_OFFLINE", "true")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(10)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium):
    """The shared browser as a new visitor finds it: no cookies, no cache, an empty log."""
    chromium.get("about:blank")
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.execute_cdp_cmd("Network.clearBrowserCache", {})
    chromium.get_log("browser")  # read, and so emptied: each test sees its own messages only
    return chromium


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


# What a visitor's browser does


def wait(driver):
    return WebDriverWait(driver, WAIT_SECONDS)


def open_page(driver, url):
    driver.get(url)
    wait(driver).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))


def follow(driver, action):
    """Do what leads to a new page (click, submit), and wait until that page has loaded."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    action()
    wait(driver).until(EC.staleness_of(old_page))
    wait(driver).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))


def heading(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def texts(driver, selector):
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, selector)]


def screenshot(driver, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"Could not save {path}"


UNLABELLED_CONTROLS = """
return Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => el.type !== "hidden" && el.getClientRects().length > 0)
  .filter((el) => {
    const labelled = Array.from(el.labels || []).some((label) => label.textContent.trim());
    return !labelled && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby");
  })
  .map((el) => el.outerHTML);
"""


def assert_basic_accessibility(driver):
    page = driver.current_url
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1, f"{page}: not exactly one h1"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), f"{page}: no lang"
    assert driver.execute_script(UNLABELLED_CONTROLS) == [], f"{page}: unlabelled controls"

    # The skip link is the first link, points at an element that exists, and shows on focus.
    skip = driver.find_element(By.CSS_SELECTOR, "body a")
    target = skip.get_dom_attribute("href") or ""
    assert target.startswith("#"), f"{page}: the first link is not a skip link"
    assert driver.find_elements(By.ID, target[1:]), f"{page}: the skip link's target is missing"
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert driver.switch_to.active_element == skip, f"{page}: Tab does not reach the skip link"
    box = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", skip)
    assert box["left"] >= 0 and box["top"] >= 0, f"{page}: the focused skip link is off screen"


def assert_no_drafts(driver, drafts):
    source, text = driver.page_source, driver.find_element(By.TAG_NAME, "body").text
    for draft in drafts:
        assert draft.public_id not in source, f"{driver.current_url} links to draft {draft}"
        name = getattr(draft, "authorized_name", None) or draft.title
        assert name not in text, f"{driver.current_url} shows draft {draft}"


def check_page(driver, name, drafts):
    screenshot(driver, name)
    assert_no_drafts(driver, drafts)
    assert_basic_accessibility(driver)


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
