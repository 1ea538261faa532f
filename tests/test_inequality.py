"""Inequality between districts (issue #19): SII/RII against the reference implementation's own test values and
against a hand computation; the tested sentence; hidden districts never enter (checked against the store with
code of its own); the district page, the indicator block's tab and the overview's marker."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from components import verdicts
from services import inequality as ineq
from services import overview as svc_ov
from services import scope
from services.stats import DiffTest

# PHEindicatormethods (ukhsa-collaboration, v2.1.0, commit 093fd288), tests/testthat/testdata_SII.xlsx,
# records 1–10 ("area1", value_type 0, 95 %, 100 000 repetitions) and record 246 (the intercept).
PHE_POP = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
PHE_VALUE = [75.933459010308098, 78.344238272784295, 83.836063104165405, 83.637539966493094, 80.465503152955904,
             81.115675985702197, 81.693083571856207, 84.190006206098701, 80.595564108147201, 86.289434957862397]
PHE_LOW = [72.722053054645301, 75.250980219080205, 80.869729512475899, 80.157578356035998, 77.130878596927502,
           78.049998681117799, 79.011578491948001, 81.445728276934304, 75.827185168894005, 83.2190593454592]
PHE_HIGH = [79.144864965970797, 81.4374963264884, 86.802396695854895, 87.117501576950104, 83.800127708984206,
            84.181353290286594, 84.374588651764398, 86.934284135263098, 85.363943047400397, 89.359810570265594]
PHE_SII, PHE_RII, PHE_INTERCEPT = 6.9346164736688189, 1.0888180804446217, 78.076630782316712
PHE_SII_CI = (3.1275946176508169, 10.7586873680794)
PHE_RII_CI = (1.0383690591642838, 1.1412993360251238)


def test_sii_reproduces_phe_test_values():
    # Quantile 1 is the most deprived: give it the highest deprivation.
    se = ineq.standard_errors(PHE_VALUE, ci_low=PHE_LOW, ci_high=PHE_HIGH)
    res = ineq.sii(PHE_VALUE, PHE_POP, [11 - q for q in range(1, 11)], se)
    assert res.status == "ok" and res.districts == 10
    assert res.sii == pytest.approx(PHE_SII, rel=1e-9)
    assert res.rii == pytest.approx(PHE_RII, rel=1e-9)
    assert res.intercept == pytest.approx(PHE_INTERCEPT, rel=1e-9)
    # The package's own tests compare simulated limits with a relative tolerance of 0.05.
    assert res.low == pytest.approx(PHE_SII_CI[0], rel=0.05)
    assert res.high == pytest.approx(PHE_SII_CI[1], rel=0.05)
    assert res.rii_low == pytest.approx(PHE_RII_CI[0], rel=0.05)
    assert res.rii_high == pytest.approx(PHE_RII_CI[1], rel=0.05)
    assert "simulering" in res.method


def test_sii_matches_a_hand_computation():
    """Five districts: relative ranks and the weighted least-squares slope worked out with sums only."""
    pop = np.array([100.0, 300.0, 100.0, 300.0, 200.0])
    dep = np.array([30.0, 25.0, 20.0, 10.0, 5.0])  # already most deprived first
    val = np.array([60.0, 70.0, 66.0, 80.0, 85.0])
    share = pop / pop.sum()  # 0.1 0.3 0.1 0.3 0.2
    ranks = np.array([0.05, 0.25, 0.45, 0.65, 0.9])  # cumulative share minus half the own share
    assert np.allclose(np.cumsum(share) - share / 2, ranks)
    assert np.allclose(ineq.relative_rank(dep, pop), ranks)
    xm, ym = np.sum(share * ranks), np.sum(share * val)
    slope = np.sum(share * (ranks - xm) * (val - ym)) / np.sum(share * (ranks - xm) ** 2)
    intercept = ym - slope * xm
    res = ineq.sii(val, pop, dep)
    assert res.sii == pytest.approx(slope, rel=1e-12)
    assert res.rii == pytest.approx((intercept + slope) / intercept, rel=1e-12)
    # Register statistics (no standard errors): descriptive, no interval for the SII or the RII.
    assert res.low is None and res.high is None and res.rii_low is None
    assert res.method == ineq.DESCRIPTIVE == "registeruppgift – beskrivande, ej testad"


def test_relative_rank_orders_by_deprivation_not_by_input_order():
    ranks = ineq.relative_rank([5.0, 30.0, 15.0], [1, 1, 2])
    # Most deprived (30) first: shares 0.25, 0.5, 0.25 → midpoints 0.125, 0.5, 0.875.
    assert np.allclose(ranks, [0.875, 0.125, 0.5])


def test_tied_districts_share_a_rank_and_no_order_is_invented():
    # 20 and 20 tie: together 0.5 of the population after the most deprived 0.25 → both at 0.5.
    assert np.allclose(ineq.relative_rank([30.0, 20.0, 20.0, 5.0], [1, 1, 1, 1]), [0.125, 0.5, 0.5, 0.875])
    # Swapping the tied districts' values changes nothing.
    a = ineq.sii([10, 20, 30, 40, 50, 60], [1] * 6, [9, 7, 7, 5, 3, 1])
    b = ineq.sii([10, 30, 20, 40, 50, 60], [1] * 6, [9, 7, 7, 5, 3, 1])
    assert a.sii == pytest.approx(b.sii)
    # With one ranking value for all, there is no gradient to measure (not one made by the sort).
    flat = ineq.sii([10, 12, 30, 14, 50, 16], [1] * 6, [7.0] * 6)
    assert flat.status == "no_variation" and flat.sii is None
    with pytest.raises(ValueError):
        ineq.sii([1, 2, 3, 4, 5], [1] * 5, [5, 4, 3, 2, 1], [1.0] * 5, repetitions=10)


def test_an_interval_needs_every_districts_error_and_says_so():
    v, pop, dep = [60.0, 65, 70, 75, 80, 85], [1, 2, 1, 2, 1, 2], [6, 5, 4, 3, 2, 1]
    some = ineq.sii(v, pop, dep, [2.0, np.nan, 2.0, 2.0, 2.0, 2.0])
    assert some.status == "ok" and "urvalsfel saknas för 1 av 6" in some.method and some.rii_low is None
    assert some.low is None and some.high is None and "beskrivande, ej testad" in some.method
    zero = ineq.sii(v, pop, dep, [2.0, 0.0, 2.0, 2.0, 2.0, 2.0])  # a share of 0 or 100 % can have SE 0
    assert "simulering" in zero.method and zero.low < zero.sii < zero.high


def test_sii_needs_five_districts_and_a_ranking():
    assert ineq.sii([1, 2, 3, 4], [1, 1, 1, 1], [4, 3, 2, 1]).status == "too_few"
    assert ineq.sii([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], [5, 4, np.nan, 2, 1]).status == "no_rank"
    ok = ineq.sii([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], [5, 4, 3, 2, 1], left_out=3)
    assert ok.status == "ok" and ok.left_out == 3 and ok.sii == pytest.approx(5.0)


def test_rii_only_where_both_fitted_ends_are_positive():
    res = ineq.sii([20.0, 15.0, 9.0, 4.0, 1.0], [1, 1, 1, 1, 1], [5, 4, 3, 2, 1])
    assert res.sii < 0 and res.intercept + res.sii < 0 and res.rii is None


def _change(gaps, lows, highs, years=(2019, 2025), breaks=()):
    return ineq.gap_change(list(years), gaps, lows, highs, breaks)


def test_gap_change_labels_follow_the_test():
    assert _change([10.0, 3.0], [8.0, 1.0], [12.0, 5.0]).label == "narrowed"
    assert _change([3.0, 10.0], [1.0, 8.0], [5.0, 12.0]).label == "widened"
    assert _change([-3.0, -10.0], [-5.0, -12.0], [-1.0, -8.0]).label == "widened"
    assert _change([6.0, -6.0], [4.0, -8.0], [8.0, -4.0]).label == "reversed"
    # Across zero the test of b − a says nothing about the size: "changed", never "narrowed"/"widened".
    assert _change([3.0, -3.5], [-1.0, -7.5], [7.0, 0.5]).label == "changed"
    assert _change([0.5, -9.0], [-1.5, -11.0], [2.5, -7.0]).label == "changed"
    assert _change([10.0, 8.0], [4.0, 2.0], [16.0, 14.0]).label == "no_change"
    untested = _change([10.0, 8.0], [np.nan, 2.0], [np.nan, 14.0])
    assert untested.label == "untested" and untested.reason
    # Nothing reaches across a series break.
    cut = ineq.gap_change([2017, 2019, 2025], [20.0, 10.0, 3.0], [18.0, 8.0, 1.0], [22.0, 12.0, 5.0], (2019,))
    assert cut.first_year == 2019 and cut.label == "narrowed"
    alone = ineq.gap_change([2017, 2025], [20.0, 3.0], [18.0, 1.0], [22.0, 5.0], (2025,))
    assert alone.label == "untested" and "seriebrott" in alone.reason


def test_sentences_use_verdict_words_only_when_tested():
    narrowed = _change([10.0, 3.0], [8.0, 1.0], [12.0, 5.0])
    text = verdicts.gap_change_sentence(narrowed, 1, "%", "Skillnaden mellan delområdena", "SII")
    assert text.startswith("Skillnaden mellan delområdena har minskat sedan 2019, säkert")
    assert "procentenheter" in text and "p = " not in text  # the method and p: "Hur vet vi det?"
    assert "p = " in verdicts.gap_change_how(narrowed) and "z-test" in verdicts.gap_change_how(narrowed)
    same = _change([10.0, 8.0], [4.0, 2.0], [16.0, 14.0])
    text = verdicts.gap_change_sentence(same, 1, "%", "Skillnaden mellan delområdena", "SII")
    assert text.startswith("Ingen säker förändring av skillnaden mellan delområdena sedan 2019")
    assert "minskat" not in text
    across = _change([3.0, -3.5], [-1.0, -7.5], [7.0, 0.5])
    text = verdicts.gap_change_sentence(across, 1, "%", "Skillnaden mellan flickor och pojkar", "K − M")
    assert "gått över noll" in text and "minskat" not in text and "ökat" not in text
    untested = ineq.GapChange("untested", 2025, 2025, None, None, reason="färre än två år att jämföra")
    text = verdicts.gap_change_sentence(untested, 1, "%", "Skillnaden mellan delområdena", "SII")
    assert "kan inte prövas" in text and not any(w in text.lower() for w in verdicts.VERDICT_WORDS)
    assert verdicts.gap_change_cell(narrowed) == "↘ Minskat sedan 2019 (säkert)"
    sii_text = verdicts.sii_sentence(2025, 4.2, 1.0, 7.5, 1, "%", 12)
    assert "enligt regressionslinjen 4,2\u00a0procentenheter högre i den minst utsatta änden" in sii_text
    assert "säker skillnad" in sii_text and "rangordnade efter låg ekonomisk standard" in sii_text
    assert "i stort sett flat" in verdicts.sii_sentence(2025, 0.01, -3.0, 3.0, 1, "%", 12)
    assert "ingen säker skillnad" in verdicts.sii_sentence(2025, -1.0, -3.0, 1.0, 1, "%", 12)


def _no_verdict(text: str) -> bool:
    low = text.lower()
    return not any(w in low for w in (*verdicts.VERDICT_WORDS, "säker", "säkert"))


def test_register_sii_is_descriptive_no_interval_and_no_verdict_word():
    """Register data (no district has a sampling error): PHE's phe_sii needs standard errors, so the SII is
    described with its unit, its change stated from the values as shown, and neither is called sure."""
    pop, dep = [100, 300, 100, 300, 200, 150], [30.0, 25, 20, 10, 5, 2]
    first = ineq.sii([60.0, 70, 66, 80, 85, 90], pop, dep)
    last = ineq.sii([70.0, 74, 72, 80, 82, 84], pop, dep)
    assert first.low is None and last.high is None and first.method == ineq.DESCRIPTIVE
    change = ineq.gap_change([2019, 2025], [first.sii, last.sii], [first.low, last.low], [first.high, last.high])
    assert change.label == "descriptive" and change.test is None and change.reason == ineq.DESCRIPTIVE
    assert (change.first, change.last) == (pytest.approx(first.sii), pytest.approx(last.sii))
    text = verdicts.gap_change_sentence(change, 1, "%", "Skillnaden mellan delområdena", "SII")
    assert _no_verdict(text) and "registeruppgift – beskrivande, ej testad" in text
    shown = [verdicts.fmt.signed(x, 1) for x in (first.sii, last.sii)]
    assert f"SII {shown[0]} → {shown[1]}\u00a0procentenheter" in text
    diff = verdicts.fmt.shown_diff(first.sii, last.sii, 1)
    assert f"en förändring med {verdicts.fmt.signed(diff, 1)}\u00a0procentenheter" in text
    cell = verdicts.gap_change_cell(change, 1, "%")
    assert _no_verdict(cell) and "registeruppgift – beskrivande, ej testad" in cell
    assert cell.startswith(f"{verdicts.fmt.signed(diff, 1)}\u00a0procentenheter sedan 2019 (registeruppgift")
    sii_text = verdicts.sii_sentence(2025, last.sii, last.low, last.high, 1, "%", 6, note=last.method)
    assert _no_verdict(sii_text) and "KI" not in sii_text and "(registeruppgift – beskrivande, ej testad)." in sii_text
    # The difference read is the difference of the two SIIs as shown (15,66 → 5,54 reads 15,7 → 5,5: −10,2).
    odd = ineq.GapChange("descriptive", 2019, 2025, 15.66, 5.54, reason=ineq.DESCRIPTIVE)
    assert "en förändring med \u221210,2\u00a0procentenheter" in verdicts.gap_change_sentence(odd, 1, "%", "S", "SII")
    # The gender gap of register data (no n, no interval) is described the same way.
    gaps = ineq.gap_change([2019, 2025], [3.0, 1.0], [None, None], [None, None])
    assert gaps.label == "descriptive"
    # Survey data keeps its simulated interval and its tested change.
    se = [2.0] * 6
    s_first = ineq.sii([60.0, 70, 66, 80, 85, 90], pop, dep, se)
    s_last = ineq.sii([70.0, 74, 72, 80, 82, 84], pop, dep, se)
    assert "simulering" in s_first.method and s_first.low < s_first.sii < s_first.high
    tested = ineq.gap_change([2019, 2025], [s_first.sii, s_last.sii], [s_first.low, s_last.low],
                             [s_first.high, s_last.high])
    assert tested.label in ("narrowed", "no_change") and tested.test is not None
    sure = verdicts.sii_sentence(2025, s_first.sii, s_first.low, s_first.high, 1, "%", 6)
    assert "95 % KI" in sure and "säker skillnad" in sure


def test_gender_gaps_over_time_use_newcombe_for_shares():
    rows = []
    for year, (k, m) in {2019: (70.0, 50.0), 2021: (66.0, 54.0), 2023: (61.0, 58.0)}.items():
        rows += [{"year": year, "gender": "K", "value": k, "n": 800.0, "ci_low": np.nan, "ci_high": np.nan,
                  "status": "ok"},
                 {"year": year, "gender": "M", "value": m, "n": 800.0, "ci_low": np.nan, "ci_high": np.nan,
                  "status": "ok"}]
    rows.append({"year": 2025, "gender": "K", "value": None, "n": None, "ci_low": None, "ci_high": None,
                 "status": "suppressed"})
    gaps = ineq.gender_gaps(pd.DataFrame(rows), share=True)
    assert list(gaps["year"]) == [2019, 2021, 2023]  # a hidden year is left out
    assert gaps["gap"].tolist() == pytest.approx([20.0, 12.0, 3.0])
    assert (gaps["low"] < gaps["gap"]).all() and (gaps["gap"] < gaps["high"]).all()
    change = ineq.gap_change(gaps["year"], gaps["gap"], gaps["low"], gaps["high"])
    assert change.label == "narrowed" and change.test.significant


# --- Against the store: only published districts enter -------------------------------------------------------

def _independent_sii(store, indicator_id: str, kommun: str, year: int, gender: str = "T"):
    """The SII straight from the store with SQL of its own: published rows of the municipality's main
    districts, their population and deprivation (the service's RegSO-from-DeSO rule rebuilt here)."""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    systems = [r[0] for r in con.execute(
        "SELECT DISTINCT district_system FROM area WHERE municipality_id = ? AND kind = 'district'", (kommun,))]
    system = next(s for s in ("RegSO", "egen", "demo") if s in systems)
    cells = pd.read_sql(
        "SELECT o.area_id, o.status, o.value, o.n, o.ci_low, o.ci_high FROM observation o JOIN area a ON a.id = o.area_id "
        "WHERE a.municipality_id = ? AND a.district_system = ? AND o.indicator_id = ? AND o.year = ? AND o.gender = ?",
        con, params=(kommun, system, indicator_id, year, gender))

    def latest(ind, level):
        df = pd.read_sql("SELECT o.area_id, a.parent_id, o.year, o.value FROM observation o JOIN area a "
                         "ON a.id = o.area_id WHERE a.municipality_id = ? AND a.district_system = ? "
                         "AND o.indicator_id = ? AND o.status = 'ok' AND o.gender = 'T'", con,
                         params=(kommun, level, ind))
        return df[df["year"] == df["year"].max()] if not df.empty else df

    dep, pop = latest("SCB_LAG_EK_STANDARD", system), latest("SCB_FOLKMANGD", system)
    if dep.empty:  # RegSO: from their DeSO
        d_dep, d_pop = latest("SCB_LAG_EK_STANDARD", "DeSO"), latest("SCB_FOLKMANGD", "DeSO")
        both = d_dep.merge(d_pop[["area_id", "value"]], on="area_id", suffixes=("", "_pop"))
        both["wv"] = both["value"] * both["value_pop"]
        g = both.groupby("parent_id")[["wv", "value_pop"]].sum()
        dep = pd.DataFrame({"area_id": g.index, "value": g["wv"] / g["value_pop"]})
        pop = pd.DataFrame({"area_id": g.index, "value": g["value_pop"]})
    con.close()
    ok = cells[cells["status"] == "ok"].merge(dep[["area_id", "value"]].rename(columns={"value": "dep"}), on="area_id")
    ok = ok.merge(pop[["area_id", "value"]].rename(columns={"value": "pop"}), on="area_id")
    se = ineq.standard_errors(ok["value"], ok["n"], ok["ci_low"], ok["ci_high"], share=True)
    return ineq.sii(ok["value"], ok["pop"], ok["dep"], se), cells, set(ok["area_id"])


