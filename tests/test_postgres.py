"""Issue #17 (first part): the store on a real PostgreSQL server, started by the tests themselves. The demo
store is published there (copied into a new schema, checked, switched in one transaction); every query
gives the same rows as on SQLite; the app's connections are read-only; the index serves the series query;
a failed publish leaves the live store; the app renders from PostgreSQL."""

from __future__ import annotations

import math
import sqlite3

import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

import queries
from store import pg
from store.db import check_store, read_only_engine
from tests.pg_server import cluster
from tests.test_queries import PARAMS

# A throwaway PostgreSQL cluster per module: with the proxy and browser tests, outside `make test-fast`.
pytestmark = [pytest.mark.slow, pytest.mark.postgres]
ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pg_url():
    with cluster() as url:
        yield url


@pytest.fixture(scope="module")
def pg_store(pg_url, demo_store):
    counts = pg.publish(demo_store, pg_url)
    return pg_url, counts


def _rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_the_published_store_holds_every_row_and_the_app_reads_it(pg_store, demo_store):
    url, counts = pg_store
    con = sqlite3.connect(demo_store)
    for table, n in counts.items():
        assert n == con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0], table  # noqa: S608
    build_id = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()[0]
    con.close()
    engine = read_only_engine(url)
    info = check_store(engine)
    assert info.is_demo and info.version_key == build_id
    assert _rows(engine, "SHOW default_transaction_read_only") == [("on",)]
    assert _rows(engine, "SHOW statement_timeout") == [("10s",)]
    with pytest.raises(SQLAlchemyError, match="read-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM observation"))
    assert _rows(engine, "SELECT COUNT(*) FROM observation") == [(counts["observation"],)]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for col in a.columns:
        for x, y in zip(a[col], b[col], strict=True):
            if isinstance(x, float) or isinstance(y, float):
                assert (pd.isna(x) and pd.isna(y)) or math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-9), col
            else:
                assert (x == y) or (pd.isna(x) and pd.isna(y)) or str(x) == str(y), (col, x, y)


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_every_query_gives_the_same_rows_on_both_engines(pg_store, demo_store, name, geo_dir):
    params = dict(PARAMS[name])
    if name == "district_values" and geo_dir is None:
        params["district_system"] = "demo"
    lite = read_only_engine(str(demo_store))
    if name == "focus_area_actions":
        params["focus_area_id"] = queries.run(lite, "focus_areas", strategy_id="sodertalje")["id"].iloc[-1]
    on_lite = queries.run(lite, name, **params)
    on_pg = queries.run(read_only_engine(pg_store[0]), name, **params)
    # The same rows; the order only where the query fixes it (ties may come in either order).
    _same(_sorted(on_lite), _sorted(on_pg))


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    key = df.astype(str)
    return df.loc[key.sort_values(list(key.columns)).index].reset_index(drop=True)


def test_the_series_query_uses_the_index(pg_store):
    engine = read_only_engine(pg_store[0])
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # as on a full store, where a scan would cost
        plan = "\n".join(r[0] for r in conn.execute(text(
            "EXPLAIN SELECT year, gender, value FROM observation WHERE area_id = '0181' AND indicator_id = 'N15419'")))
    assert "Seq Scan on observation" not in plan and "ix_observation_area" in plan, plan


