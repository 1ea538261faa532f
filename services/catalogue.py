"""The strategy catalogue as the pages need it, read from the store (cached)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from catalogue.schema import DEFAULT_SUPPRESSION_THRESHOLD, OVERARCHING_PREFIX
from services import stats
from services.store import per_store, q


@dataclass(frozen=True)
class Strategy:
    id: str
    municipality_id: str
    municipality: str
    title: str
    description: str | None
    period_start: int
    period_end: int
    baseline_year: int
    county_id: str
    county: str
    focus_area_label: str
    focus_area_plural: str
    sources: tuple[str, ...]


@per_store
def strategies() -> tuple[Strategy, ...]:
    df = q("strategies")
    return tuple(
        Strategy(
            id=r.id, municipality_id=r.municipality_id, municipality=r.municipality, title=r.title,
            description=r.description, period_start=int(r.period_start), period_end=int(r.period_end),
            baseline_year=int(r.baseline_year), county_id=r.county_id, county=r.county,
            focus_area_label=r.focus_area_label, focus_area_plural=r.focus_area_plural, sources=tuple(s for s in (r.sources or "").split("\n") if s),
        )
        for r in df.itertuples()
    )


def strategy_for(municipality_id: str) -> Strategy:
    for s in strategies():
        if s.municipality_id == municipality_id:
            return s
    raise KeyError(municipality_id)


def focus_areas(strategy_id: str) -> pd.DataFrame:
    return q("focus_areas", strategy_id=strategy_id)


def focus_area_title(code: str, title: str, kind: str) -> str:
    """How a focus area is named in menus and headings: "3. Trygghet", without a number for an overarching goal."""
    return title if str(kind).strip().lower().startswith(OVERARCHING_PREFIX) else f"{str(code).rstrip('.')}. {title}"


def goal_indicators(strategy_id: str) -> pd.DataFrame:
    return q("goal_indicators", strategy_id=strategy_id)


def actions(focus_area_id: str) -> pd.DataFrame:
    return q("focus_area_actions", focus_area_id=focus_area_id)


ACTIVE_OR_DONE = ("pågår", "genomförd")


def action_follow_up(focus_area_id: str) -> pd.DataFrame:
    """The follow-up of a focus area's actions: every imported year and every report made in the app that was
    approved (``origin`` import/app; reported_by, approved_by, approved_at for a report), per action newest
    first. A submitted or rejected report is never here."""
    return q("action_status", focus_area_id=focus_area_id)


def action_summary(focus_area_id: str) -> tuple[int, int, int | None]:
    """(actions active or done at their latest follow-up, actions in the plan, the latest follow-up year)."""
    plan = actions(focus_area_id)
    follow = action_follow_up(focus_area_id)
    if follow.empty:
        return 0, len(plan), None
    latest = follow.groupby("action_code", sort=False).head(1)  # the query orders each action newest first
    return int(latest["status"].isin(ACTIVE_OR_DONE).sum()), len(plan), int(follow["year"].max())


def indicators() -> pd.DataFrame:
    # Sorted here, not by the database: PostgreSQL's collation orders 'ENK_…' ids unlike SQLite's bytes.
    return q("indicators").sort_values("id", kind="stable").set_index("id", drop=False)


def series_kind(indicator_id: str):
    """What the indicator's points carry for trends and targets (``services.stats.Series``): its moving
    average or repeated measurement (catalogue field ``series``) and whether it is a register."""
    return _series_kinds().get(indicator_id, stats.PLAIN)


@per_store
def _series_kinds() -> Mapping:
    out = {}
    for r in indicators().itertuples():
        ma = 1 if r.moving_average is None or r.moving_average != r.moving_average else int(r.moving_average)
        rep = 1 if r.repeated_years is None or r.repeated_years != r.repeated_years else int(r.repeated_years)
        out[r.id] = stats.Series(moving_average=ma, repeated=rep, register=r.kind == "register")
    return MappingProxyType(out)


def indicator(indicator_id: str) -> pd.Series:
    return indicators().loc[indicator_id]


def suppression_threshold(meta) -> int:
    """The fewest respondents a published survey cell has for this indicator (its own, else the default)."""
    value = meta["suppression_threshold"]
    return DEFAULT_SUPPRESSION_THRESHOLD if value is None or value != value else int(value)


def usual_threshold() -> int:
    """The threshold most survey indicators use, for the Data page's rules."""
    values = indicators()["suppression_threshold"].dropna()
    return int(values.mode().iloc[0]) if len(values) else DEFAULT_SUPPRESSION_THRESHOLD


