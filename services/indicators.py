"""Data for one indicator block, the overview, the district view and the comparisons: fetched through
the cached queries and shaped here so that pages and chart builders receive ready frames."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from catalogue import schema as cs
from services import analysis, districts, exports, stats
from services import catalogue as cat
from services.catalogue import Strategy
from services.filters import Comparison, Filters
from services.provenance import (  # noqa: F401 - re-exported: the pages' names for them
    DEMO_MARK,
    GROUP_MEAN_SOURCE,
    break_years,
    fetch_label,
    source_label,
    sources_text,
    with_source,
)
from services.scope import ViewContext, comparisons_for  # noqa: F401 - comparisons_for re-exported
from services.store import get_store_info, per_store, q
from store.rounding import series_half_away


def sources_line(d: IndicatorData) -> str:
    """'Södertälje: Kolada …, hämtad 2024-12-12 · Riket: DEMODATA …' for captions and chart footers."""
    return " · ".join(f"{name}: {label}" for name, label in series_sources(d))


def series_sources(d: IndicatorData) -> list[tuple[str, str]]:
    """(series name, where its newest value comes from) for the block's caption: each series says its own
    source, so real municipal values beside demo comparison values are told apart."""
    out = []
    if not d.own.empty:
        out.append((d.area_name, sources_text(d.own)))
    if d.comparison.mode == "area":
        if not d.comp_members.empty:
            out.append((d.comparison.label, sources_text(d.comp_members)))
    elif not d.comp_members.empty:
        labels = sorted({source_label(s, f, i) for s, f, i in zip(d.comp_members["source"],
                                                                   d.comp_members["fetched_at"],
                                                                   d.comp_members["is_demo"], strict=True)})
        out.append((d.comparison.label, f"{GROUP_MEAN_SOURCE}; " + " / ".join(labels)))
    return out


@dataclass
class IndicatorData:
    meta: pd.Series
    area_id: str
    area_name: str
    is_district: bool
    comparison: Comparison
    own: pd.DataFrame  # the subject area's rows, all genders
    comp: pd.DataFrame  # comparison rows: one series (area or mean), all genders
    comp_members: pd.DataFrame  # raw member rows for 'list' display
    strategy: Strategy  # the scope's: its period, baseline and notes
    own_all: pd.DataFrame | None = None  # the subject area's rows for every year (baseline, trend)

    @property
    def has_demo(self) -> bool:
        """Whether any value shown (the area's or a comparison member's) is demo data: read from the
        rows' own mark, not from the wording of a source line."""
        return any(bool(rows["is_demo"].astype(bool).any()) for rows in (self.own, self.comp_members)
                   if "is_demo" in rows)


def indicator_data(indicator_id: str, ctx: ViewContext) -> IndicatorData:
    """One indicator's rows for the resolved scope: the subject area's (the chosen district where the
    indicator has district data) and the comparison's (a district's is its municipality)."""
    f = ctx.filters
    meta = cat.indicator(indicator_id)
    area_id, area_name, is_district = ctx.subject(meta["levels"])
    comparison = ctx.comparison_for(is_district)
    ids = (area_id, *comparison.area_ids)
    rows = q("series", indicator_id=indicator_id, area_ids=ids, year_from=f.fran, year_to=f.till)
    own = rows[rows["area_id"] == area_id]
    members = rows[rows["area_id"].isin(comparison.area_ids)]
    if comparison.mode == "area":
        comp = members
    else:
        comp = analysis.group_mean(members, len(comparison.area_ids))
    own_all = q("series", indicator_id=indicator_id, area_ids=(area_id,), year_from=0, year_to=f.till)
    return IndicatorData(meta, area_id, area_name, is_district, comparison, own, comp, members, ctx.strategy,
                         own_all)


def comparison_series_name(d: IndicatorData) -> str:
    return d.comparison.label if d.comparison.mode == "area" else f"{d.comparison.label} (medel)"


