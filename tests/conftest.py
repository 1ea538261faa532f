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


# --- Local stand-ins for Kolada and SCB (used by the build and boundary tests) ---------------------

GROUP = {"id": "G176425", "title": "Liknande kommuner socioekonomi, Trelleborg, 2024",
         "members": [{"member_id": m, "member_title": m} for m in ("0192", "0381", "0480")]}


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """A local Kolada serving a dozen catalogue KPIs for Riket, Skåne and four municipalities, 2022–2023."""
    from etl.catalogue import load_catalogue
    from tests.kolada_fake import FakeKolada, kpi_record

    cat = load_catalogue()
    kolada = [i for i in cat.indicators if i["source"] == "kolada"]
    rows = []
    for ind in kolada[:12]:
        for area in ("0000", "0012", "1287", "0181", "0192"):
            for year in (2022, 2023):
                for g in (("T", "K", "M") if ind["gender_split"] else ("T",)):
                    rows.append({"kpi": ind["source_id"], "municipality": area, "period": year, "gender": g,
                                 "value": ind["demo"]["level"], "count": 1, "status": "", "isdeleted": False})
    kpis = {i["source_id"]: kpi_record(i["source_id"], i["title"], i["gender_split"]) for i in kolada}
    server = FakeKolada(rows, kpis, page_size=200, groups={"G176425": GROUP})
    monkeypatch.setenv("KOLADA_BASE_URL", server.start())
    monkeypatch.setenv("ETL_CACHE_DIR", str(tmp_path / "cache"))
    yield server
    server.stop()


@pytest.fixture
def scb_fake(monkeypatch):
    """A local SCB PxWeb serving tables built from the real DeSO values in ../shared/geo/deso."""
    from tests.scb_fake import FakeScb

    server = FakeScb(shared_path("geo", "deso"))
    monkeypatch.setenv("PXWEB_BASE_URL", server.start())
    yield server
    server.stop()