def coverage() -> pd.DataFrame:
    return q("indicator_coverage")


def annotations(municipality_id: str, strategy_id: str, indicator_id: str) -> pd.DataFrame:
    """Local notes for an indicator's trend (year, text, source, is_example, scope), numbered from 1."""
    df = q("annotations", municipality_id=municipality_id, indicator_id=indicator_id, strategy_id=strategy_id)
    return df.assign(number=range(1, len(df) + 1))


def series_breaks(indicator_id: str | None = None) -> pd.DataFrame:
    """Series breaks (year, description), all or one indicator's."""
    df = q("series_breaks")
    return df if indicator_id is None else df[df["indicator_id"] == indicator_id]


def county_of(area_id: str) -> str | None:
    """The county a municipality (or a district's municipality) lies in, else None."""
    munis = municipalities()
    row = munis[munis["id"] == area_id[:4]]
    return None if row.empty or row["parent_id"].isna().iloc[0] else str(row["parent_id"].iloc[0])


def method_note(indicator_id: str, area_id: str) -> str | None:
    """How the indicator's values are made for an area, where the catalogue says it differs between areas."""
    notes = q("method_notes")
    rows = notes[notes["indicator_id"] == indicator_id].set_index("area_id")["text"]
    if rows.empty:
        return None
    return rows.get(area_id, rows.get("*"))


def mixed_methods(indicator_id: str, area_id: str, others) -> str | None:
    """A sentence when an area and its comparison areas' values are made by different methods, else None."""
    own = method_note(indicator_id, area_id)
    theirs = {method_note(indicator_id, a) for a in others if a != area_id} - {None}
    if own is None or not theirs or theirs == {own}:
        return None
    return f"Jämförelsen blandar metoder: här {own}; jämförelsen {' / '.join(sorted(theirs))}."


def latest_fetch(indicator_id: str) -> pd.Series | None:
    cov = coverage()
    rows = cov[cov["indicator_id"] == indicator_id]
    return None if rows.empty else rows.sort_values("fetched_at").iloc[-1]


def groups() -> pd.DataFrame:
    return q("groups")


def municipalities() -> pd.DataFrame:
    return q("areas", kind="municipality")


def districts(municipality_id: str) -> pd.DataFrame:
    return q("districts", municipality_id=municipality_id)


def district_name(municipality_id: str, district_id: str | None) -> str | None:
    """A district's name, None for no district or one the municipality does not have."""
    if not district_id:
        return None
    d = districts(municipality_id).set_index("id")
    return str(d.loc[district_id, "name"]) if district_id in d.index else None


def main_districts(municipality_id: str) -> pd.DataFrame:
    """The districts the filter offers: RegSO where there is a real division, else the demo districts."""
    d = districts(municipality_id)
    for system in ("RegSO", "egen", "demo"):
        sub = d[d["district_system"] == system]
        if not sub.empty:
            return sub
    return d.iloc[0:0]


def factors() -> pd.DataFrame:
    return q("factors")


def year_bounds() -> tuple[int, int]:
    cov = coverage()
    return int(cov["first_year"].min()), int(cov["last_year"].max())


def data_date() -> str:
    """The newest fetch date in the store: how fresh the pack's figures are."""
    cov = coverage()
    return str(cov["fetched_at"].dropna().max())[:10] if not cov.empty else "–"
