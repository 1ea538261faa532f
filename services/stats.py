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
- Trend over the latest five comparable, independent points (``trend``): for shares with respondents the
  chi-squared test for trend (Cochran–Armitage; the linear-by-linear association test of a 2×k table,
  Agresti 2002 §3.4.6, ``statsmodels ... Table.test_ordinal_association``), as Fingertips' "recent trend";
  for estimates with intervals a weighted regression on their standard errors (known variances); for
  values only (registers) the Mann–Kendall test (``pymannkendall.original_test``). Moving averages use
  non-overlapping values only, repeated values count once (``comparable_points``).
- Targets (``target_check``): a direction target by the trend test; a value target by a 95 % prediction
  interval for the target year from the same points, with "met now" from the latest value's interval.
- Shares from weighted surveys: the effective number of respondents from the published interval
  (``effective_n``, Kish's design effect), so every test respects a design effect.
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
# The trend (and a target) uses the latest comparable points, this many (Fingertips' recent trend). More
# points would give more power, but Mann–Kendall on ten values of an autocorrelated register (AR(1), ρ 0.6)
# says "trend" a fifth of the time when there is none; on five it needs all five in order (5.5 %).
MAX_TREND_POINTS = 5
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
        n_a = effective_n(a["value"], a["n"], a.get("ci_low"), a.get("ci_high"))
        n_b = effective_n(b["value"], b["n"], b.get("ci_low"), b.get("ci_high"))
        return diff_proportions(a["value"], n_a, b["value"], n_b)
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


def benchmark_p(value, ci_low, ci_high, benchmark) -> float | None:
    """Two-sided p-value of a value against a benchmark's point value, from the value's 95 % interval
    (SE = half-width / 1.96), for the multiple-testing control of a page; None without an interval."""
    if any(_missing(x) for x in (value, ci_low, ci_high, benchmark)):
        return None
    se = (float(ci_high) - float(ci_low)) / (2 * norm.ppf(1 - ALPHA / 2))
    if se <= 0:
        return None
    return float(2 * norm.sf(abs(float(value) - float(benchmark)) / se))


def false_discoveries(p_values, alpha: float = ALPHA) -> np.ndarray:
    """Which of a page's tests still count after controlling the false discovery rate at ``alpha``:
    Benjamini & Hochberg (1995), "Controlling the false discovery rate", J. R. Stat. Soc. B 57:289
    (``statsmodels.stats.multitest.multipletests``, method "fdr_bh")."""
    from statsmodels.stats.multitest import multipletests

    ps = np.asarray(p_values, dtype=float)
    if not len(ps):
        return np.zeros(0, dtype=bool)
    # BH's rule is p(k) ≤ k/m · α with equality included; exact p-values (2/120) meet k/m · α exactly and
    # must not fail it by a rounding error in the last bit.
    return multipletests(ps, alpha=alpha * (1 + 1e-9), method="fdr_bh")[0]


@dataclass(frozen=True)
class Series:
    """What one indicator's published points carry (the catalogue's ``series`` and ``kind``).

    ``moving_average``: each value is the mean of this many years' measurements (Kolada's HLV KPIs are
    "glidande fyraårsmedel"), so neighbouring values share data and are not independent.
    ``repeated``: the same measurement is published for this many years (rotating surveys).
    ``register``: a whole-population register with no sampling error."""

    moving_average: int = 1
    repeated: int = 1
    register: bool = False

    @property
    def spacing(self) -> int:
        """Years between two points that share no measurement."""
        return max(int(self.moving_average), int(self.repeated), 1)


PLAIN = Series()


@dataclass(frozen=True)
class Points:
    """The comparable, independent points of one series (``comparable_points``)."""

    years: np.ndarray
    values: np.ndarray
    se: np.ndarray       # standard error from the 95 % interval, NaN where there is none
    n_eff: np.ndarray    # effective respondents (shares), NaN where unknown
    cut_at_break: bool
    collapsed: int       # repeated values removed
    thinned: int         # overlapping moving-average values left out


def _arr(x, length: int) -> np.ndarray:
    if x is None:
        return np.full(length, np.nan)
    return np.asarray([np.nan if _missing(v) else float(v) for v in x], dtype=float)


def effective_n(value, n, ci_low, ci_high) -> float:
    """Respondents a share's 95 % interval stands for: n, or fewer where the interval is wider than n alone
    gives (a weighted survey's design effect, Kish 1965: n_eff = p(1 − p) / SE²). Every test of shares uses
    it, so an interval imported with a design effect is respected. NaN when n is unknown."""
    if _missing(n) or float(n) <= 0:
        return math.nan
    n = float(n)
    if _missing(ci_low) or _missing(ci_high) or _missing(value):
        return n
    p = float(value) / 100
    se = (float(ci_high) - float(ci_low)) / 100 / (2 * norm.ppf(1 - ALPHA / 2))
    if se <= 0 or not 0 < p < 1:
        return n
    from_ci = p * (1 - p) / se ** 2
    # Wilson's interval from n itself is a little wider than p(1 − p)/n near 0 and 100 %: only a clearly
    # wider interval (a design effect above 1.2) means fewer effective respondents.
    return from_ci if from_ci * 1.2 < n else n


def comparable_points(years, values, n=None, ci_low=None, ci_high=None, *, share: bool = False,
                      break_years=(), series: Series = PLAIN) -> Points:
    """The points a trend or a target may use: after the newest series break only; a value repeated in
    consecutive years counts once (the first year of the run); for a moving average or a repeated
    measurement only points that share no year's data (from the latest back, at least ``series.spacing``
    years apart), since overlapping averages are not independent and make every test overconfident."""
    ys = np.asarray(years, dtype=float)
    vs, ns, lo, hi = _arr(values, len(ys)), _arr(n, len(ys)), _arr(ci_low, len(ys)), _arr(ci_high, len(ys))
    keep = ~np.isnan(vs)
    ys, vs, ns, lo, hi = ys[keep], vs[keep], ns[keep], lo[keep], hi[keep]
    order = np.argsort(ys, kind="stable")
    ys, vs, ns, lo, hi = ys[order], vs[order], ns[order], lo[order], hi[order]
    later = [b for b in break_years if len(ys) and b <= ys[-1]]
    if later:
        mask = ys >= max(later)
        ys, vs, ns, lo, hi = ys[mask], vs[mask], ns[mask], lo[mask], hi[mask]
    first_of_run = np.ones(len(ys), dtype=bool)
    first_of_run[1:] = ~np.isclose(vs[1:], vs[:-1], rtol=0, atol=1e-9)
    collapsed = int((~first_of_run).sum())
    ys, vs, ns, lo, hi = ys[first_of_run], vs[first_of_run], ns[first_of_run], lo[first_of_run], hi[first_of_run]
    gap = series.spacing
    chosen: list[int] = []
    for i in range(len(ys) - 1, -1, -1):
        if not chosen or ys[chosen[-1]] - ys[i] >= gap:
            chosen.append(i)
    chosen.reverse()
    thinned = len(ys) - len(chosen)
    ys, vs, ns, lo, hi = ys[chosen], vs[chosen], ns[chosen], lo[chosen], hi[chosen]
    z95 = norm.ppf(1 - ALPHA / 2)
    se = np.where(np.isnan(lo) | np.isnan(hi), np.nan, (hi - lo) / (2 * z95))
    n_eff = np.array([effective_n(v, k, a, b) for v, k, a, b in zip(vs, ns, lo, hi, strict=True)]) \
        if share else np.full(len(ys), np.nan)
    return Points(ys, vs, se, n_eff, bool(later), collapsed, thinned)


@dataclass(frozen=True)
class TrendTest:
    """'increasing' / 'decreasing' / 'no_trend' (tested), or 'not_testable' with a reason.

    ``change`` is the last minus the first value of the tested points (its size, shown with every verdict);
    ``basis``: 'chi2' (shares with respondents), 'wls' (estimates with intervals), 'mk' (values only),
    '' when untested; ``register``: whole-population register data."""

    direction: str
    p_value: float | None
    points: int
    first_year: int | None
    last_year: int | None
    method: str
    reason: str | None = None
    change: float | None = None
    basis: str = ""
    register: bool = False
    slope: float | None = None


METHOD_CHI2 = "chi2-test för trend"
METHOD_WLS = "viktad linjär regression på standardfelen (z-test av lutningen)"
METHOD_MK = "Mann–Kendall"


def _too_few_reason(pts: Points, series: Series) -> str:
    if series.moving_average > 1 and pts.thinned:
        return (f"glidande {series.moving_average}-årsmedelvärde: färre än fem värden som inte bygger på "
                "samma års enkäter")
    if series.repeated > 1 and (pts.thinned or pts.collapsed):
        return "samma mätning redovisas flera år: färre än fem egna mätningar"
    if pts.cut_at_break:
        return "seriebrott: färre än fem jämförbara mätningar"
    if pts.collapsed:
        return "färre än fem mätningar (samma värde flera år i rad räknas en gång)"
    return "färre än fem mätningar"


def trend(years, values, n=None, share: bool = False, break_years=(), *, ci_low=None, ci_high=None,
          series: Series = PLAIN) -> TrendTest:
    """Trend over the latest five comparable, independent points (``comparable_points``), tested with what
    the data carries:

    - shares with respondents at every point: the chi-squared test for trend (Cochran–Armitage as the
      linear-by-linear association test of the 2×k table of yes/no by year; Agresti 2002 §3.4.6; Fingertips'
      recent-trend method), with the effective respondents where the interval carries a design effect;
    - estimates with a 95 % interval at every point (Kolada's uncertainty KPIs): inverse-variance weighted
      least squares with the variances known (statsmodels WLS, ``cov_type="fixed scale"``), the slope
      z-tested — the standard fixed-effect meta-regression (Borenstein et al. 2009, ch. 20);
    - values without uncertainty (register data): Mann–Kendall (``pymannkendall.original_test``), shown
      with the size of the change.

    Moving averages are tested on non-overlapping values only; values repeated in consecutive years count
    once. ``tests/test_calibration.py`` shows by simulation that each kind says 'increasing' or
    'decreasing' at most about 5 % of the time when nothing changes."""
    pts = comparable_points(years, values, n, ci_low, ci_high, share=share, break_years=break_years,
                            series=series)
    ys, vs = pts.years, pts.values
    span = (int(ys[0]), int(ys[-1])) if len(ys) else (None, None)
    if len(ys) < MIN_TREND_POINTS:
        return TrendTest("not_testable", None, len(ys), *span, "ej testad", _too_few_reason(pts, series),
                         register=series.register)
    ys, vs, se, ns = ys[-MAX_TREND_POINTS:], vs[-MAX_TREND_POINTS:], pts.se[-MAX_TREND_POINTS:], pts.n_eff[-MAX_TREND_POINTS:]
    k = len(ys)
    span = (int(ys[0]), int(ys[-1]))
    change = float(vs[-1] - vs[0])
    slope = None
    if share and not np.isnan(ns).any() and (ns > 0).all():
        yes = vs / 100 * ns
        table = np.column_stack([yes, ns - yes])
        res = Table(table).test_ordinal_association(row_scores=ys - ys[0], col_scores=np.array([1.0, 0.0]))
        p = float(res.pvalue)
        slope = float(np.polyfit(ys, vs, 1, w=np.sqrt(ns))[0])
        rising, method, basis = slope > 0, METHOD_CHI2, "chi2"
    elif not np.isnan(se).any() and (se > 0).all():
        fit = _wls(ys, vs, se)
        slope, p = float(fit.params[1]), float(fit.pvalues[1])
        rising, method, basis = slope > 0, METHOD_WLS, "wls"
    else:
        res = mk.original_test(vs, alpha=ALPHA)
        p = _kendall_exact_p(ys, vs, float(res.p))
        slope = float(res.slope)
        rising, method, basis = float(res.s) > 0, METHOD_MK, "mk"
    if p >= ALPHA:
        return TrendTest("no_trend", p, k, *span, method, change=change, basis=basis, register=series.register,
                         slope=slope)
    return TrendTest("increasing" if rising else "decreasing", p, k, *span, method, change=change, basis=basis,
                     register=series.register, slope=slope)


def _kendall_exact_p(ys: np.ndarray, vs: np.ndarray, approx: float) -> float:
    """Mann–Kendall's S is Kendall's S between the years and the values; without ties its exact null
    distribution is known (Kendall 1938; ``scipy.stats.kendalltau(method="exact")``). With five points the
    normal approximation says p = 0.028 for five values in order, the exact p is 2/120 = 0.017. With ties
    the normal approximation with the tie correction (pymannkendall) stays."""
    from scipy.stats import kendalltau

    if len(np.unique(vs)) < len(vs):
        return approx
    return float(kendalltau(ys, vs, method="exact").pvalue)


def _wls(ys: np.ndarray, vs: np.ndarray, se: np.ndarray):
    """Inverse-variance weighted line with known variances (no scale estimated from 3 residual df)."""
    import statsmodels.api as sm

    return sm.WLS(vs, sm.add_constant(ys - ys[-1]), weights=1.0 / se ** 2).fit(cov_type="fixed scale")


@dataclass(frozen=True)
class TargetCheck:
    """Whether a target is being reached.

    ``status``: reached (met now, and the prediction for the target year is on the good side, or the target
    year has passed with the target met) · reached_now (met now, but the prediction for the target year
    lies wholly on the wrong side) · met_uncertain (met now; the prediction for the target year does not
    decide) · on_track (not met yet, prediction wholly on the good side) · off_track (prediction wholly on
    the wrong side) · missed (the target year has passed, not met) · not_assessable (with a reason).
    ``projected``/``low``/``high``: the fitted value at the target year and its 95 % prediction interval
    (for a direction target: the slope per year of the trend's points); ``trend``: the trend test the
    status rests on (direction targets)."""

    status: str
    points: int
    first_year: int | None
    last_year: int | None
    projected: float | None = None
    low: float | None = None
    high: float | None = None
    reason: str | None = None
    method: str = ""
    trend: TrendTest | None = None
    latest: float | None = None
    better: str = "higher"


METHOD_TARGET_OLS = "linjär trend (OLS) genom trendens mätningar, 95 % prediktionsintervall för målåret"
METHOD_TARGET_WLS = ("linjär trend viktad med standardfelen genom trendens mätningar, 95 % "
                     "prediktionsintervall för målåret")
METHOD_TARGET_DIRECTION = "riktningsmål: bedöms med trendtestet"


def target_check(years, values, *, better: str, target: float | None = None, target_year: int | None = None,
                 break_years=(), n=None, ci_low=None, ci_high=None, share: bool = False,
                 series: Series = PLAIN) -> TargetCheck:
    """Is a target being reached? Judged on exactly the points the trend uses (``comparable_points``, the
    latest five), so a row never says "ingen säker trend" and "inte på väg" from two different windows.

    - Direction only ("ska öka" / "ska minska"): the trend test itself. A tested trend in the good direction
      is "on_track", in the other "off_track", no tested trend "not_assessable".
    - A value by a year: the line through the points — weighted by the standard errors where the points
      have intervals (known variances), ordinary least squares otherwise — gives a 95 % *prediction*
      interval for the value published in the target year (the line's uncertainty plus one year's own
      variation; Kirkwood & Sterne, *Essential Medical Statistics*, 2nd ed., §11.4; for the weighted line
      the latest point's sampling variance). Shares are bounded to 0–100. The status combines that interval
      with whether the target is met now (the latest value's own interval wholly on the good side; for
      register data the value itself), as Eurostat's SDG assessment judges "distance to target" by the
      pace needed by the target year (Eurostat, *Sustainable development in the European Union —
      Monitoring report*, methodological annex). Once the target year has passed, the value published for
      it decides.

    ``tests/test_calibration.py`` checks the statuses on trajectories with known outcomes and that a series
    whose true line ends exactly at the target is called on or off track at most about 5 % of the time."""
    good = 1.0 if better == "higher" else -1.0
    if target is None:
        tr = trend(years, values, n, share, break_years, ci_low=ci_low, ci_high=ci_high, series=series)
        if tr.direction in ("increasing", "decreasing"):
            status = "on_track" if (tr.direction == "increasing") == (good > 0) else "off_track"
            reason = None
        else:
            status = "not_assessable"
            reason = tr.reason if tr.direction == "not_testable" else "ingen säker trend"
        return TargetCheck(status, tr.points, tr.first_year, tr.last_year, tr.slope, reason=reason,
                           method=METHOD_TARGET_DIRECTION, trend=tr, better=better)
    pts = comparable_points(years, values, n, ci_low, ci_high, share=share, break_years=break_years,
                            series=series)
    if not len(pts.years):
        return TargetCheck("not_assessable", 0, None, None, reason="inga publicerade värden", better=better)
    latest, latest_se, last_year = float(pts.values[-1]), float(pts.se[-1]), int(pts.years[-1])
    z95 = norm.ppf(1 - ALPHA / 2)

    def met(value: float, se: float) -> str:
        """'yes' / 'no' / 'unsure': the value (with its interval where it has one) against the target."""
        lo, hi = (value, value) if math.isnan(se) else (value - z95 * se, value + z95 * se)
        return {"met": "yes", "not": "no"}.get(_side(lo, hi, float(target), good, "met", "not"), "unsure")

    if target_year is not None and last_year >= int(target_year):
        at = pts.years <= int(target_year)
        i = int(np.flatnonzero(at)[-1]) if at.any() else len(pts.years) - 1
        m = met(float(pts.values[i]), float(pts.se[i]))
        status = {"yes": "reached", "no": "missed"}.get(m, "not_assessable")
        return TargetCheck(status, 1, int(pts.years[i]), int(pts.years[i]), float(pts.values[i]),
                           reason=None if m != "unsure" else "värdet för målåret ligger inom felmarginalen",
                           method="värdet för målåret", latest=float(pts.values[i]), better=better)
    ys, vs, se = pts.years[-MAX_TREND_POINTS:], pts.values[-MAX_TREND_POINTS:], pts.se[-MAX_TREND_POINTS:]
    span = (int(ys[0]), int(ys[-1]))
    now = met(latest, latest_se)
    if len(ys) < MIN_TREND_POINTS:
        reason = _too_few_reason(pts, series)
        if now == "yes":
            return TargetCheck("met_uncertain", len(ys), *span, latest=latest, reason=reason, better=better)
        return TargetCheck("not_assessable", len(ys), *span, reason=reason, latest=latest, better=better)
    x = float(target_year) - ys[-1] if target_year is not None else 0.0
    # The autocorrelation needs more points than the line: up to the latest ten comparable ones.
    projected, low, high, method = _prediction(ys, vs, se, x, _lag1(pts.years[-10:], pts.values[-10:]))
    if share:
        projected, low, high = (min(max(v, 0.0), 100.0) for v in (projected, low, high))
    side = _side(low, high, float(target), good, "good", "bad")
    if now == "yes":
        status = {"good": "reached", "bad": "reached_now"}.get(side, "met_uncertain")
    else:
        status = {"good": "on_track", "bad": "off_track"}.get(side, "not_assessable")
    reason = "prognosintervallet för målåret omfattar målvärdet" if side == "not_assessable" else None
    return TargetCheck(status, len(ys), *span, projected, low, high, reason=reason, method=method, latest=latest,
                       better=better)


def _lag1(ys: np.ndarray, vs: np.ndarray) -> float:
    """Lag-1 autocorrelation of the residuals around a straight line through up to ten comparable points,
    bias-corrected (E r1 ≈ ρ − (1 + 4ρ)/n, Kendall 1954), bounded to 0–0.9; 0 with fewer than six points."""
    if len(ys) < 6:
        return 0.0
    x = ys - ys[-1]
    resid = vs - np.polyval(np.polyfit(x, vs, 1), x)
    ss = float(np.sum(resid ** 2))
    if ss <= 0:
        return 0.0
    r1 = float(np.sum(resid[1:] * resid[:-1])) / ss
    return min(max(r1 + (1 + 4 * r1) / len(ys), 0.0), 0.9)


def _prediction(ys: np.ndarray, vs: np.ndarray, se: np.ndarray, x: float,
                rho: float = 0.0) -> tuple[float, float, float, str]:
    """Fitted value at ``x`` (years after the latest point) and its 95 % prediction interval.

    Without standard errors (register data) the year-to-year variation is estimated from the residuals, and
    where they are autocorrelated (a register following the business cycle) the interval is widened by
    √((1 + r1)/(1 − r1)), the effective-sample-size adjustment for AR(1) residuals of Santer et al. (2000),
    "Statistical significance of trends and trend differences in layer-average atmospheric temperature time
    series", J. Geophys. Res. 105:7337; r1 from ``_lag1``."""
    import statsmodels.api as sm

    exog = np.array([[1.0, x]])
    if not np.isnan(se).any() and (se > 0).all():
        fit = _wls(ys, vs, se)
        pred = fit.get_prediction(exog)
        mean = float(pred.predicted_mean[0])
        sd = math.sqrt(float(pred.var_pred_mean[0]) + float(se[-1]) ** 2)
        z95 = norm.ppf(1 - ALPHA / 2)
        return mean, mean - z95 * sd, mean + z95 * sd, METHOD_TARGET_WLS
    fit = sm.OLS(vs, sm.add_constant(ys - ys[-1])).fit()
    frame = fit.get_prediction(exog).summary_frame(alpha=ALPHA)
    mean = float(frame["mean"].iloc[0])
    half = (float(frame["obs_ci_upper"].iloc[0]) - mean) * math.sqrt((1 + rho) / (1 - rho))
    return mean, mean - half, mean + half, METHOD_TARGET_OLS


def _side(low: float, high: float, threshold: float, good: float, yes: str, no: str) -> str:
    """``yes`` when the interval lies wholly on the good side of ``threshold``, ``no`` when wholly on the
    other, else "not_assessable"."""
    if (good > 0 and low >= threshold) or (good < 0 and high <= threshold):
        return yes
    if (good > 0 and high < threshold) or (good < 0 and low > threshold):
        return no
    return "not_assessable"


def rate_p(count: float, population: float, benchmark_rate: float, per: float = 100_000) -> float:
    """Two-sided exact p-value of a count against the count a benchmark's rate would give on the same
    population (``statsmodels.stats.rates.test_poisson``, method "exact-c": the test whose acceptance region
    is ``rate_interval``'s, so p < 0.05 exactly when the benchmark lies outside the interval)."""
    from statsmodels.stats.rates import test_poisson

    return float(test_poisson(float(count), float(population), float(benchmark_rate) / per,
                              method="exact-c").pvalue)


def rate_interval(count: float, population: float, per: float = 100_000) -> tuple[float, float]:
    """95 % interval of a crude rate per ``per`` from its count and population: exact Poisson (Garwood)."""
    low, high = confint_poisson(float(count), float(population), method="exact-c", alpha=ALPHA)
    return float(low) * per, float(high) * per
