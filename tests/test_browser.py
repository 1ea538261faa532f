"""The dashboard in a real browser (Debian's chromium driven by Playwright): every page loads, the three
users' journeys work end to end, axe finds no serious or critical WCAG 2.1 A/AA violation, and the
sidebar is reachable by keyboard.

Without chromium these tests skip with the reason, except where REQUIRE_BROWSER=1 (CI sets it): there
a missing browser fails the run.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from components.verdicts import TARGET_WORD
from services import overview as svc_ov
from services import scope
from tests.browser_util import CHROMIUM_ARGS, CHROMIUM_PATH, running_app, wait_for_page, warm_up
from tests.strategies import STRATEGIES as STRATEGY_FILES
from tests.strategies import municipalities_with_names

pytestmark = pytest.mark.browser

if not (shutil.which(CHROMIUM_PATH) or os.path.exists(CHROMIUM_PATH)):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"REQUIRE_BROWSER=1 but {CHROMIUM_PATH} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM_PATH} is not installed (Debian: apt-get install chromium)", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")

ROOT_DIR = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1600, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def base_url(app_store):
    with running_app(str(app_store)) as base:
        yield base


@pytest.fixture(scope="module")
def browser(base_url):
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = b.new_page(viewport=VIEWPORT)
        warm_up(page, base_url)
        page.close()
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def goto(page, base: str, path: str, query: str = "") -> None:
    """Open a page by its URL path; the overview is the default page and lives at the root."""
    path = "" if path == "oversikt" else path
    page.goto(f"{base}/{path}" + (f"?{query}" if query else ""))
    wait_for_page(page)


def assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']").first.inner_text()
    dialogs = page.locator("[role='dialog']")
    assert dialogs.count() == 0, dialogs.first.inner_text()
    body = page.locator("[data-testid='stMain']").inner_text()
    for text in ("Traceback", "This app has encountered an error", "Page not found"):
        assert text not in body


def h1(page) -> str:
    return page.locator("[data-testid='stMain'] h1").first.inner_text()


def choose(page, label: str, option: str, where=None) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    scope = where or page
    box = scope.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    combo = box.get_by_role("combobox")
    combo.click()
    combo.fill(option)  # the list filters as one types, as a keyboard user would
    page.locator("[role='option']").filter(has_text=option).first.wait_for()
    page.keyboard.press("Enter")
    wait_for_page(page)


def sidebar_links(page) -> list[tuple[str, str]]:
    links = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a")
    links.first.wait_for(timeout=30_000)  # on a loaded machine the sidebar may paint after the heading
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(links.count())]


@pytest.mark.parametrize("kommun,name", municipalities_with_names())
def test_every_page_loads(page, base_url, kommun, name):
    goto(page, base_url, "oversikt", f"kommun={kommun}")
    assert_no_error(page)
    assert h1(page) == f"Översikt – {name}"
    links = sidebar_links(page)
    assert len(links) >= 8
    for title, href in links:
        path = href.rstrip("/").rsplit("/", 1)[-1] or "oversikt"
        goto(page, base_url, path, f"kommun={kommun}")
        assert_no_error(page)
        heading = h1(page)
        assert heading, f"{title}: no heading"
        if title[0].isdigit() or title.startswith("Trygghet och"):
            assert title.split(". ", 1)[-1] in heading
        assert "Demodata" in page.locator("[data-testid='stAlertContentWarning']").first.inner_text()


def test_strategist_journey(page, base_url, browser):
    goto(page, base_url, "oversikt", "kommun=0181")
    page.get_by_role("link", name="6. Ett tryggt Södertälje").click()
    wait_for_page(page)
    assert "Ett tryggt Södertälje" in h1(page)
    choose(page, "Indikator", "N · Invånare: trygga i sitt bostadsområde")
    assert "ind=ENK_TRYGG_OMRADE" in page.url
    detail = page.locator("[data-testid='stMain']")
    assert "Invånare: trygga i sitt bostadsområde" in detail.inner_text()
    page.locator("[data-testid='stSidebar']").get_by_text("Kvinnor/flickor", exact=True).click()
    wait_for_page(page)
    assert "kon=K" in page.url
    summary = detail.inner_text()
    assert re.search(r"Södertälje \(kvinnor\) \d{4}: \d", summary), "the text summary should be for women"
    with page.expect_download() as dl:
        page.get_by_role("button", name="Ladda ner CSV").click()
    content = open(dl.value.path(), encoding="utf-8-sig").read()
    assert content.startswith("# DEMODATA")
    rows = list(csv.DictReader(io.StringIO(content.split("\n", 1)[1]), delimiter=";"))
    assert rows and {"Indikatorns källa", "Värdenas källa", "Hämtad", "Demodata", "Status", "Antal svarande"} <= set(rows[0])
    assert any(r["Område"] == "Södertälje" and r["Kön"] == "Kvinnor" for r in rows)
    assert all("DEMODATA" in r["Demodata"] for r in rows if r["Värdenas källa"].startswith("DEMO"))
    assert any("," in r["Värde"] for r in rows), "decimal comma expected"
    link = page.url
    other = browser.new_context(viewport=VIEWPORT)
    p2 = other.new_page()
    p2.goto(link)
    wait_for_page(p2)
    assert "Ett tryggt Södertälje" in h1(p2)
    assert "Invånare: trygga i sitt bostadsområde" in p2.locator("[data-testid='stMain']").inner_text()
    sidebar = p2.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_role("combobox", name="Kommun (strategi)").input_value() == "Södertälje"
    assert sidebar.get_by_role("radio", name="Kvinnor/flickor").is_checked()
    other.close()


def test_coordinator_journey(page, base_url, app_store):
    goto(page, base_url, "jamfor", "kommun=1287&ind=U09800")
    assert h1(page) == "Jämför kommuner"
    text = page.locator("[data-testid='stMain']").inner_text()
    m = re.search(r"placerar sig (\d+) av (\d+)", text)
    assert m, text[:500]
    riket_total = int(m.group(2))
    choose(page, "Jämför med", "Liknande kommuner socioekonomi, Trelleborg, 2024",
           where=page.locator("[data-testid='stSidebar']"))
    assert "jmf=G176425" in page.url
    text = page.locator("[data-testid='stMain']").inner_text()
    m = re.search(r"placerar sig (\d+) av (\d+)", text)
    with sqlite3.connect(app_store) as con:
        members = con.execute("SELECT COUNT(*) FROM area_group_member WHERE group_id = 'G176425'").fetchone()[0]
    assert int(m.group(2)) == members + 1  # the group and Trelleborg itself
    assert int(m.group(2)) != riket_total or riket_total == members + 1
    assert "Ordning: bäst först" in text
    assert page.locator("[data-testid='stDataFrame']").count() >= 1  # the ranking as a table too


def test_manager_journey(page, base_url, app_store):
    with sqlite3.connect(app_store) as con:
        district_id, name = con.execute(
            "SELECT a.id, a.name FROM area a JOIN observation o ON o.area_id = a.id "
            "WHERE a.municipality_id = '0181' AND a.kind = 'district' AND a.district_system IN ('RegSO', 'demo') "
            "AND o.indicator_id = 'ENK_TRYGG_OMRADE' AND o.status = 'ok' AND o.year = 2025 AND o.gender = 'T' "
            "ORDER BY a.name LIMIT 1").fetchone()
        value = con.execute("SELECT value FROM observation WHERE indicator_id = 'ENK_TRYGG_OMRADE' "
                            "AND area_id = ? AND year = 2025 AND gender = 'T'", (district_id,)).fetchone()[0]
    goto(page, base_url, "trygghet", "kommun=0181")
    assert h1(page).startswith("Trygghet per delområde")
    page.locator("[data-testid='stDeckGlJsonChart']").first.wait_for(timeout=20_000)
    assert page.locator("[data-testid='stDeckGlJsonChart'] canvas").count() >= 1
    choose(page, "Välj delområde som filter", name)
    assert f"omrade={district_id}" in page.url
    page.get_by_role("link", name="6. Ett tryggt Södertälje").click()
    wait_for_page(page)
    choose(page, "Indikator", "N · Invånare: trygga i sitt bostadsområde")
    main = page.locator("[data-testid='stMain']").inner_text()
    assert f"Visar delområdet {name}" in main
    shown = f"{value:.0f}".replace(".", ",")
    assert f"{name} 2025: {shown}" in main, main[:1500]
    # Back on the overview, the district stays chosen: its value beside the whole municipality's, the count
    # of indicators with district figures said once, and its SCB facts beside the municipality's (#30).
    page.get_by_role("link", name="Översikt").click()
    wait_for_page(page)
    assert f"omrade={district_id}" in page.url
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "indikatorer finns per delområde" in main
    assert "Hela kommunen:" in main
    box = page.locator("table", has_text=f"Fakta om {name}")
    assert box.count() == 1
    facts = box.inner_text()
    assert "Folkmängd" in facts and "Låg ekonomisk standard" in facts and "Hela Södertälje" in facts
    pop_row = box.locator("tr").filter(has=page.get_by_role("rowheader", name="Folkmängd", exact=True)).locator("td")
    assert pop_row.count() == 3 and pop_row.nth(0).inner_text().strip() not in ("", "–")
    assert pop_row.nth(1).inner_text().strip() not in ("", "–")


PAGES_FOR_AXE = [("oversikt", "kommun=1287"), ("1-stod-och-relationer-genom-livet", "kommun=1287"),
                 ("6-ett-tryggt-sodertalje", "kommun=0181"), ("1-folkhalsa", "kommun=0483"),
                 ("trygghet", "kommun=0181"), ("riskfaktorer", "kommun=0483"), ("jamfor", "kommun=1287"),
                 ("data", "kommun=1287"),
                 # Presentation mode: a focus summary and an indicator slide.
                 ("oversikt", "kommun=0181&visning=presentation&bild=2"),
                 ("oversikt", "kommun=0181&visning=presentation&bild=5")]


@pytest.mark.parametrize("path,query", PAGES_FOR_AXE)
def test_accessibility(page, base_url, path, query):
    from axe_playwright_python.sync_playwright import Axe

    goto(page, base_url, path, query)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} – {len(v['nodes'])} element(s): "
                              f"{v['nodes'][0]['target']}" for v in bad)


def test_accessibility_with_a_district_chosen(page, base_url, app_store):
    """Issue #30: with a district chosen, the overview (the district's figures beside the municipality's, its
    SCB fact box) and a focus page pass axe too."""
    from axe_playwright_python.sync_playwright import Axe

    with sqlite3.connect(app_store) as con:
        district_id = con.execute("SELECT id FROM area WHERE municipality_id = '0181' AND kind = 'district' "
                                  "ORDER BY name LIMIT 1").fetchone()[0]
    for path in ("oversikt", "6-ett-tryggt-sodertalje"):
        goto(page, base_url, path, f"kommun=0181&omrade={district_id}")
        assert f"omrade={district_id}" in page.url
        if path == "oversikt":
            assert "per delområde" in page.locator("[data-testid='stMain']").inner_text()
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, "\n".join(f"{path}: {v['id']} ({v['impact']}): {v['help']} – {len(v['nodes'])} element(s): "
                                  f"{v['nodes'][0]['target']}" for v in bad)


def test_sidebar_reachable_by_keyboard(page, base_url):
    goto(page, base_url, "oversikt", "kommun=1287")
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const e = document.activeElement; if (!e) return '';"
            " const w = e.closest('[data-testid=stSelectbox],[data-testid=stSlider],[data-testid=stRadio],"
            "[data-testid=stPageLink]'); return w ? w.innerText.split('\\n')[0] : ''; }")
        if label:
            reached.add(label)
    for expected in ("Översikt", "Kommun (strategi)", "Jämför med", "Delområde", "År"):
        assert any(expected in r for r in reached), reached


def test_the_browser_fetches_nothing_from_other_hosts(page, base_url):
    """Issue #18: no page icon from a font server, no map style from a tile host with the basemap off."""
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((base_url, "data:", "blob:")) else None)
    for path, query in (("", "kommun=1287"), ("trygghet", "kommun=0181"), ("jamfor", "kommun=1287")):
        goto(page, base_url, path, query)
        page.wait_for_timeout(1500)
        assert_no_error(page)
        assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert page.locator("canvas").count() > 0  # the last page's charts and map were drawn
    assert outside == []


