"""Issue #29: a value cached once per store build is shared by every session, so it is immutable — a dict or
list is refused, a DataFrame is handed out as a copy — and what one session does to it no other sees."""

from __future__ import annotations

import pandas as pd
import pytest

from services import catalogue as cat
from services import provenance
from services.store import clear_caches, per_store


@pytest.fixture(autouse=True)
def store(demo_store, monkeypatch):
    monkeypatch.setenv("INDICATOR_STORE", str(demo_store))
    clear_caches()
    yield
    clear_caches()


def test_a_mutable_value_cached_per_store_is_refused():
    @per_store
    def shared_list() -> list:
        return [1, 2]

    with pytest.raises(TypeError, match="must be immutable"):
        shared_list()


def test_a_cached_frame_changed_by_one_caller_is_unchanged_for_the_next():
    @per_store
    def shared_frame() -> pd.DataFrame:
        return pd.DataFrame({"a": [1, 2]})

    first = shared_frame()
    first.loc[0, "a"] = 99
    assert shared_frame()["a"].tolist() == [1, 2]


def test_the_store_derived_lookups_cannot_be_changed_in_place():
    kinds = cat._series_kinds()  # noqa: SLF001 - the shared lookup itself
    with pytest.raises(TypeError):
        kinds["X"] = None  # type: ignore[index]
    labels = provenance._fetch_labels()  # noqa: SLF001
    with pytest.raises(TypeError):
        labels[0] = "x"  # type: ignore[index]
    strategies = cat.strategies()
    assert isinstance(strategies, tuple)
