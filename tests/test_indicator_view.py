"""Issue #29: one indicator view. The indicator block, the presentation's slide and the meeting pack draw
one indicator from ``svc.indicator_view``; its standing against the comparison follows the overview's rule
(``svc.benchmark``: an area's own value, a group's mean where at least half its members have one), so one
indicator cannot stand differently on the overview and in its block."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from services import analysis, scope
from services import catalogue as cat
from services import indicators as svc
from services import overview as svc_ov
from services.filters import Comparison, Filters


def _scopes():
    out = []
    for s in cat.strategies():
        k = s.municipality_id
        out.append(Filters(kommun=k, jmf="0000"))
        groups = [c for c in scope.comparisons_for(k) if c.mode == "mean"]
        if groups:
            out.append(Filters(kommun=k, jmf=groups[0].key))
        others = [m for m in cat.municipalities()["id"] if m not in (k, "0000") and len(m) == 4][:3]
        out.append(Filters(kommun=k, jmf="lista", lista=tuple(others)))
        d = cat.main_districts(k)
        if not d.empty:
            out.append(Filters(kommun=k, jmf="0000", omrade=d["id"].iloc[0], kon="K"))
    return out


def test_the_block_and_the_overview_stand_every_indicator_alike(app_store):  # noqa: ARG001 - the store read
    """Every goal indicator of every strategy, against Riket, a group, a list of its own and (for a
    district) its municipality: the block's summary and the overview's status (``status_frame``, before the
    overview weighs its many tests together, ``analysis.control_false_discoveries``) say the same."""
    checked = 0
    for f in _scopes():
        ctx = scope.resolve(f)
        meta = cat.goal_indicators(ctx.strategy.id).rename(columns={"indicator_id": "id"}).drop_duplicates("id")
        status = svc_ov.status_frame(f, ctx.comparison, meta, ctx.baseline_year).set_index("indicator_id")
        for ind, row in status.iterrows():
            s = svc.indicator_view(ind, ctx).summary
            where = f"{ind} {f}"
            assert s.standing == row["standing"], where
            if row["bench"] is None or pd.isna(row["bench"]):
                assert s.bench_value is None, where
            else:
                assert s.bench_value == pytest.approx(row["bench"]), where
            assert s.change.label == row["change_label"], where
            trend = row["trend_obj"]
            assert (s.trend.direction, s.trend.p_value) == (trend.direction, trend.p_value), where
            checked += 1
    assert checked > 100, checked


def test_a_group_mean_needs_half_of_the_groups_own_members():
    """The quorum counts the comparison's members, not the members that happen to have rows."""
    rows = pd.DataFrame({"area_id": ["a", "b"], "year": [2024, 2024], "gender": ["T", "T"],
                         "value": [10.0, 20.0], "status": ["ok", "ok"]})
    five = Comparison("g", "Gruppen", ("a", "b", "c", "d", "e"), "mean")
    four = Comparison("g", "Gruppen", ("a", "b", "c", "d"), "mean")
    assert svc.benchmark(rows, five, 2024, "T") is None  # 2 of 5: fewer than half
    assert svc.benchmark(rows, four, 2024, "T") == pytest.approx(15.0)  # 2 of 4: half
    assert analysis.group_mean(rows, 5).empty and not analysis.group_mean(rows, 4).empty
    area = Comparison("0000", "Riket", ("a",), "area")
    assert svc.benchmark(rows, area, 2024, "T") == pytest.approx(10.0)
    assert svc.benchmark(rows, area, 2023, "T") is None


def test_the_block_the_slide_and_the_pack_take_the_one_view():
    from components import indicator_block, presentation
    from report import content

    for fn in (indicator_block.render, presentation._indicator, content._indicator_page):  # noqa: SLF001
        src = inspect.getsource(fn)
        assert "svc.indicator_view(" in src, fn.__qualname__
        assert "svc.summarise(" not in src and "svc.indicator_data(" not in src, fn.__qualname__
