"""Issue #30: a register's crude rate ("antal/100 000 inv") whose catalogue names its population gets the
interval Fingertips gives a crude rate (exact Poisson on its count), and its comparison with Riket says
whether the difference is larger than chance variation explains — never "säkert", the sample surveys' word.

Checked against code independent of the app's: Garwood's chi-squared formula (scipy) for the interval, the
store read with sqlite3 for the population, and a simulation for the false alarms."""

from __future__ import annotations

import copy
import sqlite3

import numpy as np
import pytest
from scipy.stats import chi2

from catalogue import schema as cs
from components import fmt, verdicts
from etl.catalogue import CatalogueError, check_references, load_catalogue
from services import overview as svc_ov
from services import scope, stats

RATES = ("N07402", "N07403", "N07540", "N07544", "N07549")


def _garwood(count: int, population: float, per: float = 100_000) -> tuple[float, float]:
    """Garwood (1936): the exact central 95 % interval of a Poisson count, as a rate per ``per``."""
    low = chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    high = chi2.ppf(0.975, 2 * (count + 1)) / 2
    return low / population * per, high / population * per


@pytest.mark.parametrize("count,population", [(0, 20_000), (3, 45_000), (342, 32_075), (14_000, 98_000)])
def test_the_interval_is_garwoods_and_the_p_value_its_test(count, population):
    low, high = stats.rate_interval(count, population)
    want = _garwood(count, population)
    assert low == pytest.approx(want[0], rel=1e-6, abs=1e-9) and high == pytest.approx(want[1], rel=1e-6)
    # The p-value is the test whose acceptance region is the interval: below 0.05 exactly outside it.
    for bench in np.linspace(max(low * 0.8, 1e-6), high * 1.2, 41):
        inside = low <= bench <= high
        p = stats.rate_p(count, population, bench)
        assert (p >= 0.05) == inside or abs(bench - low) < 1e-3 * low or abs(bench - high) < 1e-3 * high, \
            (count, bench, low, high, p)


def test_no_more_than_five_percent_false_alarms_when_the_rate_is_riket_s():
    """Calibration: counts drawn from Poisson with the municipality's true rate equal to Riket's, on the
    populations and rates of Sweden's municipalities and crime figures; the comparison says "större skillnad
    än slumpen förklarar" in at most about 5 % of them (the exact interval is conservative)."""
    rng = np.random.default_rng(20261207)
    alarms, runs = 0, 4000
    for _ in range(runs):
        population = float(rng.integers(2_500, 200_000))
        rate = float(rng.choice([13.0, 125.0, 1_195.0, 13_111.0]))
        count = int(rng.poisson(rate * population / 100_000))
        low, high = stats.rate_interval(count, population)
        alarms += stats.against_benchmark(count / population * 100_000, low, high, rate) != "similar"
    assert alarms / runs <= 0.055, alarms / runs


def test_the_words_are_higher_or_lower_with_whether_chance_explains_it():
    beyond = verdicts.standing_words("worse", 1_502.0, 1_194.5, 0, "antal/100 000 inv", "Riket", "register_rate",
                                     p_value=0.0001)
    assert beyond.head.startswith("Högre än Riket: +") and verdicts.RATE_BEYOND in beyond.lines
    assert beyond.css == "worse" and "Fingertips" in beyond.how and "p = 0" in beyond.how
    within = verdicts.standing_words("similar", 1_180.0, 1_194.5, 0, "antal/100 000 inv", "Riket",
                                     "register_rate")
    assert within.head.startswith("Lägre än Riket: −") and verdicts.RATE_WITHIN in within.lines
    assert within.css == "plain"
    for w in (beyond, within):
        assert "äkert" not in w.head + " ".join(w.lines)  # never the sample surveys' word


