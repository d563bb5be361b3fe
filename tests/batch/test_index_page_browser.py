"""The index page in a real browser (Debian's Chromium, headless, driven by Selenium): it opens from
file://, sorts by clicks and by the keyboard, filters, and every link and image resolves to a file."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from fichex.wording import index_page as index_text
from fichex.batch import build
from fichex.render.pdf import soffice_path

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium n'est pas installé (extra « test »)")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                                reason="Chromium n'est pas installé (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Creuse and Haute-Vienne as workbook and deck, La Réunion as deck and PDF (when LibreOffice is here),
    built by two builds into one folder."""
    out = tmp_path_factory.mktemp("index")
    assert not build.build(["87", "23"], out_dir=out, formats="xlsx,pptx", jobs=2).failed
    formats = "pptx,pdf" if soffice_path() else "xlsx"
    assert not build.build(["974"], out_dir=out, formats=formats, jobs=1).failed
    return out


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,900", "--lang=fr-FR"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The driver is given: Selenium must not look for one on the internet.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, folder):
    browser.get((folder / "index.html").as_uri())
    return browser


def visible_names(driver) -> list[str]:
    return [row.find_element(By.CSS_SELECTOR, "th").text.split("\n")[0]
            for row in driver.find_elements(By.CSS_SELECTOR, "#fiches tbody tr") if row.is_displayed()]


def column_values(driver, index: int) -> list[float]:
    return [float(row.find_elements(By.CSS_SELECTOR, "th, td")[index].get_attribute("data-sort"))
            for row in driver.find_elements(By.CSS_SELECTOR, "#fiches tbody tr")]


def header(driver, key: str):
    wanted = index_text.INDEX_COLUMNS[key]
    return next(th for th in driver.find_elements(By.CSS_SELECTOR, "#fiches thead th")
                if th.text.replace("\n", " ").replace("↕", "").replace("▲", "").replace("▼", "").strip()
                == wanted.replace("\u00a0", " "))


def test_the_page_opens_from_file_with_every_fiche(page):
    assert page.title == index_text.INDEX_TITLE
    assert visible_names(page) == ["Creuse", "Haute-Vienne", "La Réunion"]
    assert page.find_element(By.CSS_SELECTOR, ".demo").is_displayed()
    assert index_text.INDEX_DEMO_TITLE in page.find_element(By.CSS_SELECTOR, ".demo").text
    assert page.find_element(By.ID, "filtre").is_displayed()  # the script ran: the filter is shown
    assert page.find_element(By.ID, "compte").text == index_text.index_count(3, 3)
    errors = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_sorting_by_exports_both_ways(page):
    exports = header(page, "exports")
    index = page.find_elements(By.CSS_SELECTOR, "#fiches thead th").index(exports)
    exports.find_element(By.TAG_NAME, "button").click()
    assert exports.get_attribute("aria-sort") == "descending"
    values = column_values(page, index)
    assert values == sorted(values, reverse=True) and len(set(values)) == 3
    assert header(page, "code").get_attribute("aria-sort") is None  # only one column says it is sorted
    exports.find_element(By.TAG_NAME, "button").click()
    assert exports.get_attribute("aria-sort") == "ascending"
    assert column_values(page, index) == sorted(values)


def test_sorting_with_the_keyboard(page):
    button = header(page, "exports").find_element(By.TAG_NAME, "button")
    index = page.find_elements(By.CSS_SELECTOR, "#fiches thead th").index(header(page, "exports"))
    # Tab from the filter box reaches the header buttons: they are real buttons.
    page.find_element(By.ID, "filtre").send_keys(Keys.TAB)
    assert page.switch_to.active_element == header(page, "code").find_element(By.TAG_NAME, "button")
    button.send_keys(Keys.ENTER)
    assert header(page, "exports").get_attribute("aria-sort") == "descending"
    assert column_values(page, index) == sorted(column_values(page, index), reverse=True)
    button.send_keys(Keys.SPACE)
    assert header(page, "exports").get_attribute("aria-sort") == "ascending"
    assert column_values(page, index) == sorted(column_values(page, index))
    name = header(page, "name").find_element(By.TAG_NAME, "button")
    name.send_keys(Keys.ENTER)
    assert visible_names(page) == ["Creuse", "Haute-Vienne", "La Réunion"]
    name.send_keys(Keys.ENTER)
    assert visible_names(page) == ["La Réunion", "Haute-Vienne", "Creuse"]


