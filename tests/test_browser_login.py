"""Issue #27 in a real browser: the app with sign-in against the local test provider (oidc-provider-mock, as
``make run-editor`` starts it). redaktor-0181 signs in through the provider's form, writes a note, and
another browser (not signed in) sees it on the focus page; lasare has no editor page, and a crafted link to
it gets the Swedish refusal. The action plan reported in the app: ansvarig-telge reports a status, the
focus page does not show it until redaktor-0181 has approved it on the review page, then another browser
sees it with its history.

Without chromium these tests skip with the reason, except where REQUIRE_BROWSER=1 (CI sets it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from components.strings import t
from tests.browser_util import CHROMIUM_ARGS, CHROMIUM_PATH, ROOT, free_port, wait_for_page

pytestmark = pytest.mark.browser

if not (shutil.which(CHROMIUM_PATH) or os.path.exists(CHROMIUM_PATH)):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"REQUIRE_BROWSER=1 but {CHROMIUM_PATH} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM_PATH} is not installed (Debian: apt-get install chromium)", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")
pytest.importorskip("oidc_provider_mock")

sys.path.insert(0, str(ROOT / "scripts"))
import run_editor  # noqa: E402 - scripts/ is not a package

VIEWPORT = {"width": 1600, "height": 900}
NOTE = "Fritidsgården i Hovsjö öppnade igen efter ombyggnad."
FOCUS = "6-ett-tryggt-sodertalje"
STORE: dict = {}  # the app's store file, for the upload test to read the figures it changes


@pytest.fixture(scope="module")
def signed_in_app(demo_store, tmp_path_factory):
    """The provider and the app (own store copy: this test writes) on free ports; yields the app's URL."""
    tmp = tmp_path_factory.mktemp("login")
    store = tmp / "indicators.sqlite"
    shutil.copyfile(demo_store, store)
    assert run_editor.seed_demo_actions(str(store))  # as make run-editor: Telge Bostäder AB answers for actions
    STORE["path"] = store
    env = dict(os.environ, INDICATOR_STORE=str(store))
    env.pop("INDICATOR_ROLES_FILE", None)  # the secrets name the example roles file
    port, oidc_port = free_port(), free_port()
    log = (tmp / "servers.log").open("w")
    provider, app = run_editor.start(port, oidc_port, tmp, app_host="127.0.0.1",
                                     extra=["--server.headless", "true"], env=env, stdout=log,
                                     stderr=subprocess.STDOUT)
    try:
        run_editor.wait_for(f"http://127.0.0.1:{port}/_stcore/health", timeout_s=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        for proc in (app, provider):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(signed_in_app):
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield b
        b.close()


def sign_in(browser, base: str, sub: str):
    """A new browser context signed in as ``sub`` through the provider's form; returns its page."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{base}/?kommun=0181")
    wait_for_page(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name=t("account_login")).click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.locator("input[name='sub']").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=30_000)
    wait_for_page(page)
    sidebar.get_by_text("Inloggad som").wait_for(timeout=30_000)
    return page


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_a_redaktor_signs_in_writes_a_note_and_another_browser_sees_it(browser, signed_in_app):
    base = signed_in_app
    page = sign_in(browser, base, "redaktor-0181")
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "Inloggad som redaktor-0181@example.se (redaktör (0181))" in sidebar.inner_text()
    sidebar.get_by_role("link", name=t("page_notes")).click()
    wait_for_page(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == t("notes_title")
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=t("notes_indicator")).first
    combo = box.get_by_role("combobox")
    combo.click()
    combo.fill("trygga i sitt bostadsområde")
    page.locator("[role='option']").filter(has_text="trygga i sitt bostadsområde").first.click()
    wait_for_page(page)
    year = page.locator(".st-key-notes_year [data-testid='stNumberInputField']")
    year.fill("2024")
    year.press("Enter")
    wait_for_page(page)
    text = page.get_by_label(t("notes_text", max=200))
    text.fill(NOTE)
    text.press("Control+Enter")  # a text area sends its value on Ctrl+Enter or when it loses focus
    wait_for_page(page)
    preview = page.locator(".st-key-notes_preview").inner_text()
    assert f"Not 2, 2024: {NOTE}" in preview, preview
    page.get_by_role("button", name=t("notes_save")).click()
    page.get_by_text("Anteckningen är sparad").wait_for(timeout=60_000)
    wait_for_page(page)
    assert "redaktor-0181@example.se" in main_text(page)  # the list of notes and the audit trail

    other = browser.new_context(viewport=VIEWPORT).new_page()
    other.goto(f"{base}/{FOCUS}?kommun=0181&ind=ENK_TRYGG_OMRADE")
    wait_for_page(other)
    assert f"Not 2, 2024: {NOTE}" in main_text(other)
    assert other.locator("[data-testid='stSidebar']").get_by_role("button", name=t("account_login")).count() == 1
    other.context.close()
    page.context.close()


def test_a_reader_has_no_editor_page_and_a_crafted_link_is_refused(browser, signed_in_app):
    base = signed_in_app
    page = sign_in(browser, base, "lasare")
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "(läsare)" in sidebar.inner_text()
    assert sidebar.get_by_role("link", name=t("page_notes")).count() == 0
    page.goto(f"{base}/anteckningar?kommun=0181")
    wait_for_page(page)
    assert t("notes_refused") in main_text(page)
    assert page.get_by_role("button", name=t("notes_save")).count() == 0
    page.context.close()


def test_a_redaktor_uploads_a_survey_file_publishes_and_another_browser_sees_the_value(browser, signed_in_app,
                                                                                      tmp_path):
    import sqlite3

    base = signed_in_app
    con = sqlite3.connect(f"file:{STORE['path']}?mode=ro", uri=True)
    try:
        year, value, n = con.execute(
            "SELECT year, value, n FROM observation WHERE indicator_id = 'ENK_TRYGG_OMRADE' AND area_id = '0181' "
            "AND gender = 'T' AND status = 'ok' ORDER BY year DESC LIMIT 1").fetchone()
        (decimals,) = con.execute("SELECT decimals FROM indicator WHERE id = 'ENK_TRYGG_OMRADE'").fetchone()
    finally:
        con.close()
    raw = round(value + 1.7, 1)
    raw += 0.1 if round(raw * 10) % 10 == 5 else 0  # no half to round: the page shows it at `decimals`
    new = f"{raw:.1f}".replace(".", ",")
    shown = f"{raw:.{decimals or 0}f}".replace(".", ",")
    file = tmp_path / "enkat.csv"
    file.write_text(f"indikator;omrade;ar;kon;varde;antal_svarande\nENK_TRYGG_OMRADE;0181;{year + 1};T;{new};{n}\n",
                    encoding="utf-8")
    page = sign_in(browser, base, "redaktor-0181")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("link", name=t("page_upload")).click()
    wait_for_page(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == t("upload_title")
    # The uploader in Swedish: its button and its limit (Streamlit's own words are in English).
    dropzone = page.locator("[data-testid='stFileUploaderDropzone']").first
    words = dropzone.evaluate("e => [...e.querySelectorAll('*')].map(x => getComputedStyle(x, '::after').content)"
                              ".filter(c => c && c !== 'none').join(' ')")
    assert t("upload_button") in words and "Högst 5 MB" in words, words
    assert not dropzone.get_by_text("Upload", exact=True).is_visible()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
    page.get_by_text("enkat.csv: 1 rader lästa").wait_for(timeout=60_000)
    wait_for_page(page)
    assert "1 nya värden" in main_text(page)
    page.get_by_role("button", name=t("upload_publish"), exact=True).click()
    page.get_by_text("Publicerat: 1 rader från enkat.csv").wait_for(timeout=60_000)
    wait_for_page(page)

    other = browser.new_context(viewport=VIEWPORT).new_page()  # another session, not signed in
    other.goto(f"{base}/{FOCUS}?kommun=0181&ind=ENK_TRYGG_OMRADE")
    wait_for_page(other)
    text = main_text(other)
    assert re.search(rf"Södertälje {year + 1}: {re.escape(shown)}\s%", text) and "Lokal enkät (CSV-import)" in text, text
    assert other.locator("[data-testid='stSidebar']").get_by_role("button", name=t("account_login")).count() == 1
    other.context.close()
    page.context.close()


def test_a_reader_has_no_upload_page_and_a_crafted_link_is_refused(browser, signed_in_app):
    page = sign_in(browser, signed_in_app, "lasare")
    assert page.locator("[data-testid='stSidebar']").get_by_role("link", name=t("page_upload")).count() == 0
    page.goto(f"{signed_in_app}/ladda-upp?kommun=0181")
    wait_for_page(page)
    assert t("upload_refused") in main_text(page)
    assert page.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0
    page.context.close()


REPORT_COMMENT = "Belysningen i Hovsjös trapphus är utbytt och trygghetsvandringen med de boende är gjord."
ACTION = "6.1 "  # the DEMO follow-up names Telge Bostäder AB for action 1 of focus area 6 (FOCUS)
EDITING_PAGES = ("page_notes", "page_upload", "page_action_report", "page_action_review")


def shot(page, name: str) -> None:
    """A screenshot in /tmp for whoever reads a failure."""
    page.screenshot(path=f"/tmp/browser_login_{name}.png", full_page=True)


def choose(page, box, option: str) -> None:
    """Pick ``option`` in a Streamlit selectbox and wait for the rerun."""
    combo = box.get_by_role("combobox")
    combo.click()
    combo.fill(option)  # typing opens the list (a click alone did not, low on the page)
    page.locator("[role='option']").filter(has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")).first.click()
    wait_for_page(page)


def action_on_focus_page(browser, base: str, title: str):
    """A new anonymous browser on the focus page with the action's expander opened; returns (page, expander)."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(f"{base}/{FOCUS}?kommun=0181")
    wait_for_page(page)
    expander = page.locator("[data-testid='stExpander']").filter(
        has=page.locator("summary").filter(has_text=f"1. {title}"))
    expander.locator("summary").click()
    expander.locator("table").wait_for(timeout=30_000)
    return page, expander


def test_an_owner_reports_the_coordinator_approves_and_another_browser_sees_it(browser, signed_in_app):
    base = signed_in_app
    owner = sign_in(browser, base, "ansvarig-telge")
    sidebar = owner.locator("[data-testid='stSidebar']")
    assert "(åtgärdsansvarig (Telge Bostäder AB))" in sidebar.inner_text()
    assert sidebar.get_by_role("link", name=t("page_action_review")).count() == 0
    sidebar.get_by_role("link", name=t("page_action_report")).click()
    wait_for_page(owner)
    assert owner.locator("[data-testid='stMain'] h1").first.inner_text() == t("ar_title")
    heading = owner.get_by_role("heading", name=re.compile(rf"^{re.escape(ACTION)}"))
    label = heading.inner_text().strip()
    title = label.removeprefix(ACTION)
    card = owner.locator("[class*='st-key-ar_action_']").filter(has=heading)
    assert card.count() == 1, label
    choose(owner, card.locator("[data-testid='stSelectbox']"), "genomförd")
    year = card.locator("[data-testid='stNumberInputField']")
    year.fill("2025")
    year.press("Enter")
    wait_for_page(owner)
    comment = card.get_by_label(t("ar_comment", max=1000))
    comment.fill(REPORT_COMMENT)
    comment.press("Control+Enter")  # a text area sends its value on Ctrl+Enter or when it loses focus
    wait_for_page(owner)
    shot(owner, "1_report_filled")
    card.get_by_role("button", name=t("ar_send")).click()
    owner.get_by_text(t("ar_sent", label=label, year=2025)).wait_for(timeout=60_000)
    wait_for_page(owner)
    card = owner.locator("[class*='st-key-ar_action_']").filter(has=owner.get_by_role("heading", name=label))
    history = card.locator("[data-testid='stDataFrame']")
    history.wait_for(timeout=30_000)
    shot(owner, "2_report_sent")
    assert card.get_by_label(t("ar_comment", max=1000)).input_value() == ""

    # Submitted, not approved: the focus page shows only the imported follow-up.
    before, expander = action_on_focus_page(browser, base, title)
    shot(before, "3_focus_before")
    text = expander.inner_text()
    assert "DEMO: påhittad uppföljning" in text and t("actions_origin_import") in text, text
    assert REPORT_COMMENT not in main_text(before) and t("actions_origin_app") not in text
    assert "genomförd (2025" not in expander.locator("summary").inner_text()
    before.context.close()

    editor = sign_in(browser, base, "redaktor-0181")
    editor.locator("[data-testid='stSidebar']").get_by_role("link", name=t("page_action_review")).click()
    wait_for_page(editor)
    assert editor.locator("[data-testid='stMain'] h1").first.inner_text() == t("arv_title")
    item = editor.locator("[class*='st-key-arv_item_']").filter(has_text=REPORT_COMMENT)
    item.wait_for(timeout=30_000)
    assert "ansvarig-telge@example.se" in item.inner_text() and "genomförd" in item.inner_text()
    assert t("arv_own") not in item.inner_text()
    shot(editor, "4_review")
    item.get_by_role("button", name=t("arv_approve")).click()
    editor.get_by_text(t("arv_approved", label=label, year=2025)).wait_for(timeout=60_000)
    wait_for_page(editor)
    shot(editor, "5_approved")
    assert t("arv_submitted_none") in main_text(editor)
    assert editor.locator("[class*='st-key-arv_item_']").count() == 0

    after, expander = action_on_focus_page(browser, base, title)
    shot(after, "6_focus_after")
    assert "genomförd (2025, Telge Bostäder AB)" in expander.locator("summary").inner_text()
    rows = expander.locator("tbody tr")
    reported = rows.filter(has_text=REPORT_COMMENT)
    assert reported.count() == 1, expander.inner_text()
    cells = reported.inner_text()
    assert re.search(r"2025\s+genomförd\s+Telge Bostäder AB", cells), cells
    assert t("actions_origin_app") in cells and "redaktor-0181@example.se, 20" in cells, cells
    imported = rows.filter(has_text="DEMO: påhittad uppföljning")  # the history: the imported 2024 follow-up
    assert imported.count() == 1 and re.search(r"2024\s+pågår", imported.inner_text()), expander.inner_text()
    assert rows.first.inner_text() == cells  # newest first
    assert t("actions_source_app") in expander.inner_text()
    assert after.locator("[data-testid='stSidebar']").get_by_role("button", name=t("account_login")).count() == 1
    for page in (after, editor, owner):
        page.context.close()


def test_a_reader_has_no_editing_page_in_the_menu_and_the_action_pages_refuse(browser, signed_in_app):
    page = sign_in(browser, signed_in_app, "lasare")
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "(läsare)" in sidebar.inner_text()
    assert sidebar.get_by_role("link", name=t("page_overview")).count() == 1  # the menu is there
    for key in EDITING_PAGES:
        assert sidebar.get_by_role("link", name=t(key)).count() == 0, key
    page.goto(f"{signed_in_app}/atgarder-granska?kommun=0181")
    wait_for_page(page)
    assert t("arv_refused") in main_text(page)
    assert page.get_by_role("button", name=t("arv_approve")).count() == 0
    page.goto(f"{signed_in_app}/atgarder-rapportera?kommun=0181")
    wait_for_page(page)
    assert t("ar_refused") in main_text(page)
    assert page.get_by_role("button", name=t("ar_send")).count() == 0
    page.context.close()
