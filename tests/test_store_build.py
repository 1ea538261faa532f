"""The demo store: schema, determinism, disclosure control, the safe build, the store check."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, inspect

from etl.demo import build_demo
from etl.disclosure_check import check_store as disclosure_findings
from etl.publish import PublishError, staged
from store import schema
from store.db import StoreError, check_store, read_only_engine

ROOT = Path(__file__).resolve().parent.parent


def obs(path: Path) -> pd.DataFrame:
    with sqlite3.connect(path) as con:
        return pd.read_sql(
            "SELECT indicator_id, area_id, year, gender, value, n, ci_low, ci_high, status FROM observation "
            "ORDER BY indicator_id, area_id, year, gender", con)


def test_schema_builds_on_sqlite(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    schema.metadata.create_all(engine)
    names = set(inspect(engine).get_table_names())
    assert {"area", "indicator", "strategy", "focus_area", "goal", "goal_indicator", "factor",
            "factor_indicator", "observation", "area_group", "area_group_member", "build_run",
            "source_fetch", "meta"} <= names
    pk = inspect(engine).get_pk_constraint("observation")["constrained_columns"]
    assert pk == ["indicator_id", "area_id", "year", "gender"]


def test_demo_store_contents(demo_store):
    info = check_store(read_only_engine(str(demo_store)))
    assert info.is_demo and info.schema_version == schema.SCHEMA_VERSION
    with sqlite3.connect(demo_store) as con:
        kinds = dict(con.execute("SELECT kind, COUNT(*) FROM area GROUP BY kind").fetchall())
        assert kinds["country"] == 1 and kinds["county"] == 21 and kinds["municipality"] == 290
        assert kinds["district"] > 0
        munis_with_data = con.execute(
            "SELECT COUNT(DISTINCT o.area_id) FROM observation o JOIN area a ON a.id = o.area_id "
            "WHERE a.kind = 'municipality'").fetchone()[0]
        assert munis_with_data >= 13  # the three and at least ten comparison municipalities
        years = con.execute("SELECT MIN(year), MAX(year) FROM observation").fetchone()
        assert years == (2010, 2025)
        fetches = con.execute("SELECT is_demo, source FROM source_fetch").fetchall()
        assert any(d for d, _ in fetches)
        # Every value from a synthetic fetch is labelled as demo in its source name.
        assert all("DEMO" in src for d, src in fetches if d)
        genders = {g for (g,) in con.execute("SELECT DISTINCT gender FROM observation")}
        assert genders == {"T", "K", "M"}
        groups = con.execute("SELECT COUNT(*) FROM area_group").fetchone()[0]
        assert groups >= 3


@pytest.mark.slow
def test_values_inside_each_indicators_range(demo_store):
    from etl.catalogue import load_catalogue

    cat = load_catalogue()
    df = obs(demo_store)
    df = df[df["status"] == "ok"]
    for ind in cat.indicators:
        vals = df.loc[df["indicator_id"] == ind["id"], "value"]
        if vals.empty:
            continue
        assert vals.min() >= ind["demo"]["min"] - 1e-9, ind["id"]
        assert vals.max() <= ind["demo"]["max"] + 1e-9, ind["id"]


def test_missing_years_and_gaps_exist(demo_store):
    df = obs(demo_store)
    assert (df["status"] == "missing").sum() > 0
    gap = df[df["gender"].isin(["K", "M"]) & (df["status"] == "ok")].pivot_table(
        index=["indicator_id", "area_id", "year"], columns="gender", values="value").dropna()
    assert (gap["K"] - gap["M"]).abs().mean() > 0.5


@pytest.mark.slow
def test_two_demo_builds_are_identical(demo_store, tmp_path, geo_dir):
    again = tmp_path / "again.sqlite"
    build_demo(again, geo_directory=geo_dir, progress=False)
    pd.testing.assert_frame_equal(obs(demo_store), obs(again))


def _assert_nothing_recoverable(path: Path) -> None:
    with sqlite3.connect(path) as con:
        below = con.execute(
            "SELECT COUNT(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "WHERE o.status = 'ok' AND o.n IS NOT NULL AND o.n < i.suppression_threshold").fetchone()[0]
        hidden_leak = con.execute(
            "SELECT COUNT(*) FROM observation WHERE status = 'suppressed' AND "
            "(value IS NOT NULL OR n IS NOT NULL OR ci_low IS NOT NULL OR ci_high IS NOT NULL)").fetchone()[0]
        findings = disclosure_findings(con)
    assert below == 0
    assert hidden_leak == 0
    assert [f.message() for f in findings] == []
    df = obs(path)
    assert (df["status"] == "suppressed").sum() > 0, "the demo must exercise suppression"


def test_no_ok_cell_below_threshold_and_nothing_recoverable(demo_store):
    """The session's demo store (real DeSO/RegSO when ../shared has them): zero recoverable cells."""
    _assert_nothing_recoverable(demo_store)


