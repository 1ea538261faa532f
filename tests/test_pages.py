"""Every page of every strategy renders headlessly (AppTest) with its Swedish title and its chart, map
or table; empty states and bad links get a Swedish message; filters round-trip through the URL."""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from components.filters import PARAM_NAMES
from components.strings import t
from etl.catalogue import load_catalogue
from pages.views import focus_area_path
from services import overview as svc_ov
from services import scope
from tests.strategies import municipalities

TIMEOUT = 120
APP = Path(__file__).resolve().parent.parent / "app.py"
ANALYSIS_PAGES = {"trygghet": "Trygghet per delområde", "riskfaktorer": "Risk- och skyddsfaktorer",
                  "jamfor": "Jämför kommuner", "data": "Data och definitioner"}


@pytest.fixture(autouse=True)
def _full_errors(app_store):
    # The app hides error details from users; tests want them.
    st.config.set_option("client.showErrorDetails", "full")
    yield


def open_page(url_path: str, **params) -> AppTest:
    """Run the app on one page, as a browser opening /<url_path>?<params> would."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    if url_path != "oversikt":  # one run, of the page itself (not the overview first)
        at._page_hash = calc_hash(url_path)  # noqa: SLF001 - AppTest has no public switch by url_path
    at.run()
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def strategy_pages():
    """Every focus page of every strategy; beyond the first of each strategy they are marked slow
    (`make test-fast` opens one per strategy, `make test` all)."""
    cat = load_catalogue()
    out = []
    for s in cat.strategies:
        for i, fa in enumerate(s["focus_areas"]):
            out.append(pytest.param(s["municipality_id"], focus_area_path(fa["code"], fa["title"]), fa["title"],
                                    marks=[pytest.mark.slow] if i else []))
    return out


def _chart_count(at: AppTest) -> int:
    return len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart"))


@pytest.mark.parametrize("kommun", municipalities())
def test_overview_renders_every_focus_area(kommun):
    at = open_page("oversikt", kommun=kommun)
    assert_ok(at)
    assert at.title[0].value.startswith("Översikt – ")
    cat = load_catalogue()
    s = next(s for s in cat.strategies if s["municipality_id"] == kommun)
    headers = [h.value for h in at.subheader]
    for fa in s["focus_areas"]:
        assert any(fa["title"] in h for h in headers), fa["title"]
    assert at.get("html"), "the overview table is missing"
    assert "Demodata" in at.warning[0].value


@pytest.mark.parametrize("kommun,url_path,title", strategy_pages())
def test_focus_area_page(kommun, url_path, title):
    at = open_page(url_path, kommun=kommun)
    assert_ok(at)
    assert title in at.title[0].value
    assert _chart_count(at) >= 1 or at.info, "no chart and no empty-state message"
    assert any(b.label == "Ladda ner CSV" for b in at.get("download_button")) or at.info


# `make test-fast` opens the analysis pages and the verdict check for the first strategy; `make test` for all.
EVERY_STRATEGY = municipalities(slow_after_first=True)


@pytest.mark.parametrize("kommun", EVERY_STRATEGY)
@pytest.mark.parametrize("url_path", sorted(ANALYSIS_PAGES))
def test_analysis_pages(kommun, url_path):
    at = open_page(url_path, kommun=kommun)
    assert_ok(at)
    assert at.title[0].value.startswith(ANALYSIS_PAGES[url_path])
    if url_path == "trygghet":
        assert at.get("deck_gl_json_chart"), "no map"
        assert at.dataframe, "no ranked table beside the map"
    if url_path == "jamfor":
        assert _chart_count(at) >= 1
        assert not at.get("deck_gl_json_chart"), "hidden tabs should not be computed"
        for tab, check in (("Karta", lambda: at.get("deck_gl_json_chart")), ("Utveckling", lambda: _chart_count(at)),
                           ("Samband", lambda: _chart_count(at) or at.info)):
            at.session_state["w_cmp_tab"] = tab
            at.run()
            assert_ok(at)
            assert check(), f"nothing drawn on the tab {tab}"
    if url_path == "riskfaktorer":
        html = " ".join(h.proto.body for h in at.get("html"))
        for level in ("Individ", "Familj", "Skola", "Närsamhälle", "Samhällets struktur och normer"):
            assert level in html
    if url_path == "data":
        assert any("table class='cat'" in h.proto.body for h in at.get("html"))


def test_url_parameters_round_trip():
    at = open_page("oversikt", kommun="0181", jmf="0001", fran="2014", till="2024", kon="K")
    assert_ok(at)
    assert at.title[0].value == "Översikt – Södertälje"
    qp = dict(at.query_params)
    assert qp["kommun"] in ("0181", ["0181"])
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in qp.items()}
    assert flat == {"kommun": "0181", "jmf": "0001", "fran": "2014", "till": "2024", "kon": "K"}
    assert at.sidebar.selectbox(key="w_kommun").value == "0181"
    assert at.sidebar.radio(key="w_kon").value == "K"


@pytest.mark.parametrize("params,key", [
    ({"kommun": "9999"}, "kommun"), ({"kommun": "1287", "jmf": "G999"}, "jmf"),
    ({"kommun": "1287", "omrade": "0181R001"}, "omrade"), ({"kommun": "1287", "fran": "1850"}, "fran"),
    ({"kommun": "1287", "kon": "X"}, "kon"), ({"kommun": "1287", "ind": "'; DROP TABLE observation;--"}, "ind"),
])
def test_bad_parameters_fall_back_politely(params, key):
    at = open_page("oversikt", **params)
    assert_ok(at)
    assert any(f"okänt värde för {PARAM_NAMES[key]}" in i.value for i in at.info), [i.value for i in at.info]
    assert at.title[0].value.startswith("Översikt – ")


def test_district_filter_changes_figures(demo_store):
    with sqlite3.connect(demo_store) as con:
        district = con.execute("SELECT id, name FROM area WHERE municipality_id = '0181' AND kind = 'district' "
                               "AND district_system IN ('RegSO', 'demo') ORDER BY id LIMIT 1").fetchone()
    at = open_page("6-ett-tryggt-sodertalje", kommun="0181", ind="ENK_TRYGG_OMRADE", omrade=district[0])
    assert_ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert f"delområdet {district[1]}" in captions
    assert at.sidebar.selectbox(key="w_omrade").value == district[0]


def _main_district(con, kommun: str) -> tuple[str, str, str, list[str]]:
    """(id, name, system, fact areas) of the first district the filter offers with SCB facts in the store:
    the fact areas are the district itself, or its DeSO where SCB publishes the facts per DeSO only."""
    for system in ("RegSO", "egen", "demo"):
        for did, name in con.execute("SELECT id, name FROM area WHERE municipality_id = ? AND kind = 'district' "
                                     "AND district_system = ? ORDER BY id", (kommun, system)).fetchall():
            for areas in ([did], [r[0] for r in con.execute(
                    "SELECT id FROM area WHERE parent_id = ? AND district_system = 'DeSO' ORDER BY name", (did,))]):
                if areas and all(_latest(con, "SCB_LAG_EK_STANDARD", a) for a in areas):
                    return did, name, system if areas == [did] else "DeSO", areas
    pytest.skip("no district with SCB facts")


def _latest(con, indicator: str, area: str) -> tuple[float, int] | None:
    return con.execute("SELECT value, year FROM observation WHERE indicator_id = ? AND area_id = ? AND gender = 'T' "
                       "AND status = 'ok' ORDER BY year DESC LIMIT 1", (indicator, area)).fetchone()


def _rows(html_text: str, label: str) -> list[str]:
    return [r for r in html_text.split("<tr>") if f"</span> {html.escape(label)}" in r]


def test_district_filter_on_the_overview(demo_store):
    """Issue #30: with a district chosen, every goal indicator with district values shows the district's
    value and the whole municipality's beside it, once; the count is said once; the fact box shows
    population and low economic standard beside the municipality's."""
    from components import fmt

    with sqlite3.connect(demo_store) as con:
        district, name, system, fact_areas = _main_district(con, "0181")
        goal_rows = con.execute(
            "SELECT DISTINCT gi.indicator_id, COALESCE(gi.label, i.short_title), i.decimals, i.unit, i.levels "
            "FROM goal_indicator gi JOIN goal g ON g.id = gi.goal_id JOIN focus_area fa ON fa.id = g.focus_area_id "
            "JOIN indicator i ON i.id = gi.indicator_id WHERE fa.strategy_id = "
            "(SELECT id FROM strategy WHERE municipality_id = '0181')").fetchall()
        with_district = [(i, label, dec, unit) for i, label, dec, unit, levels in goal_rows
                         if "district" in levels.split(",") and _latest(con, i, district)]
        expected = {i: (_latest(con, i, district), _latest(con, i, "0181")) for i, *_ in with_district}
        facts = {i: {a: _latest(con, i, a) for a in fact_areas} for i in ("SCB_FOLKMANGD", "SCB_LAG_EK_STANDARD")}
        names = dict(con.execute("SELECT id, name FROM area WHERE municipality_id = '0181'").fetchall())
        pop_year = max(v[1] for v in facts["SCB_FOLKMANGD"].values())
        pop_total = con.execute(
            "SELECT SUM(o.value), COUNT(*), (SELECT COUNT(*) FROM area WHERE municipality_id = '0181' AND "
            "kind = 'district' AND district_system = :s) FROM observation o JOIN area a ON a.id = o.area_id "
            "WHERE o.indicator_id = 'SCB_FOLKMANGD' AND o.gender = 'T' AND o.status = 'ok' AND o.year = :y "
            "AND a.municipality_id = '0181' AND a.kind = 'district' AND a.district_system = :s",
            {"s": system, "y": pop_year}).fetchone()
    assert with_district, "the demo has district values for some goal indicator"
    at = open_page("oversikt", kommun="0181", omrade=district)
    assert_ok(at)
    text = " ".join(m.value for m in at.markdown)
    n_total = len({r[0] for r in goal_rows})
    assert f"{len(with_district)} av {n_total} indikatorer finns per delområde" in text
    html_text = " ".join(h.proto.body for h in at.get("html"))
    for ind, label, dec, unit in with_district:
        (value, year), muni = expected[ind]
        rows = [r for r in _rows(html_text, label) if "delområdet" in r]
        assert len(rows) == 1, f"{label}: shown {len(rows)} times with its figures"
        assert html.escape(fmt.with_unit(value, dec, unit)) in rows[0] and f"({year})" in rows[0]
        if muni is not None:
            assert html.escape(t("ov_municipality_value", value=fmt.with_unit(muni[0], dec, unit),
                                 year=muni[1])) in rows[0]
    # The fact box: the district's population and low economic standard, the municipality's beside.
    box = html_text[html_text.index(html.escape(t("facts_heading", name=name))):]
    box = box[:box.index("</table>")]
    assert html.escape(t("facts_col_municipality", municipality="Södertälje")) in box
    for fact, row_title, dec, unit in (("SCB_FOLKMANGD", "Folkmängd", 0, "antal"),
                                       ("SCB_LAG_EK_STANDARD", "Låg ekonomisk standard", 1, "%")):
        row = next(r for r in box.split("<tr>") if row_title in r)
        cells = row.split("<td")
        assert len(cells) == 4
        for area, (value, _) in facts[fact].items():
            shown = fmt.with_unit(value, dec, unit)
            assert html.escape(shown if area == district else f"{names[area]}: {shown}") in cells[1], row
        assert fmt.MISSING not in cells[2], "the municipality's value beside the district's"
        if fact == "SCB_FOLKMANGD" and pop_total[1] == pop_total[2]:  # every district published: their sum
            assert html.escape(fmt.number(pop_total[0], 0)) in cells[2]
    demo = con_is_demo(demo_store, district)
    assert any(t("facts_demo") == c.value for c in at.caption) == demo