def gender_trend_frame(d: IndicatorData, genders: tuple[str, ...]) -> pd.DataFrame:
    """Rows for one chart of the area and its comparison in several genders (girls, boys, the total): the
    trend frame's columns plus ``area`` (the area's or the comparison's name), ``role`` ('own'/'comp') and
    ``gender``; ``series`` is left to the component, which names it ("Flickor – Trelleborg"). A gender the
    comparison has no rows for is simply absent."""
    own = d.own[d.own["gender"].isin(genders)].assign(area=d.area_name, role="own")
    own = own.assign(source_text=with_source(own))
    comp = d.comp[d.comp["gender"].isin(genders)].copy()
    if "status" not in comp:
        comp["status"] = "ok"
    comp = comp.assign(area=comparison_series_name(d), role="comp",
                       source_text=with_source(comp) if d.comparison.mode == "area" else GROUP_MEAN_SOURCE)
    cols = ["area", "role", "gender", "year", "value", "ci_low", "ci_high", "status", "n", "source_text"]
    parts = [p.reindex(columns=cols) for p in (own, comp) if not p.empty]  # concat of an empty frame is deprecated
    return _rounded(pd.concat(parts, ignore_index=True) if parts else own.reindex(columns=cols),
                    int(d.meta["decimals"]))


def _rounded(frame: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """Chart rows rounded like every shown number (halves away from zero), so tooltips agree with tables."""
    out = frame.copy()
    for col in ("value", "ci_low", "ci_high"):
        out[col] = series_half_away(out[col].astype(float), decimals)
    return out


@dataclass
class Summary:
    latest: pd.Series | None
    baseline: pd.Series | None
    change: analysis.Change
    bench_value: float | None
    standing: str
    gap: float | None
    gap_year: int | None
    gap_test: analysis.Gap | None = None
    trend: object | None = None  # stats.TrendTest
    rank: analysis.Rank | None = None  # the place among all municipalities
    basis: str = "tested"  # what the standing rests on (standing_basis)
    rate: RateInterval | None = None  # a register rate's count, population and Poisson interval





def benchmark(rows: pd.DataFrame, comparison: Comparison, year: int, gender: str) -> float | None:
    """The comparison's value one indicator is set against in ``year`` (rows: the comparison members' rows,
    others ignored): an area's own published value, or a group's unweighted mean where at least half its
    members have one (``analysis.group_quorum``); None where there is none. The one rule of the block, the
    overview, the slide and the pack."""
    m = rows[rows["area_id"].isin(comparison.area_ids) & (rows["year"] == year) & (rows["gender"] == gender)
             & (rows["status"] == "ok")]
    need = 1 if comparison.mode == "area" else analysis.group_quorum(len(comparison.area_ids))
    return float(m["value"].mean()) if m["area_id"].nunique() >= need else None


def summarise(d: IndicatorData, gender: str, baseline_year: int) -> Summary:
    """Latest value, change since the baseline, trend, gap and standing: the same rules as the overview
    (``status_frame``), on the area's whole series, whatever the year filter."""
    own_all = d.own_all if d.own_all is not None else d.own
    own = own_all[own_all["gender"] == gender]
    latest = analysis.latest_ok(own[own["year"] <= int(d.own["year"].max())] if not d.own.empty else own)
    baseline = analysis.at_or_before(own, baseline_year)
    unit = d.meta["unit"]
    kind = cat.series_kind(d.meta["id"])
    change = analysis.direction(baseline, latest, d.meta["polarity"], unit,
                                break_years(d.meta["id"], d.area_id), kind) \
        if latest is not None else \
        analysis.Change("no_data", None, False, None, None)
    trend = analysis.trend_test(own, unit, break_years(d.meta["id"], d.area_id), kind)
    bench = None
    standing = "no_data" if analysis.comparable(d.meta["unit"]) else "not_comparable"
    rate_ci = rate_interval(d.meta["id"], d.area_id, latest) if not d.is_district else None
    if latest is not None and standing == "no_data":
        bench = benchmark(d.comp_members, d.comparison, int(latest["year"]), gender)
        if bench is not None:
            low, high = (rate_ci.low, rate_ci.high) if rate_ci else (latest["ci_low"], latest["ci_high"])
            standing = analysis.assess(latest["value"], low, high, bench, d.meta["polarity"],
                                       int(d.meta["decimals"]))
    rank = None
    if latest is not None and analysis.comparable(unit) and is_municipality(d.area_id):
        counts = municipality_ranks(d.area_id, (d.meta["id"],), (gender,), int(latest["year"]))
        got = counts.get((d.meta["id"], int(latest["year"]), gender))
        rank = None if got is None else analysis.municipality_rank(*got, d.meta["polarity"], int(latest["year"]),
                                                                   municipality_count())
    g = analysis.gap_test(own_all, unit) if d.meta["gender_split"] else analysis.Gap(None, None, None)
    return Summary(latest, baseline, change, bench, standing, g.diff, g.year, g, trend, rank,
                   standing_basis(kind, latest, rate_ci if bench is not None else None),
                   rate_ci if bench is not None else None)


@dataclass(frozen=True)
class IndicatorView:
    """One indicator as the block, the presentation's slide and the meeting pack show it: its data for the
    scope, the gender its figures are for, the summary (latest, change, trend, standing, gap, rank) and the
    sources line. Built by ``indicator_view`` only, so the three cannot tell one indicator differently."""
    data: IndicatorData
    gender: str
    summary: Summary
    sources: str  # "" where the series has no values

    @property
    def meta(self) -> pd.Series:
        return self.data.meta


def indicator_view(indicator_id: str, ctx: ViewContext) -> IndicatorView:
    """The view of one indicator for the resolved scope: the chosen gender where the indicator is split by
    gender, else the total; the rules of ``summarise`` (the overview's)."""
    d = indicator_data(indicator_id, ctx)
    gender = ctx.filters.kon if d.meta["gender_split"] else "T"
    return IndicatorView(d, gender, summarise(d, gender, ctx.baseline_year), sources_line(d))


def export_frame(d: IndicatorData, names: Mapping[str, str]) -> pd.DataFrame:
    """The block's data as a download: the area and the comparison members, every gender (``names``:
    T/K/M → the strategy's words), with status, source, fetch date and the demo mark where the values are
    synthetic."""
    rows = pd.concat([d.own, d.comp_members], ignore_index=True).drop_duplicates(
        ["area_id", "year", "gender"])
    dec = int(d.meta["decimals"])
    out = pd.DataFrame({
        "Indikator": d.meta["title"],
        "Indikator-id": d.meta["id"],
        "Område": rows["area_name"],
        "Områdeskod": rows["area_id"],
        "År": rows["year"],
        "Kön": rows["gender"].map(names),
        "Värde": series_half_away(rows["value"], dec),
        "Status": rows["status"].map({"ok": "ok", "suppressed": "..", "missing": "saknas"}),
        "Antal svarande": rows["n"],
        "KI nedre": series_half_away(rows["ci_low"], dec),
        "KI övre": series_half_away(rows["ci_high"], dec),
        "Enhet": d.meta["unit"],
        "Indikatorns källa": d.meta["source_name"],
        "Värdenas källa": rows["source"],
        "Hämtad": rows["fetched_at"].astype(str).str[:10],
        "Demodata": rows["is_demo"].map({1: DEMO_MARK, 0: ""}),
    })
    return out.sort_values(["Område", "År", "Kön"]).reset_index(drop=True)


def to_csv_bytes(df: pd.DataFrame, is_demo: bool) -> bytes:
    """CSV for Swedish Excel: semicolon, decimal comma, UTF-8 with BOM; a demo store says so on line 1. No
    cell starts a formula (``services.exports.formula_safe``)."""
    return exports.csv_bytes(df, DEMO_MARK if is_demo else None)


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], is_demo: bool) -> bytes:
    """An XLSX workbook, a demo store's with a "Läs först" sheet; no cell starts a formula."""
    return exports.xlsx_bytes(sheets, ("Läs först", pd.DataFrame({"OBS": [DEMO_MARK]})) if is_demo else None)


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