def test_filtering(page):
    box = page.find_element(By.ID, "filtre")
    box.send_keys("vienne")
    assert visible_names(page) == ["Haute-Vienne"]
    assert page.find_element(By.ID, "compte").text == index_text.index_count(1, 3)
    box.clear()
    box.send_keys("NOUVELLE aquitaine")  # case, hyphen
    assert visible_names(page) == ["Creuse", "Haute-Vienne"]
    box.clear()
    box.send_keys("reunion")  # no accent typed
    assert visible_names(page) == ["La Réunion"]
    box.clear()
    box.send_keys("RÉUNION")  # accents typed
    assert visible_names(page) == ["La Réunion"]
    box.clear()
    box.send_keys("23")
    assert visible_names(page) == ["Creuse"]
    box.clear()
    box.send_keys("union")  # inside « réunion »: a word typed starts a word of the row
    assert visible_names(page) == []
    box.clear()
    box.send_keys("pas un département")
    assert visible_names(page) == []
    assert page.find_element(By.ID, "aucune").is_displayed()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    assert visible_names(page) == ["Creuse", "Haute-Vienne", "La Réunion"]
    assert not page.find_element(By.ID, "aucune").is_displayed()


def test_every_link_and_image_resolves(page, folder):
    links = [a.get_attribute("href") for a in page.find_elements(By.CSS_SELECTOR, "a")]
    images = page.find_elements(By.CSS_SELECTOR, "img")
    assert len(links) >= 5
    for address in links + [img.get_attribute("src") for img in images]:
        parsed = urlparse(address)
        assert parsed.scheme == "file", address
        path = Path(unquote(parsed.path))
        assert path.is_file() and folder in path.parents, address
    if soffice_path() and shutil.which("pdftoppm"):
        (image,) = images
        page.execute_script("arguments[0].scrollIntoView()", image)
        assert page.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) > 0
        assert "La Réunion" in image.get_attribute("alt")
        assert [a.get_attribute("href").rsplit(".", 1)[1] for a in page.find_elements(By.CSS_SELECTOR, "a")] == [
            "xlsx", "pptx", "xlsx", "pptx", "pptx", "pdf", "pdf"]


def test_the_page_reads_without_javascript(folder):
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get((folder / "index.html").as_uri())
        assert visible_names(driver) == ["Creuse", "Haute-Vienne", "La Réunion"]
        assert not driver.find_element(By.ID, "controles").is_displayed()  # no filter box that does nothing
    finally:
        driver.quit()


# --- Every level in one folder, at a desktop's and a phone's size -------------------------------------------

@pytest.fixture(scope="module")
def levels_folder(folder, tmp_path_factory) -> Path:
    """The folder above, plus the région Nouvelle-Aquitaine, France and the Territoire d'industrie Nord
    Franche-Comté (Doubs, Haute-Saône, Territoire de Belfort: none of them built alone) as workbooks."""
    out = tmp_path_factory.mktemp("niveaux") / "fiches"
    shutil.copytree(folder, out)
    assert not build.build(["75"], levels="region,france", out_dir=out, formats="xlsx", jobs=1).failed
    assert not build.build(territoires=["Nord Franche-Comté"], levels="territoire", out_dir=out, formats="xlsx",
                           jobs=1).failed
    return out


@pytest.fixture
def sized(browser, levels_folder):
    """The levels page at an exact viewport: sized(1400, 900) or, as a phone, sized(390, 844, mobile=True)."""
    def size(width: int, height: int, mobile: bool = False):
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        browser.get((levels_folder / "index.html").as_uri())
        return browser
    yield size
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def rect(driver, element) -> dict:
    return driver.execute_script("var r = arguments[0].getBoundingClientRect();"
                                 "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};", element)


def test_every_level_is_listed_in_order(sized):
    page = sized(1400, 900)
    codes = [row.find_element(By.CSS_SELECTOR, "td").text for row in page.find_elements(By.CSS_SELECTOR, "#fiches tbody tr")]
    assert codes == ["23", "87", "974", "R75", "FR", "TI"]