def con_is_demo(store, district: str) -> bool:
    with sqlite3.connect(store) as con:
        return bool(con.execute("SELECT is_demo FROM area WHERE id = ?", (district,)).fetchone()[0])


@pytest.fixture
def hidden_fact_store(app_store, tmp_path, monkeypatch):
    """A copy of the store where one district's newest low-economic-standard value is hidden."""
    path = tmp_path / "hidden.sqlite"
    shutil.copy(app_store, path)
    with sqlite3.connect(path) as con:
        district, name, _, areas = _main_district(con, "0181")
        hide = areas[0]  # the district itself, or its first DeSO
        con.execute("UPDATE observation SET status = 'suppressed', value = NULL, n = NULL, ci_low = NULL, "
                    "ci_high = NULL WHERE area_id = ? AND indicator_id = "
                    "'SCB_LAG_EK_STANDARD' AND gender = 'T' AND year = (SELECT MAX(year) FROM observation WHERE "
                    "area_id = ? AND indicator_id = 'SCB_LAG_EK_STANDARD')", (hide, hide))
        value = _latest(con, "SCB_LAG_EK_STANDARD", hide)  # an older year's value, still published
        hide_name = con.execute("SELECT name FROM area WHERE id = ?", (hide,)).fetchone()[0]
        prefix = "" if hide == district else f"{hide_name}: "
        con.execute("UPDATE meta SET value = 'hidden-fact' WHERE key = 'build_id'")
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield district, name, value, prefix
    monkeypatch.undo()
    st.cache_resource.clear()
    st.cache_data.clear()