def _hidden_years(store, indicator_id: str):
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT a.municipality_id, o.year, count(*) FROM observation o JOIN area a ON a.id = o.area_id "
        "WHERE o.indicator_id = ? AND a.kind = 'district' AND o.status = 'suppressed' AND o.gender = 'T' "
        "AND a.district_system IN ('RegSO', 'demo') GROUP BY 1, 2 ORDER BY 3 DESC", (indicator_id,)).fetchall()
    con.close()
    return rows


def test_hidden_districts_never_enter_the_measure(app_store):
    from services import districts as svc_d

    hidden = _hidden_years(app_store, "ENK_TRYGG_BOSTADSOMRADE")
    assert hidden, "the demo store must hide some district cells"
    kommun, year, n_hidden = hidden[0]
    res = svc_d.inequality("ENK_TRYGG_BOSTADSOMRADE", kommun, "T")
    row = res.years.set_index("year").loc[year]
    assert row["hidden"] == n_hidden
    expected, cells, used = _independent_sii(app_store, "ENK_TRYGG_BOSTADSOMRADE", kommun, year)
    hidden_ids = set(cells.loc[cells["status"] == "suppressed", "area_id"])
    assert hidden_ids and not hidden_ids & used
    assert row["districts"] == expected.districts == len(used)
    assert row["sii"] == pytest.approx(expected.sii, rel=1e-9)
    assert row["low"] == pytest.approx(expected.low, rel=1e-9)  # same seed, same draws
    if res.latest_year == year:
        assert set(res.latest["id"]) == used


