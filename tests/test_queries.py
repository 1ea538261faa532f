"""Every query: runs on the test store, returns its documented columns, binds its parameters, and
reads observation through an index (no full scan)."""

from __future__ import annotations

import sqlite3

import pytest

import queries
from store.db import read_only_engine

# Sample parameters for every query; a new .sql file without an entry here fails the test below.
PARAMS = {
    "meta": {}, "strategies": {}, "indicators": {}, "indicator_coverage": {}, "groups": {}, "factors": {},
    "provenance": {}, "series_breaks": {}, "method_notes": {},
    "focus_areas": {"strategy_id": "trelleborg"},
    "focus_area_actions": {"focus_area_id": "sodertalje.ett-tryggt-sodertalje"},
    "goal_indicators": {"strategy_id": "sodertalje"},
    "series": {"indicator_id": "U09800", "area_ids": ["1287", "0000"], "year_from": 2010, "year_to": 2025},
    "municipality_rank": {"area_id": "1287", "indicator_ids": ["U09800", "N15418"], "genders": ["T"], "year_to": 2025},
    "area_values": {"area_ids": ["1287", "0000"], "indicator_ids": ["U09800", "N15418"], "year_from": 2010,
                    "year_to": 2025},
    "compare_year": {"indicator_id": "U09800", "year": 2020, "gender": "T", "kind": "municipality"},
    "district_values": {"indicator_id": "ENK_TRYGG_OMRADE", "municipality_id": "0181",
                        "district_system": "RegSO", "year": 2024, "gender": "T"},
    "districts": {"municipality_id": "0181"},
    "areas": {"kind": "municipality"},
    "area_geometry": {"kind": "county"},
    "annotations": {"municipality_id": "0181", "indicator_id": "ENK_TRYGG_OMRADE", "strategy_id": "sodertalje"},
    "publications": {},
    "changes_since": {"municipality_id": "0181", "strategy_id": "sodertalje", "after": "2000-01-01T00:00:00+00:00"},
    "action_status": {"focus_area_id": "sodertalje.sod_6"},
    "action_reports": {"municipality_id": "0181"},
    "plan_actions": {"strategy_id": "sodertalje"},
    "app_notes": {"municipality_id": "0181"},
    "app_targets": {"municipality_id": "0181"},
    "audit_events": {"municipality_ids": ["0181", "1287"]},
}


@pytest.fixture(scope="module")
def engine(demo_store):
    return read_only_engine(str(demo_store))


def test_every_query_has_sample_parameters():
    assert set(queries.names()) == set(PARAMS)


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_query_runs_and_returns_documented_columns(engine, name, geo_dir):
    q = queries.load(name)
    assert q.columns, f"{name}.sql has no '-- columns:' header"
    params = dict(PARAMS[name])
    if name == "district_values" and geo_dir is None:
        params["district_system"] = "demo"
    if name == "focus_area_actions":
        params["focus_area_id"] = queries.run(engine, "focus_areas", strategy_id="sodertalje")["id"].iloc[-1]
    df = queries.run(engine, name, **params)
    assert tuple(df.columns) == q.columns
    if name == "series_breaks" and geo_dir is None:
        return  # the demo store records breaks only for the real DeSO/RegSO values from ../shared
    if name == "action_status":
        assert df.empty  # follow-ups are imported (tests/test_actions_import.py reads them back), never invented
        return
    if name in ("app_notes", "app_targets", "audit_events", "action_reports"):
        assert df.empty  # written in the app (tests/test_notes.py reads them back), never by a build
        return
    assert not df.empty, f"{name} returned no rows on the demo store"


def test_parameters_are_bound_not_formatted(engine):
    hostile = "1287' OR '1'='1"
    df = queries.run(engine, "areas", kind=hostile)
    assert df.empty
    with pytest.raises(queries.QueryParamError):
        queries.run(engine, "areas", kind="municipality", extra="x")
    for name in queries.names():
        sql = queries.load(name).sql
        assert "{" not in sql and "%s" not in sql, name


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_observation_is_read_through_an_index(demo_store, name):
    con = sqlite3.connect(demo_store)
    plan = queries.explain(con, name, PARAMS[name])
    con.close()
    assert not queries.scans_observation(plan), f"{name}: full scan of observation:\n" + "\n".join(plan)


def test_scan_detection_would_catch_a_full_scan(demo_store):
    con = sqlite3.connect(demo_store)
    plan = [r[3] for r in con.execute("EXPLAIN QUERY PLAN SELECT * FROM observation WHERE value > 3")]
    con.close()
    assert queries.scans_observation(plan)


def test_no_query_returns_anything_about_a_hidden_cell(demo_store, tmp_path):
    """Issue #10: a hidden cell publishes no value, interval or n, even from a store built before that
    rule (simulated here by writing them back into a copy)."""
    old = tmp_path / "old.sqlite"
    old.write_bytes(demo_store.read_bytes())
    with sqlite3.connect(old) as con:
        con.execute("PRAGMA ignore_check_constraints = ON")  # an old store had no such constraint
        con.execute("UPDATE observation SET n = 7, ci_low = 30, ci_high = 50 WHERE status = 'suppressed'")
        ind, area, year, gender, muni, system = con.execute(
            "SELECT o.indicator_id, o.area_id, o.year, o.gender, a.municipality_id, a.district_system "
            "FROM observation o JOIN area a ON a.id = o.area_id "
            "WHERE o.status = 'suppressed' AND a.kind = 'district' ORDER BY o.indicator_id, o.year LIMIT 1").fetchone()
    engine = read_only_engine(str(old))
    checked = 0
    for name in queries.names():
        if "n" not in queries.load(name).columns:
            continue
        params = {
            "series": {"indicator_id": ind, "area_ids": [area], "year_from": year, "year_to": year},
            "area_values": {"area_ids": [area], "indicator_ids": [ind], "year_from": year, "year_to": year},
            "district_values": {"indicator_id": ind, "municipality_id": muni, "district_system": system,
                                "year": year, "gender": gender},
            "compare_year": {"indicator_id": ind, "year": year, "gender": gender, "kind": "district"},
        }[name]
        df = queries.run(engine, name, **params)
        hidden = df[df["status"] == "suppressed"]
        assert not hidden.empty, name
        assert hidden[["value", "n", "ci_low", "ci_high"]].isna().all().all(), name
        checked += 1
    assert checked == 4
    engine.dispose()