def test_district_fact_box_keeps_a_hidden_value_hidden(hidden_fact_store):
    """A hidden district value is neither shown (not even an older one as the newest) nor given away by a
    municipal total computed from the districts."""
    from components import fmt

    district, name, older, prefix = hidden_fact_store
    at = open_page("oversikt", kommun="0181", omrade=district)
    assert_ok(at)
    html_text = " ".join(h.proto.body for h in at.get("html"))
    box = html_text[html_text.index(html.escape(t("facts_heading", name=name))):]
    low_row = next(r for r in box[:box.index("</table>")].split("<tr>") if "Låg ekonomisk standard" in r)
    own_cell = low_row.split("<td")[1]
    assert html.escape(prefix + t("facts_hidden")) in own_cell
    if older is not None:
        assert html.escape(prefix + fmt.with_unit(older[0], 1, "%")) not in own_cell
    muni_cell = low_row.split("<td")[2]
    assert fmt.MISSING in muni_cell, "no municipal value computed beside a hidden district"


def test_district_first_on_trygghet_and_risk(demo_store):
    """Trygghet: the chosen district's value first with the whole municipality's beside it, and the district
    marked in the ranked table; Risk: a district row says so and shows the municipality's value."""
    with sqlite3.connect(demo_store) as con:
        district, name = con.execute(
            "SELECT a.id, a.name FROM area a WHERE a.municipality_id = '0483' AND a.kind = 'district' AND "
            "a.district_system IN ('RegSO', 'demo') AND EXISTS (SELECT 1 FROM observation o WHERE o.area_id = a.id "
            "AND o.indicator_id = 'ENK_TRYGG_OMRADE' AND o.status = 'ok') ORDER BY a.id LIMIT 1").fetchone()
    at = open_page("trygghet", kommun="0483", omrade=district)
    assert_ok(at)
    assert any(m.value.startswith(f"**{name}** ") and "hela kommunen" in m.value for m in at.markdown)
    assert t("map_chosen_mark", name=name) in list(at.dataframe[0].value.iloc[:, 0])
    at = open_page("riskfaktorer", kommun="0483", omrade=district)
    assert_ok(at)
    html_text = " ".join(h.proto.body for h in at.get("html"))
    rows = [r for r in html_text.split("<tr>") if t("risk_district_mark") in r]
    assert rows, "no risk factor row shows the district"
    assert all("Hela kommunen:" in r or "–" in r for r in rows)