def test_no_districts_no_counts_and_a_change_on_the_same_districts(app_store):
    from services import districts as svc_d

    # A municipality without districts (a comparison municipality): nothing, and no overview marker.
    res = svc_d.inequality("ENK_TRYGG_OMRADE", "0192", "T")
    assert res.reason == svc_d.NO_DISTRICTS and svc_ov.district_gap("ENK_TRYGG_OMRADE", "0192", "T") is None
    # A count depends on the district's size: not compared.
    assert "antal" in svc_d.inequality("SCB_FOLKMANGD", "1287", "T").reason
    # Where a district is hidden in the first or the last year, the change is tested on the districts published
    # in both years, and the sentence says so.
    for kommun in ("0181", "1287", "0483"):
        for ind in ("ENK_TRYGG_BOSTADSOMRADE", "ENK_TRYGG_OMRADE"):
            r = svc_d.inequality(ind, kommun, "T")
            ok = r.years[r.years["status"] == "ok"]
            if len(ok) < 2 or r.change.label == "untested":
                continue
            first, last = ok.iloc[0], ok.iloc[-1]
            if first["districts"] == last["districts"] and first["hidden"] == last["hidden"] == 0:
                assert r.change.districts is None
                assert r.change.first == pytest.approx(first["sii"])
            elif r.change.districts is not None:
                assert r.change.districts <= min(first["districts"], last["districts"])
                text = verdicts.gap_change_sentence(r.change, 1, "%", "Skillnaden mellan delområdena", "SII")
                assert f"de {r.change.districts} delområden som har värden båda åren" in text


