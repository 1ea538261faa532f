"""Inequality between districts, and whether it is shrinking: pure functions, no Streamlit, no store.

Slope and relative index of inequality (SII, RII) as OHID's Fingertips profiles compute them
(PHEindicatormethods ``phe_sii``; Fingertips technical guidance, "Slope index of inequality"; Low & Low,
*J Epidemiol Community Health* 2004;58:614 for the relative rank):

- the districts are ordered by a deprivation measure, the most deprived first (by default SCB's share of
  residents with low economic standard, *låg ekonomisk standard*);
- each district's relative rank is the midpoint of its cumulative share of the population
  (rank = share of the population in more deprived districts + half its own share), so a district counts
  with its population;
- the value is regressed on the rank by weighted least squares (weights = population;
  ``statsmodels`` WLS, the same fit as PHE's ``lm`` on √population-transformed data);
- SII = the slope: the fitted value at rank 1 (least deprived) minus the fitted value at rank 0 (most
  deprived), in the indicator's unit (procentenheter for percentages). RII = the fitted value at rank 1
  divided by the fitted value at rank 0 — the same quantities PHE reports (``rii = TRUE``);
- 95 % interval: by simulation where every district has a sampling error (PHE's method: each district's
  value drawn from a normal distribution with its standard error, 100 000 times by default, the SII refitted
  each time, the 2.5th and 97.5th percentiles kept; the refitted coefficients are drawn directly from their
  exact joint normal distribution, see ``sii``); the standard error of a share with respondents is
  √(p(1 − p)/n), otherwise it comes from the district's 95 % interval as (high − low)/(2·1.96). Register
  statistics have no sampling error, and ``phe_sii`` needs every district's standard error: without them the
  SII and RII are descriptive — no interval (the regression's residual interval would treat the districts as
  a sample of something, which they are not), no test, "registeruppgift – beskrivande, ej testad";
- at least ``MIN_DISTRICTS`` published districts (Fingertips uses at least five quantiles); hidden
  (suppressed) and missing districts are left out — their values never enter — and the result says how
  many were left out.

Whether the difference between districts is shrinking: the SII of the first and of the latest comparable
year (none across a series break), tested as a difference of two estimates with 95 % intervals (Altman &
Bland 2003; ``services.stats.diff_from_intervals``, the test the verdicts use). "Minskat" / "ökat" only
when that test says so, otherwise the change is stated with its unit and "ingen säker förändring". Where
neither year has an interval (register data), the change is only described: label "descriptive", the two SIIs
and their difference in the unit, no verdict word.
The gender gap over time is tested the same way: each year's K − M with its Newcombe interval, first
year against latest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.regression.linear_model import WLS

from services import analysis, stats

MIN_DISTRICTS = 5
REPETITIONS = 100_000  # PHEindicatormethods' default
MIN_REPETITIONS = 1_000  # phe_sii refuses fewer
SEED = 20240213  # a fixed seed: the same store gives the same interval in every view and in the pack
CONFIDENCE = 0.95
# Register statistics (no district has a sampling error): the SII is stated, never tested.
DESCRIPTIVE = "registeruppgift – beskrivande, ej testad"


@dataclass(frozen=True)
class SII:
    """One year's slope and relative index of inequality, with 95 % intervals (None where none exists).

    ``status``: "ok", or "too_few" (fewer than MIN_DISTRICTS published districts), "no_rank" (no
    deprivation measure), "no_variation" (every district has the same rank or weight)."""

    status: str
    districts: int  # published districts in the calculation
    left_out: int  # hidden or missing districts left out
    sii: float | None = None
    low: float | None = None
    high: float | None = None
    rii: float | None = None
    rii_low: float | None = None
    rii_high: float | None = None
    method: str = ""
    reason: str | None = None
    intercept: float | None = None  # the fitted value at rank 0 (the most deprived end)


def relative_rank(deprivation, population) -> np.ndarray:
    """Each district's relative rank: the midpoint of its cumulative population share, the most deprived
    (highest ``deprivation``) first. Districts with the same deprivation share one rank, the midpoint of their
    joint share (as a quantile does in PHE's method), so no order among equals is invented."""
    dep = np.asarray(deprivation, dtype=float)
    pop = np.asarray(population, dtype=float)
    share = pop / pop.sum()
    levels = np.unique(dep)[::-1]  # most deprived first
    out = np.empty(len(dep))
    before = 0.0
    for level in levels:
        tied = dep == level
        group = float(share[tied].sum())
        out[tied] = before + group / 2
        before += group
    return out


def standard_errors(values, n=None, ci_low=None, ci_high=None, share: bool = False) -> np.ndarray:
    """A district value's standard error as PHE's ``phe_sii`` takes it: (high − low)/(2·1.96) from its 95 %
    interval; where a share (in %) has respondents but no interval, √(p(1 − p)/n); NaN where neither."""
    v = np.asarray(values, dtype=float)
    se = np.full(len(v), np.nan)
    z = norm.ppf(1 - (1 - CONFIDENCE) / 2)
    if ci_low is not None and ci_high is not None:
        lo, hi = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
        se = (hi - lo) / (2 * z)
    if share and n is not None:
        nn = np.asarray(n, dtype=float)
        p = np.clip(v / 100, 0, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            from_n = 100 * np.sqrt(p * (1 - p) / nn)
        se = np.where(np.isnan(se) & (nn > 0), from_n, se)
    return se


def _design(rank: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(rank)), rank])