@pytest.fixture
def thin_store(app_store, tmp_path, monkeypatch):
    """A copy of the store with one indicator's values and one district's values removed."""
    path = tmp_path / "thin.sqlite"
    shutil.copy(app_store, path)
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM observation WHERE indicator_id = 'U09800'")
        district = con.execute("SELECT id FROM area WHERE municipality_id = '1287' AND kind = 'district' "
                               "AND district_system IN ('RegSO', 'demo') ORDER BY id LIMIT 1").fetchone()[0]
        con.execute("DELETE FROM observation WHERE area_id = ?", (district,))
        con.execute("UPDATE meta SET value = 'thin' WHERE key = 'build_id'")
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield district
    monkeypatch.undo()
    st.cache_resource.clear()
    st.cache_data.clear()


def test_empty_states(thin_store):
    at = open_page("4-meningsfull-fritid-och-goda-levnadsvanor", kommun="1287", ind="U09800")
    assert_ok(at)
    assert any("Det finns inga värden" in i.value for i in at.info)
    at = open_page("3-boende-och-narmiljo", kommun="1287", omrade=thin_store, ind="ENK_TRYGG_BOSTADSOMRADE")
    assert_ok(at)
    assert any("Det finns inga värden" in i.value for i in at.info)


def test_bad_store_gives_one_swedish_message(tmp_path, monkeypatch):
    monkeypatch.setenv("INDICATOR_STORE", str(tmp_path / "saknas.sqlite"))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert at.error and "make demo" in at.error[0].value
        assert at.title[0].value == "Indikatordatabasen kan inte användas"
    finally:
        monkeypatch.undo()
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.mark.slow
def test_banner_says_whether_districts_are_generated(generated_store, monkeypatch, geo_dir):
    target = generated_store
    monkeypatch.setenv("INDICATOR_STORE", str(target))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert_ok(at)
        assert "delområdena är genererade demoområden" in at.warning[0].value
    finally:
        monkeypatch.undo()
        st.cache_resource.clear()
        st.cache_data.clear()
    if geo_dir is not None:
        at = open_page("oversikt", kommun="1287")
        assert "Gränser för kommuner och delområden är verkliga" in at.warning[0].value


def test_indicator_tabs_compute_only_the_open_one():
    at = open_page("6-ett-tryggt-sodertalje", kommun="0181", ind="ENK_TRYGG_OMRADE")
    assert_ok(at)
    assert _chart_count(at) == 1 and not at.dataframe  # Utveckling: the trend only
    at.session_state["w_tabs_ENK_TRYGG_OMRADE"] = "Kön"
    at.run()
    assert_ok(at)
    assert _chart_count(at) == 2  # K/M trend and the gap
    at.session_state["w_tabs_ENK_TRYGG_OMRADE"] = "Tabell"
    at.run()
    assert _chart_count(at) == 0 and not at.dataframe  # the table is HTML: every year, no scroll box
    assert any("<table" in h.proto.body for h in at.get("html"))


def _specs(at: AppTest) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _series(spec: dict) -> set[str]:
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    return set(line["encoding"]["color"]["scale"]["domain"])


def test_one_chart_shows_girls_boys_and_the_comparison_with_the_strategys_years():
    """Issue #30: Utveckling draws girls, boys and the total here and in Riket (dashed), with the strategy's
    baseline and start; Kön the girls and boys against Riket's; Tabell every year with Riket's columns."""
    from services import catalogue as cat

    strategy = cat.strategy_for("1287")
    at = open_page("2-utbildning-och-sysselsattning", kommun="1287", ind="N15428")
    assert_ok(at)
    (spec,) = _specs(at)
    labels = cat.indicator("N15428")["gender_labels"]
    k, m = ("Flickor", "Pojkar") if labels == "flickor_pojkar" else ("Kvinnor", "Män")
    expected = {f"{who} – {area}" for who in (k, m, "Totalt") for area in ("Trelleborg", "Riket")}
    assert _series(spec) == expected
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    dashes = dict(zip(line["encoding"]["strokeDash"]["scale"]["domain"],
                      line["encoding"]["strokeDash"]["scale"]["range"], strict=True))
    assert dashes[f"{k} – Riket"] != dashes[f"{k} – Trelleborg"]
    from components import palette

    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"
             and layer["mark"].get("color") == palette.MILESTONE]
    assert len(rules) == 2  # the baseline and the start, each a labelled rule
    assert f"Strategin börjar {strategy.period_start}" in spec["description"]
    assert f"Basår {strategy.baseline_year}" in spec["description"]
    assert spec["description"].startswith("Linjediagram") and f"{k} – Riket" in spec["description"]
    assert any("Streckade linjer: Riket" in c.value for c in at.caption)

    at.session_state["w_tabs_N15428"] = "Kön"
    at.run()
    assert_ok(at)
    trend = _specs(at)[0]
    assert _series(trend) == {f"{who} – {area}" for who in (k, m) for area in ("Trelleborg", "Riket")}

    at.session_state["w_tabs_N15428"] = "Tabell"
    at.run()
    assert_ok(at)
    import re

    from services import indicators as svc
    from services.filters import Filters

    table = next(h.proto.body for h in at.get("html") if "<caption>" in h.proto.body and " per år" in h.proto.body)
    years = [int(y) for y in re.findall(r"<th scope='row'>(\d{4})</th>", table)]
    d = svc.indicator_data("N15428", scope.resolve(Filters(kommun="1287", jmf="0000")))
    in_store = sorted(set(d.own["year"].astype(int)) | set(d.comp["year"].astype(int)))
    assert years == [y for y in in_store if y >= years[0]]  # every year of the view, the newest included
    assert len(years) > 10  # the old table showed ten rows in a scroll box
    assert ">Riket</th>" in table and ">Trelleborg</th>" in table
    header = table[:table.index("<tbody>")]
    assert header.count(f">{k}</th>") == 2 and header.count(f">{m}</th>") == 2  # K and M for both areas


