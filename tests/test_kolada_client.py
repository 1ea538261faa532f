"""The Kolada client against a local HTTP server serving recorded-shape responses (through
KOLADA_BASE_URL): paging, retries, failures, odd values, the cache, and real values end to end."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from etl.kolada import KoladaClient, SourceError, load_from_api, parse_years
from tests.conftest import shared_path
from tests.kolada_fake import FakeKolada, kpi_record


def synthetic_rows() -> list[dict]:
    rows = []
    for kpi, split in (("N15643", True), ("N07609", False)):
        for mun in ("1287", "0181"):
            for year in range(2018, 2025):
                for g in (("T", "K", "M") if split else ("T",)):
                    rows.append({"kpi": kpi, "municipality": mun, "period": year, "gender": g,
                                 "value": round(50 + year % 7 + (1 if g == "K" else 0), 3), "count": 1,
                                 "status": "", "isdeleted": False})
    return rows


KPIS = {"N15643": kpi_record("N15643", "Elever i åk 8: Känner du dig trygg i skolan? Andel som svarat "
                                       "\"Helt och hållet\" eller \"Till stor del\", (%)", True),
        "N07609": kpi_record("N07609", "NTU - Otrygghet vid utomhusvistelse sen kväll i det egna "
                                       "bostadsområdet, andel (%)", False)}


@pytest.fixture
def fake(monkeypatch, tmp_path):
    server = FakeKolada(synthetic_rows(), KPIS, page_size=5)
    base = server.start()
    monkeypatch.setenv("KOLADA_BASE_URL", base)
    monkeypatch.setenv("ETL_CACHE_DIR", str(tmp_path / "cache"))
    yield server
    server.stop()


def client(**kw) -> KoladaClient:
    return KoladaClient(min_interval_s=0.0, **kw)


def test_paging_follows_next_url(fake):
    rows = client().values(["N15643"], ["1287", "0181"], range(2018, 2025))
    assert len(rows) == 2 * 7 * 3
    data_hits = [h for h in fake.hits if h.startswith("/v3/data/")]
    assert len(data_hits) == 3  # 14 items, 5 per page
    assert all("per_page=5000" in h for h in data_hits)


def test_ids_are_chunked_25_per_segment(fake):
    munis = [f"{i:04d}" for i in range(1, 61)]
    client().values(["N15643"], munis, [2020])
    segments = [h.split("/municipality/")[1].split("/")[0] for h in fake.hits if "/municipality/" in h]
    assert max(len(s.split(",")) for s in segments) == 25 and len(segments) == 3


def test_429_then_success_honours_retry_after(fake):
    fake.fail("/v3/kpi", 429, times=1, headers={"Retry-After": "0"})
    c = client()
    assert {k["id"] for k in c.kpis(["N15643"])} == {"N15643"}
    assert c.stats["retries"] == 1


@pytest.mark.slow
def test_500_three_times_is_a_clear_failure_and_the_store_is_intact(fake, demo_store, tmp_path):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    before = target.read_bytes()
    fake.fail("/v3/data", 500, times=3)
    with pytest.raises(SourceError, match="Kolada svarade inte korrekt efter 3 försök"):
        load_from_api(target, ["N15643"], ["1287"], [2020], client())
    assert target.read_bytes() == before


@pytest.mark.slow
def test_truncated_json_is_retried_then_reported(fake):
    fake.fail("/v3/kpi", 200, times=1, body='{"values": [{"id": "N15643", "ti')
    assert client().kpis(["N15643"])[0]["id"] == "N15643"
    fake.fail("/v3/kpi", 200, times=3, body='{"values": [')
    with pytest.raises(SourceError, match="ofullständigt JSON"):
        client(refresh=True).kpis(["N07609"])


def test_changed_shape_is_named(fake):
    fake.fail("/v3/kpi", 200, times=1, body='{"results": []}')
    with pytest.raises(SourceError, match="'values' saknas"):
        client().kpis(["N15643"])


def test_unknown_status_isdeleted_and_no_gender_split(fake, demo_store, tmp_path):
    fake.rows += [
        {"kpi": "N07609", "municipality": "1287", "period": 2025, "gender": "T", "value": None, "count": 0,
         "status": "Nytt okänt", "isdeleted": False},
        {"kpi": "N07609", "municipality": "0181", "period": 2025, "gender": "T", "value": 99.0, "count": 1,
         "status": "", "isdeleted": True},
        {"kpi": "N07609", "municipality": "0181", "period": 2017, "gender": "T", "value": None, "count": 1,
         "status": "Privacy", "isdeleted": False},
    ]
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    load_from_api(target, ["N07609"], ["1287", "0181"], list(range(2017, 2026)), client())
    with sqlite3.connect(target) as con:
        got = {(a, y): (s, v, r) for a, y, s, v, r in con.execute(
            "SELECT area_id, year, status, value, status_reason FROM observation o "
            "JOIN source_fetch f ON f.id = o.fetch_id WHERE o.indicator_id = 'N07609' AND f.is_demo = 0")}
        genders = {g for (g,) in con.execute(
            "SELECT DISTINCT gender FROM observation o JOIN source_fetch f ON f.id = o.fetch_id "
            "WHERE o.indicator_id = 'N07609' AND f.is_demo = 0")}
    assert got[("1287", 2025)][0] == "missing" and "Nytt okänt" in got[("1287", 2025)][2]
    assert ("0181", 2025) not in got  # deleted at the source
    assert got[("0181", 2017)][:2] == ("suppressed", None)
    assert genders == {"T"}


def test_cache_makes_a_rebuild_offline(fake):
    first = client()
    first.values(["N15643"], ["1287"], [2020, 2021])
    fake.stop()
    again = client()
    rows = again.values(["N15643"], ["1287"], [2020, 2021])
    assert rows and again.stats["fetched"] == 0 and again.stats["cached"] >= 1


def test_parse_years():
    assert parse_years("2022-2024") == [2022, 2023, 2024]
    assert parse_years("2020,2022") == [2020, 2022]
    with pytest.raises(ValueError):
        parse_years("")


def test_real_values_served_as_kolada_responses_come_out_exactly(monkeypatch, tmp_path):
    path = shared_path("kolada", "real", "kolada_values_2006-2024.csv")
    with path.open(encoding="utf-8") as fh:
        real = list(csv.DictReader(fh))
    rows = [{"kpi": r["kpi_id"], "municipality": r["municipality_id"], "period": int(r["year"]),
             "gender": r["gender"], "value": float(r["value"]), "count": 1, "status": "", "isdeleted": False}
            for r in real]
    splits = {}
    for r in real:
        splits[r["kpi_id"]] = splits.get(r["kpi_id"], False) or r["gender"] in ("K", "M")
    kpis = {k: kpi_record(k, next(r["kpi_title"] for r in real if r["kpi_id"] == k), s) for k, s in splits.items()}
    server = FakeKolada(rows, kpis, page_size=100)
    monkeypatch.setenv("KOLADA_BASE_URL", server.start())
    monkeypatch.setenv("ETL_CACHE_DIR", str(tmp_path / "cache"))
    try:
        target = tmp_path / "real.sqlite"
        result = load_from_api(target, sorted(kpis), ["1287", "0181", "0483"], list(range(2006, 2025)), client())
    finally:
        server.stop()
    assert result["rows"] == len(real) == 1669
    expected = {(r["kpi_id"], r["municipality_id"], int(r["year"]), r["gender"]): float(r["value"]) for r in real}
    with sqlite3.connect(target) as con:
        got = {(k, a, y, g): v for k, a, y, g, v in con.execute(
            "SELECT indicator_id, area_id, year, gender, value FROM observation")}
        sources = {s for (s,) in con.execute("SELECT source FROM source_fetch")}
    assert got == expected
    assert sources == {"Kolada (RKA), API v3"}


def test_throttle_keeps_to_five_requests_a_second(fake):
    import time

    c = KoladaClient()  # the default interval
    start = time.monotonic()
    for kpi in ["N15643", "N07609", "N15643,N07609", "N07609,N15643", "N15643,N15643", "N07609,N07609"]:
        c.get_json(f"{c.base_url}/kpi/{kpi}")
    # Six requests at no more than five a second take at least a second (a lower bound: noise only adds).
    assert time.monotonic() - start >= 5 * 0.2


def test_ad_hoc_load_attaches_koladas_uncertainty_kpi(fake, demo_store, tmp_path):
    fake.rows += [
        {"kpi": "N07609", "municipality": "1287", "period": 2025, "gender": "T", "value": 24.0, "count": 1,
         "status": "", "isdeleted": False},
        {"kpi": "N07657", "municipality": "1287", "period": 2025, "gender": "T", "value": 3.0, "count": 1,
         "status": "", "isdeleted": False},
    ]
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    load_from_api(target, ["N07609"], ["1287"], [2025], client())
    with sqlite3.connect(target) as con:
        row = con.execute("SELECT o.value, o.ci_low, o.ci_high, o.n FROM observation o JOIN source_fetch f "
                          "ON f.id = o.fetch_id WHERE o.indicator_id = 'N07609' AND o.area_id = '1287' "
                          "AND o.year = 2025 AND f.is_demo = 0").fetchone()
        assert con.execute("SELECT COUNT(*) FROM observation WHERE indicator_id = 'N07657'").fetchone()[0] == 0
    assert row == (24.0, 21.0, 27.0, None)
