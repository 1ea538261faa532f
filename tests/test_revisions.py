"""Issue #15, "Nytt sedan …": every publish records what changed since the store it replaces (new, revised,
withdrawn figures), carries the history forward, never keeps a value of a cell that is not published now,
and the app lists and marks the changes since a day."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import revisions
from etl.disclosure_check import check_store, history_findings
from etl.kolada_values import load_kolada_csv
from etl.publish import PublishError, staged
from services.filters import valid_since

KEY = ["indicator_id", "area_id", "year", "gender"]


def _cells(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[*KEY, "old_status", "old_value", "new_status", "new_value", "decimals"])


def test_classify_new_revised_withdrawn_and_unchanged_when_shown():
    cells = _cells([
        ("A", "0181", 2025, "T", None, None, "ok", 7.4, 1),             # a new year
        ("A", "0181", 2024, "T", "missing", None, "ok", 7.0, 1),        # a gap filled
        ("A", "0181", 2023, "T", "suppressed", None, "ok", 6.0, 1),     # hidden then, published now
        ("A", "0181", 2022, "T", "ok", 76.5, "ok", 77.1, 1),            # revised
        ("B", "0181", 2022, "T", "ok", 76.5, "ok", 77.1, 0),            # 77 → 77 when shown: not a revision
        ("B", "0181", 2021, "T", "ok", 58.44, "ok", 58.5, 0),           # 58 → 59 (halves away from zero)
        ("A", "0181", 2021, "K", "ok", 5.0, "suppressed", None, 1),     # hidden now
        ("A", "0181", 2020, "K", "ok", 5.0, None, None, 1),             # gone
    ])
    out = revisions.classify(cells).set_index(KEY)
    assert out.loc[("A", "0181", 2025, "T"), "change"] == "new"
    assert out.loc[("A", "0181", 2024, "T"), "change"] == "new"
    assert out.loc[("A", "0181", 2023, "T"), "change"] == "new"
    assert pd.isna(out.loc[("A", "0181", 2023, "T"), "old_value"]), "a value hidden then is never kept"
    assert tuple(out.loc[("A", "0181", 2022, "T"), ["change", "old_value", "new_value"]]) == ("revised", 76.5, 77.1)
    assert ("B", "0181", 2022, "T") not in out.index
    assert out.loc[("B", "0181", 2021, "T"), "change"] == "revised"
    for key in (("A", "0181", 2021, "K"), ("A", "0181", 2020, "K")):
        assert out.loc[key, "change"] == "withdrawn"
        assert out.loc[key, ["old_value", "new_value"]].isna().all(), "a withdrawn figure keeps no value"


def _store(demo_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store.sqlite"
    shutil.copy(demo_store, target)
    return target


def _rows(path: Path, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _load(target: Path, tmp_path: Path, rows: list[dict], name: str = "values.csv") -> None:
    csv = tmp_path / name
    pd.DataFrame(rows).to_csv(csv, index=False)
    load_kolada_csv(target, csv)


def _kolada_cell(path: Path) -> tuple[str, int, float, int]:
    """A published Kolada total of Södertälje in the strategy that the demo history did not touch."""
    return _rows(path, """
        SELECT o.indicator_id, o.year, o.value, i.decimals FROM observation o JOIN indicator i ON i.id = o.indicator_id
        WHERE i.source = 'kolada' AND o.area_id = '0181' AND o.gender = 'T' AND o.status = 'ok' AND o.year = 2020
          AND o.indicator_id IN (SELECT indicator_id FROM goal_indicator WHERE goal_id LIKE 'sodertalje.%')
          AND NOT EXISTS (SELECT 1 FROM revision r WHERE r.indicator_id = o.indicator_id AND r.area_id = '0181')
        ORDER BY o.indicator_id LIMIT 1""")[0]


def test_a_second_publish_records_a_revised_value_with_old_and_new(demo_store, tmp_path):
    target = _store(demo_store, tmp_path)
    ind, year, old, dec = _kolada_cell(target)
    new = old + 3 * 10.0 ** -dec + 1
    pubs_before = _rows(target, "SELECT COUNT(*) FROM publication")[0][0]
    revs_before = _rows(target, "SELECT COUNT(*) FROM revision")[0][0]
    _load(target, tmp_path, [{"kpi_id": ind, "kpi_title": "x", "municipality_id": "0181", "year": year,
                              "gender": "T", "value": new},
                             {"kpi_id": ind, "kpi_title": "x", "municipality_id": "0181", "year": 2030,
                              "gender": "T", "value": old}])
    got = _rows(target, "SELECT change, old_value, new_value, year FROM revision WHERE indicator_id = ? "
                        "AND area_id = '0181' ORDER BY year", ind)
    assert got == [("revised", old, new, year), ("new", None, old, 2030)]
    assert _rows(target, "SELECT COUNT(*) FROM publication")[0][0] == pubs_before + 1
    assert _rows(target, "SELECT COUNT(*) FROM revision")[0][0] == revs_before + 2, "the earlier history is kept"
    # A third publish with nothing changed adds a version and no change, and keeps everything.
    _load(target, tmp_path, [{"kpi_id": ind, "kpi_title": "x", "municipality_id": "0181", "year": year,
                              "gender": "T", "value": new}], "same.csv")
    assert _rows(target, "SELECT COUNT(*) FROM revision")[0][0] == revs_before + 2
    assert _rows(target, "SELECT COUNT(*) FROM publication")[0][0] == pubs_before + 2


def test_a_figure_hidden_now_loses_its_values_in_the_whole_history(demo_store, tmp_path):
    target = _store(demo_store, tmp_path)
    ind, area, year, gender = _rows(target, "SELECT indicator_id, area_id, year, gender FROM revision "
                                            "WHERE change = 'revised' AND area_id = '0181' LIMIT 1")[0]
    _load(target, tmp_path, [{"kpi_id": ind, "kpi_title": "x", "municipality_id": area, "year": year,
                              "gender": gender, "value": "", "status": "Privacy"}])
    got = _rows(target, "SELECT change, old_value, new_value FROM revision WHERE indicator_id = ? AND area_id = ? "
                        "AND year = ? AND gender = ? ORDER BY id", ind, area, year, gender)
    assert [g[0] for g in got] == ["revised", "withdrawn"]
    assert all(g[1] is None and g[2] is None for g in got), got
    con = sqlite3.connect(target)
    assert history_findings(con) == []
    con.close()


def test_the_independent_check_refuses_a_history_that_keeps_a_hidden_value(demo_store, tmp_path):
    """The check in etl/disclosure_check.py does not trust etl/revisions.py: a history doctored to keep a
    value of a cell that is hidden now is found, and nothing is published."""
    target = _store(demo_store, tmp_path)
    con = sqlite3.connect(target)
    ind, area, year, gender = con.execute("SELECT indicator_id, area_id, year, gender FROM observation "
                                          "WHERE status = 'suppressed' LIMIT 1").fetchone()
    con.execute("INSERT INTO revision (published_at, indicator_id, area_id, year, gender, change, old_value, "
                "new_value, is_demo) VALUES ('2026-01-01T00:00:00+00:00', ?, ?, ?, ?, 'revised', 1.0, 2.0, 1)",
                (ind, area, year, gender))
    con.execute("INSERT INTO revision (published_at, indicator_id, area_id, year, gender, change, old_value, "
                "new_value, is_demo) SELECT '2026-01-01T00:00:00+00:00', indicator_id, area_id, year, gender, "
                "'new', NULL, 9.0, 1 FROM observation WHERE status = 'missing' LIMIT 1")
    con.commit()
    findings = history_findings(con)
    assert {(f.indicator_id, f.area_id, f.year, f.gender) for f in findings} >= {(ind, area, year, gender)}
    assert len(findings) == 2
    assert len(check_store(con)) >= 2
    con.close()
    before = target.read_bytes()
    with pytest.raises(PublishError, match="ändringshistoriken"), staged(target, history=revisions.FRESH) as stage:
        shutil.copy(target, stage)
    assert target.read_bytes() == before


def test_the_demo_history_is_marked_and_only_touches_published_cells(demo_store):
    pubs = _rows(demo_store, "SELECT published_at, note, is_demo FROM publication ORDER BY id")
    assert len(pubs) == 2 and pubs[0][1] == revisions.DEMO_NOTE and all(p[2] for p in pubs)
    changes = pd.DataFrame(_rows(demo_store, """
        SELECT r.change, r.old_value, r.new_value, o.status, o.value, r.is_demo FROM revision r
        JOIN observation o USING (indicator_id, area_id, year, gender)"""),
        columns=["change", "old", "new", "status", "value", "is_demo"])
    assert set(changes["change"]) == {"new", "revised"}
    assert (changes["status"] == "ok").all() and changes["is_demo"].all()
    assert np.allclose(changes["new"], changes["value"])
    assert changes.loc[changes["change"] == "new", "old"].isna().all()
    assert changes.loc[changes["change"] == "revised", "old"].notna().all()


def test_a_demo_store_and_a_real_one_are_not_compared(demo_store, tmp_path):
    target = _store(demo_store, tmp_path)
    stage = tmp_path / "real.sqlite"
    shutil.copy(demo_store, stage)
    con = sqlite3.connect(stage)
    con.execute("UPDATE meta SET value = '0' WHERE key = 'is_demo'")
    con.commit()
    con.close()
    result = revisions.record(stage, target)
    assert "börjar om" in (result.note or "")
    assert _rows(stage, "SELECT COUNT(*) FROM revision")[0][0] == 0
    assert _rows(stage, "SELECT COUNT(*) FROM publication")[0][0] == 1


def test_a_store_from_before_the_history_counts_as_one_version(demo_store, tmp_path):
    previous = _store(demo_store, tmp_path)
    con = sqlite3.connect(previous)
    con.execute("DROP TABLE revision")
    con.execute("DROP TABLE publication")
    con.commit()
    built = con.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()[0]
    con.close()
    stage = tmp_path / "stage.sqlite"
    shutil.copy(demo_store, stage)
    revisions.record(stage, previous)
    pubs = _rows(stage, "SELECT published_at FROM publication ORDER BY id")
    assert len(pubs) == 2 and pubs[0][0] == built
    assert _rows(stage, "SELECT COUNT(*) FROM revision")[0][0] == 0, "the same figures: nothing changed"


# --- the app's side: days, collapsing, links ---------------------------------------------------------

def test_a_day_ends_at_swedish_midnight_summer_and_winter():
    from services.changes import after_instant, local_day

    assert after_instant("2026-11-15") == "2026-11-15T23:00:00+00:00"
    assert after_instant("2026-06-01") == "2026-06-01T22:00:00+00:00"
    assert local_day("2026-11-15T23:30:00+00:00") == "2026-11-16"
    assert local_day("2026-11-15T22:59:59+00:00") == "2026-11-15"


def test_a_cell_changed_twice_is_listed_once_from_then_to_now():
    from services.changes import collapse

    raw = pd.DataFrame([
        ("2026-11-01", "A", "0181", 2024, "T", "revised", 10.0, 11.0, "ok"),
        ("2026-11-20", "A", "0181", 2024, "T", "revised", 11.0, 12.0, "ok"),
        ("2026-11-01", "A", "0181", 2025, "T", "new", None, 5.0, "ok"),
        ("2026-11-20", "A", "0181", 2025, "T", "revised", 5.0, 6.0, "ok"),
        ("2026-11-01", "A", "0181", 2023, "T", "revised", 1.0, 2.0, "suppressed"),
        ("2026-11-20", "A", "0181", 2023, "T", "withdrawn", None, None, "suppressed"),
    ], columns=["published_at", *KEY, "change", "old_value", "new_value", "current_status"])
    out = collapse(raw).set_index("year")
    assert tuple(out.loc[2024, ["change", "old_value", "new_value", "published_at"]]) == \
        ("revised", 10.0, 12.0, "2026-11-20")
    assert out.loc[2025, "change"] == "new" and out.loc[2025, "new_value"] == 6.0
    assert pd.isna(out.loc[2025, "old_value"])
    assert out.loc[2023, "change"] == "withdrawn" and out.loc[2023, ["old_value", "new_value"]].isna().all()


@pytest.mark.parametrize(("text", "ok"), [
    ("2026-11-15", True), ("2000-01-01", True), ("1999-12-31", False), ("2026-13-01", False),
    ("2026-1-5", False), ("15/11/2026", False), ("2026-11-15T10:00", False), ("２０２６-11-15", False),
    ("2999-01-01", False), ("", False)])
def test_a_sedan_link_takes_a_real_day_up_to_today(text, ok):
    import datetime as dt

    assert valid_since(text, today=dt.date(2026, 12, 3)) is ok


def test_the_overview_and_a_focus_page_list_and_mark_the_changes(app_store):
    """A strategist opens Södertälje with sedan= the demo's earlier version: the overview lists the changes
    per focus area and marks the indicators; the focus page of a revised indicator rings the value on its
    trend chart and says what changed under it."""
    from components.palette import CHANGED
    from etl.catalogue import load_catalogue
    from pages.views import focus_area_path
    from services.changes import local_day
    from tests.test_pages import assert_ok, open_page

    day = local_day(_rows(app_store, "SELECT published_at FROM publication ORDER BY id LIMIT 1")[0][0])
    ind, year, old, new = _rows(app_store, """
        SELECT r.indicator_id, r.year, r.old_value, r.new_value FROM revision r
        WHERE r.change = 'revised' AND r.area_id = '0181' AND r.gender = 'T'
          AND r.indicator_id IN (SELECT indicator_id FROM goal_indicator WHERE goal_id LIKE 'sodertalje.%')
        LIMIT 1""")[0]
    at = open_page("oversikt", kommun="0181", sedan=day)
    assert_ok(at)
    assert f"Nytt sedan {day}" in [s.value for s in at.subheader]
    assert any("DEMODATA" in c.value for c in at.caption)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert f"Nytt sedan {day}: " in html and f"reviderad {year}" in html
    assert at.query_params["sedan"] == day

    cat = load_catalogue()
    strategy = next(s for s in cat.strategies if s["municipality_id"] == "0181")
    fa = next(fa for fa in strategy["focus_areas"] if any(i["id"] == ind for g in fa["goals"] for i in g["indicators"]))
    at = open_page(focus_area_path(fa["code"], fa["title"]), kommun="0181", sedan=day, ind=ind)
    assert_ok(at)
    specs = json.dumps([json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")])
    assert CHANGED in specs, "the revised value is ringed on the trend chart"
    assert any(c.value.startswith(f"Ring runt en punkt: uppgiften är ny eller reviderad sedan {day}")
               and f"Reviderad {year}" in c.value for c in at.caption)
    tables = [df for df in (d.value for d in at.dataframe)]
    assert any((t_.get("Ändring") == "Reviderad").any() for t_ in tables if "Ändring" in t_)
    # Every figure in the list names its source (the value shown now); a withdrawn one has none to name.
    listed = [t_ for t_ in tables if "Ändring" in t_]
    for t_ in listed:
        shown = t_[t_["Ändring"] != "Visas inte längre"]
        assert shown["Källa (värdet nu)"].str.len().gt(0).all()
        assert shown["Källa (värdet nu)"].str.contains("DEMODATA").all()  # the demo store's values

    at = open_page("oversikt", kommun="0181")
    assert_ok(at)
    assert not any(s.value.startswith("Nytt sedan") for s in at.subheader), "nothing marked without sedan="
    assert old != new