def test_trygghet_inequality_over_time_with_intervals(app_store):
    from services import districts as svc_d
    from tests.strategies import STRATEGIES

    for kommun in [s["municipality_id"] for s in STRATEGIES]:
        res = svc_d.inequality("ENK_TRYGG_OMRADE", kommun, "T")
        ok = res.years[res.years["status"] == "ok"]
        assert len(ok) >= 5, (kommun, res.reason)
        assert (ok["districts"] >= ineq.MIN_DISTRICTS).all()
        assert (ok["low"] <= ok["sii"]).all() and (ok["sii"] <= ok["high"]).all()
        assert ok["rii"].notna().all()
        assert res.change.label in ("narrowed", "widened", "reversed", "changed", "no_change")
        assert res.change.first_year == int(ok["year"].min()) and res.change.last_year == int(ok["year"].max())
        assert res.ranking.usable and not res.ranking.equal_weights
        assert "DEMODATA" in res.source  # the survey values are demo values and say so


def test_regso_ranked_from_their_deso_with_real_statistics(app_store, geo_dir):
    if geo_dir is None:
        pytest.skip("../shared/geo/deso is absent: the demo store has generated districts only")
    from services import districts as svc_d

    r = svc_d.ranking("1287", "RegSO")
    assert r.from_deso and not r.is_demo and r.deprivation_year == 2024 and r.population_year == 2025
    assert r.noisy  # 2025 population: SCB's noise is noted
    assert all(v > 0 for v in r.population.values())
    assert "SCB" in r.source
    # Real SCB district values from 2025 carry SCB's noise, and the view says so; demo survey values do not.
    assert svc_d.inequality("SCB_EFTERGYMNASIAL", "1287", "T").noisy_values
    assert not svc_d.inequality("ENK_TRYGG_OMRADE", "1287", "T").noisy_values
    # The deprivation measure itself is not ranked by itself.
    assert svc_d.inequality("SCB_LAG_EK_STANDARD", "1287", "T").reason
    # Another measure where higher is better: the district with the lowest employment is the most deprived.
    measures = svc_d.ranking_measures("1287", "RegSO")
    assert measures[0] == "SCB_LAG_EK_STANDARD" and "SCB_SYSSELSATTNING" in measures
    emp = svc_d.ranking("1287", "RegSO", "SCB_SYSSELSATTNING")
    assert emp.sign == -1 and emp.measure_label == "sysselsättning 20–64 år"
    res = svc_d.inequality("ENK_TRYGG_OMRADE", "1287", "T", "SCB_SYSSELSATTNING")
    first = res.latest.iloc[0]
    assert first["deprivation"] == pytest.approx(res.latest["deprivation"].min())


