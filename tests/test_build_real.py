"""``python -m etl build`` against a local Kolada stand-in: a real (non-demo) store the app accepts;
a failing source leaves the previous store and is named."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from etl.build import build_real
from etl.catalogue import load_catalogue
from etl.kolada import KoladaClient, SourceError
from etl.pxweb import PxWebClient
from etl.scb import district_values
from store.db import check_store, read_only_engine
from tests.conftest import shared_path


def test_build_makes_a_real_store(fake, tmp_path):
    target = tmp_path / "real.sqlite"
    summary = build_real(target, 2023, client=KoladaClient(min_interval_s=0), progress=False)
    assert any("SCB per delområde: hoppades över" in line for line in summary.lines())
    info = check_store(read_only_engine(str(target)))
    assert not info.is_demo
    assert summary.observations > 0 and not summary.failed
    with sqlite3.connect(target) as con:
        assert con.execute("SELECT COUNT(*) FROM source_fetch WHERE is_demo = 1").fetchone()[0] == 0
        members = {m for (m,) in con.execute("SELECT area_id FROM area_group_member WHERE group_id = 'G176425'")}
        assert members == {"0192", "0381", "0480"}
        riket = con.execute("SELECT COUNT(*) FROM observation WHERE area_id = '0000'").fetchone()[0]
        assert riket > 0
        assert con.execute("SELECT COUNT(*) FROM area_group WHERE id LIKE 'DEMO%'").fetchone()[0] == 0
    # Offline rebuild from the cache.
    fake.stop()
    again = tmp_path / "again.sqlite"
    s2 = build_real(again, 2023, client=KoladaClient(min_interval_s=0), progress=False)
    assert s2.fetched == 0 and s2.cached > 0
    assert s2.observations == summary.observations


def test_a_registered_source_is_built_with_its_own_fetch_record(fake, tmp_path, monkeypatch):
    """Issue #13: a new source is one class in etl.sources.registry. This one adds a municipality to the
    plan (Kolada then fetches it too) and hands one batch, which lands with its own source_fetch row."""
    import pandas as pd

    from etl import build
    from etl.sources.base import Batch, SourceOutput

    calls = []

    class Extra:
        name = "extra"

        def __init__(self, client=None):
            self.client = client

        def extend(self, plan):
            calls.append("extend")
            plan.municipalities.add("0180")

        def fetch(self, plan):
            calls.append("fetch")
            ind = next(i["id"] for i in plan.cat.indicators if i["source"] == "kolada")
            obs = pd.DataFrame([{"indicator_id": ind, "area_id": "0180", "year": 2009, "gender": "T", "value": 1.5,
                                 "n": None, "ci_low": None, "ci_high": None, "status": "ok", "status_reason": None}])
            return SourceOutput(batches=[Batch("Testkälla", "ett värde", obs, "2026-11-30T08:00:00+00:00")],
                                notes=["Testkälla: 1 värde"])

    original = build.REGISTRY
    monkeypatch.setattr(build, "REGISTRY", {"extra": Extra, **original})
    target = tmp_path / "real.sqlite"
    summary = build_real(target, 2023, client=KoladaClient(min_interval_s=0), progress=False)
    assert calls == ["extend", "fetch"]
    assert "Testkälla: 1 värde" in summary.lines()
    with sqlite3.connect(target) as con:
        fetched = con.execute("SELECT fetched_at FROM source_fetch WHERE source = 'Testkälla'").fetchall()
        assert fetched == [("2026-11-30T08:00:00+00:00",)]
        value = con.execute("SELECT o.value FROM observation o JOIN source_fetch f ON f.id = o.fetch_id "
                            "WHERE f.source = 'Testkälla' AND o.area_id = '0180' AND o.year = 2009").fetchall()
        assert value == [(1.5,)]
        # Kolada was asked for the municipality the extra source added to the plan.
        what = con.execute("SELECT what FROM source_fetch WHERE source LIKE 'Kolada%'").fetchone()[0]
    monkeypatch.setattr(build, "REGISTRY", original)
    plain = build_real(tmp_path / "plain.sqlite", 2023, client=KoladaClient(min_interval_s=0), progress=False)
    with sqlite3.connect(tmp_path / "plain.sqlite") as con:
        what_plain = con.execute("SELECT what FROM source_fetch WHERE source LIKE 'Kolada%'").fetchone()[0]
    areas = lambda w: int(w.split(", ")[1].split()[0])  # noqa: E731 - "N KPI, M områden, 2010–2023"
    assert areas(what) == areas(what_plain) + 1 and plain.observations > 0


@pytest.mark.slow
def test_failing_source_keeps_previous_store(fake, tmp_path, demo_store):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    before = target.read_bytes()
    fake.fail("/v3/data", 503, times=100)
    with pytest.raises(SourceError, match="Kolada"):
        build_real(target, 2023, client=KoladaClient(min_interval_s=0), progress=False)
    assert target.read_bytes() == before


# --- SCB PxWeb district statistics ---------------------------------------------------------------

def _values(con, indicator_id: str) -> dict[tuple[str, int, str], float | None]:
    return {(a, y, g): v for a, y, g, v in con.execute(
        "SELECT area_id, year, gender, value FROM observation WHERE indicator_id = ?", (indicator_id,))}


@pytest.mark.slow
def test_scb_district_values_come_out_of_the_store(fake, scb_fake, tmp_path, geo_dir):
    target = tmp_path / "real.sqlite"
    summary = build_real(target, 2023, geo_directory=geo_dir, client=KoladaClient(min_interval_s=0),
                         pxweb=PxWebClient(), progress=False)
    assert summary.scb_observations > 0 and summary.scb_fetched == 6 * 3  # six tables, three kommuner
    areas = [a for m in ("0181", "0483", "1287")
             for a in json.loads(shared_path("geo", "deso", f"{m}.json").read_text())["areas"]]
    with sqlite3.connect(target) as con:
        low = _values(con, "SCB_LAG_EK_STANDARD")
        emp = _values(con, "SCB_SYSSELSATTNING")
        unemp = _values(con, "SCB_ARBETSLOSHET")
        edu = _values(con, "SCB_EFTERGYMNASIAL")
        pop = _values(con, "SCB_FOLKMANGD")
        for a in areas:
            d = a["name"]
            assert low[(d, 2024, "T")] == a["hist"]["low_econ"]["2024"]  # SCB's share, unchanged
            assert emp[(d, 2024, "T")] == pytest.approx(a["hist"]["employment"]["2024"], abs=0.15)
            assert unemp[(d, 2024, "T")] == pytest.approx(a["hist"]["unemp"]["2024"], abs=0.15)
            for year, share in a["hist"]["higher_ed"].items():
                assert edu[(d, int(year), "T")] == pytest.approx(share, abs=0.15)
            assert pop[(d, 2025, "T")] == a["pop"]
            assert pop[(d, 2025, "K")] == sum(a["dist"]["age"]["f"])
            assert pop[(d, 2025, "M")] == sum(a["dist"]["age"]["m"])
        # RegSO: SCB's own rows (here sums of the DeSO counts), not an approximation of ours.
        regso_pop = pd.DataFrame(areas).assign(r=lambda x: x["regso"].str[:8]).groupby("r")["pop"].sum()
        for r, total in regso_pop.items():
            assert pop[(r, 2025, "T")] == total
        # The 2018-coded rows are not read; the break is recorded where the new series starts.
        assert not any(y == 2023 for (_, y, _) in pop)
        breaks = dict(con.execute("SELECT indicator_id, description FROM series_break"))
        assert "DeSO/RegSO 2018" in breaks["SCB_FOLKMANGD"] and "inte inlästa" in breaks["SCB_FOLKMANGD"]
        assert con.execute("SELECT year FROM series_break WHERE indicator_id = 'SCB_FOLKMANGD'").fetchone()[0] == 2025
        # '..' at SCB stays suppressed, with a reason.
        hh = con.execute("SELECT DISTINCT status, status_reason FROM observation "
                         "WHERE indicator_id = 'SCB_ENSAMSTAENDE_MED_BARN'").fetchall()
        assert hh == [("suppressed", "Skyddat av SCB (..)")]
        split = dict(con.execute("SELECT id, gender_split FROM indicator WHERE source = 'scb'"))
        assert split["SCB_FOLKMANGD"] == 1 and split["SCB_ARBETSLOSHET"] == 0  # no K/M in that table here
        src = con.execute("SELECT source, what FROM source_fetch WHERE source LIKE 'SCB%'").fetchall()
        assert len(src) == 1 and "TAB6685" in src[0][1]
    # Offline rebuild from the cache: the same values.
    scb_fake.stop()
    fake.stop()
    again = tmp_path / "again.sqlite"
    s2 = build_real(again, 2023, geo_directory=geo_dir, client=KoladaClient(min_interval_s=0),
                    pxweb=PxWebClient(), progress=False)
    assert s2.scb_fetched == 0 and s2.scb_cached == 18 and s2.scb_observations == summary.scb_observations


@pytest.mark.slow
def test_failing_scb_keeps_previous_store(fake, scb_fake, tmp_path, demo_store, geo_dir):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    before = target.read_bytes()
    scb_fake.fail("TAB6680", 500, times=100)
    with pytest.raises(SourceError, match="SCB TAB6680"):
        build_real(target, 2023, geo_directory=geo_dir, client=KoladaClient(min_interval_s=0),
                   pxweb=PxWebClient(), progress=False)
    assert target.read_bytes() == before


def test_district_values_bare_codes_unknown_areas_and_zero_denominators():
    frame = pd.DataFrame({
        "Region": ["1287C1010", "1287C1010", "9999C1010", "9999C1010", "1287C1020", "1287C1020", "1287"],
        "UtlBakgrund": ["1", "SA", "1", "SA", "1", "SA", "1"], "Kon": ["1+2"] * 7,
        "ContentsCode": ["000007Y4"] * 7, "Tid": ["2024"] * 7,
        "value": [25, 100, 5, 10, 0, 0, 3], "status": [None] * 7,
    })
    res = district_values({"TAB6571": frame}, known_areas={"1287C1010", "1287C1020"})
    obs = res.observations.set_index("area_id")
    assert obs.loc["1287C1010", "value"] == 25.0 and obs.loc["1287C1010", "status"] == "ok"
    assert obs.loc["1287C1020", "status"] == "missing"  # 0 of 0: no share
    assert res.unknown_areas == 2 and res.breaks == []


@pytest.mark.slow
def test_app_shows_scb_source_and_series_break(fake, scb_fake, tmp_path, geo_dir, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    target = tmp_path / "real.sqlite"
    build_real(target, 2023, geo_directory=geo_dir, client=KoladaClient(min_interval_s=0), pxweb=PxWebClient(),
               progress=False)
    monkeypatch.setenv("INDICATOR_STORE", str(target))
    st.config.set_option("client.showErrorDetails", "full")
    st.cache_resource.clear()
    st.cache_data.clear()
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    try:
        at = AppTest.from_file(app, default_timeout=120)
        at.query_params["kommun"] = "1287"
        at.run()
        at._page_hash = calc_hash("trygghet")  # noqa: SLF001 - see tests/test_pages.py
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        at.selectbox(key="w_map_ind").set_value("SCB_FOLKMANGD").run()
        assert not at.exception, [e.message for e in at.exception]
        captions = " ".join(c.value for c in at.caption)
        assert "Källa: SCB" in captions and "Seriebrott 2025: Områdesindelningen i databasen är DeSO/RegSO 2025" in captions
        assert not any("svarande" in str(df.value.columns) for df in at.dataframe)  # register, not a survey
        at._page_hash = calc_hash("data")  # noqa: SLF001
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        # The catalogue is one full-height table, a row per indicator, its id in the last cell.
        table = next(h.proto.body for h in at.get("html") if "table class='cat'" in h.proto.body)
        row = next(r for r in table.split("<tr>") if "<td class='id'>SCB_FOLKMANGD" in r)
        cells = row.split("<td")
        assert cells[3].split(">", 1)[1].startswith("SCB")  # Källa
        assert "Hämtad från: SCB PxWeb" in row and "Senast hämtad: 20" in row
        assert "Seriebrott" in row and "DeSO/RegSO 2018" in row
    finally:
        monkeypatch.undo()
        st.cache_resource.clear()
        st.cache_data.clear()


def _clock(day: str):
    return lambda: f"{day}T09:00:00+00:00"


@pytest.mark.slow
def test_update_fetches_only_what_changed_since_each_answer_was_fetched(fake, tmp_path):
    """Issue #12: fetched 10 Jan, Kolada revises a value 1 Feb, an offline rebuild 1 Mar keeps 10 Jan as the
    fetch time, and --update 1 Apr asks for the changes since 10 Jan (not since 1 Mar) and gets the revision."""
    target = tmp_path / "real.sqlite"
    build_real(target, 2023, client=KoladaClient(min_interval_s=0, clock=_clock("2026-01-10")), progress=False)
    revised, deleted = fake.rows[0], fake.rows[1]
    fake.rows[0] = {**revised, "value": 12.5, "updated": "2026-02-01"}
    fake.rows[1] = {**deleted, "isdeleted": True, "updated": "2026-02-01"}
    # Rebuild from the cache on 1 Mar (no request reaches Kolada): the values keep their fetch time.
    fake.hits.clear()
    build_real(target, 2023, client=KoladaClient(min_interval_s=0, clock=_clock("2026-03-01")), progress=False)
    assert not [h for h in fake.hits if "/data/" in h]
    with sqlite3.connect(target) as con:
        days = {d for (d,) in con.execute("SELECT DISTINCT substr(fetched_at, 1, 10) FROM source_fetch "
                                          "WHERE source LIKE 'Kolada%'")}
    assert days == {"2026-01-10"}
    fake.hits.clear()
    summary = build_real(target, 2023, client=KoladaClient(min_interval_s=0, clock=_clock("2026-04-01")),
                         progress=False, update=True)
    data_hits = [h for h in fake.hits if "/data/" in h]
    assert data_hits and all("from_date=2026-01-10" in h for h in data_hits)  # only the changes were asked for
    assert any("2 värden ändrade sedan 2026-01-10" in line for line in summary.lines())
    id_of = {i["source_id"]: i["id"] for i in load_catalogue().indicators if i["source"] == "kolada"}
    with sqlite3.connect(target) as con:
        def value(r):
            return con.execute("SELECT o.value, substr(f.fetched_at, 1, 10) FROM observation o "
                               "JOIN source_fetch f ON f.id = o.fetch_id WHERE indicator_id = ? AND area_id = ? "
                               "AND year = ? AND gender = ?", (id_of[r["kpi"]], r["municipality"], r["period"],
                                                               r["gender"])).fetchone()
        assert value(revised) == (12.5, "2026-04-01")
        assert value(deleted) is None
        # Issue #15: the update's publish recorded both changes against the store it replaced.
        from store.rounding import half_away

        dec = con.execute("SELECT decimals FROM indicator WHERE id = ?", (id_of[revised["kpi"]],)).fetchone()[0]
        changes = {(r[0], r[1]): r[2:] for r in con.execute(
            "SELECT indicator_id, year, change, old_value, new_value FROM revision WHERE area_id = ? AND gender = ?",
            (revised["municipality"], revised["gender"]))}
        assert half_away(revised["value"], dec) != half_away(12.5, dec), "the fake's value differs when shown"
        assert changes[(id_of[revised["kpi"]], revised["period"])] == ("revised", revised["value"], 12.5)
        gone = con.execute("SELECT change, old_value, new_value FROM revision WHERE indicator_id = ? AND area_id = ? "
                           "AND year = ? AND gender = ?", (id_of[deleted["kpi"]], deleted["municipality"],
                                                           deleted["period"], deleted["gender"])).fetchall()
        assert gone == [("withdrawn", None, None)]
        assert con.execute("SELECT COUNT(*) FROM publication").fetchone()[0] == 3
    # The merged state is the cache now: an offline rebuild gives the same store.
    fake.stop()
    again = tmp_path / "again.sqlite"
    build_real(again, 2023, client=KoladaClient(min_interval_s=0), progress=False)
    with sqlite3.connect(again) as con:
        assert con.execute("SELECT value FROM observation WHERE indicator_id = ? AND area_id = ? AND year = ? "
                           "AND gender = ?", (id_of[revised["kpi"]], revised["municipality"], revised["period"],
                                              revised["gender"])).fetchone() == (12.5,)


def test_kolada_uncertainty_kpis_become_intervals_and_tested_changes(fake, tmp_path):
    """Issue #11: a KPI with a Kolada "Osäkerhetstal" gets value ± margin as its interval (the margin KPI
    itself is not stored), Kolada's count is not stored as respondents, and a change is then tested."""
    from services import analysis

    for year, value, margin in ((2022, 30.0, 2.0), (2023, 22.0, 2.5)):
        fake.rows.append({"kpi": "N07609", "municipality": "1287", "period": year, "gender": "T", "value": value,
                          "count": 1, "status": "", "isdeleted": False})
        fake.rows.append({"kpi": "N07657", "municipality": "1287", "period": year, "gender": "T", "value": margin,
                          "count": 1, "status": "", "isdeleted": False})
    target = tmp_path / "real.sqlite"
    build_real(target, 2023, client=KoladaClient(min_interval_s=0), progress=False)
    with sqlite3.connect(target) as con:
        rows = con.execute("SELECT year, value, ci_low, ci_high, n FROM observation WHERE indicator_id = 'N07609' "
                           "AND area_id = '1287' ORDER BY year").fetchall()
        assert con.execute("SELECT COUNT(*) FROM observation WHERE indicator_id = 'N07657'").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM observation WHERE n IS NOT NULL AND indicator_id IN "
                           "(SELECT id FROM indicator WHERE source = 'kolada')").fetchone()[0] == 0
    assert rows == [(2022, 30.0, 28.0, 32.0, None), (2023, 22.0, 19.5, 24.5, None)]
    then, now = ({"year": y, "value": v, "ci_low": lo, "ci_high": hi, "n": None} for y, v, lo, hi, _ in rows)
    change = analysis.direction(then, now, "lower_better", "%")
    assert change.tested and change.label == "improved" and change.test.method.startswith("z-test")
