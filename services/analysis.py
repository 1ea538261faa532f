"""Pure statistics the pages show: standing against a comparison, direction of change, gender gap.

No Streamlit here: data in, small results out, tested directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def assess(value, ci_low, ci_high, benchmark, polarity: str) -> str:
    """Standing of a value against a benchmark: better / worse / similar (tested with the value's
    95 % interval, Fingertips-style), or higher / lower for neutral indicators, 'no_test' where no
    interval exists, 'no_data' where either value is missing."""
    if _missing(value) or _missing(benchmark):
        return "no_data"
    if _missing(ci_low) or _missing(ci_high):
        return "no_test"
    if ci_low <= benchmark <= ci_high:
        return "similar"
    higher = benchmark < ci_low
    if polarity == "neutral":
        return "higher" if higher else "lower"
    good = higher if polarity == "higher_better" else not higher
    return "better" if good else "worse"


@dataclass(frozen=True)
class Change:
    label: str  # improved / worsened / no_change (tested) / no_new (no year after the baseline) / unchanged / up / down / no_data
    diff: float | None
    tested: bool  # True when both years have intervals and the verdict rests on them
    from_year: int | None
    to_year: int | None


def direction(then_row, now_row, polarity: str, decimals: int = 1) -> Change:
    """Direction of change between two observations (dict-likes with value, ci_low, ci_high, year).

    With intervals on both, a change counts only if the intervals do not overlap; otherwise the sign
    is reported as untested.
    """
    if then_row is None or now_row is None or _missing(then_row["value"]) or _missing(now_row["value"]):
        return Change("no_data", None, False, None, None)
    diff = float(now_row["value"]) - float(then_row["value"])
    years = (int(then_row["year"]), int(now_row["year"]))
    if years[0] == years[1]:
        return Change("no_new", None, False, *years)
    has_ci = not any(_missing(r[k]) for r in (then_row, now_row) for k in ("ci_low", "ci_high"))
    if has_ci:
        overlap = not (now_row["ci_low"] > then_row["ci_high"] or now_row["ci_high"] < then_row["ci_low"])
        if overlap:
            return Change("no_change", diff, True, *years)
    elif round(diff, decimals) == 0:
        # A difference that vanishes at the indicator's published precision is no change.
        return Change("unchanged", diff, False, *years)
    up = diff > 0
    if polarity == "neutral":
        label = "up" if up else "down"
    else:
        label = "improved" if up == (polarity == "higher_better") else "worsened"
    return Change(label, diff, has_ci, *years)


def latest_ok(df: pd.DataFrame) -> pd.Series | None:
    """The newest row with status ok (df: one area, one gender)."""
    ok = df[df["status"] == "ok"]
    if ok.empty:
        return None
    return ok.sort_values("year").iloc[-1]


def at_or_before(df: pd.DataFrame, year: int) -> pd.Series | None:
    """The row for ``year``, or the newest ok row before it (a baseline when the exact year is missing)."""
    ok = df[(df["status"] == "ok") & (df["year"] <= year)]
    if ok.empty:
        ok = df[df["status"] == "ok"]
        if ok.empty:
            return None
        return ok.sort_values("year").iloc[0]
    return ok.sort_values("year").iloc[-1]


def group_mean(df: pd.DataFrame) -> pd.DataFrame:
    """Unweighted mean of the member areas per year and gender (Kolada's group value), no interval.

    A year counts only when at least half the members have a value, so a mean of two members does
    not pass for the group's.
    """
    ok = df[df["status"] == "ok"]
    members = df["area_id"].nunique()
    if ok.empty or members == 0:
        return pd.DataFrame(columns=["year", "gender", "value", "members"])
    agg = ok.groupby(["year", "gender"]).agg(value=("value", "mean"), members=("area_id", "nunique")).reset_index()
    return agg[agg["members"] * 2 >= members]


def gender_gap(df: pd.DataFrame) -> pd.DataFrame:
    """K minus M per year where both are published (df: one area)."""
    wide = df[df["status"] == "ok"].pivot_table(index="year", columns="gender", values="value")
    if not {"K", "M"} <= set(wide.columns):
        return pd.DataFrame(columns=["year", "gap"])
    gap = (wide["K"] - wide["M"]).dropna()
    return gap.rename("gap").reset_index()
