"""Every strategy file in catalogue/strategies, for parametrising tests: a new municipality's file is tested
without touching a test (issue #16)."""

from __future__ import annotations

import pytest

from etl.catalogue import load_catalogue


def _size(strategy: dict) -> int:
    return sum(len(g["indicators"]) for fa in strategy["focus_areas"] for g in fa["goals"])


# The smallest strategy (fewest goal indicators) comes first and runs in `make test-fast`; every one in
# `make test`.
STRATEGIES = sorted(load_catalogue().strategies, key=lambda s: (_size(s), s["id"]))
FIRST = STRATEGIES[0]["municipality_id"]


def municipalities(slow_after_first: bool = False) -> list:
    """The municipality codes of every strategy, smallest first (beyond the first marked slow if asked)."""
    return [pytest.param(s["municipality_id"], marks=[pytest.mark.slow] if slow_after_first and i else [],
                         id=s["id"]) for i, s in enumerate(STRATEGIES)]


def municipalities_with_names() -> list:
    return [pytest.param(s["municipality_id"], s["municipality"], id=s["id"]) for s in STRATEGIES]
