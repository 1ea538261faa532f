"""The statistical tests behind the verdicts (services.stats), against hand-computed values and the
libraries' own, and the wording policy (components.verdicts): no verdict word without a test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency, norm

from components import verdicts
from services import analysis, stats


def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), Table II, example (a): 56/70 vs 48/80 → difference 0.2000, method 10 interval
    # 0.0524 to 0.3339.
    t = stats.diff_proportions(48 / 80 * 100, 80, 56 / 70 * 100, 70)
    assert t.diff == pytest.approx(20.0)
    assert t.low == pytest.approx(5.24, abs=0.01) and t.high == pytest.approx(33.39, abs=0.01)
    assert t.significant is True


def test_two_proportion_p_value_by_hand():
    # Score test without continuity correction = pooled z test: z = (p2 − p1) / sqrt(p(1−p)(1/n1 + 1/n2)).
    p1, p2, n = 0.60, 0.67, 400
    pooled = (p1 + p2) / 2
    z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * 2 / n)
    t = stats.diff_proportions(60, n, 67, n)
    assert t.p_value == pytest.approx(2 * norm.sf(z), rel=0.02)


def test_difference_from_intervals_by_hand():
    # Altman & Bland 2003: SE from the half-widths.
    se1, se2 = 5 / 1.959964, 4 / 1.959964
    t = stats.diff_from_intervals(70, 65, 75, 80, 76, 84)
    assert t.p_value == pytest.approx(2 * norm.sf(10 / math.hypot(se1, se2)), rel=1e-6)
    assert t.significant is True
    assert stats.diff_from_intervals(70, 65, 75, 72, 68, 76).significant is False


def test_trend_for_shares_is_the_chi_squared_test_for_trend():
    years = [2020, 2021, 2022, 2023, 2024]
    values = [50.0, 53.0, 56.0, 58.0, 61.0]
    n = [400] * 5
    t = stats.trend(years, values, n, share=True)
    assert t.method == "chi2-test för trend" and t.direction == "increasing"
    # Cochran–Armitage by hand: linear-by-linear M² = (N − 1) r², r = Pearson correlation of the scores.
    yes = np.array(values) / 100 * 400
    x = np.repeat(np.arange(5.0), 2)
    y = np.tile([1.0, 0.0], 5)
    w = np.column_stack([yes, 400 - yes]).ravel()
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    r = np.sum(w * (x - mx) * (y - my)) / math.sqrt(np.sum(w * (x - mx) ** 2) * np.sum(w * (y - my) ** 2))
    m2 = (w.sum() - 1) * r ** 2
    assert t.p_value == pytest.approx(2 * norm.sf(math.sqrt(m2)), rel=1e-6)
    # The trend test is stronger than the plain chi-squared test of homogeneity on the same table.
    assert t.p_value < chi2_contingency(np.column_stack([yes, 400 - yes]))[1]


def test_trend_without_respondents_is_mann_kendall_and_needs_five_points():
    t = stats.trend([2020, 2021, 2022, 2023, 2024], [1, 2, 3, 4, 5])
    assert t.method == "Mann–Kendall" and t.direction == "increasing"
    assert t.p_value == pytest.approx(2 / 120)  # exact: S = 10 is 1 of 120 orderings in each tail (Kendall)
    assert stats.trend([2020, 2021, 2022, 2024], [1, 2, 3, 4]).direction == "not_testable"
    flat = stats.trend([2020, 2021, 2022, 2023, 2024], [3, 1, 4, 1, 5])
    assert flat.direction == "no_trend"


def test_trend_stops_at_a_series_break():
    t = stats.trend(range(2015, 2025), range(10), break_years=(2021,))
    assert t.direction == "not_testable" and "seriebrott" in t.reason


def test_exact_poisson_rate_interval():
    low, high = stats.rate_interval(10, 50_000)
    # Garwood: chi2(0.025, 20)/2 and chi2(0.975, 22)/2 → 4.795 and 18.390 per 50 000.
    assert low == pytest.approx(4.795 / 50_000 * 100_000, rel=1e-3)
    assert high == pytest.approx(18.390 / 50_000 * 100_000, rel=1e-3)


def test_gap_is_tested_like_a_change():
    import pandas as pd

    own = pd.DataFrame([
        {"year": 2024, "gender": "K", "value": 62.0, "n": 200, "status": "ok", "ci_low": None, "ci_high": None},
        {"year": 2024, "gender": "M", "value": 60.0, "n": 200, "status": "ok", "ci_low": None, "ci_high": None},
        {"year": 2024, "gender": "T", "value": 61.0, "n": 400, "status": "ok", "ci_low": None, "ci_high": None},
    ])
    g = analysis.gap_test(own, "%")
    assert g.diff == pytest.approx(2.0) and g.test.significant is False
    assert verdicts.gap_text(g, 1, "%") == "+2,0\u00a0procentenheter – ingen säker skillnad"


@pytest.mark.parametrize("then,now,unit,expected", [
    ({"value": 60.0, "n": 400}, {"value": 67.0, "n": 400}, "%", "Förbättrad: +7,0\u00a0procentenheter sedan 2020"),
    ({"value": 60.0, "n": 400}, {"value": 62.0, "n": 400}, "%",
     "Ingen säker förändring (+2,0\u00a0procentenheter sedan 2020)"),
    ({"value": 60.0}, {"value": 60.4}, "%",
     "+0,4\u00a0procentenheter sedan 2020 (ej testad: varken antal svarande eller konfidensintervall)"),
    ({"value": 12.0}, {"value": 12.04}, "antal/1000 inv",
     "±0,0\u00a0antal/1000 inv sedan 2020 (ej testad: varken antal svarande eller konfidensintervall)"),
])
def test_one_wording_policy(then, now, unit, expected):
    base = {"n": None, "ci_low": None, "ci_high": None}
    c = analysis.direction({**base, **then, "year": 2020}, {**base, **now, "year": 2024}, "higher_better", unit)
    text = verdicts.change_text(c, 1, unit)
    assert text == expected
    if not c.tested:
        assert not any(w in text.lower() for w in verdicts.VERDICT_WORDS)


def test_a_change_never_reaches_across_a_series_break():
    base = {"n": 400, "ci_low": None, "ci_high": None}
    c = analysis.direction({**base, "value": 10.0, "year": 2017}, {**base, "value": 20.0, "year": 2022},
                           "lower_better", "%", breaks=(2019,))
    assert c.label == "break" and not c.tested
    text = verdicts.change_text(c, 1, "%")
    assert text == "+10,0\u00a0procentenheter sedan 2017 (ej jämförbar: seriebrott 2019)"
    assert not any(w in text.lower() for w in verdicts.VERDICT_WORDS)
    # A break before the baseline does not matter.
    c = analysis.direction({**base, "value": 10.0, "year": 2019}, {**base, "value": 20.0, "year": 2022},
                           "lower_better", "%", breaks=(2019,))
    assert c.label == "worsened"


def test_catalogue_series_breaks_reach_the_store(demo_store):
    import sqlite3

    with sqlite3.connect(demo_store) as con:
        breaks = dict(con.execute("SELECT indicator_id, year FROM series_break WHERE indicator_id IN ('U01803', 'N33812')"))
    assert breaks == {"U01803": 2019, "N33812": 2014}


def test_a_series_break_can_concern_some_areas_only(app_store, tmp_path, monkeypatch):
    """Issue #12: a break declared for some areas (or their county) cuts only those areas' series."""
    import sqlite3

    from services import indicators as svc
    from services.store import clear_caches

    store = tmp_path / "s.sqlite"
    store.write_bytes(app_store.read_bytes())
    with sqlite3.connect(store) as con:
        con.execute("INSERT INTO series_break (indicator_id, year, description, areas) VALUES "
                    "('N15418', 2020, 'Ny skolenkät i Sörmland', '0004')")
    monkeypatch.setenv("INDICATOR_STORE", str(store))
    clear_caches()
    try:
        assert 2020 in svc.break_years("N15418", "0483")  # Katrineholm lies in Sörmland (0004)
        assert 2020 not in svc.break_years("N15418", "1287")  # Trelleborg does not
        assert 2020 in svc.break_years("N15418")  # charts of every area show it
    finally:
        monkeypatch.undo()
        clear_caches()


