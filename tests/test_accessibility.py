"""Every public page type passes an axe-core audit at WCAG 2.1 AA, in English and Spanish,
and a visitor who uses only the keyboard reaches search, filters, pages and the timeline.

axe-core is the audit engine that browsers' own developer tools build on; its file is kept
under tests/vendor/axe-core/ (pinned in package.json) and injected into each page by the
test, never served to visitors. Screenshots of each page at a phone's and a desktop's width
land in artifacts/screenshots/.
"""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from catalogue import search
from catalogue.models import (
    CaseParty,
    Document,
    DocumentLink,
    EventParticipant,
    Language,
    LegalCase,
    Membership,
    Organization,
    OrganizationRelation,
    PersonName,
)

from . import factories
from .browser import (  # noqa: F401
    full_page_screenshot,
    open_page,
    pytestmark,
    screenshot,
    wait,
)

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE, DESKTOP = (390, 844), (1280, 1600)


@pytest.fixture
def archive(transactional_db):
    """A small published archive with a record of every type, linked, some dates uncertain."""
    mrta = factories.organization(
        authorized_name="Túpac Amaru Revolutionary Movement",
        acronym="MRTA",
        kind=Organization.Kind.ARMED_GROUP,
        country="PE",
        dates="1982/1997",
        history="An armed group founded in 1982.",
    )
    court = factories.organization(
        authorized_name="National Criminal Chamber", kind=Organization.Kind.COURT, country="PE"
    )
    polay = factories.person(
        authorized_name="Víctor Polay Campos",
        birth_date="1951-04-06",
        biography="A founder of the MRTA.",
    )
    PersonName.objects.create(
        person=polay, name="Comandante Rolando", kind=PersonName.Kind.NOM_DE_GUERRE
    )
    # Flushed after a transactional test like any other row: made again where it is gone.
    Language.objects.get_or_create(code="spa", defaults={"iso639_1": "es", "name": "Spanish"})
    factories.translation(polay, title="Víctor Polay Campos", text="Fundador del MRTA.")
    judgment = factories.document(
        title="Judgment of the National Criminal Chamber",
        kind=Document.Kind.JUDGMENT,
        dates="2006-03-21",
    )
    fonds = factories.document(
        title="Papers of the MRTA trials", level=Document.Level.FONDS, dates="199X"
    )
    article = factories.document(
        title="Rebel leader escapes from Canto Grande prison",
        kind=Document.Kind.NEWS_ARTICLE,
        dates="1990-07~",
        parent=fonds,
    )
    factories.membership(
        person=polay,
        organization=mrta,
        kind=Membership.Kind.FOUNDER,
        dates="1982?/1992-06-09",
        evidence=judgment,
    )
    case = factories.legal_case(
        title="Trial of the MRTA leadership",
        court=court,
        case_status=LegalCase.CaseStatus.DECIDED,
        date_filed="2004~",
        date_decided="2006-03-21",
        summary="The retrial of the MRTA's leaders.",
    )
    factories.case_party(
        case=case,
        person=polay,
        role=CaseParty.Role.DEFENDANT,
        outcome=CaseParty.Outcome.CONVICTED,
        evidence=judgment,
    )
    escape = factories.event(
        name="Escape from Canto Grande", dates="1990-07-09", place="Lima", description="…"
    )
    EventParticipant.objects.create(event=escape, person=polay)
    OrganizationRelation.objects.create(
        source=mrta, target=court, kind=OrganizationRelation.Kind.OPPOSED, dates="1990/1992"
    )
    for document in (judgment, article):
        DocumentLink.objects.create(document=document, person=polay)
    DocumentLink.objects.create(document=judgment, legal_case=case)
    search.rebuild()
    return SimpleNamespace(
        mrta=mrta, polay=polay, case=case, judgment=judgment, fonds=fonds, escape=escape
    )


def every_page_type(archive):
    """(name, address) of every public page type, filters applied where a page has them."""
    return [
        ("home", "/"),
        ("search-form", "/search/"),
        ("search-results", "/search/?q=mrta"),
        ("search-year", "/search/?q=mrta&date_from=1990&date_to=1990"),
        ("search-none", "/search/?q=nothingmatchesthis"),
        ("documents", "/documents/?kind=judgment&kind=news_article&date_from=1980"),
        ("documents-of-a-person", f"/documents/?person={archive.polay.public_id}"),
        ("persons", f"/persons/?organization={archive.mrta.public_id}"),
        ("organizations", "/organizations/?country=PE"),
        ("cases", "/cases/?jurisdiction=national&date_from=2000"),
        ("events", "/events/?date_from=1990&date_to=1990"),
        ("document", archive.judgment.get_absolute_url()),
        ("fonds", archive.fonds.get_absolute_url()),
        ("person", archive.polay.get_absolute_url()),
        ("organization", archive.mrta.get_absolute_url()),
        ("case", archive.case.get_absolute_url()),
        ("event", archive.escape.get_absolute_url()),
        ("about", "/about/"),
        ("not-found", "/documents/no-such-record/"),
        ("bad-request", "/search/?q=mrta&page=first"),
        ("explore", f"/explore/?focus={archive.polay.public_id}&depth=2"),
        ("explore-year", f"/explore/?focus={archive.polay.public_id}&year=1990"),
    ]