def test_overview_marks_widening_and_narrowing_gaps(app_store):
    from components.tables import district_gap_mark
    from services import catalogue as cat
    from services import districts as svc_d
    from tests.test_pages import assert_ok, open_page

    narrowed = ineq.GapChange("narrowed", 2017, 2025, 12.0, 4.0, DiffTest(-8.0, -12.0, -4.0, 0.001, True, "z"))
    widened = ineq.GapChange("widened", 2017, 2025, 4.0, 12.0, DiffTest(8.0, 4.0, 12.0, 0.001, True, "z"))
    same = ineq.GapChange("no_change", 2017, 2025, 4.0, 5.0, DiffTest(1.0, -3.0, 5.0, 0.6, False, "z"))
    untested = ineq.GapChange("untested", None, None, None, None, reason="x")

    class Row:
        def __init__(self, change):
            self.district_gap_obj = change

    assert "gapmark better" in district_gap_mark(Row(narrowed)) and "Minskat sedan 2017" in district_gap_mark(Row(narrowed))
    assert "gapmark worse" in district_gap_mark(Row(widened)) and "Ökat sedan 2017" in district_gap_mark(Row(widened))
    assert "Ingen säker förändring" in district_gap_mark(Row(same)) and "säkert" not in district_gap_mark(Row(same))
    assert district_gap_mark(Row(untested)) == "" and district_gap_mark(Row(None)) == ""
    register = ineq.GapChange("descriptive", 2017, 2025, 12.04, 4.0, reason=ineq.DESCRIPTIVE)
    row = Row(register)
    row.decimals, row.unit = 0, "%"
    mark = district_gap_mark(row)
    assert "gapmark no_test" in mark and "\u22128,0\u00a0procentenheter sedan 2017" in mark
    assert "registeruppgift – beskrivande, ej testad" in mark and "säker" not in mark and "Minskat" not in mark

    kommun = "0181"
    at = open_page("oversikt", kommun=kommun)
    assert_ok(at)
    html_text = " ".join(h.proto.body for h in at.get("html"))
    change = svc_d.inequality("ENK_TRYGG_OMRADE", kommun, "T").change
    dec = int(cat.indicator("ENK_TRYGG_OMRADE")["decimals"]) + 1  # the SII: one decimal more than the values
    expected = verdicts.gap_change_cell(change, dec, "%")
    if change.label != "untested":
        assert f"Skillnad mellan delområden: {expected}" in html_text.replace("&#x27;", "'")


