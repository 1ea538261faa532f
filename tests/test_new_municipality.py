"""Issue #16, done-when: a new strategy file written from the guide (docs/mall-strategi.yaml, as
docs/ny-kommun.md says) passes check-catalogue, builds and shows every page; an indicator without demo
settings gets them from its unit and polarity; a strategy without a comparison group gets a named one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from etl.catalogue import CATALOGUE_DIR, default_groups, derived_demo, load_catalogue

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "docs" / "mall-strategi.yaml"
NEW_INDICATOR = """
  - id: LOK_MOTESPLATSER
    title: 'Antal öppna mötesplatser för unga'
    short_title: 'Öppna mötesplatser för unga'
    definition: 'Antal öppna mötesplatser (fritidsgårdar, ungdomens hus) som kommunen driver eller stöder.'
    unit: antal
    decimals: 0
    polarity: higher_better
    gender_split: false
    source: local_register
    source_name: 'Kommunens egen uppföljning'
    source_id: null
    kind: register
    levels: [municipality]
"""


def test_the_template_passes_the_check():
    cat = load_catalogue(extra_strategies=(TEMPLATE,))
    assert [s["id"] for s in cat.strategies][-1] == "ystad"


def test_demo_settings_follow_unit_and_polarity():
    share_good = derived_demo({"unit": "%", "polarity": "higher_better", "kind": "survey"})
    share_bad = derived_demo({"unit": "%", "polarity": "lower_better", "kind": "register"})
    assert share_good["min"] == 0 and share_good["max"] == 100 and share_good["level"] > share_bad["level"]
    assert share_good["every"] == 2 and "every" not in share_bad
    count = derived_demo({"unit": "antal", "polarity": "higher_better"})
    rate = derived_demo({"unit": "antal/1000 inv 0–18 år", "polarity": "neutral"})
    assert count["max"] > 1000 and rate["max"] == 1000 and rate["level"] < count["level"]
    for d in (share_good, share_bad, count, rate):
        assert d["min"] <= d["level"] <= d["max"] and d["spread"] > 0


@pytest.mark.slow
def test_a_new_municipality_from_the_guide_builds_and_shows_every_page(tmp_path, monkeypatch):
    from etl.demo import build_demo
    from pages.views import ANALYSIS_PAGES, focus_area_path
    from services.store import clear_caches

    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    with (directory / "indicators.yaml").open("a", encoding="utf-8") as fh:
        fh.write(NEW_INDICATOR)
    strategy = TEMPLATE.read_text(encoding="utf-8").replace(
        "          - id: N02797\n", "          - id: N02797\n          - id: LOK_MOTESPLATSER\n")
    (directory / "strategies" / "ystad.yaml").write_text(strategy, encoding="utf-8")
    cat = load_catalogue(directory)
    ystad = next(s for s in cat.strategies if s["id"] == "ystad")
    assert cat.indicator("LOK_MOTESPLATSER")["demo"]["derived"] is True

    target = tmp_path / "store.sqlite"
    summary = build_demo(target, catalogue=cat, progress=False)
    assert any("Ystad har ingen jämförelsegrupp i strategin: standardgruppen ”Övriga kommuner i Skåne län "
               "(standardgrupp)”" in n for n in summary.notes), summary.notes
    con = sqlite3.connect(target)
    members = {m for (m,) in con.execute("SELECT area_id FROM area_group_member WHERE group_id = 'LAN_1286'")}
    skane = {m for (m,) in con.execute("SELECT id FROM area WHERE parent_id = '0012'")}
    assert members == skane - {"1286"} and len(members) == 32
    values = [v for (v,) in con.execute("SELECT value FROM observation WHERE indicator_id = 'LOK_MOTESPLATSER' "
                                        "AND area_id = '1286' AND status = 'ok'")]
    assert values and all(v >= 0 for v in values)
    con.close()

    monkeypatch.setenv("INDICATOR_STORE", str(target))
    clear_caches()
    try:
        paths = ["oversikt"] + [focus_area_path(fa["code"], fa["title"]) for fa in ystad["focus_areas"]] + list(ANALYSIS_PAGES)
        for path in paths:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params["kommun"] = "1286"
            at.run()
            if path != "oversikt":
                at._page_hash = calc_hash(path)  # noqa: SLF001 - as tests/test_pages.open_page
                at.run()
            assert not at.exception, (path, [e.message for e in at.exception])
            assert not at.error, (path, [e.value for e in at.error])
            assert at.title, path
            if path == "oversikt":
                assert at.title[0].value == "Översikt – Ystad"
                assert any("Övriga kommuner i Skåne län" in str(s.options) for s in at.sidebar.selectbox)
    finally:
        monkeypatch.undo()
        clear_caches()


def test_default_groups_only_for_strategies_without_one():
    import pandas as pd

    cat = load_catalogue(extra_strategies=(TEMPLATE,))
    munis = pd.DataFrame({"id": ["1286", "1287", "1290", "0181"], "county_id": ["0012", "0012", "0012", "0001"]})
    counties = pd.DataFrame({"id": ["0012", "0001"], "name": ["Skåne län", "Stockholms län"]})
    groups, notes = default_groups(cat, munis, counties)
    assert [(g["id"], g["members"]) for g in groups] == [("LAN_1286", ["1287", "1290"])]
    assert len(notes) == 1 and "Ystad" in notes[0]


def _own_words(tmp_path: Path, plural: str | None) -> Path:
    """The guide's template with its areas called "övergripande mål", the strategy's own word."""
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "focus_area_label: Fokusområde" in text and "kind: fokusområde" in text
    text = text.replace("focus_area_label: Fokusområde",
                        "focus_area_label: Övergripande mål" + (f"\nfocus_area_plural: {plural}" if plural else ""))
    path = tmp_path / "ystad.yaml"
    path.write_text(text.replace("kind: fokusområde", "kind: övergripande mål"), encoding="utf-8")
    return path


def test_a_strategy_in_its_own_words_loads_and_is_named_so(tmp_path):
    """Issue #29: any word a strategy uses for its areas ("övergripande mål"), with its plural given in the
    file where it is not a known word; an overarching area's title goes without its number."""
    from catalogue.schema import plural_label
    from services.catalogue import focus_area_title

    cat = load_catalogue(extra_strategies=(_own_words(tmp_path, "Övergripande mål"),))
    ystad = next(s for s in cat.strategies if s["id"] == "ystad")
    assert {fa["kind"] for fa in ystad["focus_areas"]} == {"övergripande mål"}
    assert plural_label(ystad["focus_area_label"], ystad.get("focus_area_plural")) == "Övergripande mål"
    assert focus_area_title("1", "Jämlik hälsa", "övergripande mål") == "Jämlik hälsa"
    assert focus_area_title("1", "Jämlik hälsa", "fokusområde") == "1. Jämlik hälsa"


def test_an_unknown_word_without_its_plural_gets_a_swedish_message(tmp_path):
    from etl.catalogue import CatalogueError

    with pytest.raises(CatalogueError, match="ordet ”Övergripande mål” är inte ett av dem vi känner.*focus_area_plural"):
        load_catalogue(extra_strategies=(_own_words(tmp_path, None),))
