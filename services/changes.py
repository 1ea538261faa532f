"""What is new since a day ("Nytt sedan …", ``sedan=ÅÅÅÅ-MM-DD``): the figures of a municipality and its
districts in its strategy that a version of the store published after that day brought in, revised or
withdrew (recorded at every publish by ``etl.revisions``).

A day is a Swedish calendar day: "sedan 2026-11-15" means published after midnight ending 15 November,
Swedish time. A cell changed more than once since then is listed once, from its value then to its value
now. Values only for cells published now.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd

from services import catalogue as cat
from services.store import per_store, q
from store import schema
from store.rounding import series_half_away

SWEDEN = ZoneInfo("Europe/Stockholm")
DEMO_NOTE = schema.DEMO_PREVIOUS_NOTE
KEY = ["indicator_id", "area_id", "year", "gender"]
CHANGE_ORDER = {"new": 0, "revised": 1, "withdrawn": 2}


def after_instant(day: str) -> str:
    """The end of a Swedish calendar day (ÅÅÅÅ-MM-DD) as an ISO 8601 UTC time, comparable with the store's."""
    end = dt.datetime.combine(dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time(), SWEDEN)
    return end.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "+00:00"


def local_day(published_at: str) -> str:
    """The Swedish calendar day (ÅÅÅÅ-MM-DD) of a store time."""
    return dt.datetime.fromisoformat(published_at).astimezone(SWEDEN).date().isoformat()


@per_store
def publications() -> pd.DataFrame:
    """The store's versions, oldest first, with their Swedish day (``day``)."""
    df = q("publications")
    return df.assign(day=df["published_at"].map(local_day)) if not df.empty else df.assign(day=[])


def since_options(current: str | None = None) -> tuple[str, ...]:
    """The days to offer under "Nytt sedan …": those of the earlier versions (not the latest one's day,
    after which nothing is new), newest first; ``current`` (a day from a link) included."""
    pubs = publications()
    days = []
    if len(pubs) > 1:
        latest = pubs["day"].iloc[-1]
        days = [d for d in dict.fromkeys(pubs["day"].iloc[::-1]) if d != latest]
    if current and current not in days:
        days.insert(0, current)
    return tuple(days)


def version_label(day: str) -> str | None:
    """The note of the version published on ``day`` (e.g. the demo's simulated earlier version), if any."""
    pubs = publications()
    notes = pubs.loc[pubs["day"] == day, "note"].dropna() if len(pubs) else pd.Series(dtype=object)
    return str(notes.iloc[-1]) if len(notes) else None


def changes(municipality_id: str, strategy_id: str, day: str) -> pd.DataFrame:
    """``_changes`` for the caller to keep: the list, the overview's marks and the chart's rings of one rerun
    all come from one computation per store build."""
    return _changes(municipality_id, strategy_id, day).copy()


@per_store
def _changes(municipality_id: str, strategy_id: str, day: str) -> pd.DataFrame:
    """Every figure new, revised or withdrawn since ``day`` for the municipality and its districts, one row
    per cell and focus area of the strategy the indicator belongs to: focus_area_id, indicator_id,
    short_title, unit, decimals, gender_labels, area_id, area_name, area_kind, year, gender, change, old_value, new_value,
    published_at (the latest change), is_demo, and the shown value's source (source, fetched_at, source_is_demo;
    none for a withdrawn figure). Sorted by focus area, indicator, area, year."""
    raw = q("changes_since", municipality_id=municipality_id, strategy_id=strategy_id, after=after_instant(day))
    cols = ["focus_area_id", "indicator_id", "short_title", "unit", "decimals", "gender_labels", "area_id", "area_name",
            "area_kind", "year", "gender", "change", "old_value", "new_value", "published_at", "is_demo",
            "source", "fetched_at", "source_is_demo"]
    if raw.empty:
        return pd.DataFrame(columns=cols)
    return _with_focus_areas(collapse(raw), strategy_id)[cols]


def collapse(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per cell (raw oldest first): from its value before the first change to its value now. A
    cell that came back to what it was (when shown) is dropped; a withdrawn cell keeps no values."""
    g = raw.groupby(KEY, sort=False)
    first, last = g.head(1).set_index(KEY), g.tail(1).set_index(KEY)
    out = last.copy()
    out["change"] = "revised"
    out.loc[first["change"] == "new", "change"] = "new"
    out.loc[last["change"] == "withdrawn", "change"] = "withdrawn"
    out["old_value"] = first["old_value"].where(out["change"] == "revised")
    out.loc[out["change"] == "withdrawn", "new_value"] = None
    return out.reset_index()


def _with_focus_areas(cells: pd.DataFrame, strategy_id: str) -> pd.DataFrame:
    gi = cat.goal_indicators(strategy_id)
    where = gi[["focus_area_id", "fa_position", "indicator_id", "short_title", "unit", "decimals",
                "gender_labels"]].drop_duplicates(
        ["focus_area_id", "indicator_id"])
    out = cells.merge(where, on="indicator_id", how="inner")
    shown_old = series_half_away(out["old_value"].astype(float), out["decimals"])
    shown_new = series_half_away(out["new_value"].astype(float), out["decimals"])
    back = (out["change"] == "revised") & shown_old.notna() & (shown_old == shown_new)
    out = out[~back]
    area_rank = (out["area_kind"] != "municipality").astype(int)
    return (out.assign(_a=area_rank, _c=out["change"].map(CHANGE_ORDER))
            .sort_values(["fa_position", "indicator_id", "_a", "area_name", "year", "gender"])
            .drop(columns=["_a", "_c"]).reset_index(drop=True))


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many cells are new, revised and withdrawn (each cell once, whatever its focus areas)."""
    cells = frame.drop_duplicates(KEY)
    return {c: int((cells["change"] == c).sum()) for c in CHANGE_ORDER}


def for_indicator(frame: pd.DataFrame, indicator_id: str, area_id: str) -> pd.DataFrame:
    """The changed cells of one indicator in one area (for marking its charts)."""
    return frame[(frame["indicator_id"] == indicator_id) & (frame["area_id"] == area_id)].drop_duplicates(KEY)
