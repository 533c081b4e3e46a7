"""An archivist merges two persons in a real browser, from the suggestions to the merge."""

import pytest
from django.contrib.auth.models import Group, User
from selenium.webdriver.common.by import By

from catalogue.models import Person, PersonIdentifier, Record
from catalogue.roles import ARCHIVIST

from . import factories
from .browser import follow, open_page, pytestmark, screenshot  # noqa: F401


@pytest.fixture
def signed_in(live_server, browser, transactional_db):
    user = User.objects.create_user("archie", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=ARCHIVIST))
    browser.get(f"{live_server.url}/admin/login/")  # the login page has no h1 to wait for
    browser.find_element(By.NAME, "username").send_keys("archie")
    browser.find_element(By.NAME, "password").send_keys("correct horse battery")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "[type=submit]").click)
    return browser


def test_an_archivist_merges_a_suggested_pair_and_sees_the_result(live_server, signed_in):
    driver = signed_in
    kept = factories.person(authorized_name="Víctor Polay Campos", birth_date="1951-04-06")
    other = factories.person(
        authorized_name="Polay Campos, Victor",
        birth_place="Callao",
        status=Record.Status.DRAFT,
    )
    for person in (kept, other):
        PersonIdentifier.objects.create(person=person, scheme="wikidata", value="Q2365934")

    open_page(driver, f"{live_server.url}/admin/catalogue/person/")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "a[href$='/duplicates/']").click)
    screenshot(driver, "admin-suggested-duplicates")
    assert "Wikidata Q2365934" in driver.page_source
    follow(driver, driver.find_element(By.LINK_TEXT, "merge").click)
    screenshot(driver, "admin-merge-side-by-side")
    assert "leaves public view" in driver.page_source
    follow(driver, driver.find_element(By.CSS_SELECTOR, "[value='Merge these records']").click)
    screenshot(driver, "admin-merged")
    assert "Merged Polay Campos, Victor into Víctor Polay Campos" in driver.page_source
    assert Person.objects.get().status == Record.Status.DRAFT