def test_data_page_tabs():
    at = open_page("data", kommun="1287")
    assert_ok(at)
    # The catalogue only, as one full-height table (no inner scroll box): a row per indicator, the name
    # first, the definition in full, the ids last (issue #30).
    assert not at.dataframe
    table = next(h.proto.body for h in at.get("html") if "table class='cat'" in h.proto.body)
    rows = table.split("<tr>")[2:]
    assert len(rows) >= 100
    first = load_catalogue().indicators[0]
    row = next(r for r in rows if f"<td class='id'>{first['id']}" in r)
    assert row.startswith(f"<th scope='row'>{html.escape(first['title'])}")
    assert html.escape(" ".join(first["definition"].split())) in " ".join(row.split())
    assert row.rstrip().endswith("</td></tr>") and "class='id'" in row.split("<td")[-1]
    at.session_state["w_data_tab"] = "Datakällor och körningar"
    at.run()
    assert_ok(at)
    prov = at.dataframe[0].value
    assert "Källa" in prov.columns and prov["Demo"].isin(["ja", "nej"]).all()
    at.session_state["w_data_tab"] = "Så bedömer vi förändringar"
    at.run()
    assert_ok(at)
    methods = " ".join(m.value for m in at.markdown)
    assert "Newcombe" in methods and "Mann–Kendall" in methods and "procentenheter" in methods
    at.session_state["w_data_tab"] = "Röjandeskydd"
    at.run()
    assert_ok(at)
    rules = " ".join(m.value for m in at.markdown)
    assert "färre än 10 svarande" in rules and "Cell Key" in rules and "DeSO inom RegSO" in rules
    at.session_state["w_data_tab"] = "Ladda ner"
    at.run()
    assert_ok(at)
    assert [b.label for b in at.get("download_button")] == ["Indikatorkatalog (CSV)"]
    at.button(key="prep_xlsx").click().run()
    assert_ok(at)
    assert "Ladda ner Excel" in [b.label for b in at.get("download_button")]


def _cells(html_text: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html_text, flags=re.S)]


@pytest.mark.parametrize("kommun", EVERY_STRATEGY)
def test_no_verdict_word_on_an_untested_cell(kommun):
    """Issue #11: in the overview, every cell that says 'ej testad' states a difference with its unit and
    no verdict word; percentage changes are in procentenheter; the trend column is there."""
    from components.verdicts import VERDICT_WORDS

    at = open_page("oversikt", kommun=kommun)
    assert_ok(at)
    html_text = " ".join(h.proto.body for h in at.get("html"))
    assert "Trend (senaste fem mätningarna)" in html_text
    untested = [c for c in _cells(html_text) if "ej testad" in c]
    assert untested, "the demo must exercise untested changes"
    for cell in untested:
        words = [w for w in VERDICT_WORDS if w in cell.lower().split("ej testad")[0]]
        assert not words, (cell, words)
    assert "procentenheter" in html_text
    assert "Tyder på" not in html_text


def test_risk_page_counts_indicators_and_never_says_tyder_pa():
    at = open_page("riskfaktorer", kommun="0483")
    assert_ok(at)
    html_text = " ".join(h.proto.body for h in at.get("html"))
    assert "Tyder på" not in html_text and "utan test" not in html_text
    assert " av " in html_text and ("ej testbar" in html_text or "säkert" in html_text)


