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
    "provenance": {}, "series_breaks": {},
    "focus_areas": {"strategy_id": "trelleborg"},
    "focus_area_actions": {"focus_area_id": "sodertalje.ett-tryggt-sodertalje"},
    "goal_indicators": {"strategy_id": "sodertalje"},
    "series": {"indicator_id": "U09800", "area_ids": ["1287", "0000"], "year_from": 2010, "year_to": 2025},
    "area_values": {"area_ids": ["1287", "0000"], "indicator_ids": ["U09800", "N15418"], "year_from": 2010,
                    "year_to": 2025},
    "compare_year": {"indicator_id": "U09800", "year": 2020, "gender": "T", "kind": "municipality"},
    "district_values": {"indicator_id": "ENK_TRYGG_OMRADE", "municipality_id": "0181",
                        "district_system": "RegSO", "year": 2024, "gender": "T"},
    "districts": {"municipality_id": "0181"},
    "areas": {"kind": "municipality"},
    "area_geometry": {"kind": "county"},
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