@pytest.mark.parametrize("path,query,expect", [
    ("start", "kommun=1287", None),  # the overview's own name
    ("finns-inte", "kommun=1287", "finns inte i Trelleborgs strategi"),
    ("1-folkhalsa", "kommun=1287", "hör till Katrineholms strategi"),  # another strategy's focus page
    ("%3Cimg%20src=%2F%2Fexample.org%2Fp%3E%60**x**", "kommun=0181", "finns inte i Södertäljes strategi"),
])
def test_unknown_paths_open_the_overview_with_a_swedish_notice(page, base_url, path, query, expect):
    """Issue #18: never Streamlit's English "Page not found" dialog."""
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((base_url, "data:", "blob:")) else None)
    goto(page, base_url, path, query)
    page.wait_for_timeout(800)  # the dialog, if any, comes after the first paint
    assert_no_error(page)
    assert h1(page).startswith("Översikt – ")
    notices = page.locator("[data-testid='stAlertContentInfo']").all_inner_texts()
    if expect is None:
        assert not any("finns inte" in n or "hör till" in n for n in notices), notices
    else:
        assert any(expect in n for n in notices), notices
    assert outside == []


# --- Issue #14: the meeting -------------------------------------------------------------------------

def _body_font_px(page) -> float:
    return float(page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector(\"[data-testid='stMain'] p\")).fontSize)"))


