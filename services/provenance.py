"""Where every figure comes from (issue #29: split out of services/indicators.py): a value's source and fetch
time, or the demo mark, for tooltips, tables, chart footers and exports; and the years a series breaks."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from services import catalogue as cat
from services.store import per_store, q

DEMO_MARK = "DEMODATA – syntetiska värden, inte officiell statistik"
GROUP_MEAN_SOURCE = "medelvärde av jämförelsegruppens kommuner (beräknat här)"


def source_label(source, fetched_at, is_demo) -> str:
    """Where one value comes from, for tooltips, tables and exports: 'Kolada (RKA), API v3, hämtad
    2024-12-12', or 'DEMODATA …' for a synthetic value."""
    if is_demo is True or is_demo == 1:
        return DEMO_MARK
    if not isinstance(source, str) or not source:
        return ""
    day = str(fetched_at)[:10] if isinstance(fetched_at, str) and fetched_at else ""
    return f"{source}, hämtad {day}" if day else source


def with_source(rows: pd.DataFrame) -> pd.Series:
    if rows.empty or "source" not in rows:
        return pd.Series(GROUP_MEAN_SOURCE, index=rows.index, dtype=object)
    return pd.Series([source_label(s, f, d) for s, f, d in zip(rows["source"], rows["fetched_at"],
                                                               rows["is_demo"], strict=True)],
                     index=rows.index, dtype=object)


def sources_text(rows: pd.DataFrame) -> str:
    """'Kolada …, hämtad 2024-12-12 (2006–2024); DEMODATA … (2025)': every source of a series, with its years."""
    labelled = rows.assign(label=with_source(rows))
    parts = []
    for label, part in labelled.groupby("label", sort=False):
        first, last = int(part["year"].min()), int(part["year"].max())
        parts.append((first, f"{label} ({first}–{last})" if first != last else f"{label} ({first})"))
    if len(parts) == 1:
        return str(labelled["label"].iloc[0])
    return "; ".join(text for _, text in sorted(parts))


def break_years(indicator_id: str, area_id: str | None = None) -> tuple[int, ...]:
    """The years an indicator's series breaks, for one area (a break may concern some areas only: the
    area itself or its county), or for every area."""
    b = cat.series_breaks(indicator_id)
    if b.empty:
        return ()
    if area_id is not None:
        county = cat.county_of(area_id)
        b = b[b["areas"].isna() | b["areas"].fillna("").str.split(",").apply(
            lambda a: area_id in a or (county is not None and county in a))]
    return tuple(int(y) for y in b["year"])


@per_store
def _fetch_labels() -> Mapping:
    """fetch id → 'Källa, hämtad dag' (or the demo mark): a value's source and fetch time in one lookup."""
    p = q("provenance")
    p = p[p["fetch_id"].notna()]
    return MappingProxyType({int(i): source_label(s, f, d) for i, s, f, d in zip(p["fetch_id"], p["source"],
                                                                                 p["fetched_at"], p["is_demo"],
                                                                                 strict=True)})


def fetch_label(fetch_id) -> str | None:
    """Where the value of one observation row comes from (its fetch), None where unknown."""
    if fetch_id is None or pd.isna(fetch_id):
        return None
    return _fetch_labels().get(int(fetch_id))
