"""Benchmarks: prints one table of figures and the machine it ran on. Not a test: nothing here fails
on a slow machine. Compare runs as ratios on the same machine.

Usage: python scripts/bench.py --store STORE [--runs N] [--browser] [--users 20]
(``make bench`` builds the national benchmark store first.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return (f"{platform.platform()}; {os.cpu_count()} cores ({cpu}); {mem}; Python {platform.python_version()}; "
            f"SQLite {sqlite3.sqlite_version}")


def sample_params(con: sqlite3.Connection) -> dict:
    muni = "1287"
    district = con.execute("SELECT id, district_system FROM area WHERE municipality_id = ? AND kind = 'district' "
                           "LIMIT 1", (muni,)).fetchone()
    survey = con.execute("SELECT i.id FROM indicator i WHERE i.levels LIKE '%district%' LIMIT 1").fetchone()[0]
    inds = [r[0] for r in con.execute("SELECT indicator_id FROM goal_indicator LIMIT 40")]
    fa = con.execute("SELECT id FROM focus_area LIMIT 1").fetchone()[0]
    last = con.execute("SELECT MAX(year) FROM observation").fetchone()[0]
    return {
        "meta": {}, "strategies": {}, "indicators": {}, "indicator_coverage": {}, "groups": {}, "factors": {},
        "provenance": {}, "series_breaks": {}, "focus_areas": {"strategy_id": "trelleborg"},
        "focus_area_actions": {"focus_area_id": fa}, "goal_indicators": {"strategy_id": "sodertalje"},
        "series": {"indicator_id": "U09800", "area_ids": [muni, "0000", "0012"], "year_from": 2006, "year_to": last},
        "area_values": {"area_ids": [muni, "0000"], "indicator_ids": inds, "year_from": 2006, "year_to": last},
        "compare_year": {"indicator_id": "U09800", "year": last, "gender": "T", "kind": "municipality"},
        "district_values": {"indicator_id": survey, "municipality_id": muni, "district_system": district[1],
                            "year": last, "gender": "T"},
        "districts": {"municipality_id": muni}, "areas": {"kind": "municipality"},
        "area_geometry": {"kind": "municipality"},
    }


def bench_queries(store: str, runs: int) -> list[tuple]:
    import queries
    from store.db import read_only_engine

    engine = read_only_engine(store)
    con = sqlite3.connect(store)
    params = sample_params(con)
    rows = []
    for name in queries.names():
        p = params[name]
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            df = queries.run(engine, name, **p)
            times.append((time.perf_counter() - t0) * 1000)
        scans = queries.scans_observation(queries.explain(con, name, p))
        rows.append((name, len(df), statistics.median(times), pct(times, 95), "nej (SCAN)" if scans else "ja"))
    con.close()
    return rows


PAGES = [("oversikt", {"kommun": "1287"}), ("oversikt", {"kommun": "0181"}),
         ("2-utbildning-och-sysselsattning", {"kommun": "1287"}),
         ("6-ett-tryggt-sodertalje", {"kommun": "0181"}), ("trygghet", {"kommun": "0181"}),
         ("riskfaktorer", {"kommun": "0483"}), ("jamfor", {"kommun": "1287"}), ("data", {"kommun": "1287"})]


# Tabs run lazily (only the open one): switching to one is a rerun of its own, measured separately.
TAB_SWITCHES = [("jamfor", {"kommun": "1287"}, "Karta"), ("jamfor", {"kommun": "1287"}, "Utveckling")]


def bench_pages(store: str, runs: int) -> list[tuple]:
    """Server-side script runs with AppTest: cold (caches cleared) and warm (same session rerun)."""
    os.environ["INDICATOR_STORE"] = store
    import logging

    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from services.store import clear_caches

    # Clearing caches outside a running app makes Streamlit warn on every call; the table is the output.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    rows = []
    for path, params, tab in [(p, q, None) for p, q in PAGES] + TAB_SWITCHES:
        cold, warm = [], []
        for i in range(max(2, runs // 5)):
            clear_caches()  # Streamlit's caches and the app's own query/derived caches
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            for k, v in params.items():
                at.query_params[k] = v
            t0 = time.perf_counter()
            at.run()
            if path != "oversikt":
                at._page_hash = calc_hash(path)  # noqa: SLF001
                at.run()
            if tab:
                at.session_state["w_cmp_tab"] = tab
                at.run()
            cold.append((time.perf_counter() - t0) * 1000)
            for _ in range(runs if i == 0 else 0):
                t0 = time.perf_counter()
                at.run()
                warm.append((time.perf_counter() - t0) * 1000)
            assert not at.exception, [e.message for e in at.exception]
        label = f"{path} ({params['kommun']})"
        rows.append((f"{label} → {tab}" if tab else label, statistics.median(cold), pct(cold, 95),
                     statistics.median(warm), pct(warm, 95)))
    return rows


# What is on screen: script state, heading, and every chart/map with whether it has drawn.
SIGNATURE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const drawn = el => { const c = el.querySelector('canvas, svg.marks');
                        return c && c.getBoundingClientRect().height > 0 ? 1 : 0; };
  return [app ? app.getAttribute('data-test-script-state') : 'none',
          document.querySelector("[data-testid='stMain'] h1") ? 1 : 0,
          [...document.querySelectorAll("[data-testid='stVegaLiteChart']")].map(drawn).join(''),
          [...document.querySelectorAll("[data-testid='stDeckGlJsonChart']")].map(
              el => el.querySelector('canvas') ? 1 : 0).join('')].join('|');
}"""
SETTLE_MS = 1000  # unchanged this long after the script finished: the page is done