def test_district_page_shows_skillnader(app_store):
    from tests.test_pages import assert_ok, open_page

    at = open_page("trygghet", kommun="1287")
    assert_ok(at)
    heads = [h.value for h in at.subheader]
    assert "Skillnader mellan delområdena" in heads
    text = " ".join(m.value for m in at.markdown)
    assert "rangordnade efter" in text
    assert ("har minskat sedan" in text or "har ökat sedan" in text or "Ingen säker förändring av skillnaden" in text
            or "bytt riktning" in text or "gått över noll" in text)
    captions = " ".join(c.value for c in at.caption)
    assert "rangordnas efter låg ekonomisk standard" in captions
    assert "phe_sii" not in captions and "phe_sii" in text  # in "Hur vet vi det?"
    assert any("SII, 95 % KI" in df.value.columns for df in at.dataframe)


def test_indicator_block_skillnader_tab(app_store):
    """The block's "Skillnader" tab: the girls/boys gap over time and the districts' SII, each with its tested
    sentence and a chart that names its source."""
    from tests.test_pages import _chart_specs, assert_ok, open_page

    at = open_page("6-ett-tryggt-sodertalje", kommun="0181", ind="ENK_TRYGG_OMRADE")
    assert_ok(at)
    at.session_state["w_tabs_ENK_TRYGG_OMRADE"] = "Skillnader"
    at.run()
    assert_ok(at)
    heads = [h.value for h in at.subheader]
    assert "Skillnaden mellan kvinnor och män över tid" in heads and "Skillnader mellan delområdena" in heads
    text = " ".join(m.value for m in at.markdown)
    assert "skillnaden mellan kvinnor och män" in text.lower() and "rangordnade efter" in text
    specs = _chart_specs(at)
    assert len(specs) == 2
    assert all("Källa" in " ".join(spec["title"]["text"]) for spec in specs)


