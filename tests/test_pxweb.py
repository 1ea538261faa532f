"""SCB PxWeb v2: json-stat2 responses built from the real SCB DeSO values in ../shared/geo/deso, served
by a local HTTP server (PXWEB_BASE_URL), come out of the client exactly; suppressed cells stay
suppressed; failures are named."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from etl.kolada import SourceError
from etl.pxweb import PxWebClient, unpack_jsonstat2
from tests.conftest import shared_path
from tests.fake_http import JsonHandler, serve


def jsonstat2(region_values: dict[str, float | None], year: str, contents: str) -> dict:
    """A json-stat2 dataset with the shape SCB's PxWeb v2 returns (Region × ContentsCode × Tid)."""
    regions = sorted(region_values)
    values = [region_values[r] for r in regions]
    return {
        "version": "2.0", "class": "dataset", "label": "Låg ekonomisk standard efter region och år",
        "source": "SCB", "updated": "2025-05-01T06:00:00Z",
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "id": ["Region", "ContentsCode", "Tid"], "size": [len(regions), 1, 1],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {r: i for i, r in enumerate(regions)},
                                                       "label": {r: r for r in regions}}},
            "ContentsCode": {"label": "tabellinnehåll", "category": {"index": {contents: 0},
                                                                     "label": {contents: "Andel"}}},
            "Tid": {"label": "år", "category": {"index": {year: 0}, "label": {year: year}}},
        },
        "value": values,
        "status": {str(i): ".." for i, v in enumerate(values) if v is None},
    }


@pytest.fixture
def scb(monkeypatch, tmp_path):
    responses: list[tuple[int, str]] = []
    bodies: list[dict] = []

    class Handler(JsonHandler):
        def do_POST(self):
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            status, body = responses.pop(0) if len(responses) > 1 else responses[0]
            self.send_json(status, body)

    server = serve(Handler)
    monkeypatch.setenv("PXWEB_BASE_URL", f"http://127.0.0.1:{server.server_port}/api/v2")
    monkeypatch.setenv("ETL_CACHE_DIR", str(tmp_path / "cache"))
    yield responses, bodies
    server.shutdown()


def test_real_deso_values_round_trip(scb):
    responses, bodies = scb
    doc = json.loads(shared_path("geo", "deso", "1287.json").read_text())
    real = {a["name"]: a["hist"]["low_econ"]["2024"] for a in doc["areas"]}
    real[sorted(real)[0]] = None  # one cell suppressed at the source
    responses.append((200, json.dumps(jsonstat2(real, "2024", "000008AC"))))
    frame = PxWebClient().table("TAB6685", {"Region": ["1287*"], "ContentsCode": ["000008AC"], "Tid": ["2024"]})
    got = {r: (None if pd.isna(v) else v) for r, v in zip(frame["Region"], frame["value"], strict=True)}
    assert got == real
    first = frame[frame["Region"] == sorted(real)[0]].iloc[0]
    assert first["status"] == ".." and pd.isna(first["value"])
    assert bodies[0]["selection"][0] == {"variableCode": "Region", "valueCodes": ["1287*"]}


def test_row_major_order_with_two_varying_dimensions():
    doc = {"class": "dataset", "id": ["Region", "Kon"], "size": [2, 2],
           "dimension": {"Region": {"category": {"index": {"A": 0, "B": 1}}},
                         "Kon": {"category": {"index": {"1": 0, "2": 1}, "label": {"1": "män", "2": "kvinnor"}}}},
           "value": [1, 2, 3, 4]}
    df = unpack_jsonstat2(doc)
    assert list(zip(df["Region"], df["Kon"], df["value"], strict=True)) == [
        ("A", "1", 1), ("A", "2", 2), ("B", "1", 3), ("B", "2", 4)]
    assert df.loc[1, "Kon_label"] == "kvinnor"


def test_500_is_retried_then_named(scb):
    responses, _ = scb
    responses.extend([(500, "{}"), (500, "{}"), (500, "{}"), (500, "{}")])
    with pytest.raises(SourceError, match="SCB svarade inte korrekt"):
        PxWebClient().table("TAB6574", {"Region": ["0181*"]})


def test_not_a_dataset_is_named(scb):
    responses, _ = scb
    responses.append((200, json.dumps({"error": "unknown table"})))
    with pytest.raises(SourceError, match="json-stat2"):
        PxWebClient().table("TAB0000", {"Region": ["0181*"]})


def test_rate_limit_comes_from_config_or_scbs_published_default(monkeypatch, tmp_path):
    from tests.scb_fake import FakeScb

    server = FakeScb(tmp_path)  # no DeSO files needed: only /config is asked for
    server.calls_per_window = 30
    base = server.start()
    try:
        assert PxWebClient(base_url=base).interval() == pytest.approx(10 / 30)  # noqa: SLF001
    finally:
        server.stop()
    # Nothing answers: SCB's published limit.
    assert PxWebClient(base_url="http://127.0.0.1:9/api/v2").interval() == pytest.approx(10 / 30)  # noqa: SLF001