# --- Targets (issue #26): a prediction interval for the target year, on the trend's own points ------------

def _prediction_interval(ys, vs, x0):
    """The 95 % prediction interval of one new value at year x0, by hand with scipy's t (independent of the
    statsmodels code under test): ŷ ± t(n−2) · s · √(1 + 1/n + (x0 − x̄)² / Sxx)."""
    from scipy.stats import t as t_dist

    ys, vs = np.asarray(ys, float), np.asarray(vs, float)
    n = len(ys)
    slope, intercept = np.polyfit(ys, vs, 1)
    resid = vs - (intercept + slope * ys)
    s = np.sqrt((resid ** 2).sum() / (n - 2))
    sxx = ((ys - ys.mean()) ** 2).sum()
    half = t_dist.ppf(0.975, n - 2) * s * np.sqrt(1 + 1 / n + (x0 - ys.mean()) ** 2 / sxx)
    fit = intercept + slope * x0
    return fit - half, fit, fit + half


# Five points: the trend's window, and too few to estimate an autocorrelation (no widening).
NOISY = ([2019, 2020, 2021, 2022, 2023], [62.8, 66.1, 65.9, 68.4, 69.0])


def test_the_projection_is_a_hand_computed_prediction_interval_on_the_trends_points():
    ys, vs = NOISY
    check = stats.target_check(ys, vs, better="higher", target=90.0, target_year=2030)
    low, fit, high = _prediction_interval(ys, vs, 2030)
    assert check.projected == pytest.approx(fit) and check.low == pytest.approx(low) and check.high == pytest.approx(high)
    assert (check.first_year, check.last_year, check.points) == (2019, 2023, 5)
    assert stats.trend(ys, vs).first_year == check.first_year  # the trend's window