def test_presentation_mode_is_driven_from_the_keyboard(browser, base_url):
    """Start from a focus page's button, move with the arrow keys and a clicker's PageUp/PageDown, leave
    with Esc; large type on a 1920×1080 projector and still at 1280×720; the link keeps the slide."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    goto(page, base_url, "6-ett-tryggt-sodertalje", "kommun=0181")
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Visa som presentation").click()
    wait_for_page(page)
    assert "visning=presentation" in page.url
    assert h1(page).startswith("6. Ett tryggt Södertälje")
    assert page.locator("[data-testid='stSidebar']").count() == 0 or not page.locator(
        "[data-testid='stSidebar']").is_visible()
    assert _body_font_px(page) >= 24
    start = int(re.search(r"bild=(\d+)", page.url).group(1))
    titles = [h1(page)]
    for key, step in (("ArrowRight", 1), ("PageDown", 1), ("ArrowLeft", -1), ("PageUp", -1), ("PageDown", 1)):
        page.keyboard.press(key)
        wait_for_page(page)
        start += step
        assert f"bild={start}" in page.url, (key, page.url)
        titles.append(h1(page))
    assert len(set(titles)) >= 2, titles  # the slides really changed
    for _ in range(6):  # on to the area's first indicator slide
        main = page.locator("[data-testid='stMain']").inner_text()
        if "Källa:" in main:
            break
        page.keyboard.press("ArrowRight")
        wait_for_page(page)
    assert "Källa:" in main and "DEMODATA" in main  # the source line and the demo mark stay on screen
    titles.append(h1(page))
    link = page.url
    page.keyboard.press("Escape")
    wait_for_page(page)
    assert "visning" not in page.url
    assert page.locator("[data-testid='stSidebar']").is_visible()
    small = browser.new_context(viewport={"width": 1280, "height": 720})
    p2 = small.new_page()
    p2.goto(link)
    wait_for_page(p2)
    assert h1(p2) == titles[-1]
    assert _body_font_px(p2) >= 20
    # On the small projector the verdict sentence and the source line are above the fold.
    source = p2.get_by_text(re.compile(r"^Källa: ")).first
    box = source.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 720, box
    small.close()
    context.close()


def test_meeting_pack_and_chart_images_download(page, base_url):
    from pptx import Presentation

    goto(page, base_url, "1-stod-och-relationer-genom-livet", "kommun=1287")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name="Skapa mötesunderlag").click()
    page.get_by_role("button", name="Ladda ner (PowerPoint)").wait_for(timeout=120_000)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Ladda ner (PowerPoint)").click()
    # A name a person reads (issue #30): municipality, focus area, date, the demo mark; no ids or underscores.
    name = dl.value.suggested_filename
    assert re.fullmatch(r"Mötesunderlag Trelleborg – Stöd och relationer genom livet \d{4}-\d{2}-\d{2} "
                        r"\(demodata\)\.pptx", name), name
    prs = Presentation(dl.value.path())
    assert len(prs.slides) >= 4
    assert any("DEMODATA" in s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    for kind, magic in (("PNG", b"\x89PNG"), ("SVG", b"<svg")):
        with page.expect_download() as dl:
            page.get_by_role("button", name=f"Diagram ({kind})").first.click()
        data = open(dl.value.path(), "rb").read()
        assert data.startswith(magic) or magic in data[:200], kind
        assert dl.value.suggested_filename.endswith(f" (demodata).{kind.lower()}")
        assert "_" not in dl.value.suggested_filename and " – " in dl.value.suggested_filename
        if kind == "SVG":
            text = data.decode("utf-8")
            assert "Källa" in text and "DEMODATA" in text  # the footer travels with the image


def test_following_the_strategy_journey(browser, app_store, tmp_path):
    """Issue #15, a strategist: Trelleborg's overarching goal shows how its targets stand, and a click opens
    the reason; in Södertälje, after the follow-up is imported, goal area 6 shows each action's status and
    who answers for it, and the area's summary; a chart shows its local note. After a second publish with a
    revised value she picks "Nytt sedan …" the day of the earlier version and sees the value marked as
    revised, with its old and new value, in the list and on the chart."""
    import pandas as pd

    from components import fmt
    from etl.actions_import import import_actions
    from etl.kolada_values import load_kolada_csv
    from services.changes import local_day

    store = tmp_path / "store.sqlite"
    store.write_bytes(app_store.read_bytes())
    import_actions(store, ROOT_DIR / "data" / "templates" / "atgarder_mall.csv")
    con = sqlite3.connect(store)
    ind, year, old, dec = con.execute("""
        SELECT o.indicator_id, o.year, o.value, i.decimals FROM observation o JOIN indicator i ON i.id = o.indicator_id
        WHERE i.source = 'kolada' AND o.area_id = '0181' AND o.gender = 'T' AND o.status = 'ok' AND o.year = 2021
          AND o.indicator_id IN (SELECT gi.indicator_id FROM goal_indicator gi WHERE gi.goal_id LIKE 'sodertalje.%')
          AND o.indicator_id IN (SELECT indicator_id FROM goal_indicator gi JOIN goal g ON g.id = gi.goal_id
                                 WHERE g.focus_area_id = 'sodertalje.sod_6')
        ORDER BY o.indicator_id LIMIT 1""").fetchone()
    day = local_day(con.execute("SELECT published_at FROM publication ORDER BY id LIMIT 1").fetchone()[0])
    con.close()
    new = old + 4 * 10.0 ** -dec
    pd.DataFrame([{"kpi_id": ind, "kpi_title": "x", "municipality_id": "0181", "year": year, "gender": "T",
                   "value": new}]).to_csv(tmp_path / "revised.csv", index=False)
    load_kolada_csv(store, tmp_path / "revised.csv")
    with running_app(str(store)) as base:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        warm_up(page, base)
        goto(page, base, "o-trygghet-och-delaktighet-i-det-lokala-samhallet", "kommun=1287")
        assert_no_error(page)
        summary = page.locator("div.target summary").first  # the target's, under its trend
        words = {w.format(away=a) for w in TARGET_WORD.values() for a in ("under", "över")}
        assert summary.inner_text() in words
        reason = page.locator("div.target details").first.locator("span.small")
        assert not reason.is_visible()
        summary.click()
        assert reason.is_visible() and "Bedöms med trendtestet" in reason.inner_text()  # a direction target
        goto(page, base, "6-ett-tryggt-sodertalje", "kommun=0181&ind=ENK_TRYGG_OMRADE")
        assert_no_error(page)
        main = page.locator("[data-testid='stMain']")
        assert "1 av 6 åtgärder i målområdet pågår eller är genomförda (senaste uppföljning 2025)." in main.inner_text()
        action = page.get_by_text(re.compile(r"^1\. Aktivera offentliga miljöer .* — pågår \(2025, Exempel: Kultur"))
        action.click()
        page.wait_for_timeout(500)
        assert "Exempelrad – ersätt med er egen uppföljning" in main.inner_text()
        assert "Not 1, 2022 (exempel i demodatabasen" in main.inner_text()

        goto(page, base, "6-ett-tryggt-sodertalje", f"kommun=0181&ind={ind}")
        choose(page, "Nytt sedan", day, where=page.locator("[data-testid='stSidebar']"))
        assert f"sedan={day}" in page.url
        assert_no_error(page)
        assert f"Nytt sedan {day}" in main.inner_text()
        page.get_by_text(re.compile(r"ändrade uppgifter$")).first.wait_for()
        rows = page.locator("[data-testid='stDataFrame']").first
        rows.wait_for()
        listed = main.inner_text()
        assert re.search(rf"Nytt sedan {day}: [^\n]*reviderad [^\n]*{year}", listed)  # the mark in the goal's table
        caption = page.get_by_text(re.compile(r"^Ring runt en punkt")).first
        caption.wait_for()
        assert f"Reviderad {year}: {fmt.number(old, dec)} → {fmt.number(new, dec)}" in caption.inner_text()
        context.close()


def test_honest_trends_and_many_tests_in_the_browser(page, base_url):
    """Issue #26 as a strategist sees it: the overview says how many tests it runs and how they are
    weighed together; a Kolada four-year moving average (U01413) is "Ej testbar" rather than a trend from
    overlapping values; the direction target of Trelleborg's overarching goal is judged by the trend test,
    with its reason one click away."""
    goto(page, base_url, "oversikt", "kommun=1287")
    assert_no_error(page)
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    assert "Många test på en sida" in text and "Benjamini–Hochberg" not in text  # the method: one click away
    page.get_by_role("button", name="Hur vet vi det?").first.click()
    popover = page.locator("[data-testid='stPopoverBody']")
    popover.wait_for()
    assert "Benjamini–Hochberg" in popover.inner_text()
    page.keyboard.press("Escape")
    assert "Ej testbar: glidande 4-årsmedelvärde" in text
    summary = main.locator("div.target details summary").first
    summary.click()
    assert "Bedöms med trendtestet" in main.locator("div.target details").first.inner_text()


@pytest.mark.parametrize("kommun", [s["municipality_id"] for s in STRATEGY_FILES])
def test_the_overview_answers_every_comparison_it_has_a_value_for(page, base_url, kommun):
    """Issue #30, done when: in the browser, each strategy's overview shows a standing (tested or descriptive)
    in the comparison column for every indicator that has a comparison value, and the one phrasing "Ingen
    jämförelse" (its reason one click away) for the rest; a register figure never gets the tested word."""
    from components import verdicts
    from services.filters import Filters

    df = svc_ov.overview_frame(scope.resolve(Filters(kommun=kommun, jmf="0000")))
    df = df[svc_ov.also_under(df).isna()]  # an indicator under two goals is shown once
    goto(page, base_url, "oversikt", f"kommun={kommun}&jmf=0000")
    assert_no_error(page)
    cells = page.locator("[data-testid='stMain'] td[data-col='standing']")
    cells.first.wait_for()
    summaries = [x.strip() for x in cells.locator("details > summary").all_inner_texts()]
    assert len(summaries) == cells.count() == len(df)
    answered = [x for x in summaries if x != verdicts.NO_COMPARISON]
    assert len(answered) == int(df["bench"].notna().sum()) > len(df) / 2
    heads = tuple(h.format(c="Riket") for h in verdicts.STANDING_HEAD.values())
    assert all(x.startswith(heads) for x in answered), [x for x in answered if not x.startswith(heads)]
    register = cells.filter(has_text=verdicts.BASIS_NOTE["register"])
    assert register.count() > 0
    assert not any("Säkert" in x for x in register.locator("details > summary").all_inner_texts())
    first = cells.filter(has_text=verdicts.NO_COMPARISON).first
    if first.count():  # the reason one click away
        first.locator("summary").click()
        reason = first.inner_text().replace(verdicts.NO_COMPARISON, "", 1).strip()
        assert len(reason) > 20 and reason.endswith("."), reason


