"""The status of many indicators at once (issue #29: split out of services/indicators.py): the overview of
a strategy's goal indicators and the risk grid's factors, each row with its latest value, change since the
baseline, trend, girls/boys gap, standing against the comparison, place among the municipalities and
target; cached on what a status depends on (``status_scope``), and weighed together for the page's many
tests (``analysis.control_false_discoveries``). One indicator alone is ``services.indicators``; both apply
the same rules (``tests/test_indicator_view.py``)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from services import analysis, districts, stats
from services import catalogue as cat
from services.filters import Comparison, Filters
from services.indicators import (
    benchmark,
    municipality_count,
    municipality_ranks,
    rate_interval,
    standing_basis,
)
from services.provenance import break_years, fetch_label
from services.scope import ViewContext
from services.store import get_store_info, q


def status_frame(f: Filters, comparison: Comparison, meta: pd.DataFrame, baseline_year: int) -> pd.DataFrame:
    """Per indicator (meta: one row per indicator with id, levels, polarity, gender_split): latest value,
    change since the baseline, K/M and gap, and the standing against the comparison (a district
    against its municipality)."""
    if meta.empty:
        return pd.DataFrame()
    area_ids = tuple(dict.fromkeys((f.kommun, *((f.omrade,) if f.omrade else ()), *comparison.area_ids)))
    # Every year up to the filter's end: the baseline rule and the trend see the whole series, as in the
    # indicator block (one rule for every view).
    vals = q("area_values", area_ids=area_ids, indicator_ids=tuple(meta["id"].unique()),
             year_from=0, year_to=f.till)
    by_ind = dict(tuple(vals.groupby("indicator_id")))
    empty = vals.iloc[0:0]
    ranks = municipality_ranks(f.kommun, tuple(meta["id"].unique()), tuple(dict.fromkeys(("T", f.kon))), f.till)
    rows = []
    if "decimals" not in meta:
        meta = meta.assign(decimals=meta["id"].map(cat.indicators()["decimals"]))
    if "unit" not in meta:
        meta = meta.assign(unit=meta["id"].map(cat.indicators()["unit"]))
    for r in meta.drop_duplicates("id").itertuples():
        levels = r.levels.split(",")
        subject = f.omrade if (f.omrade and "district" in levels) else f.kommun
        v = by_ind.get(r.id, empty)
        own = v[v["area_id"] == subject]
        gender = f.kon if r.gender_split else "T"
        own_g = own[own["gender"] == gender]
        latest = analysis.latest_ok(own_g)
        base = analysis.at_or_before(own_g, baseline_year)
        kind, breaks = cat.series_kind(r.id), break_years(r.id, subject)
        change = analysis.direction(base, latest, r.polarity, r.unit, breaks, kind) \
            if latest is not None else \
            analysis.Change("no_data", None, False, None, None)
        points = analysis.series_points(own_g, r.unit, breaks)  # the trend's, and the target's
        trend = analysis.trend_of(points, kind)
        standing, bench, standing_p = ("no_data" if analysis.comparable(r.unit) else "not_comparable"), None, None
        rate_ci = None
        if latest is not None and standing == "no_data":
            against = comparison if subject == f.kommun else \
                Comparison(f.kommun, "", (f.kommun,), "area")  # a district is compared with its municipality
            bench = benchmark(v, against, int(latest["year"]), gender)
            if bench is not None:
                rate_ci = rate_interval(r.id, subject, latest) if subject == f.kommun else None
                low, high = (rate_ci.low, rate_ci.high) if rate_ci else (latest["ci_low"], latest["ci_high"])
                standing = analysis.assess(latest["value"], low, high, bench, r.polarity, int(r.decimals))
                standing_p = (rate_ci.p_against(bench) if rate_ci is not None
                              else stats.benchmark_p(latest["value"], low, high, bench))
        rank = None
        if latest is not None and subject == f.kommun and analysis.comparable(r.unit):
            rank = ranks.get((r.id, int(latest["year"]), gender))
            rank = None if rank is None else analysis.municipality_rank(*rank, r.polarity, int(latest["year"]),
                                                                        municipality_count())
        gap = analysis.gap_test(own, r.unit) if r.gender_split else analysis.Gap(None, None, None)
        last_status = own_g.sort_values("year")["status"].iloc[-1] if not own_g.empty else None
        extra = _beside_municipality(v, f.kommun, gender, latest) if subject != f.kommun else {}
        rows.append({
            "indicator_id": r.id, "subject": subject,
            "latest_year": None if latest is None else int(latest["year"]),
            "latest": None if latest is None else float(latest["value"]),
            "change": change.diff, "change_label": change.label, "change_tested": change.tested,
            "change_obj": change, "trend_obj": trend, "gap_obj": gap,
            "baseline_year": change.from_year,
            "k": _latest_gender(own, "K"), "m": _latest_gender(own, "M"),
            "k_year": _latest_gender_year(own, "K"), "m_year": _latest_gender_year(own, "M"),
            "gap": gap.diff, "gap_significant": None if gap.test is None else gap.test.significant,
            "bench": bench, "standing": standing, "standing_p": standing_p, "rank_obj": rank,
            "standing_basis": standing_basis(kind, latest, rate_ci), "rate_obj": rate_ci,
            "mixed_methods": cat.mixed_methods(r.id, subject, (f.kommun,) if subject != f.kommun
                                               else comparison.area_ids),
            "no_values": own.empty, "suppressed_latest": last_status == "suppressed",
            "own_points": points,
            "latest_source": None if latest is None else fetch_label(latest.get("fetch_id")),
            "muni_latest": extra.get("value"), "muni_latest_year": extra.get("year"),
            "muni_source": extra.get("source"),
        })
    return pd.DataFrame(rows)


def _beside_municipality(v: pd.DataFrame, kommun: str, gender: str, latest: pd.Series | None) -> dict:
    """For a row that shows a district: the municipality's own value shown beside it, of the district's
    year where the municipality has one, else its newest; with its source."""
    m = v[(v["area_id"] == kommun) & (v["gender"] == gender)]
    row = analysis.latest_ok(m[m["year"] == latest["year"]]) if latest is not None else None
    if row is None:
        row = analysis.latest_ok(m)
    if row is None:
        return {}
    return {"value": float(row["value"]), "year": int(row["year"]), "source": fetch_label(row.get("fetch_id"))}


# Page-level results are cached too: they are pure functions of the filters and the store version.
RESULT_CACHE_ENTRIES = 256


def status_scope(f: Filters) -> Filters:
    """The part of the filters a status depends on (municipality, comparison, district, last year, gender):
    the cache key of the overview and the risk grid. The chosen indicator, the slide, the "Nytt sedan" day,
    Jämför's lines and the first year of the charts change nothing there (the status reads every year up to
    ``till``), so changing only them reuses the cached result (issue #28)."""
    return replace(f, fran=0, ind=None, visning=None, bild=1, sedan=None, kommuner=None)


def overview_frame(ctx: ViewContext) -> pd.DataFrame:
    """One row per goal indicator of the scope's strategy, with its status (see ``status_frame``)."""
    return _overview_cached(status_scope(ctx.filters), ctx.comparison, ctx.strategy.id, ctx.baseline_year,
                            get_store_info().version_key).copy()


def factor_status(ctx: ViewContext) -> pd.DataFrame:
    """Every risk/protective factor's indicators with their status, for the scope (cached)."""
    return _factor_cached(status_scope(ctx.filters), ctx.comparison, ctx.baseline_year,
                          get_store_info().version_key).copy()


@st.cache_data(max_entries=RESULT_CACHE_ENTRIES, show_spinner=False)
def _factor_cached(f: Filters, comparison: Comparison, baseline_year: int, version_key: str) -> pd.DataFrame:  # noqa: ARG001 - the cache key (a new store build gets new entries)
    factors = cat.factors()
    if factors.empty:
        return factors
    meta = factors.rename(columns={"indicator_id": "id"})
    ind = cat.indicators()
    meta = meta.assign(gender_split=meta["id"].map(ind["gender_split"]))
    status = status_frame(f, comparison, meta[["id", "levels", "polarity", "gender_split"]], baseline_year)
    out = factors.merge(status, on="indicator_id", how="left")
    out["is_district"] = out["subject"].notna() & (out["subject"] != f.kommun)
    return out


@st.cache_data(max_entries=RESULT_CACHE_ENTRIES, show_spinner=False)
def _overview_cached(f: Filters, comparison: Comparison, strategy_id: str, baseline_year: int,
                     version_key: str) -> pd.DataFrame:  # noqa: ARG001 - the cache key (a new store build gets new entries)
    gi = cat.goal_indicators(strategy_id)
    if gi.empty:
        return gi
    meta = gi.rename(columns={"indicator_id": "id"})
    st_ = status_frame(f, comparison, meta, baseline_year)
    out = gi.merge(st_, on="indicator_id", how="left")
    out["label"] = out["label"].fillna(out["short_title"])
    out["is_district"] = out["subject"].notna() & (out["subject"] != f.kommun)
    out["decimals"] = out["decimals"].astype(int)
    out["gender_split"] = out["gender_split"].astype(bool)
    out["is_primary"] = out["is_primary"].astype(bool)
    out["district_gap_obj"] = [district_gap(r.indicator_id, f.kommun, f.kon if r.gender_split else "T")
                               if "district" in str(r.levels).split(",") else None for r in out.itertuples()]
    out["target_obj"] = [analysis.target_status(r.own_points, r.polarity, r.target_value, r.target_year,
                                                r.target_direction, cat.series_kind(r.indicator_id))
                         if isinstance(r.own_points, tuple) else None
                         for r in out.itertuples()]
    out, many = analysis.control_false_discoveries(out)
    out.attrs["multiplicity"] = many
    return out


def also_under(df: pd.DataFrame) -> pd.Series:
    """Per overview row: the goal code the indicator was first listed under where it is listed again
    (the same indicator under two goals), else None."""
    first = df.drop_duplicates("indicator_id").set_index("indicator_id")["goal_code"].astype(str)
    repeated = df.duplicated("indicator_id")
    return pd.Series([first[i] if rep else None for i, rep in zip(df["indicator_id"], repeated, strict=True)],
                     index=df.index, dtype=object)


def overview_multiplicity(ctx: ViewContext) -> analysis.Multiplicity:
    """How many tests the overview runs and how many verdicts survive their joint control
    (``analysis.control_false_discoveries``)."""
    cached = _overview_cached(status_scope(ctx.filters), ctx.comparison, ctx.strategy.id, ctx.baseline_year,
                              get_store_info().version_key)  # no copy needed
    return cached.attrs.get("multiplicity", analysis.Multiplicity(0, 0, 0))


def district_gap(indicator_id: str, kommun: str, gender: str):
    """Whether the difference between the municipality's districts has changed (services.districts.inequality),
    or None where the municipality has no districts for the indicator."""
    res = districts.inequality(indicator_id, kommun, gender)
    return None if res.reason == districts.NO_DISTRICTS else res.change


def _latest_gender_year(own: pd.DataFrame, g: str) -> int | None:
    row = analysis.latest_ok(own[own["gender"] == g])
    return None if row is None else int(row["year"])


def _latest_gender(own: pd.DataFrame, g: str) -> float | None:
    row = analysis.latest_ok(own[own["gender"] == g])
    return None if row is None else float(row["value"])
