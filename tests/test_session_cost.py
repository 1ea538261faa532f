"""Issue #28: what a new view pays. The overview and the risk grid are cached on what their status depends
on, so a change of only the chosen indicator, the slide, the "Nytt sedan" day, Jämför's lines or the charts'
first year does not compute them again; a change of what they do depend on does."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services import catalogue as cat
from services import overview as svc_ov
from services.filters import Filters
from services.scope import resolve


@pytest.fixture
def counted(app_store, monkeypatch):  # noqa: ARG001 - the store it reads
    """Count the status computations behind the overview and the risk grid (fresh caches)."""
    from services.store import clear_caches

    clear_caches()
    calls = []
    real = svc_ov.status_frame

    def counting(f, comparison, meta, baseline_year):
        calls.append(f)
        return real(f, comparison, meta, baseline_year)

    monkeypatch.setattr(svc_ov, "status_frame", counting)
    yield calls
    clear_caches()


def test_only_the_indicator_or_the_slide_changing_reuses_the_overview(counted):
    s = cat.strategy_for("0181")
    f = Filters(kommun="0181", jmf="0000")
    first = svc_ov.overview_frame(resolve(f))
    assert len(counted) == 1
    some = first["indicator_id"].iloc[0]
    for changed in (replace(f, ind=some), replace(f, visning="presentation", bild=5),
                    replace(f, sedan="2026-01-01"), replace(f, fran=2018), replace(f, kommuner=("0180",))):
        again = svc_ov.overview_frame(resolve(changed))
        assert again.equals(first)
    svc_ov.overview_multiplicity(resolve(replace(f, ind=some)))
    assert len(counted) == 1, [c for c in counted]
    # What the status does depend on computes it again (the count is not blind).
    svc_ov.overview_frame(resolve(replace(f, kon="K")))
    svc_ov.overview_frame(resolve(replace(f, jmf=s.county_id)))
    assert len(counted) == 3


def test_the_overview_does_not_depend_on_what_its_key_leaves_out(counted):
    """The key is honest: computed afresh (caches cleared) with the left-out fields set, the overview is the
    same as the one cached without them."""
    from services.store import clear_caches

    s = cat.strategy_for("1287")
    f = Filters(kommun="1287", jmf="0000", fran=2012)
    riket = resolve(f).comparison
    plain = svc_ov._overview_cached.__wrapped__(f, riket, s.id, s.baseline_year, "x")
    clear_caches()
    full = replace(f, fran=2020, ind=plain["indicator_id"].iloc[0], sedan="2025-06-01", bild=3,
                   visning="presentation")
    direct = svc_ov._overview_cached.__wrapped__(full, riket, s.id, s.baseline_year, "x")
    cols = [c for c in plain.columns if not c.endswith("_obj")]
    assert plain[cols].astype(str).equals(direct[cols].astype(str))
    assert len(counted) == 2


def test_the_risk_grid_is_reused_the_same_way(counted):
    f = Filters(kommun="0483", jmf="0000")
    svc_ov.factor_status(resolve(f))
    n = len(counted)
    assert n == 1
    svc_ov.factor_status(resolve(replace(f, ind="x", fran=2019, bild=2)))
    assert len(counted) == n
    svc_ov.factor_status(resolve(replace(f, till=2024)))
    assert len(counted) == n + 1
