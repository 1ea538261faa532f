"""Every strategy file in catalogue/strategies, for parametrising tests: a new municipality's file is tested
without touching a test (issue #16)."""

from __future__ import annotations

import pytest

from etl.catalogue import load_catalogue

STRATEGIES = load_catalogue().strategies
# The first strategy (by file name) runs in `make test-fast`; every one in `make test`.
FIRST = STRATEGIES[0]["municipality_id"]


def municipalities(slow_after_first: bool = False) -> list:
    """The municipality codes of every strategy, in file order (beyond the first marked slow if asked)."""
    return [pytest.param(s["municipality_id"], marks=[pytest.mark.slow] if slow_after_first and i else [],
                         id=s["id"]) for i, s in enumerate(STRATEGIES)]


def municipalities_with_names() -> list:
    return [pytest.param(s["municipality_id"], s["municipality"], id=s["id"]) for s in STRATEGIES]
