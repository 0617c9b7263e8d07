"""The desk in a real browser: headless Chromium from the distribution,
driven by Selenium through the distribution's chromedriver, against a real
server.  It signs in, filters, takes a memory suggestion, edits with the
keyboard, approves, sends back with a note, reads the diff since the
review; the PO file ends byte for byte as the same commands on the command
line leave it.  The article page passes axe-core.  Screenshots go to
output/desk-screenshots/ (not committed)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import REPO, Run, msgfmt_check, po_path
from tests.desk_helpers import PASSWORD, add_users, running

CHROMEDRIVER, CHROMIUM = "/usr/bin/chromedriver", "/usr/bin/chromium"
SHOTS = REPO / "output" / "desk-screenshots"
AXE = Path(os.environ.get("AXE_CORE_JS", REPO / "node_modules" / "axe-core" / "axe.min.js"))
MEMORY_CSV = "source,target\n一张照片的说明文字。,The caption of a photo.\n"

pytestmark = pytest.mark.skipif(
    not (Path(CHROMEDRIVER).exists() and Path(CHROMIUM).exists()),
    reason="chromium and chromium-driver (Debian) are not installed",
)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--lang=en-US",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _sids(root: Path) -> dict[str, str]:
    """Chinese source → segment ID, from the PO file."""
    text = po_path(root).read_text(encoding="utf-8")
    return {m.group(2): m.group(1) for m in re.finditer(r'#\. ID: (\w+)\n(?:#.*\n)*msgctxt "\w+"\nmsgid "(.*)"', text)}


@pytest.fixture
def desk_project(project, run, tmp_path):
    """The small project, half translated, with a memory that knows the caption."""
    run("extract")
    ids = _sids(project)
    run("submit", "small", "--segment", ids["测试标题 一"], "--text", "Test Head One", "--translator", "tina")
    run(
        "submit",
        "small",
        "--segment",
        ids["第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"],
        "--text",
        "First paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 3.5%.",
        "--translator",
        "tina",
    )
    run("submit", "small", "--segment", ids["小节导语"], "--text", "Section deck", "--translator", "tina")
    (tmp_path / "memory.csv").write_text(MEMORY_CSV, encoding="utf-8")
    run("tm", "import", tmp_path / "memory.csv")
    twin = tmp_path / "twin"
    shutil.copytree(project, twin)
    add_users(project, ed="editor")
    return project, twin, ids


def _sign_in(driver, base, name="ed"):
    driver.get(f"{base}/a/small/en")
    assert "/login" in driver.current_url
    driver.find_element(By.NAME, "username").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    _after(driver, driver.find_element(By.CSS_SELECTOR, "form.login button").click)
    assert driver.current_url.endswith("/a/small/en"), driver.current_url


def _segment(driver, sid):
    return driver.find_element(By.ID, f"s-{sid}")


def _after(driver, click) -> str:
    """Click and wait for the page the form post leads to; its message."""
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    click()
    WebDriverWait(driver, 30).until(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)
    message = driver.find_elements(By.ID, "message")
    return message[0].text if message else driver.find_element(By.TAG_NAME, "main").text


def _shot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def _filter(driver, **values):
    from selenium.webdriver.support.ui import Select

    for name, value in values.items():
        if name == "changed":
            box = driver.find_element(By.ID, "f-changed")
            if box.is_selected() != value:
                box.click()
        else:
            Select(driver.find_element(By.ID, f"f-{name}")).select_by_value(value)
    _after(driver, driver.find_element(By.ID, "apply-filters").click)
    return [e.get_attribute("id")[2:] for e in driver.find_elements(By.CSS_SELECTOR, "li.segment")]


def test_a_reviewer_works_through_the_article_in_the_browser(browser, desk_project):
    root, twin, ids = desk_project
    cli = Run(twin)
    caption, body2 = ids["一张照片的说明文字。"], ids["第二段正文，讲述巴斯夫杉杉的故事。"]
    head, first = ids["测试标题 一"], ids["第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"]
    with running(root) as base:
        _sign_in(browser, base)
        untranslated = _filter(browser, state="untranslated")
        listed = cli("status", "--list", "untranslated").output
        assert untranslated == [line.split()[0] for line in listed.splitlines() if line.endswith("small.po)")]
        assert caption in untranslated
        _shot(browser, "article-untranslated")

        # take the memory's suggestion with one click
        done = _after(browser, _segment(browser, caption).find_element(By.CSS_SELECTOR, "button.take").click)
        assert done == f"{caption}: new translation" and "ok=1" in browser.current_url
        cli(
            "submit",
            "small",
            "--segment",
            caption,
            "--text",
            "The caption of a photo.",
            "--translator",
            "ed",
            "--force",
        )

        # edit with the keyboard: e focuses the editor, Ctrl+Enter saves
        browser.get(f"{base}/a/small/en#s-{body2}")
        box = _segment(browser, body2).find_element(By.TAG_NAME, "textarea")
        box.send_keys("The second paragraph tells the story of BASF Shanshan.")
        assert _after(browser, lambda: box.send_keys(Keys.CONTROL, Keys.ENTER)) == f"{body2}: new translation"
        cli(
            "submit",
            "small",
            "--segment",
            body2,
            "--text",
            "The second paragraph tells the story of BASF Shanshan.",
            "--translator",
            "ed",
            "--force",
        )

        # approve one, send another back with a note
        approve = _segment(browser, first).find_element(By.CSS_SELECTOR, "button.approve-btn")
        assert _after(browser, approve.click) == f"{first}: reviewed"
        cli("review", "small", "--segment", first, "--reviewer", "ed")
        seg = _segment(browser, head)
        seg.find_element(By.NAME, "note").send_keys("Heads are in title case: say what it tests.")
        assert _after(browser, seg.find_element(By.CSS_SELECTOR, "button.reject-btn").click) == f"{head}: sent back"
        cli(
            "review",
            "small",
            "--segment",
            head,
            "--reject",
            "--reviewer",
            "ed",
            "--note",
            "Heads are in title case: say what it tests.",
        )
        assert "fuzzy" in _segment(browser, head).get_attribute("class")

        # a copy edit after the review shows up as changed, with its diff
        box = _segment(browser, first).find_element(By.TAG_NAME, "textarea")
        box.clear()
        box.send_keys("First paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 5.3%.")
        save = _segment(browser, first).find_element(By.CSS_SELECTOR, "button.save")
        assert _after(browser, save.click) == f"{first}: translation replaced"
        cli(
            "submit",
            "small",
            "--segment",
            first,
            "--text",
            "First paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 5.3%.",
            "--translator",
            "ed",
            "--force",
        )
        assert _filter(browser, state="", changed=True) == [first]
        diff = _segment(browser, first).find_element(By.CSS_SELECTOR, ".diff")
        without = (
            "const c = arguments[0].cloneNode(true); c.querySelectorAll(arguments[1]).forEach(e => e.remove());"
            "return c.textContent;"
        )
        assert (
            browser.execute_script(without, diff, "ins")
            == "First paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 3.5%."
        )
        assert (
            browser.execute_script(without, diff, "del")
            == "First paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 5.3%."
        )
        assert "reviewed text from history" in _segment(browser, first).text
        _shot(browser, "article-changed-since-review")

        browser.get(f"{base}/a/small/en?finding=any")
        _shot(browser, "article-findings")
        browser.get(f"{base}/a/small/en/preview?edition=bilingual")
        assert browser.find_element(By.CSS_SELECTOR, "h1.role-title").text.startswith("测试标题")
        _shot(browser, "preview-bilingual")
        browser.get(f"{base}/")
        _shot(browser, "project")
    assert po_path(root).read_bytes() == po_path(twin).read_bytes()
    msgfmt_check(po_path(root))


def test_approve_and_next_with_the_keyboard(browser, desk_project):
    root, twin, ids = desk_project
    first = ids["第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"]
    with running(root) as base:
        _sign_in(browser, base)
        from selenium.webdriver.support.ui import WebDriverWait

        browser.get(f"{base}/a/small/en?state=translated#s-{ids['测试标题 一']}")
        WebDriverWait(browser, 30).until(  # the page's script made the linked segment current
            lambda d: d.find_elements(By.CSS_SELECTOR, f"li.segment.current#s-{ids['测试标题 一']}")
        )
        browser.find_element(By.TAG_NAME, "body").send_keys("j")  # the next translated segment
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"li.segment.current#s-{first}"))
        assert _after(browser, lambda: browser.switch_to.active_element.send_keys("a")) == f"{first}: reviewed"
        assert browser.current_url.endswith(f"#s-{ids['小节导语']}")
    Run(twin)("review", "small", "--segment", first, "--reviewer", "ed")
    assert po_path(root).read_bytes() == po_path(twin).read_bytes()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (npm install axe-core, see .ci/run)")
@pytest.mark.parametrize("page", ["/a/small/en", "/", "/a/small/en/preview?edition=bilingual", "/login"])
def test_pages_pass_axe_core(browser, desk_project, page):
    root, _, _ = desk_project
    with running(root) as base:
        if page != "/login":
            _sign_in(browser, base)
        browser.get(base + page)
        browser.execute_script(AXE.read_text(encoding="utf-8"))
        assert browser.execute_script("return axe.version")  # it is loaded in this page
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
            ".catch(e => done(JSON.stringify([{impact: 'critical', id: 'axe failed: ' + e}])));"
        )
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v.get("nodes", [])][:3])
        for v in json.loads(result)
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad
