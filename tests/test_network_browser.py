"""The network view in a real browser: a visitor sees Néstor Cerpa Cartolini's network as it
stood in 1996, opens the evidence of an edge and recentres; a keyboard does the same through
the year slider and the list. Screenshots land in artifacts/screenshots/network-*.png."""

from types import SimpleNamespace

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from catalogue import search
from catalogue.models import CaseParty, EventParticipant, Membership, Organization, Record

from . import factories
from .browser import (  # noqa: F401 (skipped where Chromium is missing)
    follow,
    heading,
    open_page,
    pytestmark,
    screenshot,
    wait,
)


@pytest.fixture
def cerpa(transactional_db):
    """Néstor Cerpa Cartolini's relationships as the demo collection gives them, and a draft."""
    person = factories.person(
        authorized_name="Néstor Cerpa Cartolini", birth_date="1953-08-14", death_date="1997-04-22"
    )
    mrta = factories.organization(
        authorized_name="Túpac Amaru Revolutionary Movement",
        acronym="MRTA",
        kind=Organization.Kind.ARMED_GROUP,
        dates="1982-03-01?/1997~",
    )
    report = factories.document(title="Final report of the CVR, volume I", dates="2003-08")
    factories.membership(
        person=person,
        organization=mrta,
        kind=Membership.Kind.LEADER,
        role="member; national leader from 1992",
        dates="1982~/1997-04-22",
        evidence=report,
    )
    crisis = factories.event(name="Japanese embassy hostage crisis", dates="1996-12-17/1997-04-22")
    chronicle = factories.document(title="Chronicle of the embassy residence siege")
    EventParticipant.objects.create(
        event=crisis,
        person=person,
        role=EventParticipant.Role.LEADER,
        role_detail="led the commando",
        evidence=chronicle,
    )
    operation = factories.event(name="Operation Chavín de Huántar", dates="1997-04-22")
    EventParticipant.objects.create(
        event=operation, person=person, role=EventParticipant.Role.TARGET
    )
    case = factories.legal_case(title="Chavín de Huántar case", date_filed="2002")
    factories.case_party(case=case, person=person, role=CaseParty.Role.VICTIM)
    draft = factories.organization(
        authorized_name="Unpublished commando cell", status=Record.Status.DRAFT
    )
    factories.membership(person=person, organization=draft, dates="1996")
    search.rebuild()
    return SimpleNamespace(person=person, mrta=mrta, chronicle=chronicle, draft=draft)


def drawn(driver, year):
    wait(driver).until(
        lambda d: (
            d.execute_script("return document.querySelector('section.network').dataset.drawn")
            == year
        )
    )
    return set(
        driver.execute_script(
            "return document.querySelector('section.network').cy.nodes().map(n => n.data('label'))"
        )
    )


def click_in_network(driver, selector):
    """Click where the drawing shows the element `selector` picks (a node, an edge's middle)."""
    x, y = driver.execute_script(
        """
        const cy = document.querySelector('section.network').cy;
        const element = cy.$(arguments[0]);
        const at = element.isEdge() ? element.renderedMidpoint() : element.renderedPosition();
        return [at.x, at.y];
        """,
        selector,
    )
    canvas = driver.find_element(By.CSS_SELECTOR, ".network-canvas")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()


def to_year(driver, year):
    """Move the year slider with the keyboard only: Home, then the right arrow."""
    slider = driver.find_element(By.ID, "network-year")
    slider.send_keys(Keys.HOME)
    while int(slider.get_attribute("value")) < year:
        slider.send_keys(Keys.ARROW_RIGHT)
    assert driver.find_element(By.ID, "network-year-value").text == str(year)
    return slider


def assert_no_csp_errors(driver):
    blocked = [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]
    assert blocked == []


def test_a_visitor_sees_the_network_of_1996_and_reads_the_evidence_of_an_edge(
    live_server, browser, cerpa
):
    person, mrta, chronicle, draft = cerpa.person, cerpa.mrta, cerpa.chronicle, cerpa.draft
    open_page(browser, live_server.url + person.get_absolute_url())
    everything = drawn(browser, "all")
    assert "Operation Chavín de Huántar (1997-04-22)" in everything
    assert draft.authorized_name not in everything
    canvas = browser.find_element(By.CSS_SELECTOR, ".network-canvas")
    assert canvas.get_attribute("aria-hidden") == "true"
    browser.execute_script(
        "arguments[0].scrollIntoView()", browser.find_element(By.ID, "network-heading")
    )
    screenshot(browser, "network-01-person-all-years")

    to_year(browser, 1996)
    in_1996 = drawn(browser, "1996")
    assert in_1996 == {
        "Néstor Cerpa Cartolini",
        "Túpac Amaru Revolutionary Movement (MRTA)",
        "Japanese embassy hostage crisis (1996-12-17/1997-04-22)",
    }
    edge = browser.execute_script(
        "return document.querySelector('section.network').cy.edges()"
        ".filter(e => e.target().data('label').startsWith('Japanese')"
        " || e.source().data('label').startsWith('Japanese'))[0].id()"
    )
    click_in_network(browser, f"#{edge}")
    panel = browser.find_element(By.CSS_SELECTOR, ".network-panel")
    wait(browser).until(lambda d: "Evidence" in panel.text)
    assert "Leader or commander (led the commando)" in panel.text
    screenshot(browser, "network-02-person-1996-evidence")
    follow(browser, panel.find_element(By.PARTIAL_LINK_TEXT, chronicle.title).click)
    assert heading(browser) == chronicle.title

    # Recentre: a click on the movement puts it at the centre of the explorer, same year.
    open_page(browser, f"{live_server.url}/explore/?focus={person.public_id}&year=1996")
    drawn(browser, "1996")
    node = f"#{mrta.public_id}"
    follow(browser, lambda: click_in_network(browser, node))
    assert browser.current_url.endswith(f"/explore/?focus={mrta.public_id}&year=1996")
    assert heading(browser) == "Network of Túpac Amaru Revolutionary Movement (MRTA)"
    drawn(browser, "1996")
    screenshot(browser, "network-03-explorer-recentred-on-the-mrta")
    assert_no_csp_errors(browser)


def test_a_keyboard_chooses_the_year_and_follows_the_list_to_the_evidence(
    live_server, browser, cerpa
):
    person, chronicle, draft = cerpa.person, cerpa.chronicle, cerpa.draft
    open_page(browser, f"{live_server.url}/explore/?focus={person.public_id}")
    drawn(browser, "all")
    relationships = browser.find_element(By.ID, "network-edges")
    assert "Operation Chavín de Huántar" in relationships.text

    slider = to_year(browser, 1996)
    drawn(browser, "1996")
    assert "Operation Chavín de Huántar" not in relationships.text
    assert "Japanese embassy hostage crisis" in relationships.text
    assert draft.authorized_name not in browser.find_element(By.TAG_NAME, "body").text
    assert browser.find_element(By.ID, "explore-year").get_attribute("value") == "1996"
    assert browser.current_url.endswith("year=1996")

    # Tab walks on from the slider without entering the drawing, to the list's links.
    slider.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Show all years"
    for _ in range(20):
        active = browser.switch_to.active_element
        assert not browser.execute_script("return arguments[0].closest('.network-canvas')", active)
        if chronicle.title in active.text:
            break
        active.send_keys(Keys.TAB)
    else:
        pytest.fail("Tab did not reach the evidence in the list")
    screenshot(browser, "network-04-explorer-keyboard-1996")
    follow(browser, lambda: browser.switch_to.active_element.send_keys(Keys.ENTER))
    assert heading(browser) == chronicle.title
    assert_no_csp_errors(browser)