def standing_basis(kind: stats.Series, latest, rate_ci: RateInterval | None = None) -> str:
    """What a standing rests on: 'tested' (the value has a 95 % interval), 'register_rate' (a register's
    crude rate with the exact Poisson interval of its count, ``rate_interval``), 'register' (a register for
    the whole population: no sampling error, the difference is the difference) or 'untested' (a sample
    published without its uncertainty)."""
    if latest is not None and pd.notna(latest.get("ci_low")) and pd.notna(latest.get("ci_high")):
        return "tested"
    if rate_ci is not None:
        return "register_rate"
    return "register" if kind.register else "untested"


@dataclass(frozen=True)
class RateInterval:
    """A crude rate's count and population, and the 95 % interval of the rate (``rate_interval``);
    ``population_name`` is the catalogue's title of the population indicator, ``year`` the rate's."""

    low: float
    high: float
    count: float
    population: float
    per: int
    population_name: str = ""
    year: int | None = None

    def p_against(self, benchmark: float) -> float:
        return stats.rate_p(self.count, self.population, benchmark, self.per)


def rate_interval(indicator_id: str, area_id: str, latest) -> RateInterval | None:
    """The 95 % interval of a register's crude rate ("antal/100 000 inv") whose catalogue entry names the
    population it is counted on (``population_kpi``): the count is rate × population ÷ 100 000 and the
    interval the exact Poisson one of that count (Garwood 1936, ``stats.rate_interval``), the exact
    counterpart of Byar's approximation that OHID Fingertips uses for crude rates whether the data are a
    sample or the whole population (the count is then seen as one outcome of a random process). Used for
    the comparison with Riket only: trends and changes of a register stay on Mann–Kendall and the plain
    difference, since counts of crimes vary more between years than a Poisson count does.

    None where the value has an interval already, the indicator is no such rate, or the store has no
    population for the same area, year and gender."""
    if latest is None or pd.notna(latest.get("ci_low")) or pd.isna(latest.get("value")):
        return None
    meta = cat.indicators()
    if indicator_id not in meta.index or "population_kpi" not in meta:
        return None
    row = meta.loc[indicator_id]
    per = cs.rate_base(row["unit"])
    pop_id = row["population_kpi"]
    if per is None or not isinstance(pop_id, str) or not pop_id or row["kind"] != "register":
        return None
    year, gender = int(latest["year"]), str(latest.get("gender", "T"))
    pop = q("series", indicator_id=pop_id, area_ids=(area_id,), year_from=year, year_to=year)
    pop = pop[(pop["gender"] == gender) & (pop["status"] == "ok")]
    if pop.empty or not float(pop["value"].iloc[0]) > 0:
        return None
    population = float(pop["value"].iloc[0])
    count = max(0.0, round(float(latest["value"]) * population / per))
    name = str(meta.loc[pop_id, "title"]) if pop_id in meta.index else ""
    return RateInterval(*stats.rate_interval(count, population, per), count, population, per, name, year)