async def _last_drawn(page, t0: float) -> float:
    """Seconds from t0 to the last change on screen (the last chart or map drawn), once the script has
    finished and nothing has changed for SETTLE_MS. The script's 'notRunning' comes before the browser
    has drawn the charts, so waiting for it alone measures too little."""
    last_sig, last_change = None, time.perf_counter()
    deadline = t0 + 180
    while time.perf_counter() < deadline:
        sig = await page.evaluate(SIGNATURE)
        now = time.perf_counter()
        if sig != last_sig:
            last_sig, last_change = sig, now
        elif sig.startswith("notRunning|1") and "0" not in sig.split("|", 2)[2].replace("|", "") \
                and (now - last_change) * 1000 >= SETTLE_MS:
            return last_change - t0
        await asyncio.sleep(0.1)
    raise TimeoutError(f"the page never settled: {last_sig}")


async def _browser_round(base: str, users: int, path: str, query: str, sizes: list[int],
                         tab: str | None = None, warm: bool = True) -> list[float]:
    """``users`` browser contexts open the page at once; each time runs from the navigation (or the tab
    click) to the last chart drawn. With ``warm``, every context has loaded the page once before (the
    app's JavaScript is in its cache, as for a returning user), and the timed loads start together."""
    from playwright.async_api import async_playwright

    from tests.browser_util import CHROMIUM_ARGS, CHROMIUM_PATH

    url = f"{base}/{'' if path == 'oversikt' else path}?{query}"
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)

        async def open_page():
            ctx = await browser.new_context(viewport={"width": 1600, "height": 900})
            page = await ctx.new_page()
            if warm:
                await page.goto(url, wait_until="commit", timeout=180_000)
                await _last_drawn(page, time.perf_counter())
            page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: sizes.append(len(payload))))
            return ctx, page

        async def timed(page) -> float:
            t0 = time.perf_counter()
            await page.goto(url, wait_until="commit", timeout=180_000)
            elapsed = await _last_drawn(page, t0)
            if tab:  # then a tab switch: the click to the tab's last chart drawn
                t0 = time.perf_counter()
                await page.get_by_role("tab", name=tab).click()
                elapsed = await _last_drawn(page, t0)
            return elapsed * 1000

        opened = await asyncio.gather(*(open_page() for _ in range(users)))  # warming is not timed
        times = await asyncio.gather(*(timed(page) for _, page in opened))
        for ctx, _ in opened:
            await ctx.close()
        await browser.close()
        return list(times)


async def _together(base: str, path: str, query: str, users: int) -> list[tuple[float, int, list[str]]]:
    from tests.browser_util import ws_session

    return await asyncio.gather(*(ws_session(base, path, query) for _ in range(users)))


def bench_server_sessions(store: str, users: int, runs: int) -> list[tuple]:
    """The server alone under load, without browsers competing for the same cores: new sessions over the
    websocket, one at a time and ``users`` at once (each user's browser draws on their own machine)."""
    from tests.browser_util import running_app, ws_session

    rows = []
    with running_app(store) as base:
        for path, params in PAGES:
            query = "&".join(f"{k}={v}" for k, v in params.items())
            asyncio.run(ws_session(base, path, query))  # the page's first run fills the caches
            one = [asyncio.run(ws_session(base, path, query))[0] * 1000 for _ in range(runs)]

            many = [t * 1000 for t, _, _ in asyncio.run(_together(base, path, query, users))]
            rows.append((f"{path} ({params['kommun']})", statistics.median(one), pct(one, 95),
                         statistics.median(many), pct(many, 95)))
    return rows


