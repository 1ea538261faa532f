"""SCB's district statistics (PxWeb API v2) as a build source: the DeSO/RegSO tables for every strategy
municipality the build has district boundaries for."""

from __future__ import annotations

import pandas as pd
from tqdm import tqdm

from etl import scb
from etl.pxweb import PxWebClient
from etl.sources.base import Batch, BuildPlan, SourceOutput
from etl.sources.http import SourceError
from etl.writer import now_iso

SOURCE_NAME = "SCB PxWeb API v2 (DeSO/RegSO 2025)"
SKIPPED = ("SCB per delområde: hoppades över – inga DeSO/RegSO-gränser angivna "
           "(--boundaries/DISTRICT_BOUNDARY_FILE eller --geo-dir/DISTRICT_GEO_DIR)")


class ScbDistrictSource:
    name = "scb"

    def __init__(self, client: PxWebClient | None = None):
        self.client = client or PxWebClient()

    def extend(self, plan: BuildPlan) -> None:
        """SCB adds no areas: it reads the districts the boundaries gave."""

    def fetch(self, plan: BuildPlan) -> SourceOutput:
        out = SourceOutput()
        districts = plan.districts
        if not districts:
            out.notes.append(SKIPPED)
            return out
        tables: dict[str, list[pd.DataFrame]] = {}
        jobs = [(mid, table, sel) for mid in sorted(districts) for table, sel in scb.table_selections(mid).items()]
        for mid, table, sel in tqdm(jobs, desc="SCB", unit="tabell", disable=not plan.progress):
            try:
                tables.setdefault(table, []).append(self.client.table(table, sel))
            except SourceError as exc:
                out.failed.append(f"SCB {table} ({mid}): {exc}")
        out.stats = {"fetched": self.client.stats["fetched"], "cached": self.client.stats["cached"]}
        if out.failed:
            return out
        known = {a for d in districts.values() for a in d.areas["id"]}
        vintages = {v for d in districts.values() for v in d.areas["vintage"].dropna()}
        vintage = max(vintages) if vintages else scb.DIVISION_VINTAGE
        result = scb.district_values({t: pd.concat(f, ignore_index=True) for t, f in tables.items()}, known,
                                     vintage=vintage)
        notes = result_notes(result)
        out.notes += notes
        if result.observations.empty:
            return out
        ids = set(result.observations["indicator_id"])
        names = sorted({scb.BY_ID[i].table for i in ids})
        out.batches.append(Batch(SOURCE_NAME, f"{', '.join(names)} för {', '.join(sorted(districts))}",
                                 result.observations, now_iso(), note="; ".join(notes) or None))
        out.indicators = scb.indicator_records(only=ids - plan.cat.indicator_ids, gendered=result.gendered)
        out.breaks = [b for b in result.breaks if b["indicator_id"] in ids]
        return out


def result_notes(result: scb.DistrictResult) -> list[str]:
    notes = []
    if result.other_vintage:
        notes.append(f"Seriebrott: {result.other_vintage} SCB-värden i en äldre DeSO/RegSO-indelning lästes "
                     f"inte in (se seriebrott per indikator)")
    if result.unknown_areas:
        notes.append(f"{result.unknown_areas} SCB-värden för områden utan gränser i databasen lästes inte in")
    return notes
