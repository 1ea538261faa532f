"""Issue #29: one resolved scope per run. ``services.scope.resolve`` looks up the municipality's strategy,
the comparisons on offer and the chosen comparison once; every service and component reads them from the
scope. A page run (and the meeting pack built from a scope) that looks any of them up a second time fails
here: the lookups are counted while the app runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from services import catalogue as cat
from services import scope
from services.filters import Filters

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 120


@pytest.fixture
def counted(app_store, monkeypatch):  # noqa: ARG001 - the store the app reads
    st.config.set_option("client.showErrorDetails", "full")
    calls = {"strategy_for": 0, "resolve_comparison": 0, "comparisons_for": 0}

    def counter(name, real):
        def wrapped(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(cat, "strategy_for", counter("strategy_for", cat.strategy_for))
    monkeypatch.setattr(scope, "resolve_comparison", counter("resolve_comparison", scope.resolve_comparison))
    monkeypatch.setattr(scope, "comparisons_for", counter("comparisons_for", scope.comparisons_for))
    return calls


def _page(url_path: str, **params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    at._page_hash = calc_hash(url_path)  # noqa: SLF001 - AppTest has no public switch by url_path
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _focus_path(kommun: str) -> str:
    from pages.views import focus_area_path

    s = next(s for s in cat.strategies() if s.municipality_id == kommun)
    fa = cat.focus_areas(s.id).iloc[0]
    return focus_area_path(fa["code"], fa["title"])


PAGES = [("oversikt", {"kommun": "0181", "jmf": "0000"}),
         ("focus", {"kommun": "0181", "jmf": "0000", "omrade": "FIRST"}),  # a district: against the municipality
         ("focus", {"kommun": "1287", "jmf": "G176425"}),
         ("trygghet", {"kommun": "0181"}),
         ("riskfaktorer", {"kommun": "0483", "jmf": "lista", "lista": "0180,0181"}),
         ("jamfor", {"kommun": "1287", "jmf": "G176425"}),
         ("data", {"kommun": "1287"}),
         ("oversikt", {"kommun": "1287", "visning": "presentation", "bild": "2"})]


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[f"{p}-{'-'.join(v for v in q.values() if v)}"
                                                          for p, q in PAGES])
def test_a_page_run_resolves_the_scope_once(counted, page, params):
    if params.get("omrade") == "FIRST":
        districts = cat.main_districts(params["kommun"])
        if districts.empty:
            pytest.skip("the demo store has no districts for this municipality")
        params = {**params, "omrade": districts["id"].iloc[0]}
    url = _focus_path(params["kommun"]) if page == "focus" else page
    at = _page(url, **params)
    if "omrade" in params:  # the district is chosen, not dropped as unknown
        assert at.query_params.get("omrade") in (params["omrade"], [params["omrade"]])
    for key in counted:
        counted[key] = 0
    at.run()  # one more run of the same page, every cache warm: what a rerun does
    assert not at.exception, [e.message for e in at.exception]
    assert counted == {"strategy_for": 1, "resolve_comparison": 1, "comparisons_for": 1}, counted


def test_the_count_is_not_blind(counted):
    """A service that resolved the strategy or the comparison again would be counted."""
    ctx = scope.resolve(Filters(kommun="0181", jmf="0000"))
    assert counted == {"strategy_for": 1, "resolve_comparison": 1, "comparisons_for": 1}
    scope.resolve(ctx.filters)
    assert counted == {"strategy_for": 2, "resolve_comparison": 2, "comparisons_for": 2}


def test_the_meeting_pack_uses_the_scope_it_is_given(counted):
    from report.content import build

    ctx = scope.resolve(Filters(kommun="1287", jmf="0000"))
    for key in counted:
        counted[key] = 0
    pack = build(ctx, [cat.focus_areas(ctx.strategy.id)["id"].iloc[0]])
    assert pack.indicators, "the pack has indicator pages"
    assert counted == {"strategy_for": 0, "resolve_comparison": 0, "comparisons_for": 0}, counted


def test_a_district_is_compared_with_its_municipality():
    district = None
    for s in cat.strategies():
        d = cat.main_districts(s.municipality_id)
        if not d.empty:
            district, kommun = d["id"].iloc[0], s.municipality_id
            break
    if district is None:
        pytest.skip("the demo store has no districts")
    ctx = scope.resolve(Filters(kommun=kommun, jmf="0000", omrade=district))
    assert ctx.subject("municipality,district")[0] == district and ctx.subject("municipality")[0] == kommun
    assert ctx.comparison_for(True).area_ids == (kommun,) and ctx.comparison_for(False).key == "0000"
    assert dict(ctx.districts)[district] == ctx.district_name