FLOORS = ROOT / "scripts" / "floors"
MAP_PAGES = {"trygghet"}  # measured against the pydeck floor; the rest against the 12-chart floor


def floor_sessions(users: int, runs: int) -> tuple[float, float, float, float]:
    """The same measurement as ``bench_server_sessions`` for an empty Streamlit page in the same run: the
    floor each page's per-session cost is divided by (issue #28)."""
    from tests.browser_util import running_app, ws_session

    with running_app(script=str(FLOORS / "empty.py")) as base:
        asyncio.run(ws_session(base, "oversikt", ""))
        one = [asyncio.run(ws_session(base, "oversikt", ""))[0] * 1000 for _ in range(runs)]
        many = [t * 1000 for t, _, _ in asyncio.run(_together(base, "oversikt", "", users))]
    return statistics.median(one), pct(one, 95), statistics.median(many), pct(many, 95)


def floor_browser(runs: int) -> dict[str, float]:
    """Median ms for one user in Chromium, from navigation to the last chart or map drawn, on the two bare
    floors: 12 Altair charts, and a pydeck map of 55 polygons."""
    from tests.browser_util import running_app

    out = {}
    for name in ("charts12", "deck"):
        with running_app(script=str(FLOORS / f"{name}.py")) as base:
            times = []
            for _ in range(runs + 1):
                times += asyncio.run(_browser_round(base, 1, "oversikt", "", []))
            out[name] = statistics.median(times[1:])
    return out


def print_sessions(store: str, users: int, runs: int) -> None:
    """The per-session table of issue #28: each page's p95 for ``users`` new sessions at once as a ratio to
    an empty Streamlit page's, measured in the same run."""
    floor = floor_sessions(users, runs)
    print(f"\n| sida (server, nya sessioner via websocket) | 1 åt gången p50 ms | p95 ms | {users} samtidigt "
          f"p50 ms | p95 ms | p95 / tom sida |\n|---|---:|---:|---:|---:|---:|")
    print(f"| tom Streamlit-sida | {floor[0]:.0f} | {floor[1]:.0f} | {floor[2]:.0f} | {floor[3]:.0f} | 1,00 |")
    for path, a, b, c, d in bench_server_sessions(store, users, runs):
        print(f"| {path} | {a:.0f} | {b:.0f} | {c:.0f} | {d:.0f} | {d / floor[3]:.2f} |".replace(".", ","))


def bench_browser(store: str, users: int, runs: int) -> tuple[list[tuple], int, int]:
    from playwright.sync_api import sync_playwright

    from tests.browser_util import CHROMIUM_ARGS, CHROMIUM_PATH, running_app, warm_up

    rows, sizes = [], []
    peak_rss = 0
    with running_app(store) as base:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            warm_up(b.new_page(), base)
            b.close()
        for path, params, tab in [(p, q, None) for p, q in PAGES] + TAB_SWITCHES:
            query = "&".join(f"{k}={v}" for k, v in params.items())
            one = []
            for _ in range(runs):
                one += asyncio.run(_browser_round(base, 1, path, query, sizes, tab))
            many = asyncio.run(_browser_round(base, users, path, query, sizes, tab))
            label = f"{path} → {tab}" if tab else path
            rows.append((label, statistics.median(one), pct(one, 95), statistics.median(many), pct(many, 95)))
            peak_rss = max(peak_rss, _app_rss())
        # Memory over many sessions: 200 sessions open a page and close, 10 at a time.
        before = _app_rss("VmRSS")
        for _ in range(20):
            asyncio.run(_browser_round(base, 10, "2-utbildning-och-sysselsattning", "kommun=1287", [], warm=False))
        time.sleep(5)
        after = _app_rss("VmRSS")
        peak_rss = max(peak_rss, _app_rss())
    return rows, max(sizes) if sizes else 0, peak_rss, (before, after)


def _app_rss(field: str = "VmHWM") -> int:
    """Peak (VmHWM) or current (VmRSS) RSS in kB of the streamlit process started by the benchmark."""
    peak = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
            if "scripts/serve.py" in cmd:
                hwm = next(line for line in open(f"/proc/{pid}/status") if line.startswith(field))
                peak = max(peak, int(hwm.split()[1]))
        except (OSError, StopIteration):
            continue
    return peak


