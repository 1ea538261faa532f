"""Kolada as a build source: the catalogue's Kolada KPIs (and their uncertainty KPIs) for Riket, the
counties, the strategies' municipalities and their comparison groups' members."""

from __future__ import annotations

from tqdm import tqdm

from etl.kolada import KoladaClient, SourceError, chunks
from etl.kolada_values import attach_uncertainty, rows_to_observations
from etl.sources.base import Batch, BuildPlan, SourceOutput
from etl.writer import now_iso

SOURCE_NAME = "Kolada (RKA), API v3"


class KoladaSource:
    name = "kolada"

    def __init__(self, client: KoladaClient | None = None):
        self.client = client or KoladaClient()

    def extend(self, plan: BuildPlan) -> None:
        """Kolada's own comparison groups and their members (demo groups never enter a real store)."""
        cat = plan.cat
        real_group_ids = [g for s in cat.strategies for g in s.get("comparison_groups", [])
                          if not g.startswith("DEMO")]
        for part in chunks(real_group_ids):
            for g in self.client.paged(f"municipality_groups/{','.join(part)}"):
                owner = next(s["municipality_id"] for s in cat.strategies if g["id"] in s.get("comparison_groups", []))
                plan.groups.append({"id": g["id"], "title": g["title"], "municipality_id": owner,
                                    "members": [m["member_id"] for m in g.get("members", [])], "is_demo": False,
                                    "source": f"Kolada municipality_groups (v3), {g['id']}"})
        plan.municipalities |= {m for g in plan.groups for m in g["members"]}

    def fetch(self, plan: BuildPlan) -> SourceOutput:
        cat, out = plan.cat, SourceOutput()
        uncertainty_of = {i["source_id"]: i["uncertainty_kpi"] for i in cat.indicators
                          if i["source"] == "kolada" and i.get("uncertainty_kpi")}
        kpis = sorted({i["source_id"] for i in cat.indicators if i["source"] == "kolada"}
                      | set(uncertainty_of.values()))
        area_ids = plan.area_ids
        rows = []
        batches = [(k, a) for k in chunks(kpis) for a in chunks(area_ids)]
        for kpi_part, area_part in tqdm(batches, desc="Kolada", unit="anrop", disable=not plan.progress):
            try:
                rows += self.client.values(kpi_part, area_part, plan.years, since=plan.since, update=plan.update)
            except SourceError as exc:
                out.failed.append(f"Kolada ({','.join(kpi_part[:3])}…): {exc}")
        out.stats = {k: self.client.stats[k] for k in ("fetched", "cached", "retries")}
        if plan.since or plan.update:
            dates = ", ".join(sorted(self.client.stats.get("since", []))) or "–"
            out.notes.append(f"Kolada: {self.client.stats.get('updated', 0)} värden ändrade sedan {dates} "
                             f"(uppdatering med from_date)")
        if out.failed:
            return out
        obs = attach_uncertainty(rows_to_observations(rows), uncertainty_of)
        obs = obs[obs["gender"].isin(["T", "K", "M"])]
        obs = obs.drop_duplicates(["indicator_id", "area_id", "year", "gender"], keep="last")
        id_of = {i["source_id"]: i["id"] for i in cat.indicators if i["source"] == "kolada"}
        obs["indicator_id"] = obs["indicator_id"].map(id_of)
        # One fetch record per day the answers were fetched (a rebuild from the cache keeps those days),
        # with the earliest time of that day.
        day = obs["fetched_at"].fillna(now_iso()).str[:10]
        what = f"{len(kpis)} KPI, {len(area_ids)} områden, {plan.years[0]}–{plan.years[-1]}"
        for _day, part in obs.groupby(day, sort=True):
            out.batches.append(Batch(SOURCE_NAME, what, part, part["fetched_at"].min()))
        return out