def municipality_ranks(area_id: str, indicator_ids: tuple, genders: tuple, year_to: int) -> dict:
    """(indicator, year, gender) → (above, below, municipalities with a value) for one municipality."""
    if not indicator_ids:
        return {}
    df = q("municipality_rank", area_id=area_id, indicator_ids=indicator_ids, genders=genders, year_to=year_to)
    return {(r.indicator_id, int(r.year), r.gender): (int(r.above), int(r.below), int(r.municipalities))
            for r in df.itertuples()}


def is_municipality(area_id) -> bool:
    return isinstance(area_id, str) and area_id in _municipality_ids()


@per_store
def _municipality_ids() -> frozenset:
    return frozenset(cat.municipalities()["id"])


def municipality_count() -> int:
    """How many municipalities the store knows (all of Sweden's 290 in every build)."""
    return len(_municipality_ids())


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


def is_demo_store() -> bool:
    return get_store_info().is_demo


# --- The chosen district's facts (SCB register figures per district) beside the municipality's -----------

# The order a fact box lists them in: who lives there first, then income, work, education, households.
FACT_ORDER = ("SCB_FOLKMANGD", "SCB_LAG_EK_STANDARD", "SCB_ARBETSLOSHET", "SCB_SYSSELSATTNING",
              "SCB_EFTERGYMNASIAL", "SCB_BARN_UNGA_0_19", "SCB_UTLANDSK_BAKGRUND", "SCB_ENSAMSTAENDE_MED_BARN")
FROM_DISTRICTS_SUM = "summan av kommunens alla delområden"
FROM_DISTRICTS_MEAN = "ungefärligt: delområdenas medelvärde viktat med folkmängd"


@dataclass(frozen=True)
class DistrictFact:
    indicator_id: str
    title: str  # the short title
    unit: str
    decimals: int
    year: int | None  # the district's newest year (None: no value at all)
    value: float | None  # None where hidden (status 'suppressed') or missing
    suppressed: bool
    source: str  # where the district's value comes from, with its fetch date (or the demo mark)
    muni_value: float | None
    muni_year: int | None
    muni_source: str  # the municipality's value: its source, or how it was computed from the districts (whose
    # source is the district's)
    parts: tuple = ()  # (DeSO name, value or None, hidden) where SCB publishes the fact per DeSO only