@pytest.mark.slow
def test_generated_districts_nothing_recoverable(generated_store):
    _assert_nothing_recoverable(generated_store)


def test_a_recoverable_cell_fails_the_build_and_publishes_nothing(tmp_path, demo_store):
    """The check at the end of every build is independent of the suppression: un-hide a complementary
    cell behind its back and the publish step refuses, naming the cell, in Swedish."""
    import shutil

    target = tmp_path / "store.sqlite"
    shutil.copy(demo_store, target)
    before = target.read_bytes()
    with pytest.raises(PublishError) as err, staged(target) as stage:
        shutil.copy(demo_store, stage)
        with sqlite3.connect(stage) as con:
            row = con.execute(
                "SELECT o.indicator_id, o.area_id, o.year, o.gender FROM observation o "
                "JOIN area a ON a.id = o.area_id WHERE o.status = 'suppressed' AND a.kind = 'district' "
                "ORDER BY o.indicator_id, o.year, o.area_id, o.gender LIMIT 1").fetchone()
            # Publish the other hidden cells of that partition: the first one is then parent − the rest.
            con.execute(
                "UPDATE observation SET status = 'ok', value = 50, n = 30 WHERE indicator_id = ? AND year = ? "
                "AND gender = ? AND status = 'suppressed' AND area_id != ? AND area_id IN "
                "(SELECT id FROM area WHERE parent_id = (SELECT parent_id FROM area WHERE id = ?) "
                "AND district_system = (SELECT district_system FROM area WHERE id = ?))",
                (row[0], row[2], row[3], row[1], row[1], row[1]))
    message = str(err.value)
    assert "röjandekontrollen" in message and f"{row[0]} {row[1]} {row[2]} {row[3]}" in message
    assert target.read_bytes() == before


@pytest.mark.slow
def test_demo_districts_without_geo_files(generated_store):
    with sqlite3.connect(generated_store) as con:
        rows = con.execute("SELECT name, is_demo, district_system FROM area WHERE kind = 'district'").fetchall()
    assert rows and all(name.startswith("Demoområde") and demo and system == "demo" for name, demo, system in rows)


def test_real_districts_from_geo_dir(demo_store, geo_dir):
    if geo_dir is None:
        pytest.skip("../shared/geo/deso is absent")
    with sqlite3.connect(demo_store) as con:
        regso = con.execute("SELECT COUNT(*) FROM area WHERE district_system = 'RegSO'").fetchone()[0]
        sizes = con.execute(
            "SELECT municipality_id, SUM(LENGTH(geometry)) FROM area WHERE kind = 'district' "
            "AND district_system = 'RegSO' GROUP BY municipality_id").fetchall()
    assert regso == 31 + 11 + 14
    assert all(size <= 300_000 for _, size in sizes)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_build_leaves_previous_store(demo_store, tmp_path):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    before = _digest(target)
    with pytest.raises(PublishError), staged(target) as stage:
        sqlite3.connect(stage).execute("CREATE TABLE meta (key TEXT, value TEXT)").connection.commit()
    assert _digest(target) == before
    assert not list(tmp_path.glob("*.building-*"))