def sii(values, population, deprivation, se=None, *, left_out: int = 0, repetitions: int = REPETITIONS,
        seed: int = SEED) -> SII:
    """SII and RII of ``values`` over districts (see the module's docstring). ``se`` (one per district, NaN
    where unknown): with every district's standard error the interval is simulated; otherwise the
    SII and RII are descriptive: no interval, ``method`` says so (``DESCRIPTIVE``)."""
    v = np.asarray(values, dtype=float)
    pop = np.asarray(population, dtype=float)
    dep = np.asarray(deprivation, dtype=float)
    k = len(v)
    if k < MIN_DISTRICTS:
        return SII("too_few", k, left_out, reason=f"färre än {MIN_DISTRICTS} delområden med publicerade värden")
    if np.isnan(dep).any():
        return SII("no_rank", k, left_out, reason="rangordningsmåttet saknas för något delområde")
    if np.isnan(v).any() or np.isnan(pop).any() or (pop <= 0).any():
        raise ValueError("values and populations must be complete and positive")
    if repetitions < MIN_REPETITIONS:
        raise ValueError(f"at least {MIN_REPETITIONS} repetitions (as phe_sii)")
    if len(np.unique(dep)) < 2:
        return SII("no_variation", k, left_out, reason="alla delområden har samma värde på rangordningsmåttet")
    rank = relative_rank(dep, pop)
    fit = WLS(v, _design(rank), weights=pop).fit()
    intercept, slope = (float(x) for x in fit.params)
    # A ratio of fitted values means something only where both ends are positive (RII is for rates and
    # shares; a steep register gradient can give a negative fitted end).
    rii = (intercept + slope) / intercept if intercept > 0 and intercept + slope > 0 else None
    se_arr = np.full(k, np.nan) if se is None else np.asarray(se, dtype=float)
    if not np.isnan(se_arr).any() and (se_arr >= 0).all() and (se_arr > 0).any():
        # PHE's simulation draws every district's value from N(value, se) and refits. Each replicate's
        # coefficients are then P·(√pop ∘ draws), P the (fixed) least-squares projection, so they follow a
        # bivariate normal distribution with mean = the fitted coefficients and covariance
        # P·diag(pop·se²)·Pᵀ exactly. Drawing the coefficients from it gives the same replicates' distribution
        # at a fraction of the cost (two numbers per replicate instead of one per district).
        w = np.sqrt(pop)
        proj = np.linalg.pinv(_design(rank) * w[:, None])
        cov = proj @ np.diag((w * se_arr) ** 2) @ proj.T
        rng = np.random.default_rng(seed)
        coef = np.array([[intercept], [slope]]) + _sqrt_psd(cov) @ rng.standard_normal((2, repetitions))
        low, high = _limits(coef[1])
        # A replicate's RII is a ratio of fitted ends; where one end is not positive it means nothing, and an
        # interval from such replicates would mislead: then no RII interval.
        valid = (coef[0] > 0).all() and (coef[0] + coef[1] > 0).all()
        rii_low, rii_high = _limits((coef[0] + coef[1]) / coef[0]) if rii is not None and valid else (None, None)
        method = f"simulering ({repetitions:,} dragningar)".replace(",", "\u00a0")
    else:
        low = high = rii_low = rii_high = None
        missing = int(np.isnan(se_arr).sum())
        method = (DESCRIPTIVE if missing == k else
                  f"urvalsfel saknas för {missing} av {k} delområden – beskrivande, ej testad")
    return SII("ok", k, left_out, slope, low, high, rii, rii_low, rii_high, method, intercept=intercept)


def _sqrt_psd(cov: np.ndarray) -> np.ndarray:
    """A matrix L with L·Lᵀ = cov: Cholesky, or from the eigen-decomposition where cov is only semi-definite
    (a district with a zero standard error)."""
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(cov)
        return vecs * np.sqrt(np.clip(vals, 0, None))


