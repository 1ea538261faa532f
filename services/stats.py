"""The statistical tests behind every verdict word the app shows. Pure functions, no Streamlit.

Each function names its method and reference; the Data page ("Så bedömer vi förändringar") says the
same in Swedish. Everything is tested at 95 % (two-sided), as OHID's Fingertips profiles do.

- Difference between two shares with their respondents (change since the baseline, girls vs boys,
  an area vs another): Newcombe's hybrid score interval for a difference of independent proportions
  (Newcombe 1998, method 10), ``statsmodels.stats.proportion.confint_proportions_2indep``; the
  difference counts when the interval excludes 0. The p-value is the score test
  (``test_proportions_2indep``), shown for information.
- Difference between two estimates that only have 95 % intervals (e.g. Kolada's uncertainty KPIs):
  standard errors from the interval half-widths and a z test of the difference (Altman & Bland,
  "Interval estimation for the difference between two estimates", BMJ 2003;326:219),
  ``scipy.stats.norm``.
- Trend over the latest five or more comparable points: for shares with respondents the chi-squared
  test for trend (Cochran–Armitage; the linear-by-linear association test of a 2×k table, Agresti 2002
  §3.4.6, ``statsmodels ... Table.test_ordinal_association``), as Fingertips' "recent trend"; for series
  without respondents the Mann–Kendall test (``pymannkendall.original_test``).
- Rates from a count and a population: exact Poisson interval (Garwood; ``statsmodels.stats.rates.
  confint_poisson``, method "exact-c"), the exact counterpart of Byar's approximation that Fingertips uses.
- A value against a benchmark value (Riket, the county, a group mean): the value's 95 % interval against
  the benchmark's point value, Fingertips' "compared with benchmark" method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pymannkendall as mk
from scipy.stats import norm
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep
from statsmodels.stats.rates import confint_poisson

ALPHA = 0.05
MIN_TREND_POINTS = 5
NO_UNCERTAINTY = "varken antal svarande eller konfidensintervall"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@dataclass(frozen=True)
class DiffTest:
    """A tested difference (b − a): its size, its 95 % interval, the p-value and the method's name.

    ``significant`` is None when no test was possible (then ``reason`` says why)."""

    diff: float | None
    low: float | None
    high: float | None
    p_value: float | None
    significant: bool | None
    method: str
    reason: str | None = None


def untested(diff: float | None, reason: str) -> DiffTest:
    return DiffTest(diff, None, None, None, None, "ej testad", reason)


def diff_proportions(p_a: float, n_a: float, p_b: float, n_b: float) -> DiffTest:
    """Difference b − a of two shares in percent with their respondents, in procentenheter.

    Newcombe's hybrid score interval (method 10 of Newcombe 1998, Stat Med 17:873–890) via statsmodels;
    significant when the interval excludes 0."""
    diff = float(p_b) - float(p_a)
    if any(_missing(x) for x in (p_a, n_a, p_b, n_b)) or n_a <= 0 or n_b <= 0:
        return untested(diff, "antal svarande saknas")
    count_a, count_b = float(p_a) / 100 * float(n_a), float(p_b) / 100 * float(n_b)
    low, high = confint_proportions_2indep(count_b, float(n_b), count_a, float(n_a), method="newcomb",
                                           compare="diff")
    p = test_proportions_2indep(count_b, float(n_b), count_a, float(n_a), method="score", compare="diff").pvalue
    low, high = float(low) * 100, float(high) * 100
    return DiffTest(diff, low, high, float(p), not (low <= 0 <= high), "Newcombe (skillnad mellan andelar)")


def diff_from_intervals(a: float, a_low: float, a_high: float, b: float, b_low: float, b_high: float) -> DiffTest:
    """Difference b − a of two independent estimates known only with 95 % intervals (Altman & Bland 2003):
    SE = (high − low) / (2·1.96) for each, z = diff / √(SE_a² + SE_b²)."""
    diff = float(b) - float(a)
    if any(_missing(x) for x in (a_low, a_high, b_low, b_high)):
        return untested(diff, "konfidensintervall saknas")
    z95 = norm.ppf(1 - ALPHA / 2)
    se = math.hypot((a_high - a_low) / (2 * z95), (b_high - b_low) / (2 * z95))
    if se <= 0:
        return untested(diff, "intervallet har ingen bredd")
    p = float(2 * norm.sf(abs(diff) / se))
    return DiffTest(diff, diff - z95 * se, diff + z95 * se, p, p < ALPHA, "z-test ur konfidensintervall")


def diff_test(a: dict, b: dict, share: bool) -> DiffTest:
    """The best available test of b − a for two observations (dict-likes: value, n, ci_low, ci_high).
    Shares with respondents → Newcombe; estimates with intervals → Altman & Bland; else untested."""
    if _missing(a.get("value")) or _missing(b.get("value")):
        return untested(None, "värde saknas")
    if share and not _missing(a.get("n")) and not _missing(b.get("n")):
        return diff_proportions(a["value"], a["n"], b["value"], b["n"])
    if not any(_missing(r.get(k)) for r in (a, b) for k in ("ci_low", "ci_high")):
        return diff_from_intervals(a["value"], a["ci_low"], a["ci_high"], b["value"], b["ci_low"], b["ci_high"])
    return untested(float(b["value"]) - float(a["value"]), NO_UNCERTAINTY)


def against_benchmark(value, ci_low, ci_high, benchmark) -> str:
    """'higher' / 'lower' / 'similar' when the value's 95 % interval excludes / includes the benchmark;
    'no_test' without an interval, 'no_data' without either value (Fingertips' benchmark comparison)."""
    if _missing(value) or _missing(benchmark):
        return "no_data"
    if _missing(ci_low) or _missing(ci_high):
        return "no_test"
    if ci_low <= benchmark <= ci_high:
        return "similar"
    return "higher" if benchmark < ci_low else "lower"


@dataclass(frozen=True)
class TrendTest:
    """'increasing' / 'decreasing' / 'no_trend' (tested), or 'not_testable' with a reason."""

    direction: str
    p_value: float | None
    points: int
    first_year: int | None
    last_year: int | None
    method: str
    reason: str | None = None


def trend(years, values, n=None, share: bool = False, break_years=()) -> TrendTest:
    """Trend over the latest comparable points (at least five, none across a series break).

    Shares with respondents at every point: chi-squared test for trend (Cochran–Armitage as the
    linear-by-linear association test of the 2×k table of yes/no by year, scores = the years).
    Otherwise Mann–Kendall on the values. Years after the newest series break only."""
    ys = np.asarray(years, dtype=float)
    vs = np.asarray(values, dtype=float)
    ns = np.asarray(n, dtype=float) if n is not None else np.full(len(ys), np.nan)
    keep = ~np.isnan(vs)
    ys, vs, ns = ys[keep], vs[keep], ns[keep]
    order = np.argsort(ys)
    ys, vs, ns = ys[order], vs[order], ns[order]
    later = [b for b in break_years if len(ys) and b <= ys[-1]]
    if later:
        cut = max(later)
        mask = ys >= cut
        ys, vs, ns = ys[mask], vs[mask], ns[mask]
    span = (int(ys[0]), int(ys[-1])) if len(ys) else (None, None)
    if len(ys) < MIN_TREND_POINTS:
        reason = "seriebrott: färre än fem jämförbara mätningar" if later else "färre än fem mätningar"
        return TrendTest("not_testable", None, len(ys), *span, "ej testad", reason)
    # Recent trend as Fingertips: the latest five points.
    ys, vs, ns = ys[-MIN_TREND_POINTS:], vs[-MIN_TREND_POINTS:], ns[-MIN_TREND_POINTS:]
    span = (int(ys[0]), int(ys[-1]))
    if share and not np.isnan(ns).any() and (ns > 0).all():
        yes = vs / 100 * ns
        table = np.column_stack([yes, ns - yes])
        res = Table(table).test_ordinal_association(row_scores=ys - ys[0], col_scores=np.array([1.0, 0.0]))
        p = float(res.pvalue)
        # Positive association of the year with "yes" (score 1) means a rising share.
        rising = float(np.polyfit(ys, vs, 1, w=np.sqrt(ns))[0]) > 0
        method = "chi2-test för trend"
    else:
        res = mk.original_test(vs, alpha=ALPHA)
        p = float(res.p)
        rising = float(res.s) > 0
        method = "Mann–Kendall"
    if p >= ALPHA:
        return TrendTest("no_trend", p, MIN_TREND_POINTS, *span, method)
    return TrendTest("increasing" if rising else "decreasing", p, MIN_TREND_POINTS, *span, method)


# Targets: the latest comparable points a trend line is fitted to (none across a series break).
MIN_TARGET_POINTS = 4
MAX_TARGET_POINTS = 8


@dataclass(frozen=True)
class TargetCheck:
    """Whether a target is being reached, judged from the trend line and its 95 % interval.

    ``status``: reached / on_track / off_track / not_assessable. ``fitted_*`` is the line's value at the
    latest year, ``projected_*`` at the target year (for a direction-only target: the slope per year)."""

    status: str
    points: int
    first_year: int | None
    last_year: int | None
    projected: float | None = None
    low: float | None = None
    high: float | None = None
    reason: str | None = None
    method: str = "linjär trend (OLS) med 95 %-konfidensintervall"


def target_check(years, values, *, better: str, target: float | None = None, target_year: int | None = None,
                 break_years=()) -> TargetCheck:
    """Is a target being reached? A straight line is fitted to the latest comparable values (at least four,
    at most eight, none across a series break) by ordinary least squares (``statsmodels`` OLS), and the 95 %
    confidence interval of the line is used, never one year's value:

    - with a target value and year: "reached" when the line's interval at the latest year lies wholly on
      the target's good side (``better``: "higher" or "lower"); "on_track" when its interval at the target
      year does; "off_track" when that interval lies wholly on the other side; otherwise not assessable;
    - with a direction only (``target`` None): "on_track" when the slope's interval lies wholly in the
      good direction, "off_track" when wholly in the other, otherwise not assessable.

    Method: linear regression with the confidence interval of the fitted mean (e.g. Kirkwood & Sterne,
    *Essential Medical Statistics*, 2nd ed., ch. 10). A projection assumes the recent straight-line trend
    continues; the interval says how well the points pin the line down, not what else may happen."""
    import statsmodels.api as sm

    ys = np.asarray(years, dtype=float)
    vs = np.asarray(values, dtype=float)
    keep = ~np.isnan(vs)
    ys, vs = ys[keep], vs[keep]
    order = np.argsort(ys)
    ys, vs = ys[order], vs[order]
    later = [b for b in break_years if len(ys) and b <= ys[-1]]
    if later:
        mask = ys >= max(later)
        ys, vs = ys[mask], vs[mask]
    ys, vs = ys[-MAX_TARGET_POINTS:], vs[-MAX_TARGET_POINTS:]
    span = (int(ys[0]), int(ys[-1])) if len(ys) else (None, None)
    if len(ys) < MIN_TARGET_POINTS:
        reason = ("seriebrott: färre än fyra jämförbara mätningar" if later
                  else "färre än fyra mätningar att dra en trendlinje genom")
        return TargetCheck("not_assessable", len(ys), *span, reason=reason)
    fit = sm.OLS(vs, sm.add_constant(ys - ys[-1])).fit()
    good = 1.0 if better == "higher" else -1.0
    if target is None:
        low, high = (float(x) for x in fit.conf_int(alpha=ALPHA)[1])
        slope = float(fit.params[1])
        return TargetCheck(_side(low, high, 0.0, good, "on_track", "off_track"), len(ys), *span, slope, low, high,
                           reason=None if low * high > 0 else "trendlinjens lutning kan vara noll")
    now_low, now_high = _mean_interval(fit, 0.0)
    if _side(now_low, now_high, target, good, "met", "not") == "met":
        return TargetCheck("reached", len(ys), *span, float(fit.params[0]), now_low, now_high)
    at = float(target_year) - ys[-1] if target_year is not None else 0.0
    low, high = _mean_interval(fit, max(at, 0.0))
    projected = float(fit.params[0] + fit.params[1] * max(at, 0.0))
    status = _side(low, high, target, good, "on_track", "off_track")
    reason = None if status != "not_assessable" else "intervallet vid målåret omfattar målvärdet"
    return TargetCheck(status, len(ys), *span, projected, low, high, reason=reason)


def _mean_interval(fit, x: float) -> tuple[float, float]:
    pred = fit.get_prediction(np.array([[1.0, x]]))
    low, high = pred.conf_int(alpha=ALPHA)[0]
    return float(low), float(high)


def _side(low: float, high: float, threshold: float, good: float, yes: str, no: str) -> str:
    """``yes`` when the interval lies wholly on the good side of ``threshold``, ``no`` when wholly on the
    other, else "not_assessable"."""
    if (good > 0 and low >= threshold) or (good < 0 and high <= threshold):
        return yes
    if (good > 0 and high < threshold) or (good < 0 and low > threshold):
        return no
    return "not_assessable"


def rate_interval(count: float, population: float, per: float = 100_000) -> tuple[float, float]:
    """95 % interval of a crude rate per ``per`` from its count and population: exact Poisson (Garwood)."""
    low, high = confint_poisson(float(count), float(population), method="exact-c", alpha=ALPHA)
    return float(low) * per, float(high) * per