@pytest.mark.slow
def test_generated_districts_are_ranked_by_demo_statistics(generated_store, monkeypatch, app_store):
    """Without DeSO files the demo's generated districts get a demo population and low-economic-standard share
    (marked demo), so the Skillnader view works in a user's clone too."""
    from services import districts as svc_d
    from services.store import clear_caches

    target = generated_store
    con = sqlite3.connect(target)
    flags = con.execute("SELECT DISTINCT f.is_demo FROM observation o JOIN source_fetch f ON f.id = o.fetch_id "
                        "WHERE o.indicator_id IN ('SCB_LAG_EK_STANDARD', 'SCB_FOLKMANGD')").fetchall()
    note = con.execute("SELECT note FROM indicator WHERE id = 'SCB_LAG_EK_STANDARD'").fetchone()[0]
    con.close()
    assert flags == [(1,)] and "Demodata" in note
    monkeypatch.setenv("INDICATOR_STORE", str(target))
    clear_caches()
    try:
        r = svc_d.ranking("1287", "demo")
        assert r.is_demo and not r.from_deso and not r.noisy and r.usable
        res = svc_d.inequality("ENK_TRYGG_OMRADE", "1287", "T")
        assert res.system == "demo" and (res.years["status"] == "ok").sum() >= 5
        assert "DEMODATA" in res.ranking.source
    finally:
        monkeypatch.setenv("INDICATOR_STORE", str(app_store))
        clear_caches()