def _limits(draws: np.ndarray) -> tuple[float, float]:
    """The 95 % limits of simulated values as ``phe_sii`` picks them: the sorted draws at positions
    round(reps·0.025) and round(reps·0.975) (1-based)."""
    cv = CONFIDENCE + (1 - CONFIDENCE) / 2
    reps = len(draws)
    lo, hi = round(reps * (1 - cv)) - 1, round(reps * cv) - 1
    part = np.partition(draws, (lo, hi))
    return float(part[lo]), float(part[hi])


def best_worst_gap(values) -> float | None:
    """The difference between the highest and the lowest published district; None with fewer than two.
    A plain difference: no test stands behind it."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) < 2:
        return None
    return float(v.max() - v.min())


@dataclass(frozen=True)
class GapChange:
    """Whether a gap (SII, or K − M) has changed between two years.

    ``label``: narrowed / widened / reversed / changed (tested, significant) · no_change (tested) ·
    descriptive (neither year has an interval: register data, the change is stated, never tested) · untested.
    ``districts``: where the two years were compared on the districts published in both, how many."""

    label: str
    first_year: int | None
    last_year: int | None
    first: float | None
    last: float | None
    test: stats.DiffTest | None = None
    reason: str | None = None
    districts: int | None = None


def gap_change(years, gaps, lows, highs, break_years=()) -> GapChange:
    """The change of a gap from the first to the latest comparable year (after the newest series break),
    tested as a difference of two estimates with 95 % intervals (``stats.diff_from_intervals``).

    narrowed: the gap's size (its absolute value) is smaller and the change is significant, both years on the
    same side of zero (then the test of b − a is a test of the size); widened: larger, likewise; reversed:
    significant, and the gap is surely non-zero in opposite directions in the two years (each interval
    excludes 0); changed: significant but across zero, so whether the gap grew or shrank is not tested."""
    frame = pd.DataFrame({"year": years, "gap": gaps, "low": lows, "high": highs}).dropna(subset=["gap"])
    frame = frame.sort_values("year")
    later = [b for b in break_years if len(frame) and b <= frame["year"].max()]
    if later:
        frame = frame[frame["year"] >= max(later)]
    if len(frame) < 2:
        reason = ("seriebrott: färre än två jämförbara år" if later else "färre än två år att jämföra")
        y = int(frame["year"].iloc[0]) if len(frame) else None
        return GapChange("untested", y, y, None, None, reason=reason)
    a, b = frame.iloc[0], frame.iloc[-1]
    if _no_interval(a) and _no_interval(b):
        return GapChange("descriptive", int(a["year"]), int(b["year"]), float(a["gap"]), float(b["gap"]),
                         reason=DESCRIPTIVE)
    test = stats.diff_from_intervals(a["gap"], a["low"], a["high"], b["gap"], b["low"], b["high"])
    base = dict(first_year=int(a["year"]), last_year=int(b["year"]), first=float(a["gap"]),
                last=float(b["gap"]), test=test)
    if test.significant is None:
        return GapChange("untested", **base, reason=test.reason)
    if not test.significant:
        return GapChange("no_change", **base)
    if a["gap"] * b["gap"] < 0:
        # The test is on the signed difference; across zero it says nothing about the gap's size.
        both_sure = _sure_nonzero(a) and _sure_nonzero(b)
        return GapChange("reversed" if both_sure else "changed", **base)
    return GapChange("narrowed" if abs(b["gap"]) < abs(a["gap"]) else "widened", **base)


def _no_interval(row) -> bool:
    return pd.isna(row["low"]) and pd.isna(row["high"])


def _sure_nonzero(row) -> bool:
    return pd.notna(row["low"]) and pd.notna(row["high"]) and not (row["low"] <= 0 <= row["high"])


def gender_gaps(own: pd.DataFrame, share: bool) -> pd.DataFrame:
    """K − M per year with its 95 % interval (Newcombe for shares with respondents, Altman–Bland from
    intervals, none otherwise); own: one area's rows, all genders. Columns: year, gap, low, high."""
    ok = own[own["status"] == "ok"]
    k = ok[ok["gender"] == "K"].set_index("year")
    m = ok[ok["gender"] == "M"].set_index("year")
    rows = []
    for y in sorted(set(k.index) & set(m.index)):
        t = stats.diff_test(analysis.obs_row(m.loc[y]), analysis.obs_row(k.loc[y]), share)
        rows.append({"year": int(y), "gap": t.diff, "low": t.low, "high": t.high})
    return pd.DataFrame(rows, columns=["year", "gap", "low", "high"])