STREAMLIT_CHART_MENU = re.compile(r"Show data|Download as PNG|View source|Copy|Vega-Lite|Fullscreen|Open in Vega")


def test_charts_have_no_english_menu_and_a_swedish_text_alternative(page, base_url):
    """Issue #30: Streamlit's chart toolbar ("Show data", "Download as PNG", "Copy Vega-Lite spec",
    "Fullscreen") is neither visible nor reachable by keyboard or screen reader; the chart's accessible
    name is its Swedish description; the chart draws girls, boys and the comparison with the strategy's
    start."""
    goto(page, base_url, "2-utbildning-och-sysselsattning", "kommun=1287&ind=N15428")
    assert_no_error(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the toolbar shows on hover
    page.wait_for_timeout(500)
    assert page.get_by_role("button", name=STREAMLIT_CHART_MENU).count() == 0
    assert page.get_by_role("menuitem", name=STREAMLIT_CHART_MENU).count() == 0
    visible = page.evaluate("""() => [...document.querySelectorAll('button, [role=menuitem], a')]
        .filter(e => e.offsetParent !== null || e.getClientRects().length > 0)
        .map(e => (e.getAttribute('aria-label') || '') + ' ' + e.innerText)""")
    assert not [v for v in visible if STREAMLIT_CHART_MENU.search(v)], visible
    assert not STREAMLIT_CHART_MENU.search(page.locator("[data-testid='stMain']").inner_text())
    for _ in range(40):  # nor reachable by Tab from the chart's tab list onwards
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.getAttribute('aria-label') || '') + ' '"
                                " + document.activeElement.innerText")
        assert not STREAMLIT_CHART_MENU.search(focused), focused
    label = chart.get_attribute("aria-label") or ""
    assert label.startswith("Linjediagram") and "Riket" in label and "Strategin börjar" in label
    drawn = page.evaluate("() => [...document.querySelectorAll(\"[data-testid='stVegaLiteChart'] svg text\")]"
                          ".map(t => t.textContent).join(' | ')")
    assert "Strategin börjar" in drawn and "Basår" in drawn and "Pojkar – Riket" in drawn, drawn


