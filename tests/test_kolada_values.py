"""The Kolada-values loader: status mapping, and the 1,669 real values come out of the store exactly."""

from __future__ import annotations

import csv
import html
import re
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from etl.kolada_values import kolada_status, load_kolada_csv, rows_to_observations
from store.db import check_store, read_only_engine
from tests.conftest import shared_path


def test_status_mapping():
    assert kolada_status("") == ("ok", None)
    assert kolada_status(None) == ("ok", None)
    assert kolada_status("Privacy")[0] == "suppressed"
    assert kolada_status("Missing")[0] == "missing"
    status, reason = kolada_status("Not applicable")
    assert status == "missing" and "Not applicable" in reason
    status, reason = kolada_status("Nytt")
    assert status == "missing" and "Nytt" in reason


def test_rows_to_observations_drops_deleted_and_clears_values():
    rows = [
        {"kpi": "N1", "municipality": "1287", "period": 2024, "gender": "T", "value": 1.5, "count": 1, "status": ""},
        {"kpi": "N1", "municipality": "1287", "period": 2024, "gender": "K", "value": None, "count": 1,
         "status": "Privacy"},
        {"kpi": "N1", "municipality": "1287", "period": 2023, "gender": "T", "value": 9.0, "status": "",
         "isdeleted": True},
    ]
    df = rows_to_observations(rows)
    assert len(df) == 2
    assert df.set_index("gender").loc["K", "status"] == "suppressed"
    assert df.set_index("gender").loc["T", "value"] == 1.5


@pytest.fixture(scope="module")
def real_csv():
    return shared_path("kolada", "real", "kolada_values_2006-2024.csv")


def test_real_values_come_out_exactly(real_csv, demo_store, tmp_path):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    result = load_kolada_csv(target, real_csv)
    with real_csv.open(encoding="utf-8") as fh:
        expected = {(r["kpi_id"], r["municipality_id"], int(r["year"]), r["gender"]): float(r["value"])
                    for r in csv.DictReader(fh)}
    assert len(expected) == 1669 == result["rows"]
    with sqlite3.connect(target) as con:
        got = {(k, a, y, g): v for k, a, y, g, v in con.execute(
            "SELECT o.indicator_id, o.area_id, o.year, o.gender, o.value FROM observation o "
            "JOIN source_fetch f ON f.id = o.fetch_id WHERE f.is_demo = 0 AND f.source LIKE 'Kolada%'")}
        assert got == expected
        statuses = {s for (s,) in con.execute(
            "SELECT DISTINCT o.status FROM observation o JOIN source_fetch f ON f.id = o.fetch_id "
            "WHERE f.source LIKE 'Kolada%'")}
        assert statuses == {"ok"}
    assert check_store(read_only_engine(str(target))).schema_version


def test_loader_creates_a_store_when_there_is_none(real_csv, tmp_path):
    target = tmp_path / "new.sqlite"
    load_kolada_csv(target, real_csv)
    info = check_store(read_only_engine(str(target)))
    assert not info.is_demo
    with sqlite3.connect(target) as con:
        assert con.execute("SELECT COUNT(*) FROM observation").fetchone()[0] == 1669


def test_every_row_keeps_its_own_source_and_snapshot_date(real_csv, demo_store, tmp_path):
    """Issue #12: 1,398 / 224 / 47 rows per snapshot, each with the snapshot's date as its fetch time."""
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    load_kolada_csv(target, real_csv)
    with sqlite3.connect(target) as con:
        per_fetch = dict(con.execute(
            "SELECT substr(f.fetched_at, 1, 10), COUNT(*) FROM observation o JOIN source_fetch f ON f.id = o.fetch_id "
            "WHERE f.is_demo = 0 AND f.source LIKE 'Kolada%' GROUP BY f.id"))
        sources = {s for (s,) in con.execute("SELECT source FROM source_fetch WHERE is_demo = 0")}
    assert per_fetch == {"2024-12-12": 1398, "2023-09-12": 224, "2023-05-19": 47}
    assert any("2023-05-19_KOLADA_skolinsp" in s for s in sources)


@pytest.mark.slow
def test_each_series_says_where_it_comes_from_in_a_mixed_store(real_csv, demo_store, tmp_path, monkeypatch):
    """Issue #12: real municipal values beside synthetic Riket values: the block names each series' source,
    and the data table (which Streamlit's own toolbar can export) carries it per row."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    target = tmp_path / "mixed.sqlite"
    target.write_bytes(demo_store.read_bytes())
    load_kolada_csv(target, real_csv)
    monkeypatch.setenv("INDICATOR_STORE", str(target))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
        at.query_params["kommun"] = "0483"
        at.query_params["ind"] = "N00943"
        at.query_params["jmf"] = "0000"
        at.run()
        at._page_hash = calc_hash("2-jamstalldhet")  # noqa: SLF001 - see tests/test_pages.py
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        captions = " ".join(c.value for c in at.caption)
        assert "Katrineholm: Kolada API (via rKolada) snapshot" in captions and "hämtad 2024-12-12" in captions
        assert "Riket: DEMODATA" in captions
        at.session_state["w_tabs_N00943"] = "Tabell"
        at.run()
        body = next(h.proto.body for h in at.get("html") if "class='small source'" in h.proto.body)
        rows = dict(re.findall(r"<tr><th scope='row'>(\d{4})</th>.*?<td class='small source'>(.*?)</td>", body))
        # The Katrineholm part of each year's source cell (the comparison's follows after " · ").
        cells = [html.unescape(x) for x in rows.values()]
        table = pd.DataFrame({"År": [int(y) for y in rows],
                              "Källa": [x.split(" · Riket: ")[0] for x in cells],
                              "Riket": [x.split(" · Riket: ")[1] if " · Riket: " in x else "" for x in cells]})
        with real_csv.open(encoding="utf-8") as fh:
            real_years = {int(r["year"]) for r in csv.DictReader(fh)
                          if r["kpi_id"] == "N00943" and r["municipality_id"] == "0483"}
        kat = table[table["Källa"].str.startswith("Katrineholm: ")]
        real = kat["År"].astype(int).isin(real_years)
        assert real.any() and (~real).any()  # a mixed series: real years and demo years
        assert kat.loc[real, "Källa"].str.contains("hämtad 20").all()
        assert kat.loc[~real, "Källa"].str.contains("DEMODATA").all()  # the demo cells are marked themselves
        assert (table["Riket"] != "").all() and table["Riket"].str.contains("DEMODATA").all()
    finally:
        monkeypatch.undo()
        st.cache_resource.clear()
        st.cache_data.clear()