def test_the_catalogue_refuses_a_population_on_what_is_no_rate():
    cat = load_catalogue()
    bad = copy.deepcopy(cat)
    share = next(i for i in bad.indicators if i["unit"] == "%" and i["source"] == "kolada")
    share["population_kpi"] = "N01951"
    with pytest.raises(CatalogueError, match="population_kpi kräver enheten"):
        check_references(bad)
    bad = copy.deepcopy(cat)
    rate = next(i for i in bad.indicators if i["id"] == "N07403")
    rate["population_kpi"] = "N99999"
    with pytest.raises(CatalogueError, match="N99999 är ingen indikator"):
        check_references(bad)
    assert cs.rate_base("antal/100 000 inv") == 100_000 and cs.rate_base("%") is None


def test_the_overview_compares_the_rates_with_their_poisson_interval(app_store):
    """Södertälje's overview: each crime rate per 100 000 that has a Riket value rests on the Poisson
    interval of its count, computed from the store's own population of the same year (read here with
    sqlite3), and its words never say "säkert"."""
    from components import tables
    from services.filters import Filters

    df = svc_ov.overview_frame(scope.resolve(Filters(kommun="0181", jmf="0000")))
    rates = df[df["indicator_id"].isin(RATES) & df["bench"].notna()]
    assert len(rates) >= 3
    assert set(rates["standing_basis"]) == {"register_rate"}
    con = sqlite3.connect(app_store)
    for r in rates.itertuples():
        pop = con.execute("SELECT value FROM observation WHERE indicator_id = 'N01951' AND area_id = '0181' "
                          "AND year = ? AND gender = 'T' AND status = 'ok'", (r.latest_year,)).fetchone()[0]
        low, high = _garwood(round(r.latest * pop / 100_000), pop)
        outside = not low <= r.bench <= high
        assert r.standing_p == pytest.approx(stats.rate_p(round(r.latest * pop / 100_000), pop, r.bench))
        # The overview's joint control (Benjamini–Hochberg) may only take a verdict away, never add one.
        assert outside or r.standing == "similar", (r.indicator_id, low, high, r.bench, r.standing)
        # "Hur vet vi det?" says what the interval was worked out from: the count, the population and its source.
        how = tables.standing_words_of(r, "Riket").how
        assert f"{fmt.number(round(r.latest * pop / 100_000), 0)} fall bland {fmt.number(pop, 0)} invånare" in how
        assert "Invånare totalt" in how and f"invånare {r.latest_year}" in how, how
    con.close()
    html = tables.overview_table(df, "t", "Riket")
    assert verdicts.RATE_BEYOND in html or verdicts.RATE_WITHIN in html
    for row in rates.itertuples():
        assert "Säkert" not in verdicts.standing_words(row.standing, row.latest, row.bench, 0, "antal/100 000 inv",
                                                       "Riket", row.standing_basis).head


def test_the_indicator_page_uses_the_same_interval(app_store):  # noqa: ARG001 - the store it reads
    from services import indicators as svc
    from services.filters import Filters

    d = svc.indicator_data("N07403", scope.resolve(Filters(kommun="0181", jmf="0000")))
    summary = svc.summarise(d, "T", 2022)
    assert summary.basis == "register_rate" and summary.bench_value is not None
    rate = svc.rate_interval("N07403", "0181", summary.latest)
    assert rate is not None and rate.population > 0
    side = stats.against_benchmark(summary.latest["value"], rate.low, rate.high, summary.bench_value)
    assert summary.standing == {"lower": "better", "higher": "worse", "similar": "similar"}[side]  # lower_better
    from components.indicator_block import standing_of

    how = standing_of(d, summary).how  # the block's popover: the same count, population and p as the overview
    assert f"{fmt.number(rate.count, 0)} fall bland {fmt.number(rate.population, 0)} invånare" in how
    assert f"p = {fmt.number(rate.p_against(summary.bench_value), 3)}" in how


def test_the_risk_grid_never_calls_a_rate_sure():
    import pandas as pd

    from components.risk import factor_verdict

    rows = pd.DataFrame({"standing": ["worse", "worse"], "standing_basis": ["register_rate", "tested"]})
    css, text = factor_verdict(rows, "risk")
    assert css == "worse" and "1 sämre än slumpen förklarar" in text and "1 av 2 säkert sämre" in text
    assert text.count("säkert") == 1