def bench_etl_from_cache(last_year: int = 2025) -> dict:
    """The real pipeline (``etl build --all-municipalities``) at national scale: Kolada answers for every
    catalogue KPI, all 290 municipalities, 21 regions and Riket, served once by a local stand-in of the
    API (synthetic values, only for timing), cached, then built again from the cache alone."""
    import random
    import tempfile

    from etl.build import FIRST_YEAR, build_real
    from etl.catalogue import load_catalogue
    from etl.geo import counties, municipalities
    from etl.kolada import KoladaClient
    from tests.kolada_fake import FakeKolada, kpi_record

    cat = load_catalogue()
    kolada = [i for i in cat.indicators if i["source"] == "kolada"]
    areas = ["0000", *counties()["id"], *municipalities()["id"]]
    rnd = random.Random(1)
    rows = [{"kpi": i["source_id"], "municipality": a, "period": y, "gender": g, "value": round(rnd.uniform(1, 99), 1),
             "count": 1, "status": "", "isdeleted": False}
            for i in kolada for a in areas for y in range(FIRST_YEAR, last_year + 1)
            for g in (("T", "K", "M") if i["gender_split"] else ("T",))]
    groups = {g: {"id": g, "title": g, "members": [{"member_id": m} for m in areas[22:32]]} for s in cat.strategies
              for g in s.get("comparison_groups", []) if not g.startswith("DEMO")}
    fake = FakeKolada(rows, {i["source_id"]: kpi_record(i["source_id"], i["title"], i["gender_split"])
                             for i in kolada}, groups=groups)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KOLADA_BASE_URL"] = fake.start()
        os.environ["ETL_CACHE_DIR"] = str(Path(tmp) / "cache")
        try:
            t0 = time.perf_counter()
            first = build_real(Path(tmp) / "a.sqlite", last_year, client=KoladaClient(min_interval_s=0),
                               progress=False, all_municipalities=True)
            t_first = time.perf_counter() - t0
        finally:
            fake.stop()
        t0 = time.perf_counter()
        again = build_real(Path(tmp) / "b.sqlite", last_year, client=KoladaClient(min_interval_s=0),
                           progress=False, all_municipalities=True)
        t_cache = time.perf_counter() - t0
    return {"rows": len(rows), "requests": first.fetched, "first_s": t_first, "cache_s": t_cache,
            "observations": again.observations, "cached": again.cached}


def bench_pack(store: str) -> list[tuple]:
    """The meeting pack for every strategy, whole (every focus area and indicator), as PowerPoint and PDF:
    wall time of ``python -m report`` and the process's peak memory (QUALITY.md: under 20 s, 600 MB)."""
    import resource
    import subprocess
    import tempfile

    con = sqlite3.connect(store)
    strategies = con.execute("SELECT municipality_id, (SELECT COUNT(DISTINCT gi.indicator_id) FROM goal_indicator gi "
                             "JOIN goal g ON g.id = gi.goal_id JOIN focus_area f ON f.id = g.focus_area_id "
                             "WHERE f.strategy_id = s.id) FROM strategy s ORDER BY municipality_id").fetchall()
    con.close()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for kommun, n_ind in strategies:
            for fmt in ("pptx", "pdf"):
                target = Path(tmp) / f"pack.{fmt}"
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "report", "--kommun", kommun, "--format", fmt, "--out",
                                str(target), "--store", store], cwd=ROOT, check=True, capture_output=True)
                seconds = time.perf_counter() - t0
                peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                out.append((kommun, n_ind, fmt, seconds, target.stat().st_size / 1024, peak_mb))
    return out


