"""The benchmark store (``python -m etl demo --scale national``): all 290 municipalities, 21 regions and
Riket, at least 200 indicators over 20 years with T/K/M, and about 3,500 generated districts — several
million observations, to measure the app at national scale. Synthetic, labelled demo, never published.

Values are generated with numpy in whole arrays and written with sqlite3's executemany into the
staging file (no journal: a failed build simply discards the file).
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from etl import geo, revisions
from etl.catalogue import load_catalogue
from etl.demo import DEMO_SOURCE, base_areas
from etl.publish import staged, verify
from etl.writer import StoreWriter
from store import files, schema
from store.db import write_engine

YEARS = np.arange(2006, 2026)  # 20 years
MIN_INDICATORS = 200
DISTRICTS_PER_MUNICIPALITY = 12
DISTRICT_INDICATORS = 12  # survey indicators with district values
# Benchmark respondents never fall under the threshold: no suppression is needed, so the store keeps
# the disclosure invariant without the (slow, per-group) secondary rules.
MIN_RESPONDENTS = 12


def _indicators(cat) -> list[dict]:
    inds = [dict(i) for i in cat.indicators]
    base = [i for i in cat.indicators if i["source"] == "kolada"]
    k = 0
    while len(inds) < MIN_INDICATORS:
        src = dict(base[k % len(base)])
        k += 1
        src.update(id=f"BENCH_{k:03d}", title=f"{src['title']} (benchmark-kopia {k})",
                   short_title=f"Benchmark {k}: {src['short_title']}"[:60], source="local_register",
                   source_id=None, source_name="Benchmark (syntetisk)")
        inds.append(src)
    # The first survey-style indicators get district values too.
    district = [i for i in inds if i["kind"] == "survey"][:DISTRICT_INDICATORS]
    for i in district:
        i["levels"] = sorted(set(i["levels"]) | {"municipality", "district"})
    for i in inds:
        if i["kind"] != "survey" and "municipality" in i["levels"]:
            i["levels"] = sorted(set(i["levels"]) | {"country", "county"})
    return inds


def build_national(target: Path, seed: int = 7, progress: bool = True) -> dict:
    started = time.perf_counter()
    cat = load_catalogue()
    inds = _indicators(cat)
    munis, counties = geo.municipalities(), geo.counties()
    areas = base_areas(munis, counties)
    district_frames = []
    for r in tqdm(list(munis.itertuples()), desc="Delområden", disable=not progress):
        d = geo.demo_districts(r.id, r.name, r.geometry, DISTRICTS_PER_MUNICIPALITY, seed)
        district_frames.append(d.area_rows())
    areas = pd.concat([areas, *district_frames], ignore_index=True)
    by_kind = {k: areas.loc[areas["kind"] == k, "id"].to_numpy() for k in ("country", "county", "municipality",
                                                                          "district")}
    with staged(target, history=revisions.FRESH) as stage:
        writer = StoreWriter(write_engine(stage), kind="demo", command="python -m etl demo --scale national")
        writer.create(is_demo=True)
        writer.start_run()
        writer.write_areas(areas)
        writer.write_indicators(inds)
        writer.write_groups(cat.groups)
        writer.write_strategies(cat)
        writer.write_factors(cat)
        fetch = writer.add_fetch(DEMO_SOURCE, "benchmarkdatabas: alla kommuner, 20 år", rows=0, is_demo=True,
                                 note=f"seed {seed}")
        writer.engine.dispose()
        con = files.connect(stage)
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -400000")
        # Secondary indexes are built once after the load: maintaining them row by row is what makes a
        # multi-million-row insert slow.
        for idx in schema.observation.indexes:
            con.execute(f"DROP INDEX {idx.name}")
        total = 0
        for ind in tqdm(inds, desc="Observationer", disable=not progress):
            for kind in ("country", "county", "municipality", "district"):
                if kind not in ind["levels"]:
                    continue
                rows = sorted(_rows(ind, by_kind[kind], kind, seed, fetch), key=lambda r: (r[1], r[2], r[3]))
                con.executemany("INSERT INTO observation (indicator_id, area_id, year, gender, value, n, ci_low, "
                                "ci_high, status, status_reason, fetch_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
                total += len(rows)
        con.execute("UPDATE source_fetch SET rows = ? WHERE id = ?", (total, fetch))
        con.commit()
        for idx in tqdm(list(schema.observation.indexes), desc="Index", disable=not progress):
            cols = ", ".join(c.name for c in idx.columns)
            con.execute(f"CREATE INDEX {idx.name} ON observation ({cols})")
        con.commit()
        con.close()
        writer = StoreWriter(write_engine(stage), kind="demo", command="python -m etl demo --scale national")
        writer.run_id = 1
        writer.finish_run({"observations": total})
        writer.engine.dispose()
        files.connect(stage).execute("ANALYZE").connection.close()
        verify(stage)
    return {"observations": total, "indicators": len(inds), "areas": len(areas),
            "districts": int(len(by_kind["district"])), "seconds": round(time.perf_counter() - started, 1)}


def _rows(ind: dict, area_ids: np.ndarray, kind: str, seed: int, fetch: int) -> list[tuple]:
    d = ind["demo"]
    rng = np.random.default_rng([seed, zlib.crc32(ind["id"].encode()), zlib.crc32(kind.encode())])
    n_a, n_y = len(area_ids), len(YEARS)
    spread = {"country": 0.0, "county": 0.45, "municipality": 1.0, "district": 1.6}[kind]
    level = d["level"] + rng.normal(size=(n_a, 1)) * d["spread"] * spread
    trend = d.get("trend", 0.0) * (YEARS - YEARS[-1])[None, :]
    total = np.clip(level + trend + rng.normal(0, d["spread"] * 0.08, (n_a, n_y)), d["min"], d["max"])
    survey = ind["kind"] == "survey"
    genders = ["T", "K", "M"] if ind["gender_split"] else ["T"]
    gap = d.get("gender_gap", 0.0) if ind["gender_split"] else 0.0
    values = {"T": total}
    if ind["gender_split"]:
        jitter = rng.normal(0, max(abs(gap) * 0.2, d["spread"] * 0.05), (n_a, n_y))
        values["K"] = np.clip(total + gap / 2 + jitter, d["min"], d["max"])
        values["M"] = np.clip(total - gap / 2 - jitter, d["min"], d["max"])
    n = {}
    if survey:
        base = d.get("respondents", 400) * {"country": 50, "county": 5, "municipality": 1, "district": 0.15}[kind]
        nk = np.maximum(rng.normal(base / 2, base * 0.1, (n_a, n_y)).round(), MIN_RESPONDENTS)
        nm = np.maximum(rng.normal(base / 2, base * 0.1, (n_a, n_y)).round(), MIN_RESPONDENTS)
        n = {"K": nk, "M": nm, "T": nk + nm}
        if ind["gender_split"]:
            values["T"] = (values["K"] * nk + values["M"] * nm) / (nk + nm)
    dec = ind["decimals"] + 1
    areas_col = np.repeat(area_ids, n_y)
    years_col = np.tile(YEARS, n_a)
    out: list[tuple] = []
    for g in genders:
        v = np.round(values[g], dec).ravel()
        nn = n[g].ravel() if n else None
        if survey and str(ind["unit"]).startswith("%"):
            from etl.stats import wilson_interval

            lo, hi = wilson_interval(v, nn)
            lo, hi = np.round(lo, 2), np.round(hi, 2)
        else:
            lo = hi = None
        out += [
            (ind["id"], a, int(y), g, float(val), None if nn is None else int(nn[i]),
             None if lo is None else float(lo[i]), None if hi is None else float(hi[i]), "ok", None, fetch)
            for i, (a, y, val) in enumerate(zip(areas_col, years_col, v, strict=True))
        ]
    return out
