"""Small-number suppression as a property: whatever the respondents, nothing under the threshold is
published and no suppressed cell can be recovered by subtraction."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.suppression import recoverable_cells, suppress

THRESHOLD = 10


def _frame(district_counts: list[tuple[int, int]]) -> tuple[pd.DataFrame, dict[str, str]]:
    rows, parent_of = [], {}
    tot_k = tot_m = 0
    for i, (nk, nm) in enumerate(district_counts):
        area = f"D{i}"
        parent_of[area] = "KOMMUN"
        tot_k += nk
        tot_m += nm
        rows += _cells(area, nk, nm)
    rows += _cells("KOMMUN", tot_k, tot_m)
    return pd.DataFrame(rows), parent_of


def _cells(area: str, nk: int, nm: int) -> list[dict]:
    base = {"indicator_id": "ENK", "area_id": area, "year": 2024, "ci_low": 1.0, "ci_high": 2.0,
            "status_reason": None}
    return [dict(base, gender=g, n=n, value=50.0, status="ok") for g, n in (("K", nk), ("M", nm), ("T", nk + nm))]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 40)), min_size=2, max_size=8))
def test_suppression_properties(counts):
    df, parents = _frame(counts)
    out = suppress(df, {"ENK": THRESHOLD}, parents)
    ok = out[out["status"] == "ok"]
    assert (ok["n"] >= THRESHOLD).all()
    assert out.loc[out["status"] != "ok", "value"].isna().all()
    assert recoverable_cells(out, {"ENK": THRESHOLD}, parents) == []
    # Cells at or above the threshold survive unless a rule needed them.
    assert len(out) == len(df)


def test_gender_rule_protects_the_other_gender():
    df, parents = _frame([(5, 30), (30, 30)])
    out = suppress(df, {"ENK": THRESHOLD}, parents).set_index(["area_id", "gender"])["status"]
    assert out[("D0", "K")] == "suppressed"
    assert out[("D0", "M")] == "suppressed"  # else K = T − M
    assert out[("D0", "T")] == "ok"


def test_district_rule_protects_another_district():
    df, parents = _frame([(4, 3), (30, 30), (20, 25)])
    out = suppress(df, {"ENK": THRESHOLD}, parents).set_index(["area_id", "gender"])["status"]
    assert out[("D0", "T")] == "suppressed"
    # D2 has fewer respondents than D1, so it is the one hidden to protect D0's total.
    assert out[("D2", "T")] == "suppressed"
    assert out[("D1", "T")] == "ok"


def test_register_indicators_are_untouched():
    df, parents = _frame([(2, 2), (30, 30)])
    out = suppress(df, {}, parents)
    assert (out["status"] == "ok").all()