def in_language(driver, base_url, language):
    """The visitor's language, as the language form leaves it: in Django's cookie."""
    driver.get(base_url + "/robots.txt")  # any page of the site, to set its cookie on
    driver.add_cookie({"name": "django_language", "value": language, "path": "/"})


def axe_violations(driver):
    """axe-core's violations on the open page, at WCAG 2.1 levels A and AA, with every
    disclosure (the results' timeline rows, a document's parts) opened."""
    driver.execute_script("document.querySelectorAll('details').forEach((d) => d.open = true)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then((r) => done(JSON.stringify(r.violations)), (e) => done(String(e)));",
        WCAG_21_AA,
    )
    assert result.startswith("["), f"axe-core did not run: {result}"
    return json.loads(result)


def described(page, violations):
    return "\n".join(
        f"{page}: {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_type_has_no_accessibility_violations_at_wcag_21_aa(
    live_server, browser, archive, language
):
    in_language(browser, live_server.url, language)
    found = []
    for name, address in every_page_type(archive):
        for width, height in (PHONE, DESKTOP):
            browser.set_window_size(width, height)
            open_page(browser, live_server.url + address)
            # A page with a network view is audited with it drawn.
            wait(browser).until(lambda d: d.execute_script(NETWORK_DRAWN))
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
            found += [described(address, axe_violations(browser))]
            full_page_screenshot(browser, f"{language}-{name}-{width}")
    browser.set_window_size(*DESKTOP)
    problems = "\n".join(problem for problem in found if problem)
    assert not problems, f"axe-core found violations:\n{problems}"


NETWORK_DRAWN = """
const view = document.querySelector("section.network");
return !view || Boolean(view.dataset.drawn);
"""


# The keyboard alone


FOCUS_SHOWN = """
const style = getComputedStyle(document.activeElement);
return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
"""


def tab_to(driver, selector, most=300):
    """Press Tab until the focus is on an element matching `selector`; return it."""
    for _press in range(most):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script("return document.activeElement.matches(arguments[0])", selector):
            focused = driver.switch_to.active_element
            assert driver.execute_script(FOCUS_SHOWN), f"{selector}: the focus does not show"
            return focused
    raise AssertionError(f"Tab never reaches {selector} on {driver.current_url}")


NEW_PAGE = "return !window.leftBehind && document.readyState === 'complete'"


def press_enter_and_wait(driver):
    """Enter on the focused link or button, and wait for the page it leads to. The old page
    is marked rather than held: a reference to an element of a page being replaced can fail
    in chromedriver with an error that is not a stale element's."""
    driver.execute_script("window.leftBehind = true")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver).until(lambda d: d.execute_script(NEW_PAGE))
    wait(driver).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))


@pytest.fixture
def reports(transactional_db):
    """Twenty-five reports, 1990 to 1996, and a few letters: more than one page of results."""
    for n in range(25):
        factories.document(title=f"Police report {n}", dates=f"{1990 + n % 7}-0{1 + n % 9}")
    for n in range(3):
        factories.document(title=f"Letter {n}", kind=Document.Kind.LETTER, dates="1992~")
    search.rebuild()


def test_a_keyboard_user_searches_pages_picks_a_year_and_filters_with_the_focus_always_shown(
    live_server, browser, reports
):
    open_page(browser, live_server.url + "/")
    browser.execute_script("document.activeElement && document.activeElement.blur()")
    tab_to(browser, "main input[type=search]").send_keys("report")
    press_enter_and_wait(browser)
    assert browser.find_element(By.ID, "results-heading").text == "25 results"

    # The next page, from the pagination.
    tab_to(browser, ".pagination a[rel=next]")
    press_enter_and_wait(browser)
    assert "page=2" in browser.current_url

    # The timeline can be passed over in one key press…
    tab_to(browser, ".skip-past")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "timeline-end"
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert not browser.execute_script("return arguments[0].closest('.timeline')", focused)
    full_page_screenshot(browser, "keyboard-search-page-2")

    # …or used: a year's bar narrows the results to that year, from the first page.
    open_page(browser, live_server.url + "/search/?q=report")
    bar = tab_to(browser, ".tl-years a")
    assert bar.get_attribute("aria-label") == "1990: 4 results"
    screenshot(browser, "keyboard-timeline-year-focused")
    press_enter_and_wait(browser)
    assert browser.current_url.endswith("date_from=1990&date_to=1990")
    assert browser.find_element(By.ID, "results-heading").text == "4 results"

    # A filter on a browse page: tick a type with the space bar, apply with Enter.
    open_page(browser, live_server.url + "/documents/")
    tab_to(browser, "input[name=kind][value=letter]")
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    tab_to(browser, "form.filters button[type=submit]")
    press_enter_and_wait(browser)
    assert "kind=letter" in browser.current_url
    assert browser.find_element(By.ID, "results-heading").text == "3 records"
    full_page_screenshot(browser, "keyboard-documents-letters")


def test_a_record_page_prints_without_navigation_forms_or_download_links(
    live_server, browser, archive
):
    open_page(browser, live_server.url + archive.polay.get_absolute_url())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]))"
            ".every((el) => getComputedStyle(el).display === 'none')",
            ".site-header nav, .site-header form, .skip, .exports, .downloads",
        )
        assert hidden, "navigation, forms or download links would be printed"
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".cite .citation").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".tl-rows").is_displayed()
        full_page_screenshot(browser, "print-person")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