# --- Issue #30: nothing cut off at 1280×720 and 1920×1080 -------------------------------------------------

# Every element with text whose content is wider (or taller) than its box while its overflow is hidden or
# ends in an ellipsis: st.metric's values and deltas, buttons, tab labels, table cells, select values. A
# box that scrolls (overflow auto) is not cut. Elements of 1 px or less (the clicker's keys kept off screen
# on purpose) and hidden ones are left out.
CUT_OFF_JS = """() => {
  const out = [];
  const clips = v => v === 'hidden' || v === 'clip';
  for (const el of document.querySelectorAll("[data-testid='stMain'] *, [data-testid='stSidebar'] *")) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
    const text = (el.innerText || el.value || '').trim();
    if (!text) continue;
    const wide = (clips(cs.overflowX) || cs.textOverflow === 'ellipsis') && el.scrollWidth > el.clientWidth + 1;
    const tall = clips(cs.overflowY) && el.scrollHeight > el.clientHeight + 1;
    // A table cell whose words run across its border (a fixed layout does not widen the column).
    const spills = (el.tagName === 'TD' || el.tagName === 'TH') && el.scrollWidth > el.clientWidth + 1;
    if (wide || tall || spills) out.push(`${el.closest('[data-testid]')?.dataset.testid}: ${text.slice(0, 80)}`);
  }
  return out;
}"""