def test_no_horizontal_overflow_at_1400_px(sized):
    page = sized(1400, 900)
    width = page.execute_script("return document.documentElement.clientWidth")
    assert page.execute_script("return document.documentElement.scrollWidth") <= width
    # the last columns (documents, thumbnails) are drawn inside the window, not clipped
    last = page.find_elements(By.CSS_SELECTOR, "#fiches tr > :last-child, #fiches a, #fiches img")
    assert last and all(rect(page, element)["right"] <= width for element in last)
    # a table, not cards, at this width: the header row is one line of cells
    headers = page.find_elements(By.CSS_SELECTOR, "#fiches thead th")
    assert len({round(rect(page, th)["bottom"]) for th in headers}) == 1


def test_each_row_keeps_its_name_beside_its_figures_on_a_phone(sized):
    page = sized(390, 844, mobile=True)
    assert page.execute_script("return document.documentElement.scrollWidth") <= page.execute_script(
        "return document.documentElement.clientWidth")
    width, height = page.execute_script("return [window.innerWidth, window.innerHeight]")
    rows = page.find_elements(By.CSS_SELECTOR, "#fiches tbody tr")
    assert len(rows) == 6
    for row in rows:
        name = row.find_element(By.CSS_SELECTOR, "th")
        page.execute_script("arguments[0].scrollIntoView({block: 'start'})", row)
        figures = row.find_elements(By.CSS_SELECTOR, "td.num")
        assert len(figures) == 6
        for element in [name, *figures]:
            box = rect(page, element)
            assert 0 <= box["left"] and box["right"] <= width, (name.text, element.text)
            assert 0 <= box["top"] and box["bottom"] <= height, (name.text, element.text)
        assert all(element.is_displayed() for element in figures)


def test_rank_sorting_leaves_france_out_of_the_ranked_rows(sized):
    page = sized(1400, 900)
    rank = header(page, "rank")
    index = page.find_elements(By.CSS_SELECTOR, "#fiches thead th").index(rank)

    def ranked_codes():
        rows = page.find_elements(By.CSS_SELECTOR, "#fiches tbody tr")
        return [(row.find_element(By.CSS_SELECTOR, "td").text,
                 row.find_elements(By.CSS_SELECTOR, "th, td")[index].get_attribute("data-sort")) for row in rows]

    rank.find_element(By.TAG_NAME, "button").click()  # the first click: 1st first
    assert rank.get_attribute("aria-sort") == "ascending"
    order = ranked_codes()
    ranked = [(code, float(value)) for code, value in order if value]
    assert [code for code, _ in order[:len(ranked)]] == [code for code, _ in ranked]  # the unranked after them
    departements = [value for code, value in ranked if code != "R75"]
    assert departements == sorted(departements) and ranked[-1][0] == "R75"  # a région's rank among régions
    assert {code for code, value in order[len(ranked):]} == {"FR", "TI"}
    rank.find_element(By.TAG_NAME, "button").click()
    order = ranked_codes()
    assert [code for code, value in order[-2:]] == ["FR", "TI"] and order[0][1] != ""


def test_a_territoire_is_found_by_its_departements(sized):
    page = sized(1400, 900)
    ti = index_text.index_territoire_name("Nord Franche-Comté")
    box = page.find_element(By.ID, "filtre")
    for typed in ("70", "belfort", "Haute-Saône", "TI"):
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE)
        box.send_keys(typed)
        assert visible_names(page) == [ti], typed
    row = page.find_element(By.CSS_SELECTOR, "#fiches tbody tr:not([hidden])")
    assert "Bourgogne-Franche-Comté" in row.text and "Territoire de Belfort (90)" in row.text


def test_links_and_sort_buttons_say_what_they_do(sized):
    page = sized(1400, 900)
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    for row in page.find_elements(By.CSS_SELECTOR, "#fiches tbody tr"):
        name = row.find_element(By.CSS_SELECTOR, "th").text.split("\n")[0]
        links = row.find_elements(By.CSS_SELECTOR, "a")
        assert links
        for link in links:  # what the browser gives assistive technologies: the format and the fiche
            assert name in link.accessible_name and link.accessible_name != link.text, link.accessible_name
    sortable = page.find_elements(By.CSS_SELECTOR, "#fiches thead th[data-type]")
    assert [th.get_attribute("scope") for th in sortable] == ["col"] * len(sortable)
    assert [th.get_attribute("aria-sort") for th in sortable].count("ascending") == 1
    assert all(th.find_element(By.TAG_NAME, "button").accessible_name for th in sortable)