def bench_pack_in_app(store: str, kommun: str = "0181") -> tuple[float, int, int]:
    """The Mötesunderlag download for a whole strategy, made inside the running app from the browser:
    seconds from the click to the download button, and the app's RSS before and at its peak (kB)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_util import CHROMIUM_ARGS, CHROMIUM_PATH, running_app, wait_for_page, warm_up

    with running_app(store) as base, sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = b.new_page(viewport={"width": 1600, "height": 900})
        warm_up(page, base)
        page.goto(f"{base}/start?kommun={kommun}")
        wait_for_page(page)
        before = _app_rss("VmRSS")
        t0 = time.perf_counter()
        page.locator("[data-testid='stSidebar']").get_by_role("button", name="Skapa mötesunderlag").click()
        page.get_by_role("button", name="Ladda ner (PowerPoint)").wait_for(timeout=300_000)
        seconds = time.perf_counter() - t0
        peak = _app_rss()
        b.close()
    return seconds, before, peak


CLUSTER_PAGE = ("6-ett-tryggt-sodertalje", "kommun=0181")


def bench_cluster(store: str, sizes=(20, 50, 100), processes=(1, 2, 4)) -> list[tuple]:
    """New sessions over the WebSocket through HAProxy (deploy/haproxy.cfg) to 1, 2 and 4 app processes that
    share the store on a throwaway PostgreSQL server (the SQLite store copied there), ``sizes`` at once:
    server-side seconds from the request to the script's end, p50 and p95, and any failed sessions."""
    from scripts.cluster import cluster
    from store import pg
    from tests.browser_util import ws_session
    from tests.pg_server import cluster as pg_cluster

    async def together(base: str, n: int):
        return await asyncio.gather(*(ws_session(base, *CLUSTER_PAGE) for _ in range(n)), return_exceptions=True)

    rows = []
    with pg_cluster() as url:
        pg.publish(Path(store), url)
        for n_proc in processes:
            with cluster(n_proc, store=url) as base:
                asyncio.run(together(base, 2 * n_proc))  # every process's first run fills its caches
                for n in sizes:
                    got = asyncio.run(together(base, n))
                    ok = [r[0] * 1000 for r in got if not isinstance(r, BaseException)]
                    rows.append((n_proc, n, statistics.median(ok) if ok else float("nan"),
                                 pct(ok, 95) if ok else float("nan"), len(got) - len(ok)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", default=os.environ.get("INDICATOR_STORE", str(ROOT / "data" / "indicators.sqlite")))
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--browser", action="store_true")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--etl-seconds", type=float, default=None, help="build time to report (from make bench)")
    ap.add_argument("--no-etl", action="store_true", help="skip the national build from cached Kolada answers")
    ap.add_argument("--pack-only", action="store_true", help="only the meeting pack (python -m report)")
    ap.add_argument("--cluster-only", action="store_true", help="only the HAProxy/PostgreSQL scaling table")
    ap.add_argument("--pages-only", action="store_true", help="only the pages' server-side script runs")
    ap.add_argument("--sessions-only", action="store_true",
                    help="only new sessions over the websocket against an empty Streamlit page (issue #28)")
    args = ap.parse_args()
    if args.sessions_only:
        print(f"Maskin: {machine()}\nDatabas: {args.store}")
        print_sessions(args.store, args.users, max(3, args.runs // 3))
        return
    if args.pages_only:
        print(f"Maskin: {machine()}\nDatabas: {args.store}")
        _print_pages(args.store, args.runs)
        return
    if args.cluster_only:
        print(f"Maskin: {machine()}")
        _print_cluster(args.store)
        return
    con = sqlite3.connect(args.store)
    n_obs = con.execute("SELECT COUNT(*) FROM observation").fetchone()[0]
    n_ind = con.execute("SELECT COUNT(*) FROM indicator").fetchone()[0]
    n_area = con.execute("SELECT COUNT(*) FROM area").fetchone()[0]
    geo = con.execute("SELECT municipality_id, SUM(LENGTH(geometry)) FROM area WHERE kind = 'district' "
                      "GROUP BY municipality_id ORDER BY 2 DESC LIMIT 1").fetchone()
    con.close()
    print(f"Maskin: {machine()}")
    print(f"Databas: {args.store}: {n_obs:,} observationer, {n_ind} indikatorer, {n_area} områden".replace(",", " "))
    if args.etl_seconds is not None:
        print(f"ETL: benchmarkdatabasen byggd på {args.etl_seconds:.0f} s")
    if not args.no_etl:
        e = bench_etl_from_cache()
        print(f"ETL: `etl build --all-municipalities` från cachade Kolada-svar: {e['cache_s']:.0f} s "
              f"({e['observations']:,} observationer ur {e['cached']} cachade svar); första hämtningen via en lokal "
              f"Kolada-server {e['first_s']:.0f} s för {e['requests']} anrop (mot riktiga Kolada minst "
              f"{e['requests'] / 5:.0f} s till, med 5 anrop/s)".replace(",", " "))
    print(f"Största delområdes-GeoJSON per kommun: {geo[1] / 1000:.0f} kB ({geo[0]})" if geo else "")
    print("\n| mötesunderlag (hela strategin) | indikatorer | format | s | kB | högsta RSS hittills, MB |"
          "\n|---|---:|---|---:|---:|---:|")
    for kommun, n_ind, fmt, seconds, kb, mb in bench_pack(args.store):
        print(f"| {kommun} | {n_ind} | {fmt} | {seconds:.1f} | {kb:.0f} | {mb:.0f} |")
    from tests.browser_util import CHROMIUM_PATH

    if Path(CHROMIUM_PATH).exists():
        seconds, before, peak = bench_pack_in_app(args.store)
        print(f"\nMötesunderlag i appen (0181, hela strategin, PowerPoint): {seconds:.1f} s från klick till "
              f"nedladdningsknapp; appens RSS {before / 1024:.0f} MB före, högst {peak / 1024:.0f} MB")
    if args.pack_only:
        return
    print("\n| fråga | rader | p50 ms | p95 ms | index |\n|---|---:|---:|---:|---|")
    for name, n, p50, p95, idx in bench_queries(args.store, args.runs):
        print(f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {idx} |")
    _print_pages(args.store, args.runs)
    _print_cluster(args.store)
    if args.browser:
        print_sessions(args.store, args.users, 10)
        from tests.browser_util import CHROMIUM_PATH

        if not Path(CHROMIUM_PATH).exists():
            print(f"\nWebbläsarmätningen hoppades över: {CHROMIUM_PATH} saknas (apt-get install chromium).")
            return
        rows, biggest, rss, (before, after) = bench_browser(args.store, args.users, max(3, args.runs // 10))
        floors = floor_browser(max(3, args.runs // 10))
        print(f"\n| sida (webbläsare) | 1 användare p50 ms | p95 ms | {args.users} samtidigt p50 ms | p95 ms | "
              "p50 / golv |\n|---|---:|---:|---:|---:|---:|")
        print(f"| golv: 12 Altair-diagram | {floors['charts12']:.0f} | | | | 1,00 |")
        print(f"| golv: pydeck-karta, 55 områden | {floors['deck']:.0f} | | | | 1,00 |")
        for path, a, b, c, d in rows:
            floor = floors["deck" if path.split(" ")[0] in MAP_PAGES else "charts12"]
            print(f"| {path} | {a:.0f} | {b:.0f} | {c:.0f} | {d:.0f} | {a / floor:.2f} |".replace(".", ","))
        print(f"\nStörsta websocket-meddelande: {biggest / 1024:.0f} kB; appens högsta RSS: {rss / 1024:.0f} MB; "
              f"RSS före/efter 200 sessioner: {before / 1024:.0f}/{after / 1024:.0f} MB "
              f"({after / max(before, 1):.2f}×)")


def _print_pages(store: str, runs: int) -> None:
    print("\n| sida (server, AppTest) | kall p50 ms | kall p95 ms | varm p50 ms | varm p95 ms |\n|---|---:|---:|---:|---:|")
    for path, c50, c95, w50, w95 in bench_pages(store, runs):
        print(f"| {path} | {c50:.0f} | {c95:.0f} | {w50:.0f} | {w95:.0f} |")


def _print_cluster(store: str) -> None:
    from scripts.cluster import haproxy_binary
    from tests.pg_server import missing_reason

    reason = missing_reason() or (None if haproxy_binary() else "HAProxy saknas (apt-get install haproxy)")
    if reason:
        print(f"\nSkalningen hoppades över: {reason}.")
        return
    print("\n| app-processer bakom HAProxy (PostgreSQL) | nya sessioner samtidigt | p50 ms | p95 ms | misslyckade |"
          "\n|---:|---:|---:|---:|---:|")
    rows = bench_cluster(store)
    for n_proc, n, p50, p95, failed in rows:
        print(f"| {n_proc} | {n} | {p50:.0f} | {p95:.0f} | {failed} |")
    base = {n: p95 for n_proc, n, _, p95, _ in rows if n_proc == 1}
    for n_proc, n, _, p95, _ in rows:
        if n_proc > 1:
            print(f"{n_proc} processer, {n} samtidigt: p95 {base[n] / p95:.2f}× snabbare än 1 process")
    print(f"Sidan: /{CLUSTER_PAGE[0]}?{CLUSTER_PAGE[1]}; maskinen har {os.cpu_count()} kärnor.")


if __name__ == "__main__":
    main()
