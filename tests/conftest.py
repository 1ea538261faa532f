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


def _store_key(geo: Path | None) -> str:
    """A hash of everything the demo store is made from: the ETL, catalogue and schema code, the
    Python and library versions, and the boundary files."""
    import hashlib
    import importlib.metadata as md

    h = hashlib.sha256(sys.version.encode())
    for name in ("pandas", "numpy", "geopandas", "shapely", "sqlalchemy", "scipy", "statsmodels"):
        h.update(f"{name}={md.version(name)}".encode())
    for folder in ("etl", "catalogue", "store"):
        for f in sorted((ROOT / folder).rglob("*")):
            if f.is_file() and f.suffix in (".py", ".yaml", ".sql"):
                h.update(f.relative_to(ROOT).as_posix().encode() + f.read_bytes())
    if geo is not None:
        for f in sorted(geo.rglob("*")):
            if f.is_file():
                st = f.stat()
                h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def _built_store(tmp_path_factory, geo: Path | None, kind: str) -> Path:
    """A demo store built once per session and kind (``kind`` names the cache folder), reused from
    ``.pytest_cache/<kind>/`` while the code, catalogue, libraries and boundary files are unchanged; the
    workers of pytest-xdist take turns under a file lock: the first builds, the others copy."""
    import shutil

    from filelock import FileLock

    from etl.demo import build_demo

    target = tmp_path_factory.mktemp("store") / "indicators.sqlite"
    if os.environ.get("TEST_STORE_CACHE", "1") == "0":
        build_demo(target, geo_directory=geo, progress=False)
        return target
    cached = ROOT / ".pytest_cache" / kind / f"{_store_key(geo)}.sqlite"
    cached.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cached.parent / "build.lock")):
        if not cached.is_file():
            build_demo(target, geo_directory=geo, progress=False)
            for old in cached.parent.glob("*.sqlite"):
                old.unlink()
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            shutil.copyfile(target, tmp)
            os.replace(tmp, cached)
            return target
    shutil.copyfile(cached, target)
    return target


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, geo_dir) -> Path:
    """The demo store, built once per session (real DeSO/RegSO when ../shared has them).

    A store built from the same code, catalogue, libraries and boundary files is reused from
    ``.pytest_cache/demo-store/`` (the daily loop, `make test-fast`); CI starts from a clean clone and
    builds it. ``TEST_STORE_CACHE=0`` always builds."""
    return _built_store(tmp_path_factory, geo_dir, "demo-store")


@pytest.fixture(scope="session")
def generated_store(tmp_path_factory) -> Path:
    """The demo store as a user's clone builds it, without ../shared's boundary files: generated demo
    districts. Built once per session like ``demo_store``; tests only read it (each that writes takes a
    copy)."""
    return _built_store(tmp_path_factory, None, "generated-store")


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


