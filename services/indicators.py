"""One indicator for the resolved scope (issue #29: this module's other jobs live beside it): its data
(``indicator_data``), its summary and standing against the comparison (``summarise``, ``benchmark``), and the
one view the indicator block, the presentation's slide and the meeting pack draw (``indicator_view``); a
register rate's Poisson interval and the place among the municipalities.

Beside it: where a figure comes from, ``services.provenance``; the scope and the comparisons on offer,
``services.scope``; many indicators' status at once (the overview, the risk grid), ``services.overview``;
spreadsheets, ``services.exports``; a district's facts, ``services.districts``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalogue import schema as cs
from services import analysis, stats
from services import catalogue as cat
from services.catalogue import Strategy
from services.filters import Comparison
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



def is_demo_store() -> bool:
    return get_store_info().is_demo
