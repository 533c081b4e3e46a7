"""An archivist imports a CSV file in the admin, in a real browser (headless Chromium)."""

from django.contrib.auth.models import Group, User
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from catalogue.models import Document, Record
from catalogue.roles import ARCHIVIST

# The shared browser and helpers of the browser tests (skipped where Chromium is missing).
from .browser import (  # noqa: F401
    pytestmark,
    screenshot,
    texts,
    wait,
)


def open_page(driver, url):
    driver.get(url)
    wait(driver).until(EC.presence_of_element_located((By.ID, "content")))


def follow(driver, action):
    """Do what leads to a new admin page, and wait until that page has loaded."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    action()
    wait(driver).until(EC.staleness_of(old_page))
    wait(driver).until(EC.presence_of_element_located((By.ID, "content")))


CSV = (
    "legacy_id,reference_code,title,kind,dates,parent\n"
    "b2,PE-B-1,Letter about the siege,letter,1997-04-22,PE-B\n"
    "b1,PE-B,Siege papers,archival_group,1996/1997,\n"
)


def test_an_archivist_uploads_a_csv_reads_the_preview_confirms_and_finds_the_records(
    live_server,
    browser,
    transactional_db,
    tmp_path,
):
    User.objects.create_user("ana", password="a long enough password", is_staff=True)
    User.objects.get(username="ana").groups.add(Group.objects.get(name=ARCHIVIST))
    path = tmp_path / "siege.csv"
    path.write_text(CSV)

    open_page(browser, f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("ana")
    browser.find_element(By.NAME, "password").send_keys("a long enough password")
    follow(browser, lambda: browser.find_element(By.CSS_SELECTOR, "[type=submit]").click())

    open_page(browser, f"{live_server.url}/admin/catalogue/document/")
    follow(browser, lambda: browser.find_element(By.CSS_SELECTOR, "a.import_link").click())
    browser.find_element(By.NAME, "import_file").send_keys(str(path))
    submit = browser.find_element(By.CSS_SELECTOR, "#content input.default[type=submit]")
    follow(browser, submit.click)
    screenshot(browser, "import-preview")

    page = browser.find_element(By.TAG_NAME, "body").text
    assert "2 new, 0 to update, 0 unchanged (skipped)" in page
    assert texts(browser, ".import-preview tbody td.import-type") == ["Create", "Create"]
    assert not Document.objects.exists()

    follow(browser, lambda: browser.find_element(By.NAME, "confirm").click())
    screenshot(browser, "import-done")

    assert "Import finished: 2 new" in browser.find_element(By.TAG_NAME, "body").text
    listed = texts(browser, "#result_list tbody th")
    assert sorted(listed) == ["PE-B", "PE-B-1"]
    child = Document.objects.get(reference_code="PE-B-1")
    assert child.parent.reference_code == "PE-B"
    assert child.status == Record.Status.DRAFT
