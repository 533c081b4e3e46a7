"""The shared headless Chromium of the browser tests, and what a visitor's browser does.

Runs Debian's Chromium through the system chromedriver against the live test server, one
browser for the whole run (the fixtures `chromium` and `browser`, registered in conftest).
Where either program is missing the tests that use it are skipped, and the reason names it
(Debian: apt-get install chromium chromium-driver). Screenshots land in artifacts/screenshots/.
"""

import base64
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


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


def start_chromium(tmp_path_factory):
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


def fresh(chromium):
    """The shared browser as a new visitor finds it: no cookies, no cache, an empty log."""
    chromium.get("about:blank")
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.execute_cdp_cmd("Network.clearBrowserCache", {})
    chromium.get_log("browser")  # read, and so emptied: each test sees its own messages only
    return chromium


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


def full_page_screenshot(driver, name):
    """The whole page, as tall as it is, at the window's width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width, height = driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 8000), "scale": 1},
        },
    )
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


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