def district_facts(kommun: str, district_id: str | None) -> tuple[DistrictFact, ...]:
    """The chosen district's SCB facts (population, low economic standard and, with real files, work,
    education, households), each with the municipality's value beside it: the store's own value for the
    municipality where it has one, else computed from ALL the municipality's districts (a sum for a count,
    a population-weighted mean for a share), and only when every district has a published value that year
    — a total beside the others' values would give away a hidden one. A district's value is never computed."""
    if not district_id:
        return ()
    main = cat.main_districts(kommun)
    if district_id not in set(main["id"]):
        return ()
    return _district_facts(kommun, district_id)


@per_store
def _district_facts(kommun: str, district_id: str) -> tuple[DistrictFact, ...]:
    ind = cat.indicators()
    d = cat.districts(kommun)
    levels = {"main": tuple(cat.main_districts(kommun)["id"]), "deso": tuple(d.loc[d["district_system"] == "DeSO", "id"])}
    # A RegSO whose facts SCB publishes per DeSO only: its DeSO listed one by one (never summed into the RegSO).
    parts = d[(d["district_system"] == "DeSO") & (d["parent_id"] == district_id)]
    present = [i for i in FACT_ORDER if i in ind.index] + sorted(
        i for i in ind.index if str(i).startswith("SCB_") and i not in FACT_ORDER
        and "district" in str(ind.loc[i, "levels"]).split(","))
    pops = {k: _t_rows(districts.POPULATION_INDICATOR, ids) for k, ids in levels.items()}
    out = []
    for i in present:
        meta = ind.loc[i]
        level = "main"
        rows = _t_rows(i, (*levels["main"], kommun))
        own = rows[rows["area_id"] == district_id].sort_values("year")
        split: tuple = ()
        if own.empty and not parts.empty:
            level = "deso"
            rows = _t_rows(i, (*levels["deso"], kommun))
            sub = rows[rows["area_id"].isin(parts["id"])]
            if sub.empty:
                continue
            year = int(sub["year"].max())
            at = sub[sub["year"] == year].set_index("area_id")
            split = tuple((str(n), float(at.loc[a, "value"]) if a in at.index and at.loc[a, "status"] == "ok" else None,
                           bool(a in at.index and at.loc[a, "status"] == "suppressed"))
                          for a, n in zip(parts["id"], parts["name"], strict=True))
            last, value, hidden = at.iloc[0], None, False
        elif own.empty:
            continue
        else:
            last = own.iloc[-1]
            year = int(last["year"])
            value = float(last["value"]) if last["status"] == "ok" else None
            hidden = last["status"] == "suppressed"
        ok_pop = pops[level]
        mv, my, ms = _municipal_value(rows, kommun, levels[level], year, meta["unit"], ok_pop[ok_pop["status"] == "ok"])
        out.append(DistrictFact(
            i, str(meta["short_title"]), str(meta["unit"]), int(meta["decimals"]), year, value, bool(hidden),
            source_label(last["source"], last["fetched_at"], last["is_demo"]), mv, my, ms, split))
    return tuple(out)


def _t_rows(indicator_id: str, area_ids: tuple) -> pd.DataFrame:
    rows = q("series", indicator_id=indicator_id, area_ids=area_ids, year_from=0, year_to=9999)
    return rows[rows["gender"] == "T"]


def _municipal_value(rows: pd.DataFrame, kommun: str, ids: tuple, year: int, unit: str,
                     pop: pd.DataFrame) -> tuple[float | None, int | None, str]:
    """(value, year, source) of the municipality for one fact: stored, else from every district (see
    ``district_facts``); (None, None, '') where neither can be had."""
    own = rows[rows["area_id"] == kommun]
    stored = analysis.latest_ok(own[own["year"] == year]) if not own.empty else None
    if stored is not None:
        return float(stored["value"]), year, source_label(stored["source"], stored["fetched_at"], stored["is_demo"])
    part = rows[(rows["area_id"].isin(ids)) & (rows["year"] == year)]
    if part.empty or len(part) < len(ids) or not (part["status"] == "ok").all():
        return None, None, ""
    if unit == "antal":
        return float(part["value"].sum()), year, FROM_DISTRICTS_SUM
    if pop.empty:
        return None, None, ""
    py = int(pop["year"].max()) if not (pop["year"] <= year).any() else int(pop.loc[pop["year"] <= year, "year"].max())
    weights = pop[pop["year"] == py].set_index("area_id")["value"]
    if not set(ids) <= set(weights.index):
        return None, None, ""
    w = part["area_id"].map(weights).astype(float)
    return float((part["value"].astype(float) * w).sum() / w.sum()), year, FROM_DISTRICTS_MEAN