def test_ranking_says_what_the_intervals_support():
    # N07609 has Kolada's uncertainty KPI in the catalogue, so the demo store gives it intervals.
    at = open_page("jamfor", kommun="1287", ind="N07609")
    assert_ok(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Med 95 %-konfidensintervall" in text and "inte säkerställda" in text


def test_counts_are_not_ranked():
    at = open_page("jamfor", kommun="1287", ind="N33812")
    assert_ok(at)
    assert at.selectbox(key="w_cmp_ind").value != "N33812"


def test_excel_values_carry_source_fetch_date_and_demo_mark(app_store):
    """Issue #12: the workbook's 'Värden' sheet says where every value comes from."""
    from services import context, data
    from services.filters import Filters
    from services.store import clear_caches, get_store_info

    clear_caches()
    ctx = context.resolve(Filters(kommun="1287", jmf="0000"), get_store_info())
    values = data.all_values(ctx.filters, ctx.strategy, ctx.comparison)
    assert {"Källa", "Hämtad", "Demodata"} <= set(values.columns)
    assert values["Källa"].notna().all() and values["Hämtad"].str.match(r"\d{4}-\d{2}-\d{2}").all()
    assert (values["Demodata"] == "DEMODATA – syntetiska värden, inte officiell statistik").any()


def test_comparisons_say_when_they_mix_methods():
    """Issue #12: Katrineholm's health-survey KPIs are single-year Liv & hälsa values, Riket's are pooled
    Hälsa på lika villkor means: the overview and the indicator block say so."""
    at = open_page("1-folkhalsa", kommun="0483", jmf="0000", ind="U01473")
    assert_ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "Jämförelsen blandar metoder" in captions and "Liv & hälsa" in captions
    at = open_page("oversikt", kommun="0483", jmf="0000")
    assert_ok(at)
    assert "blandar metoder" in " ".join(h.proto.body for h in at.get("html"))
    # Trelleborg (Skåne) and Riket both come from Hälsa på lika villkor: no such note.
    at = open_page("oversikt", kommun="1287", jmf="0000")
    assert "blandar metoder" not in " ".join(h.proto.body for h in at.get("html"))


@pytest.mark.parametrize("value", ["\n\n![](//host/p)", "x\n\n[Logga in här](http://example.org)", "`\n\n<b>x</b>"])
def test_a_hostile_link_value_is_shown_as_plain_text(value):
    """Issue #18: a blank line in a link value must not end the notice's code span and add markdown."""
    at = open_page("oversikt", kommun="1287", kon=value)
    assert_ok(at)
    notice = next(i.value for i in at.info if "Länken innehöll" in i.value)
    inside = notice.split("`")[1]
    assert "\n" not in inside and notice.count("`") == 2
    assert "![" not in notice.split("`")[0] + notice.split("`")[2]


def test_ranking_tables_say_where_each_value_comes_from():
    """Issue #12: the tables Streamlit's toolbar can export carry the source and the demo mark."""
    at = open_page("jamfor", kommun="1287")
    assert_ok(at)
    table = next(df.value for df in at.dataframe if "Placering" in df.value.columns)
    assert table["Källa"].str.startswith("DEMODATA").all()
    at = open_page("trygghet", kommun="0181")
    assert_ok(at)
    table = next(df.value for df in at.dataframe if "Delområde" in df.value.columns)
    published = table[table.iloc[:, 1] != ".."]
    assert published["Källa"].str.len().gt(0).all()


@pytest.mark.parametrize("damage", ["delete", "garbage"])
def test_a_store_that_breaks_while_the_app_runs_gives_the_swedish_message_at_once(app_store, tmp_path,
                                                                                   monkeypatch, damage):
    """Issue #18: the app follows the store file, so a deleted or broken store is noticed on the next
    rerun (no 30 s of English errors)."""
    from services.store import clear_caches

    store = tmp_path / "s.sqlite"
    store.write_bytes(app_store.read_bytes())
    monkeypatch.setenv("INDICATOR_STORE", str(store))
    clear_caches()
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.query_params["kommun"] = "1287"
        at.run()
        assert_ok(at)
        store.unlink()
        if damage == "garbage":
            store.write_bytes(b"inte en databas" * 100)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.title[0].value == "Indikatordatabasen kan inte användas"
        assert "make demo" in at.error[0].value
    finally:
        monkeypatch.undo()
        clear_caches()


def _chart_specs(at: AppTest) -> list[dict]:
    import json

    return [json.loads(el.proto.spec) for el in [*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")]]


def _footer(spec: dict) -> str:
    title = spec.get("title") or {}
    assert title.get("orient") == "bottom", "the chart has no source footer"
    return " ".join(title["text"])


def _trend_lines(at: AppTest) -> dict[str, float]:
    """The series drawn in the open Jämför → Utveckling chart (from the chart's own data), each with its line
    width."""
    import json

    import pyarrow as pa

    el = next(el for el in [*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")]
              if any(ly.get("mark", {}).get("type") == "line" for ly in json.loads(el.proto.spec).get("layer", [])))
    spec = json.loads(el.proto.spec)
    frames = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in el.proto.datasets}
    line = next(ly for ly in spec["layer"] if ly.get("mark", {}).get("type") == "line")
    rows = frames[(line.get("data") or spec["data"])["name"]]
    widths = line["encoding"]["strokeWidth"]["scale"]
    width_of = dict(zip(widths["domain"], widths["range"], strict=True))
    return {name: width_of[name] for name in rows["series"].unique()}


def test_jamfor_development_draws_the_peers_the_user_picks():
    """Issue #30: Jämför → Utveckling draws the comparison group's members beside the municipality and
    Riket; the user adds or removes them in a multiselect, the municipality's line is the thickest, and
    the choice is kept in the link."""
    from components.strings import t
    from services import compare as svc_cmp
    from services.filters import Filters
    from services.scope import resolve

    at = open_page("jamfor", kommun="1287", jmf="G176425")
    at.session_state["w_cmp_tab"] = "Utveckling"
    at.run()
    assert_ok(at)
    picker = at.multiselect(key="w_cmp_peers")
    assert picker.label == t("cmp_peers")
    group = resolve(Filters(kommun="1287", jmf="G176425")).comparison
    members = [a for a in group.area_ids if a != "1287"]
    assert list(picker.value) == members[:len(picker.value)] and picker.value
    lines = _trend_lines(at)
    assert "Trelleborg" in lines and "Riket" in lines
    from services import catalogue as cat

    name_of = cat.municipalities().set_index("id")["name"]
    drawn = set(lines) - {"Trelleborg", "Riket"}
    assert drawn <= {name_of[m] for m in picker.value}
    assert len(drawn) >= len(picker.value) - 1  # a peer without values in the years shown draws no line
    assert lines["Trelleborg"] == max(lines.values()) and lines["Trelleborg"] > lines["Riket"]
    # Keep one peer: the chart has that one beside Trelleborg and Riket, and the link says so.
    keep = picker.value[0]
    picker.set_value([keep]).run()
    assert_ok(at)
    lines = _trend_lines(at)
    peers = set(lines) - {"Trelleborg", "Riket"}
    assert len(peers) == 1, lines
    assert dict(at.query_params).get("kommuner") in (keep, [keep])
    # From Riket as the comparison, a few of the municipality's own group are offered and drawn.
    at = open_page("jamfor", kommun="1287", kommuner=keep)
    at.session_state["w_cmp_tab"] = "Utveckling"
    at.run()
    assert_ok(at)
    assert list(at.multiselect(key="w_cmp_peers").value) == [keep]
    riket = resolve(Filters(kommun="1287", jmf="0000"))
    choice = svc_cmp.peer_choice("1287", riket.comparison, riket.comparisons)
    assert choice.default and set(choice.default) <= set(members)


def test_every_chart_carries_its_source_inside_the_image():
    """Issue #12: Streamlit's chart toolbar offers "Download as PNG" of the Vega view; the source, its fetch
    date and DEMODATA are drawn inside the chart, so the image carries them."""
    at = open_page("6-ett-tryggt-sodertalje", kommun="0181", ind="ENK_TRYGG_OMRADE")
    assert_ok(at)
    seen = _chart_specs(at)
    at.session_state["w_tabs_ENK_TRYGG_OMRADE"] = "Kön"
    at.run()
    assert_ok(at)
    seen += _chart_specs(at)
    at = open_page("jamfor", kommun="1287")
    assert_ok(at)
    seen += _chart_specs(at)
    for tab in ("Utveckling", "Samband"):
        at.session_state["w_cmp_tab"] = tab
        at.run()
        assert_ok(at)
        seen += _chart_specs(at)
    assert len(seen) == 6  # trend, K/M trend, gap, ranking, comparison trend, scatter
    for spec in seen:
        footer = _footer(spec)
        assert "Källa:" in footer and "DEMODATA" in footer, footer
    assert "Södertälje" in _footer(seen[0])


def test_presentation_mode_from_a_link(app_store):
    """Issue #14: visning=presentation&bild=N opens that slide with no sidebar; Nästa moves on and the link
    follows; a slide number past the end shows the last slide; Avsluta returns to the page."""
    from services import presentation as pres
    from services.catalogue import strategy_for

    at = open_page("oversikt", kommun="0181", visning="presentation", bild="1")
    assert_ok(at)
    assert len(at.sidebar.children) == 0, "presentation mode draws no sidebar"
    assert at.title[0].value.startswith("Strategi för social hållbarhet")
    slides = pres.slides(strategy_for("0181").id)
    first_indicator = next(i for i, s in enumerate(slides, start=1) if s.kind == pres.INDICATOR)
    at = open_page("oversikt", kommun="0181", visning="presentation", bild=str(first_indicator))
    assert_ok(at)
    assert at.title[0].value == slides[first_indicator - 1].label
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Källa:" in text and "procentenheter" in text
    at.button(key="pres_next").click().run()
    assert at.query_params["bild"] == str(first_indicator + 1)
    at = open_page("oversikt", kommun="0181", visning="presentation", bild="999")
    assert_ok(at)
    assert at.title[0].value == "Metoder och förbehåll"
    at.button(key="pres_leave").click().run()
    assert "visning" not in at.query_params
    assert at.title[0].value.startswith("Översikt – ")


def test_presentation_mode_lists_what_is_new_since_a_day(app_store):
    """With sedan= the presentation shows the "Nytt sedan …" list right after the title, a screenful a slide,
    with the values' sources once under the table; the focus areas' slides move along by as many."""
    import math
    import sqlite3

    from services import presentation as pres
    from services.catalogue import strategy_for
    from services.changes import KEY, changes, local_day

    con = sqlite3.connect(app_store)
    day = local_day(con.execute("SELECT published_at FROM publication ORDER BY id LIMIT 1").fetchone()[0])
    con.close()
    at = open_page("oversikt", kommun="0181", visning="presentation", bild="2", sedan=day)
    assert_ok(at)
    assert at.title[0].value.startswith(f"Nytt sedan {day}")
    html_text = " ".join(h.proto.body for h in at.get("html"))
    assert "Tidigare värde" in html_text and "<th scope='col'>" in html_text
    captions = " ".join(c.value for c in at.caption)
    assert "Källa för värdena nu: DEMODATA" in captions
    counter = next(m.value for m in at.markdown if " / " in m.value)
    n_plain = len(pres.slides(strategy_for("0181").id))
    n_since = int(counter.split("/")[-1].strip().strip("*"))
    figures = len(changes(strategy_for("0181").municipality_id, strategy_for("0181").id, day).drop_duplicates(KEY))
    assert figures > 0
    assert n_since - n_plain == math.ceil(figures / pres.SINCE_ROWS_PER_SCREEN)


def test_a_bad_slide_number_is_named_in_swedish(app_store):
    at = open_page("oversikt", kommun="0181", visning="presentation", bild="x")
    assert_ok(at)
    assert any("bild i presentationen (bild)" in i.value for i in at.info), [i.value for i in at.info]


def test_the_meeting_pack_download_on_a_focus_page(app_store):
    at = open_page("1-stod-och-relationer-genom-livet", kommun="1287")
    assert_ok(at)
    scope = "trelleborg.tre_fa1"
    at.sidebar.radio(key=f"w_pack_fmt_{scope}").set_value("pdf").run()
    at.sidebar.button(key=f"w_pack_make_{scope}").click().run(timeout=300)
    assert_ok(at)
    labels = [b.label for b in at.get("download_button")]
    assert "Ladda ner (PDF)" in labels, labels


def test_a_target_in_the_strategy_file_gives_a_status_on_the_focus_page_and_the_overview(app_store):
    """Issue #15: Trelleborg's overarching goal says trust shall rise, so the low-trust indicators carry
    the direction "minska"; their status is one of the status words, with the reason in a <details>: a
    direction target is judged by the trend test (issue #26)."""
    from components.verdicts import TARGET_WORD

    for path in ("o-trygghet-och-delaktighet-i-det-lokala-samhallet", "oversikt"):
        at = open_page(path, kommun="1287")
        assert_ok(at)
        html = " ".join(h.proto.body for h in at.get("html"))
        assert "Strategins mål" in html, path
        assert "<details><summary>" in html and "Bedöms med trendtestet" in html
        words = [w.format(away=a) for w in TARGET_WORD.values() for a in ("under", "över")]
        assert any(f"<summary>{w}</summary>" in html for w in words)
    at = open_page("1-en-god-start-i-livet", kommun="0181")
    assert_ok(at)
    assert "Strategins mål" not in " ".join(h.proto.body for h in at.get("html")), "no targets, no column"


def test_a_local_note_appears_on_its_chart_and_under_it(app_store):
    """Issue #15: catalogue/annotations/sodertalje.yaml has an example note on ENK_TRYGG_OMRADE in 2022: the
    trend chart marks it ("Not 1") and the caption under the chart says it is an example; a chart without a
    note has no such mark."""
    import json

    at = open_page("6-ett-tryggt-sodertalje", kommun="0181", ind="ENK_TRYGG_OMRADE")
    assert_ok(at)
    specs = [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]
    from components.palette import NOTE

    texts = json.dumps(specs, ensure_ascii=False)
    assert texts.count(NOTE) >= 2, "the note's rule and label are drawn"  # (its text travels as chart data)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Not 1, 2022 (exempel i demodatabasen") for c in captions), captions
    at = open_page("6-ett-tryggt-sodertalje", kommun="0181", ind="N07609")
    assert_ok(at)
    specs = [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]
    assert NOTE not in json.dumps(specs)


def test_the_overview_says_how_many_tests_it_runs_and_a_moving_average_is_tested_honestly(app_store):
    """Issue #26: the overview names its number of tests and the control of false discoveries; a Kolada
    "glidande fyraårsmedel" (U01413, Trelleborg) is not tested on overlapping values."""
    from services import catalogue as cat
    from services.filters import Filters

    at = open_page("oversikt", kommun="1287")
    assert_ok(at)
    caption = next(c.value for c in at.caption if "Många test på en sida" in c.value)
    many = svc_ov.overview_multiplicity(scope.resolve(Filters(kommun="1287",
                                                           jmf=at.query_params.get("jmf", ["riket"])[0])))
    assert f"gör {many.tests} test" in caption and "Benjamini–Hochberg" not in caption
    assert any("Benjamini–Hochberg" in m.value for m in at.markdown)  # in "Hur vet vi det?"
    html = " ".join(h.proto.body for h in at.get("html"))
    assert cat.series_kind("U01413").moving_average == 4
    # Fifteen yearly values 2010–2025 hold only four that share no year (2013, 2017, 2021, 2025).
    assert "Ej testbar: glidande 4-årsmedelvärde: färre än fem värden som inte bygger på samma års enkäter" in html
    shown = re.sub(r"<details><summary>(.*?)</summary>.*?</details>", r"\1", html, flags=re.S)
    assert "glidande 4-årsmedelvärden som delvis bygger på samma år" not in shown  # one click away
    assert "(ej testad)" in html