def test_autocorrelated_register_residuals_widen_the_prediction():
    ys = list(range(2014, 2024))
    vs = [60.0, 61.5, 62.5, 62.0, 61.0, 62.5, 64.0, 65.0, 64.5, 64.0]  # slow waves around a rising line
    check = stats.target_check(ys, vs, better="higher", target=90.0, target_year=2030)
    low, fit, high = _prediction_interval(ys[-5:], vs[-5:], 2030)  # the line: the trend's five points
    assert check.projected == pytest.approx(fit)
    assert check.high - check.low > 1.2 * (high - low)  # widened by the ten points' autocorrelation
    assert "prediktionsintervall" in check.method


@pytest.mark.parametrize("target,expected", [
    (60.0, "reached"),     # met now, and the whole prediction for 2030 is above 60
    (95.0, "off_track"),   # 95 is above even the prediction interval's top in 2030
])
def test_target_statuses_follow_the_prediction_interval(target, expected):
    ys, vs = NOISY
    low, _, high = _prediction_interval(ys[-5:], vs[-5:], 2030)
    check = stats.target_check(ys, vs, better="higher", target=target, target_year=2030)
    assert check.status == expected
    assert (low >= target) if expected == "reached" else (high < target)


def test_a_target_inside_the_prediction_interval_is_not_assessable_and_says_why():
    ys, vs = NOISY
    _, fit, _ = _prediction_interval(ys, vs, 2030)
    check = stats.target_check(ys, vs, better="higher", target=fit, target_year=2030)
    assert check.status == "not_assessable" and "omfattar målvärdet" in check.reason


def test_direction_targets_are_the_trend_test():
    ys, vs = NOISY[0], [30.0, 28.5, 27.9, 26.0, 25.1]  # falling steadily
    tr = stats.trend(ys, vs)
    assert tr.direction == "decreasing"
    down = stats.target_check(ys, vs, better="lower")
    assert down.status == "on_track" and down.trend == tr   # "ska minska"
    assert stats.target_check(ys, vs, better="higher").status == "off_track"  # "ska öka"
    flat = [50.0, 51.0, 49.5, 50.5, 49.0]
    check = stats.target_check(ys, flat, better="higher")
    assert check.status == "not_assessable" and stats.trend(ys, flat).direction == "no_trend"


