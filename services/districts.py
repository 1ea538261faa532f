"""Trygghet per delområde: which district indicators exist, at which district level an indicator has
values, and one year's values per district, ranked. ``components/district_map.py`` draws them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from services import catalogue as cat
from services.store import q

DEFAULT_INDICATOR = "ENK_TRYGG_OMRADE"
ALL_YEARS = (1900, 2100)


def district_indicators() -> pd.DataFrame:
    ind = cat.indicators()
    return ind[ind["levels"].str.contains("district")]


def default_indicator(inds: pd.DataFrame) -> str:
    return DEFAULT_INDICATOR if DEFAULT_INDICATOR in inds.index else inds.index[0]


def _has_values(indicator_id: str, district_ids) -> bool:
    return not q("series", indicator_id=indicator_id, area_ids=tuple(district_ids), year_from=ALL_YEARS[0],
                 year_to=ALL_YEARS[1]).empty


def level_for(kommun: str, indicator_id: str) -> tuple[pd.DataFrame, str]:
    """The districts to show and their system: the main districts (RegSO, own or demo), or DeSO where the
    indicator has values per DeSO only. A coarser level is never derived from a finer one."""
    main = cat.main_districts(kommun)
    system = main["district_system"].iloc[0]
    if not _has_values(indicator_id, main["id"]):
        all_d = cat.districts(kommun)
        deso = all_d[all_d["district_system"] == "DeSO"]
        if not deso.empty and _has_values(indicator_id, deso["id"]):
            return deso, "DeSO"
    return main, system


def years(indicator_id: str, district_ids) -> list[int]:
    """The years with any row for these districts, newest first."""
    rows = q("series", indicator_id=indicator_id, area_ids=tuple(district_ids), year_from=ALL_YEARS[0],
             year_to=ALL_YEARS[1])
    return sorted((int(y) for y in rows["year"].unique()), reverse=True)


def values(indicator_id: str, kommun: str, system: str, year: int, gender: str) -> pd.DataFrame:
    return q("district_values", indicator_id=indicator_id, municipality_id=kommun, district_system=system,
             year=year, gender=gender)


def geometry(kommun: str, system: str) -> pd.DataFrame:
    d = cat.districts(kommun)
    return d[d["district_system"] == system]


@dataclass
class Ranked:
    merged: pd.DataFrame  # every district with its value row (status 'missing' where there is none)
    ok: pd.DataFrame  # districts with a published value, best first by the indicator's polarity
    ranked: pd.DataFrame  # ok, then the suppressed and missing ones

    @property
    def n_suppressed(self) -> int:
        return int((self.merged["status"] == "suppressed").sum())


def ranked(districts: pd.DataFrame, vals: pd.DataFrame, polarity: str) -> Ranked:
    merged = districts.merge(vals.rename(columns={"is_demo": "value_is_demo"}), left_on="id", right_on="area_id",
                             how="left")
    merged["status"] = merged["status"].fillna("missing")
    ok = merged[merged["status"] == "ok"].sort_values("value", ascending=polarity == "lower_better")
    return Ranked(merged, ok, pd.concat([ok, merged[merged["status"] != "ok"]]))
