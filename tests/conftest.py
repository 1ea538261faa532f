"""Shared fixtures: one demo store built from code for the whole test session (no network)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SHARED_REASON = "../shared is absent (it exists in CI and beside the developers' checkouts, not in a user's clone)"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{SHARED_REASON}: {'/'.join(parts)} not found")
    return path


@pytest.fixture(scope="session")
def geo_dir() -> Path | None:
    path = SHARED / "geo" / "deso"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, geo_dir) -> Path:
    """The demo store, built once per session (real DeSO/RegSO when ../shared has them)."""
    from etl.demo import build_demo

    target = tmp_path_factory.mktemp("store") / "indicators.sqlite"
    build_demo(target, geo_directory=geo_dir, progress=False)
    return target


@pytest.fixture(scope="session")
def app_store(demo_store) -> Path:
    """Point the app (AppTest runs in this process) at the session's demo store."""
    os.environ["INDICATOR_STORE"] = str(demo_store)
    return demo_store