@pytest.mark.slow
def test_killed_build_leaves_previous_store(demo_store, tmp_path):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    before = _digest(target)
    env = dict(os.environ, INDICATOR_STORE=str(target))
    proc = subprocess.Popen([sys.executable, "-m", "etl", "demo", "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180  # a loaded CI machine starts a Python process slowly
    while time.monotonic() < deadline and not list(tmp_path.glob("store.sqlite.building-*")):
        time.sleep(0.05)
    assert list(tmp_path.glob("store.sqlite.building-*")), "the build never started writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _digest(target) == before
    assert check_store(read_only_engine(str(target))).is_demo


def test_store_check_messages(tmp_path):
    with pytest.raises(StoreError, match="make demo"):
        read_only_engine(str(tmp_path / "finns-inte.sqlite"))
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="tabeller saknas"):
        check_store(read_only_engine(str(empty)))
    old = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{old}")
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(schema.meta.insert(), [{"key": "schema_version", "value": "0"}])
    with pytest.raises(StoreError, match="schemaversion 0"):
        check_store(read_only_engine(str(old)))


def test_app_connection_is_read_only(demo_store):
    engine = read_only_engine(str(demo_store))
    with pytest.raises(Exception, match="(?i)read.?only|readonly"), engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM meta")


def test_demo_values_calibrated_against_real_kolada_values(demo_store):
    """Demo values for the three municipalities sit at the level of the real Kolada values."""
    from tests.conftest import shared_path

    real = pd.read_csv(shared_path("kolada", "real", "kolada_values_2006-2024.csv"),
                       dtype={"municipality_id": str})
    real = real[real["gender"] == "T"]
    with sqlite3.connect(demo_store) as con:
        demo = pd.read_sql("SELECT indicator_id, area_id, value FROM observation WHERE gender = 'T' "
                           "AND status = 'ok' AND area_id IN ('1287', '0181', '0483')", con)
    r = real.groupby("kpi_id")["value"].agg(["min", "max", "median"])
    d = demo.groupby("indicator_id")["value"].agg(["min", "max", "median"])
    both = r.join(d, lsuffix="_real", rsuffix="_demo", how="inner")
    assert len(both) >= 20
    ratio = both["median_demo"] / both["median_real"]
    assert ratio.between(0.4, 2.5).all(), ratio[~ratio.between(0.4, 2.5)].to_dict()
    # Ranges meet, allowing 10 % of the level for real series that cover only a year or two.
    margin = 0.1 * both["median_real"]
    overlap = (both["min_demo"] <= both["max_real"] + margin) & (both["max_demo"] >= both["min_real"] - margin)
    assert overlap.all(), both[~overlap].to_dict("index")


def test_pooled_app_connections_follow_a_published_store(demo_store, tmp_path):
    """The app keeps connections open; after the ETL renames a new file over the store, the next query
    reads the new file, not the replaced one."""
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    engine = read_only_engine(str(target))

    def build_id() -> str:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'build_id'").scalar_one()

    first = build_id()
    assert build_id() == first  # the same pooled connection
    new = tmp_path / "new.sqlite"
    new.write_bytes(demo_store.read_bytes())
    with sqlite3.connect(new) as con:
        con.execute("UPDATE meta SET value = 'ny-bygge' WHERE key = 'build_id'")
    os.replace(new, target)  # what etl.publish does
    assert build_id() == "ny-bygge"


@pytest.mark.parametrize("optimise", [False, True])
def test_broken_invariants_raise_a_named_error_even_under_python_O(optimise):
    """Issue #13: invariants raise InvariantError, not asserts that `python -O` would remove."""
    code = ("import pandas as pd\nfrom etl.writer import InvariantError, check_observations\n"
            "row = dict(indicator_id='X', area_id='1287', year=2024, gender='T', value=1.0, n=None, "
            "ci_low=None, ci_high=None, status='ok', status_reason=None)\n"
            "try:\n    check_observations(pd.DataFrame([row, row]))\nexcept InvariantError as e:\n"
            "    print('REFUSED', e)\n")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, *(["-O"] if optimise else []), "-c", code], cwd=root,
                          capture_output=True, text=True)
    assert "REFUSED" in proc.stdout and "dubblettnycklar" in proc.stdout, proc.stdout + proc.stderr
