"""``python -m etl build``: the real store for the municipalities in the catalogues, their comparison
groups, their counties and Riket, from Kolada (and real district boundaries/statistics when a DeSO/RegSO
folder is given). Raw responses are cached, so a rebuild works offline.

A source that fails after its retries is named and nothing is published: the previous store stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from etl import geo
from etl.catalogue import load_catalogue
from etl.kolada import KoladaClient, SourceError, chunks
from etl.kolada_values import rows_to_observations
from etl.publish import staged, verify
from etl.writer import StoreWriter, now_iso
from store.db import write_engine

FIRST_YEAR = 2010


@dataclass
class BuildSummary:
    fetched: int = 0
    cached: int = 0
    retries: int = 0
    observations: int = 0
    indicators: int = 0
    areas_with_data: int = 0
    failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Kolada: {self.fetched} svar hämtade, {self.cached} från cache, {self.retries} omförsök",
               f"Indikatorer: {self.indicators}; områden med värden: {self.areas_with_data}",
               f"Observationer: {self.observations}"]
        out += [f"MISSLYCKADES: {f}" for f in self.failed]
        return out


def build_real(target: Path, last_year: int, geo_directory: Path | None = None,
               client: KoladaClient | None = None, progress: bool = True) -> BuildSummary:
    cat = load_catalogue()
    client = client or KoladaClient()
    summary = BuildSummary()
    years = list(range(FIRST_YEAR, last_year + 1))
    kpis = sorted({i["source_id"] for i in cat.indicators if i["source"] == "kolada"})

    # Comparison groups: Kolada's own membership, fetched; demo groups are never part of a real store.
    real_group_ids = [g for s in cat.strategies for g in s.get("comparison_groups", [])
                      if not g.startswith("DEMO")]
    groups = []
    for part in chunks(real_group_ids):
        for g in client.paged(f"municipality_groups/{','.join(part)}"):
            owner = next(s["municipality_id"] for s in cat.strategies if g["id"] in s.get("comparison_groups", []))
            groups.append({"id": g["id"], "title": g["title"], "municipality_id": owner,
                           "members": [m["member_id"] for m in g.get("members", [])], "is_demo": False,
                           "source": f"Kolada municipality_groups (v3), {g['id']}"})
    munis = sorted({s["municipality_id"] for s in cat.strategies} | {m for g in groups for m in g["members"]})
    counties = sorted({s["county_id"] for s in cat.strategies} | {"00" + m[:2] for m in munis})
    area_ids = ["0000", *counties, *munis]

    rows = []
    batches = [(k, a) for k in chunks(kpis) for a in chunks(area_ids)]
    for kpi_part, area_part in tqdm(batches, desc="Kolada", unit="anrop", disable=not progress):
        try:
            rows += client.values(kpi_part, area_part, years)
        except SourceError as exc:
            summary.failed.append(f"Kolada ({','.join(kpi_part[:3])}…): {exc}")
    summary.fetched, summary.cached, summary.retries = (client.stats[k] for k in ("fetched", "cached", "retries"))
    if summary.failed:
        raise SourceError("; ".join(summary.failed))
    obs = rows_to_observations(rows)
    obs = obs[obs["gender"].isin(["T", "K", "M"])]
    obs = obs.drop_duplicates(["indicator_id", "area_id", "year", "gender"], keep="last")
    id_of = {i["source_id"]: i["id"] for i in cat.indicators if i["source"] == "kolada"}
    obs["indicator_id"] = obs["indicator_id"].map(id_of)

    from etl.demo import base_areas

    munis_geo, counties_geo = geo.municipalities(), geo.counties()
    frames = [base_areas(munis_geo, counties_geo)]
    real_stats = pd.DataFrame()
    if geo_directory is not None:
        from etl.demo import real_district_statistics, scb_indicators
        districts = {}
        for s in cat.strategies:
            mid = s["municipality_id"]
            d = geo.load_real_districts(geo_directory, mid, munis_geo.loc[munis_geo["id"] == mid, "geometry"].iloc[0])
            if d is not None:
                districts[mid] = d
                frames.append(d.area_rows())
        real_stats = real_district_statistics(districts)
    area_df = pd.concat(frames, ignore_index=True)

    with staged(target) as stage:
        writer = StoreWriter(write_engine(stage), kind="real", command="python -m etl build")
        writer.create(is_demo=False)
        writer.start_run()
        writer.write_areas(area_df)
        indicators = cat.indicators + (scb_indicators(cat) if not real_stats.empty else [])
        writer.write_indicators(indicators)
        if groups:
            writer.write_groups(groups)
        writer.write_strategies(cat)
        writer.write_factors(cat)
        fetch = writer.add_fetch("Kolada (RKA), API v3", f"{len(kpis)} KPI, {len(area_ids)} områden, "
                                 f"{years[0]}–{years[-1]}", rows=len(obs), is_demo=False, fetched_at=now_iso())
        writer.write_observations(obs, fetch)
        if not real_stats.empty:
            f2 = writer.add_fetch("SCB (DeSO/RegSO 2025), lokal fil", str(geo_directory), rows=len(real_stats),
                                  is_demo=False, note="RegSO-värden är befolkningsviktade medel av DeSO-värden")
            writer.write_observations(real_stats, f2)
        summary.observations = len(obs) + len(real_stats)
        summary.indicators = int(obs["indicator_id"].nunique())
        summary.areas_with_data = int(obs["area_id"].nunique())
        writer.finish_run({"observations": summary.observations, "fetched": summary.fetched,
                           "cached": summary.cached})
        writer.engine.dispose()
        verify(stage)
    return summary
