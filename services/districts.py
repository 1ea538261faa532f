"""Trygghet per delområde: which district indicators exist, at which district level an indicator has
values, and one year's values per district, ranked. ``components/district_map.py`` draws them."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from services import analysis
from services import catalogue as cat
from services import inequality as ineq
from services.provenance import break_years, source_label, sources_text
from services.store import per_store, q

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


def municipality_value(indicator_id: str, kommun: str, year: int, gender: str) -> float | None:
    """The whole municipality's published value of one district indicator, one year and gender (None where
    the store has none: it is never computed from the districts here)."""
    rows = q("series", indicator_id=indicator_id, area_ids=(kommun,), year_from=year, year_to=year)
    ok = rows[(rows["gender"] == gender) & (rows["status"] == "ok")]
    return None if ok.empty else float(ok["value"].iloc[0])


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


# --- Skillnader: inequality between districts (services.inequality does the statistics) -------------------

DEPRIVATION_INDICATOR = "SCB_LAG_EK_STANDARD"  # the default ranking measure: share with low economic standard
POPULATION_INDICATOR = "SCB_FOLKMANGD"
NOISE_FROM_YEAR = 2025  # SCB's Cell Key Method on population statistics from reference year 2025
NO_DISTRICTS = "kommunen har inga delområden"


@dataclass(frozen=True)
class Ranking:
    """How the districts of one system are ordered and weighted.

    ``deprivation``/``population``: per district id (NaN where none). ``from_deso``: RegSO ordered by the
    population-weighted mean of their DeSO's values (used for the order only, never shown as a RegSO
    value); ``equal_weights``: no population was found, every district counts the same."""

    system: str
    measure: str  # the indicator the districts are ranked by
    measure_label: str  # its short title, lower case ("låg ekonomisk standard")
    deprivation: dict
    population: dict
    deprivation_year: int | None
    population_year: int | None
    from_deso: bool
    equal_weights: bool
    is_demo: bool
    source: str
    sign: float = 1.0  # −1 where a higher value is better: ``deprivation`` holds sign × the measure's value

    @property
    def usable(self) -> bool:
        return any(pd.notna(v) for v in self.deprivation.values())

    @property
    def noisy(self) -> bool:
        """Real SCB district figures from 2025 carry random noise (CKM)."""
        return not self.is_demo and any(y is not None and y >= NOISE_FROM_YEAR
                                        for y in (self.deprivation_year, self.population_year))


def _latest_values(indicator_id: str, ids) -> tuple[pd.Series, int | None, pd.DataFrame]:
    rows = q("series", indicator_id=indicator_id, area_ids=tuple(ids), year_from=ALL_YEARS[0], year_to=ALL_YEARS[1])
    rows = rows[(rows["gender"] == "T") & (rows["status"] == "ok")]
    if rows.empty:
        return pd.Series(dtype=float), None, rows
    year = int(rows["year"].max())
    latest = rows[rows["year"] == year]
    return latest.set_index("area_id")["value"].astype(float), year, latest


@per_store
def ranking_measures(kommun: str, system: str) -> tuple[str, ...]:
    """The register indicators the districts can be ranked by: risk and protective factors (SCB) with values
    at this level or, for RegSO, at DeSO; the default (low economic standard) first."""
    ind = cat.indicators()
    cands = ind[(ind["source"] == "scb") & ind["risk_protective"].notna() & (ind["polarity"] != "neutral")]
    all_d = cat.districts(kommun)
    ids = tuple(all_d.loc[all_d["district_system"].isin([system, "DeSO"] if system == "RegSO" else [system]), "id"])
    have = [i for i in cands.index if ids and _has_values(i, ids)]
    return tuple(sorted(have, key=lambda i: (i != DEPRIVATION_INDICATOR, ind.loc[i, "short_title"])))


@per_store
def ranking(kommun: str, system: str, measure: str = DEPRIVATION_INDICATOR) -> Ranking:
    """The deprivation order and population weights of a municipality's districts of one system: by default
    SCB's share with low economic standard (another risk/protective register measure if asked) and
    population at that level, latest year; for RegSO without their own values, from their DeSO (population
    summed, the share averaged with population weights). A measure where higher is better (employment,
    education) ranks its lowest district as the most deprived."""
    dist = geometry(kommun, system)
    ids = list(dist["id"])
    meta = cat.indicators()
    label = str(meta.loc[measure, "short_title"]).lower() if measure in meta.index else measure
    dep, dep_year, dep_rows = _latest_values(measure, ids)
    pop, pop_year, pop_rows = _latest_values(POPULATION_INDICATOR, ids)
    from_deso = False
    rows = [dep_rows, pop_rows]
    if system == "RegSO" and (dep.empty or pop.empty):
        all_d = cat.districts(kommun)
        deso = all_d[all_d["district_system"] == "DeSO"]
        if not deso.empty:
            d_dep, d_dep_year, d_dep_rows = _latest_values(measure, deso["id"])
            d_pop, d_pop_year, d_pop_rows = _latest_values(POPULATION_INDICATOR, deso["id"])
            parent = deso.set_index("id")["parent_id"]
            if pop.empty and not d_pop.empty:
                # A RegSO whose DeSO populations are not all there gets none (it is left out, not under-weighted).
                full = parent.groupby(parent).size()
                counted = d_pop.groupby(parent.reindex(d_pop.index)).size()
                sums = d_pop.groupby(parent.reindex(d_pop.index)).sum()
                pop, pop_year = sums[counted.reindex(sums.index) == full.reindex(sums.index)], d_pop_year
                rows.append(d_pop_rows)
            if dep.empty and not d_dep.empty:
                # Population-weighted where every DeSO has a population, else a plain mean for all of them
                # (never a weight of 1 beside weights in the thousands).
                weights = d_pop.reindex(d_dep.index)
                frame = pd.DataFrame({"v": d_dep, "w": weights if weights.notna().all() else 1.0,
                                      "parent": parent.reindex(d_dep.index)})
                dep = frame.groupby("parent").apply(lambda g: float((g["v"] * g["w"]).sum() / g["w"].sum()),
                                                    include_groups=False)
                dep_year, from_deso = d_dep_year, True
                rows.append(d_dep_rows)
    used = pd.concat([r for r in rows if not r.empty]) if any(not r.empty for r in rows) else pd.DataFrame()
    is_demo = bool(used["is_demo"].astype(bool).any()) if not used.empty else False
    sign = -1.0 if measure in meta.index and meta.loc[measure, "polarity"] == "higher_better" else 1.0
    return Ranking(
        system=system, measure=measure, measure_label=label,
        deprivation={i: sign * float(dep.get(i, float("nan"))) for i in ids},
        population={i: float(pop.get(i, float("nan"))) for i in ids},
        deprivation_year=dep_year, population_year=pop_year, from_deso=from_deso,
        equal_weights=pop.empty, is_demo=is_demo,
        source=sources_text(used) if not used.empty else "", sign=sign)


@dataclass(frozen=True)
class Inequality:
    """Inequality between the districts for one indicator and gender over the years.

    ``years``: one row per year (year, districts, hidden, missing, unranked, gap, sii, low, high, rii,
    rii_low, rii_high, status, method, reason). ``change``: the SII's change first → latest comparable year
    (tested). ``latest``: the districts of the newest year with an SII (id, name, value, ci_low, ci_high,
    population, deprivation, rank, fitted), most deprived first. ``reason``: why nothing could be
    computed."""

    indicator_id: str
    system: str
    gender: str
    ranking: Ranking | None
    years: pd.DataFrame
    change: object  # inequality.GapChange
    latest: pd.DataFrame
    latest_year: int | None
    reason: str | None = None
    source: str = ""  # where the district values come from, with fetch dates (DEMODATA for demo values)
    noisy_values: bool = False  # real SCB district values from 2025 on (CKM noise) enter the measure


def _empty_inequality(indicator_id: str, system: str, gender: str, rank: Ranking | None, reason: str) -> Inequality:
    return Inequality(indicator_id, system, gender, rank, pd.DataFrame(columns=YEAR_COLUMNS),
                      ineq.GapChange("untested", None, None, None, None, reason=reason), pd.DataFrame(), None, reason)


YEAR_COLUMNS = ["year", "districts", "hidden", "missing", "unranked", "gap", "sii", "low", "high", "rii", "rii_low",
                "rii_high", "status", "method", "reason"]


def inequality(indicator_id: str, kommun: str, gender: str = "T", measure: str = DEPRIVATION_INDICATOR) -> Inequality:
    """``_inequality`` with every argument spelt out, so that the overview (default measure) and the district
    page (the measure chosen) share one cached result per store build."""
    return _inequality(indicator_id, kommun, gender, measure)


@per_store
def _inequality(indicator_id: str, kommun: str, gender: str, measure: str) -> Inequality:
    """SII/RII per year over the municipality's districts for one indicator (``services.inequality``), with
    the gap between the highest and lowest district and whether the SII has changed (tested). Only
    published values enter: hidden and missing districts are counted, never used."""
    meta = cat.indicator(indicator_id)
    if cat.main_districts(kommun).empty:
        return _empty_inequality(indicator_id, "", gender, None, NO_DISTRICTS)
    dist, system = level_for(kommun, indicator_id)
    if not analysis.comparable(meta["unit"]) or indicator_id == POPULATION_INDICATOR:
        return _empty_inequality(indicator_id, system, gender, None,
                                 "ett antal beror på delområdets storlek, så skillnader mellan delområden jämförs "
                                 "inte för antal")
    if indicator_id == measure:
        return _empty_inequality(indicator_id, system, gender, None,
                                 "indikatorn är själva måttet som delområdena rangordnas efter")
    rank = ranking(kommun, system, measure)
    rows = q("series", indicator_id=indicator_id, area_ids=tuple(dist["id"]), year_from=ALL_YEARS[0],
             year_to=ALL_YEARS[1])
    rows = rows[rows["gender"] == gender]
    if rows.empty:
        return _empty_inequality(indicator_id, system, gender, rank, "inga värden per delområde")
    if not rank.usable:
        return _empty_inequality(indicator_id, system, gender, rank,
                                 f"{rank.measure_label} saknas för delområdena, så de kan inte rangordnas")
    share = analysis.is_share(meta["unit"])
    ids = list(dist["id"])
    names = np.array(dist["name"], dtype=object)
    dep_all = np.array([rank.deprivation.get(i, np.nan) for i in ids], dtype=float)
    pop_all = (np.ones(len(ids)) if rank.equal_weights
               else np.array([rank.population.get(i, np.nan) for i in ids], dtype=float))
    # One array per column, districts in a fixed order; a district without a row in a year is missing.
    pos = rows["area_id"].map({i: k for k, i in enumerate(ids)}).to_numpy()
    cols = {c: rows[c].to_numpy(dtype=float) for c in ("value", "n", "ci_low", "ci_high")}
    status, year_of = rows["status"].to_numpy(dtype=object), rows["year"].to_numpy()
    out, latest, latest_year, inputs = [], pd.DataFrame(), None, {}
    for year in sorted(set(int(y) for y in year_of)):
        at = year_of == year
        where = pos[at]
        hidden = int((status[at] == "suppressed").sum())
        ok_rows = (status[at] == "ok") & ~np.isnan(cols["value"][at])
        k_ok = where[ok_rows]
        missing = len(ids) - hidden - len(k_ok)
        vals = {c: a[at][ok_rows] for c, a in cols.items()}
        # A district without a ranking value or a population cannot be placed: left out and counted.
        ranked = ~np.isnan(dep_all[k_ok]) & (pop_all[k_ok] > 0)
        unranked = int((~ranked).sum())
        k_r = k_ok[ranked]
        v = vals["value"][ranked]
        dep, pop = dep_all[k_r], pop_all[k_r]
        se = ineq.standard_errors(v, vals["n"][ranked], vals["ci_low"][ranked], vals["ci_high"][ranked], share)
        res = ineq.sii(v, pop, dep, se, left_out=hidden + missing + unranked)
        inputs[year] = (k_r, v, pop, dep, se)
        out.append({"year": year, "districts": res.districts, "hidden": hidden, "missing": missing,
                    "unranked": unranked, "gap": ineq.best_worst_gap(vals["value"]), "sii": res.sii,
                    "low": res.low, "high": res.high, "rii": res.rii, "rii_low": res.rii_low,
                    "rii_high": res.rii_high, "status": res.status, "method": res.method, "reason": res.reason})
        if res.status == "ok":
            r = ineq.relative_rank(dep, pop)
            latest = pd.DataFrame({
                "id": [ids[k] for k in k_r], "name": names[k_r], "value": v,
                "ci_low": vals["ci_low"][ranked], "ci_high": vals["ci_high"][ranked], "population": pop,
                "deprivation": rank.sign * dep, "rank": r,
                "fitted": res.intercept + res.sii * r}).sort_values("rank").reset_index(drop=True)
            latest_year = year
    years = pd.DataFrame(out, columns=YEAR_COLUMNS)
    change = _change(years, inputs, break_years_for(indicator_id, kommun))
    published = rows[rows["status"] == "ok"]
    noisy = bool(((published["year"] >= NOISE_FROM_YEAR) & ~published["is_demo"].astype(bool)
                  & published["source"].fillna("").str.contains("SCB")).any())
    return Inequality(indicator_id, system, gender, rank, years, change, latest, latest_year,
                      source=sources_text(published) if not published.empty else "", noisy_values=noisy)


def _change(years: pd.DataFrame, inputs: dict, breaks: tuple[int, ...]) -> ineq.GapChange:
    """The SII's change from the first to the latest comparable year. Where the two years' published
    districts differ (a district hidden one year), both SIIs are computed again on the districts published in
    both years, so that the change is not made by which districts happened to be shown."""
    ok = years[years["status"] == "ok"]
    later = [b for b in breaks if len(ok) and b <= ok["year"].max()]
    if later:
        ok = ok[ok["year"] >= max(later)]
    if len(ok) < 2:
        return ineq.gap_change(ok["year"], ok["sii"], ok["low"], ok["high"], breaks)
    first, last = int(ok["year"].iloc[0]), int(ok["year"].iloc[-1])
    (k_a, *a), (k_b, *b) = inputs[first], inputs[last]
    if set(k_a) == set(k_b):
        return ineq.gap_change(ok["year"], ok["sii"], ok["low"], ok["high"], breaks)
    common = sorted(set(k_a) & set(k_b))
    redone = []
    for k, args in ((k_a, a), (k_b, b)):
        keep = np.isin(k, common)
        v, pop, dep, se = (x[keep] for x in args)
        redone.append(ineq.sii(v, pop, dep, se))
    if any(r.status != "ok" for r in redone):
        return ineq.GapChange("untested", first, last, None, None,
                              reason=f"färre än {ineq.MIN_DISTRICTS} delområden har värden både {first} och {last}")
    res = ineq.gap_change([first, last], [r.sii for r in redone], [r.low for r in redone], [r.high for r in redone])
    return replace(res, districts=len(common))


def break_years_for(indicator_id: str, kommun: str) -> tuple[int, ...]:
    """The indicator's series breaks that concern this municipality (or every area)."""

    return break_years(indicator_id, kommun)


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
    pops = {k: _t_rows(POPULATION_INDICATOR, ids) for k, ids in levels.items()}
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