def test_too_few_points_or_a_series_break_make_a_target_not_assessable():
    ys, vs = NOISY
    assert stats.target_check(ys[:3], vs[:3], better="higher", target=70, target_year=2030).status == "not_assessable"
    check = stats.target_check(ys, vs, better="higher", target=70, target_year=2030, break_years=(2020,))
    assert check.status == "not_assessable" and "seriebrott" in check.reason


# --- Many tests on one page (issue #26) -------------------------------------------------------------------

def _row(p_change: float, p_trend: float):
    change = analysis.Change("improved", 5.0, True, 2020, 2025,
                             stats.DiffTest(5.0, 1.0, 9.0, p_change, True, "Newcombe"))
    trend = stats.TrendTest("increasing", p_trend, 5, 2021, 2025, stats.METHOD_WLS, basis="wls")
    return {"change_obj": change, "change_label": "improved", "trend_obj": trend, "gap_obj": None,
            "gap_significant": None, "standing": "no_test", "standing_p": None, "district_gap_obj": None,
            "target_obj": None}


def test_the_overview_controls_false_discoveries_per_column_with_benjamini_hochberg():
    import pandas as pd
    from statsmodels.stats.multitest import multipletests

    ps = [0.0001, 0.002, 0.03, 0.04, 0.049] + [0.5] * 15
    frame = pd.DataFrame([_row(p, p) for p in ps])
    out, many = analysis.control_false_discoveries(frame)
    expected = multipletests(ps, alpha=0.05, method="fdr_bh")[0]
    assert list(out["change_label"] == "improved") == list(expected)
    assert [t.direction == "increasing" for t in out["trend_obj"]] == list(expected)
    withdrawn = out["change_obj"].iloc[2]
    assert withdrawn.label == "no_change" and withdrawn.test.reason == analysis.ADJUSTED
    assert many.tests == 40 and many.significant_alone == 40 and many.kept == 2 * int(expected.sum())
    assert "översiktens många test" in verdicts.change_text(withdrawn, 1, "%", reason=False)
    # Verdicts are only withdrawn: a test that was not significant alone stays as it was.
    assert frame["change_obj"].iloc[0] is out["change_obj"].iloc[0]


def test_a_direction_target_follows_its_trend_when_the_trend_is_withdrawn():
    import pandas as pd

    row = _row(0.5, 0.04)
    tr = row["trend_obj"]
    row["target_obj"] = stats.TargetCheck("on_track", 5, 2021, 2025, 1.0, trend=tr)
    frame = pd.DataFrame([row] + [_row(0.5, 0.6) for _ in range(9)])
    out, _ = analysis.control_false_discoveries(frame)
    assert out["trend_obj"].iloc[0].direction == "no_trend"
    assert out["target_obj"].iloc[0].status == "not_assessable"


def test_registeruppgift_only_where_the_trend_rests_on_the_values_alone():
    """A Kolada KPI filed as a register but published with intervals (NTU's survey) is tested on its
    standard errors: a sample, so the trend text does not call it a register figure."""
    ys = [2021, 2022, 2023, 2024, 2025]
    vs = [30.0, 29.0, 28.5, 27.0, 26.1]
    reg = stats.Series(register=True)
    with_ci = stats.trend(ys, vs, ci_low=[v - 4 for v in vs], ci_high=[v + 4 for v in vs], series=reg)
    values_only = stats.trend(ys, vs, series=reg)
    assert with_ci.basis == "wls" and "registeruppgift" not in verdicts.trend_how(with_ci)
    assert values_only.basis == "mk" and "registeruppgift" in verdicts.trend_how(values_only)
    assert "Mann–Kendall" not in verdicts.trend_text(values_only, "lower_better", 1, "%")  # plain on screen