def _cut_off_pages(kommun: str) -> list[tuple[str, str]]:
    """For one strategy: the overview, the focus page of its longest-named indicator with that indicator
    chosen, Jämför, Trygghet, Riskfaktorer, and presentation slides (the title, the summary with the fewest rows — the largest type —,
    the one with the most, the first indicator slide and the methods)."""
    from pages.views import focus_area_path
    from services import catalogue as cat
    from services import presentation as pres

    strategy = next(s for s in cat.strategies() if s.municipality_id == kommun)
    gi = cat.goal_indicators(strategy.id)
    names = gi["label"].fillna(gi["short_title"])
    longest = gi.loc[names.str.len().idxmax()]
    fa = cat.focus_areas(strategy.id).set_index("id").loc[longest["focus_area_id"]]
    slides = pres.slides(strategy.id)
    summaries = [i for i, s in enumerate(slides, start=1) if s.kind == pres.FOCUS]
    rows = {i: len(gi[gi["focus_area_id"] == slides[i - 1].focus_area_id].iloc[slice(*slides[i - 1].rows)])
            for i in summaries}
    chosen = sorted({1, min(rows, key=rows.get), max(rows, key=rows.get), len(slides),
                     next(i for i, s in enumerate(slides, start=1) if s.kind == pres.INDICATOR)})
    return ([("oversikt", f"kommun={kommun}"),
             (focus_area_path(fa["code"], fa["title"]), f"kommun={kommun}&ind={longest['indicator_id']}"),
             ("jamfor", f"kommun={kommun}"), ("trygghet", f"kommun={kommun}"),
             ("riskfaktorer", f"kommun={kommun}")]
            + [("oversikt", f"kommun={kommun}&visning=presentation&bild={n}") for n in chosen])