def test_meeting_figures_carry_the_district_difference(app_store):
    """The presentation and the meeting pack take an indicator's key figures from one function: a district
    indicator shown for the municipality gets the SII of its latest year and the tested change; a district
    chosen as the subject does not (the measure is about all the districts)."""
    from components.indicator_block import key_figures
    from services import districts as svc_d
    from services import indicators as svc
    from services.filters import Filters

    d = svc.indicator_data("ENK_TRYGG_OMRADE", scope.resolve(Filters(kommun="0181", jmf="riket")))
    s = svc.summarise(d, "T", 2024)
    figures = key_figures(d, s, "", "T")
    sii = [f for f in figures if f.label.startswith("Skillnad mellan delområden (SII")]
    assert len(sii) == 1
    dec = int(d.meta["decimals"]) + 1
    assert sii[0].note == verdicts.gap_change_cell(svc_d.inequality("ENK_TRYGG_OMRADE", "0181", "T").change, dec, "%")
    assert "procentenheter" in sii[0].value
    district = svc_d.level_for("0181", "ENK_TRYGG_OMRADE")[0]["id"].iloc[0]
    d2 = svc.indicator_data("ENK_TRYGG_OMRADE", scope.resolve(Filters(kommun="0181", jmf="riket", omrade=district)))
    assert d2.is_district
    assert not [f for f in key_figures(d2, svc.summarise(d2, "T", 2024), "", "T") if "SII" in f.label]


@pytest.mark.slow
def test_every_district_indicator_gets_a_skillnader_view(app_store):
    """Survey values (simulated intervals), register values per DeSO (descriptive: no interval, no verdict word,
    no RII where a fitted end is not positive), and the ranking measure itself (no SII, a reason instead)."""
    from services import districts as svc_d
    from tests.test_pages import assert_ok, open_page

    at = open_page("trygghet", kommun="1287")
    assert_ok(at)
    for ind in svc_d.district_indicators().index:
        at.session_state["w_map_ind"] = ind
        at.run()
        assert_ok(at)
        assert "Skillnader mellan delområdena" in [h.value for h in at.subheader], ind
        # The page's choice of ranking measure (the default, or another where the indicator is the default).
        measure = (at.session_state["w_ineq_measure"] if "w_ineq_measure" in at.session_state
                   else svc_d.DEPRIVATION_INDICATOR)
        assert measure != ind
        res = svc_d.inequality(ind, "1287", "T", measure)
        text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
        if res.reason:
            assert res.reason in text, ind
        elif (res.years["status"] == "ok").any():
            assert "rangordnade efter" in text, ind
            ok = res.years[res.years["status"] == "ok"]
            if ok["low"].isna().all():  # register data: described, never called sure
                assert "registeruppgift – beskrivande, ej testad" in text and "säker" not in text, ind
