"""``python -m etl build`` against a local Kolada stand-in: a real (non-demo) store the app accepts;
a failing source leaves the previous store and is named."""

from __future__ import annotations

import sqlite3

import pytest

from etl.build import build_real
from etl.catalogue import load_catalogue
from etl.kolada import KoladaClient, SourceError
from store.db import check_store, read_only_engine
from tests.kolada_fake import FakeKolada, kpi_record

GROUP = {"id": "G176425", "title": "Liknande kommuner socioekonomi, Trelleborg, 2024",
         "members": [{"member_id": m, "member_title": m} for m in ("0192", "0381", "0480")]}


@pytest.fixture
def fake(monkeypatch, tmp_path):
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


def test_build_makes_a_real_store(fake, tmp_path, geo_dir):
    target = tmp_path / "real.sqlite"
    summary = build_real(target, 2023, geo_directory=geo_dir, client=KoladaClient(min_interval_s=0),
                         progress=False)
    info = check_store(read_only_engine(str(target)))
    assert not info.is_demo
    assert summary.observations > 0 and not summary.failed
    with sqlite3.connect(target) as con:
        assert con.execute("SELECT COUNT(*) FROM source_fetch WHERE is_demo = 1").fetchone()[0] == 0
        members = {m for (m,) in con.execute("SELECT area_id FROM area_group_member WHERE group_id = 'G176425'")}
        assert members == {"0192", "0381", "0480"}
        riket = con.execute("SELECT COUNT(*) FROM observation WHERE area_id = '0000'").fetchone()[0]
        assert riket > 0
        assert con.execute("SELECT COUNT(*) FROM area_group WHERE id LIKE 'DEMO%'").fetchone()[0] == 0
    # Offline rebuild from the cache.
    fake.stop()
    again = tmp_path / "again.sqlite"
    s2 = build_real(again, 2023, geo_directory=geo_dir, client=KoladaClient(min_interval_s=0), progress=False)
    assert s2.fetched == 0 and s2.cached > 0
    assert s2.observations == summary.observations


def test_failing_source_keeps_previous_store(fake, tmp_path, demo_store):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    before = target.read_bytes()
    fake.fail("/v3/data", 503, times=100)
    with pytest.raises(SourceError, match="Kolada"):
        build_real(target, 2023, client=KoladaClient(min_interval_s=0), progress=False)
    assert target.read_bytes() == before
