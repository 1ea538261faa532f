"""What a source hands ``etl build``: the plan it reads (which areas and years) and its batches of
observations, each with its own fetch record. A new source is one module with a class of this shape,
registered in ``etl.sources.REGISTRY`` (ARCHITECTURE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from etl.catalogue import Catalogue


@dataclass
class BuildPlan:
    """What the build covers. Sources may add to it in ``extend`` (Kolada adds its comparison groups'
    members) before any of them fetches."""

    cat: Catalogue
    years: list[int]
    municipalities: set[str]
    since: str | None = None
    update: bool = False
    progress: bool = True
    groups: list[dict] = field(default_factory=list)  # comparison groups with members
    districts: dict = field(default_factory=dict)  # municipality id -> etl.geo.Districts

    @property
    def counties(self) -> list[str]:
        return sorted({s["county_id"] for s in self.cat.strategies} | {"00" + m[:2] for m in self.municipalities})

    @property
    def area_ids(self) -> list[str]:
        return ["0000", *self.counties, *sorted(self.municipalities)]


@dataclass
class Batch:
    """Observations from one fetch: ``source`` and ``what`` become the store's source_fetch record."""

    source: str
    what: str
    observations: pd.DataFrame
    fetched_at: str
    note: str | None = None


@dataclass
class SourceOutput:
    batches: list[Batch] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)  # indicator records beyond the catalogue's
    breaks: list[dict] = field(default_factory=list)  # series breaks the source reports
    failed: list[str] = field(default_factory=list)  # what could not be fetched, in Swedish
    notes: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


class Source(Protocol):
    name: str

    def extend(self, plan: BuildPlan) -> None:
        """Add what this source knows to the plan (areas, groups); most sources add nothing."""

    def fetch(self, plan: BuildPlan) -> SourceOutput:
        """Fetch (or read from the cache) everything the plan needs from this source."""