@pytest.mark.parametrize("kommun", [s["municipality_id"] for s in STRATEGY_FILES])
@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_nothing_is_cut_off_at_projector_sizes(browser, base_url, tmp_path, kommun, width, height):
    """At 1280×720 (sidebar open) and 1920×1080, on each strategy's overview, a focus page with an indicator
    chosen, Jämför and its presentation slides: no text is cut (no ellipsis, no hidden overflow); the key
    figures are whole and inside the page; on a slide the navigation and the slide itself (chart, table, key
    figures, text) are on screen without scrolling. The
    screenshots are kept in tmp_path."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = []
    for path, query in _cut_off_pages(kommun):
        goto(page, base_url, path, query)
        assert_no_error(page)
        name = f"{width}x{height}_{path}_{re.sub(r'[^A-Za-z0-9]+', '-', query)}.png"
        problems += [f"{path}?{query}: {cut}" for cut in page.evaluate(CUT_OFF_JS)]
        if "ind=" in query:
            figures = page.locator("dl.kf").first
            figures.wait_for()
            figures.scroll_into_view_if_needed()  # the screenshot shows the key figures
            box = figures.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
            text = figures.inner_text()
            assert "…" not in text and text.count("\n") >= 4, text  # four labels with their values
        if "visning=presentation" in query:
            for key in ("pres_prev", "pres_next", "pres_leave"):
                button = page.locator(f".st-key-{key} button")
                b = button.bounding_box()
                assert b is not None and b["y"] >= 0 and b["y"] + b["height"] <= height and \
                    b["x"] + b["width"] <= width, (query, key, b)
                assert "…" not in button.inner_text()
            # The slide itself fits the screen: its chart as drawn, table, key figures and text end above
            # the fold (on a short screen the key figures give way to the chart: display none, bottom 0).
            bottoms = page.evaluate("""() => [...document.querySelectorAll(
                "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg.marks, table.ind, "
                + "dl.kf, [data-testid='stMarkdownContainer']")]
                .map(e => [e.tagName + ' ' + (e.dataset.testid || e.className), e.getBoundingClientRect().bottom])""")
            assert bottoms and all(bottom <= height for _, bottom in bottoms), (query, bottoms)
        page.screenshot(path=str(tmp_path / name))
    # The check is not blind: a line cut by an ellipsis, put on the last page, is found.
    page.evaluate("""() => { const d = document.createElement('div'); d.id = 'cut-probe';
        d.style.cssText = 'width: 60px; flex-shrink: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap';
        d.textContent = '±0,0 procentenheter';
        document.querySelector("[data-testid='stMainBlockContainer']").append(d); }""")
    assert any("±0,0 procentenheter" in cut for cut in page.evaluate(CUT_OFF_JS))
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_maps_use_the_width_with_their_legend_beside_them(browser, base_url, tmp_path, size):
    """Issue #30: the district map and the map of Sweden take most of the page's width with the legend in
    words beside them (Bättre … Sämre), Jämför → Utveckling offers the peers; axe finds nothing serious on
    the map and development tabs. Screenshots at 1280×720 and 1920×1080 go to SCREENSHOT_DIR when set."""
    from axe_playwright_python.sync_playwright import Axe

    out = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        goto(page, base_url, "trygghet", "kommun=0181")
        main = page.locator("[data-testid='stMain'] [data-testid='stMainBlockContainer']").first
        deck = page.locator("[data-testid='stDeckGlJsonChart']").first
        deck.wait_for(timeout=20_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / f"trygghet_{size[0]}x{size[1]}.png"))
        legend = page.locator("ul[aria-label='Teckenförklaring']").first
        m, d, g = main.bounding_box(), deck.bounding_box(), legend.bounding_box()
        assert d["width"] >= 0.6 * m["width"], (d, m)  # not a third of the width any more
        assert g["x"] >= d["x"] + d["width"] - 1 and g["y"] < d["y"] + d["height"]  # beside the map
        words = legend.inner_text()
        assert words.index("Bättre") < words.index("Sämre") and "%" in words
        goto(page, base_url, "jamfor", "kommun=1287&jmf=G176425")
        for tab in ("Karta", "Utveckling"):
            page.get_by_role("tab", name=tab).click()
            wait_for_page(page)
            if tab == "Karta":
                page.locator("[data-testid='stDeckGlJsonChart']").first.wait_for(timeout=20_000)
                assert "Trelleborg (vald kommun)" in page.locator("ul[aria-label='Teckenförklaring']").inner_text()
            else:
                picker = page.locator("[data-testid='stMultiSelect']").filter(has_text="Kommuner i diagrammet")
                assert picker.count() == 1
                page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=20_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"jamfor_{tab.lower()}_{size[0]}x{size[1]}.png"))
            assert_no_error(page)
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            assert not bad, [(v["id"], v["nodes"][0]["target"]) for v in bad]
    finally:
        context.close()