def test_a_failed_publish_leaves_the_live_store(pg_store, demo_store, monkeypatch):
    url, counts = pg_store
    admin = create_engine(url)
    before = _rows(admin, "SELECT value FROM indikatorer.meta WHERE key = 'build_id'")

    def broken(*_args):
        raise pg.PgPublishError("trasig kopia")

    monkeypatch.setattr(pg, "_check", broken)
    with pytest.raises(pg.PgPublishError):
        pg.publish(demo_store, url)
    assert _rows(admin, "SELECT value FROM indikatorer.meta WHERE key = 'build_id'") == before
    assert _rows(admin, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bygge_%' OR nspname LIKE 'gammal_%'") == []
    admin.dispose()


def test_readers_see_the_old_store_or_the_new_one_never_half(pg_store, demo_store, tmp_path):
    """A reader busy in a transaction while a new store is switched in: every answer comes from one complete
    store (the old build or the new, with all its rows), never an error or a missing table; the switch does
    not wait for the reader; the old schema is dropped once the reader is done."""
    import threading
    import time

    url, counts = pg_store
    second = tmp_path / "second.sqlite"
    second.write_bytes(demo_store.read_bytes())
    con = sqlite3.connect(second)
    con.execute("UPDATE meta SET value = 'andra' WHERE key = 'build_id'")
    con.commit()
    con.close()
    reader, admin = read_only_engine(url), create_engine(url)
    errors: list = []
    thread = threading.Thread(target=lambda: _publish_catching(second, url, errors))
    with reader.connect() as conn, conn.begin():
        old = conn.execute(text("SELECT value FROM meta WHERE key = 'build_id'")).scalar()
        thread.start()
        seen = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not errors:  # the reader keeps asking until the switch is in
            seen.add((conn.execute(text("SELECT value FROM meta WHERE key = 'build_id'")).scalar(),
                      conn.execute(text("SELECT COUNT(*) FROM observation")).scalar()))
            if _rows(admin, "SELECT value FROM indikatorer.meta WHERE key = 'build_id'") == [("andra",)]:
                break
            time.sleep(0.05)
        assert _rows(admin, "SELECT value FROM indikatorer.meta WHERE key = 'build_id'") == [("andra",)], errors
        seen.add((conn.execute(text("SELECT value FROM meta WHERE key = 'build_id'")).scalar(),
                  conn.execute(text("SELECT COUNT(*) FROM observation")).scalar()))
        assert seen <= {(old, counts["observation"]), ("andra", counts["observation"])}, seen
        assert thread.is_alive(), "the old schema waits for this reader before it is dropped"
    thread.join(timeout=120)
    assert not errors, errors
    assert _rows(reader, "SELECT value FROM meta WHERE key = 'build_id'") == [("andra",)]
    assert _rows(admin, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'gammal_%'") == []
    admin.dispose()
    pg.publish(demo_store, url)  # the module's other tests compare with the demo store


def _publish_catching(path, url, errors: list) -> None:
    try:
        pg.publish(path, url)
    except Exception as exc:  # reported by the test's assertion, not lost in the thread
        errors.append(exc)


@pytest.fixture
def own_pg_url():
    """A cluster of the test's own, for tests that replace the live store."""
    with cluster() as url:
        yield url


@pytest.mark.slow
def test_etl_demo_and_a_load_publish_to_postgres_and_the_app_renders_from_it(own_pg_url, tmp_path, monkeypatch):
    """INDICATOR_STORE=postgresql+psycopg://… works for `python -m etl demo` (built and checked in the
    working copy, then published), for a later load (its history comes along), and for the app."""
    from streamlit.testing.v1 import AppTest

    from etl import __main__ as etl_main
    from services.store import clear_caches

    pg_url = own_pg_url
    from store import files

    monkeypatch.setattr(etl_main, "ROOT", tmp_path)  # the working copy goes under tmp_path/data
    monkeypatch.setattr(files, "PROJECT_ROOT", tmp_path)  # (etl.publish.working_copy reads it there)
    assert etl_main.main(["--store", pg_url, "demo", "--quiet"]) == 0
    copy = etl_main.working_copy(pg_url)
    assert copy.is_file() and copy.parent == tmp_path / "data"
    engine = read_only_engine(pg_url)
    assert _rows(engine, "SELECT COUNT(*) FROM publication") == [(2,)]  # the demo's simulated earlier version too
    ind, year, old = _rows(engine, "SELECT indicator_id, year, value FROM observation WHERE area_id = '0181' "
                                   "AND gender = 'T' AND status = 'ok' AND indicator_id LIKE 'N%' "
                                   "ORDER BY indicator_id, year LIMIT 1")[0]
    csv = tmp_path / "rev.csv"
    pd.DataFrame([{"kpi_id": ind, "kpi_title": "x", "municipality_id": "0181", "year": year, "gender": "T",
                   "value": old + 7}]).to_csv(csv, index=False)
    assert etl_main.main(["--store", pg_url, "load-kolada-values", str(csv)]) == 0
    assert _rows(engine, "SELECT change, old_value, new_value FROM revision WHERE indicator_id = :i AND area_id = '0181' "
                         "AND year = :y AND gender = 'T'", i=ind, y=year) == [("revised", old, old + 7)]

    monkeypatch.setenv("INDICATOR_STORE", pg_url)
    clear_caches()
    try:
        at = AppTest.from_file(str(etl_main.Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
        at.query_params["kommun"] = "0181"
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.title[0].value == "Översikt – Södertälje"
    finally:
        monkeypatch.undo()
        clear_caches()


def test_an_unreachable_server_gets_a_swedish_message(tmp_path, capsys, monkeypatch):
    from etl import __main__ as etl_main

    monkeypatch.setattr(etl_main, "ROOT", tmp_path)
    csv = tmp_path / "x.csv"
    csv.write_text("kpi_id,kpi_title,municipality_id,year,gender,value\nN15419,x,0181,2024,T,1\n", encoding="utf-8")
    assert etl_main.main(["--store", "postgresql+psycopg://postgres@127.0.0.1:1/postgres", "load-kolada-values",
                          str(csv)]) == 2
    err = capsys.readouterr().err
    assert "Fel: databasservern kunde inte nås eller skrivas" in err and "Traceback" not in err


def test_the_apps_read_only_role_is_granted_every_new_schema(pg_store, demo_store, monkeypatch):
    url, _ = pg_store
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql("DO $$ BEGIN CREATE ROLE appen LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    as_app = url.replace("postgres@", "appen@")
    monkeypatch.delenv(pg.READER_ROLE_ENV, raising=False)
    pg.publish(demo_store, url)
    with pytest.raises(SQLAlchemyError, match="permission denied|does not exist"):  # a schema it may not use is not on its path
        _rows(read_only_engine(as_app), "SELECT COUNT(*) FROM meta")
    monkeypatch.setenv(pg.READER_ROLE_ENV, "appen")
    pg.publish(demo_store, url)
    assert _rows(read_only_engine(as_app), "SELECT COUNT(*) FROM meta")[0][0] > 0
    admin.dispose()


@pytest.mark.slow
def test_etl_build_publishes_a_real_store_to_postgres(own_pg_url, fake, tmp_path, monkeypatch):
    """`python -m etl build` with a PostgreSQL target: Kolada (the local stand-in) → the working copy →
    the server, a real (non-demo) store the app accepts."""
    from etl import __main__ as etl_main

    monkeypatch.setattr(etl_main, "ROOT", tmp_path)
    # Kolada only: with district files (CI sets DISTRICT_GEO_DIR) the build would also ask SCB, which has
    # no stand-in here (tests/test_build_real.py covers SCB with scb_fake).
    monkeypatch.delenv("DISTRICT_GEO_DIR", raising=False)
    monkeypatch.delenv("DISTRICT_BOUNDARY_FILE", raising=False)
    assert etl_main.main(["--store", own_pg_url, "build", "--last-year", "2023", "--quiet"]) == 0
    engine = read_only_engine(own_pg_url)
    info = check_store(engine)
    assert not info.is_demo
    n = _rows(engine, "SELECT COUNT(*) FROM observation WHERE area_id = '1287'")[0][0]
    assert n > 0 and _rows(engine, "SELECT COUNT(*) FROM source_fetch WHERE is_demo")[0][0] == 0


@pytest.mark.slow
def test_every_page_shows_the_same_on_postgres_as_on_sqlite(pg_store, demo_store, monkeypatch):
    """The same pages and the same numbers: every page of every strategy rendered from the SQLite store and
    from PostgreSQL gives the same titles, tables and texts."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from pages.views import ANALYSIS_PAGES, focus_area_path
    from services.store import clear_caches
    from tests.strategies import STRATEGIES

    app = str(ROOT / "app.py")

    def render(store: str, kommun: str, path: str) -> list[str]:
        monkeypatch.setenv("INDICATOR_STORE", store)
        clear_caches()
        at = AppTest.from_file(app, default_timeout=120)
        at.query_params["kommun"] = kommun
        at.run()
        if path != "oversikt":
            at._page_hash = calc_hash(path)  # noqa: SLF001 - as tests/test_pages.open_page
            at.run()
        assert not at.exception, (store[:10], path, [e.message for e in at.exception])
        return ([t.value for t in at.title] + [m.value for m in at.markdown] + [c.value for c in at.caption]
                + [h.proto.body for h in at.get("html")])

    try:
        for s in STRATEGIES:
            paths = ["oversikt", *(focus_area_path(fa["code"], fa["title"]) for fa in s["focus_areas"]),
                     *ANALYSIS_PAGES]
            for path in paths:
                lite = render(str(demo_store), s["municipality_id"], path)
                on_pg = render(pg_store[0], s["municipality_id"], path)
                assert lite == on_pg, (s["id"], path)
    finally:
        monkeypatch.undo()
        clear_caches()
