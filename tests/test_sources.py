"""The shared HTTP source base (etl/sources/http.py) that Kolada and SCB PxWeb both use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from etl.kolada import KoladaClient
from etl.pxweb import PxWebClient
from etl.sources.http import FETCHED_AT_KEY, HttpSource, parse_retry_after

NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("value,seconds", [
    ("120", 120.0), ("1.5", 1.5), (" 7 ", 7.0), ("Thu, 03 Dec 2026 12:00:30 GMT", 30.0),
    ("Thu, 03 Dec 2026 11:00:00 GMT", 0.0),  # a date in the past: no wait
    (None, None), ("", None), ("soon", None), ("inf", None), ("nan", None), ("-5", 0.0),
])
def test_retry_after_as_seconds_or_an_http_date(value, seconds):
    assert parse_retry_after(value, NOW) == seconds


def test_both_clients_share_the_base_and_keep_their_cache_names():
    """Cache file names are what they were before the base (a cache made earlier is still read)."""
    import hashlib

    k, p = KoladaClient(), PxWebClient()
    assert isinstance(k, HttpSource) and isinstance(p, HttpSource)
    url = "https://api.kolada.se/v3/kpi/N00945?per_page=5000"
    assert k.cache_path(url).name == hashlib.sha256(url.encode()).hexdigest()[:32] + ".json"
    assert k.cache_path(url).parent.name == "kolada" and p.cache_path(url).parent.name == "pxweb"


def test_a_cached_answer_keeps_its_fetch_time(tmp_path):
    source = HttpSource(cache_dir=tmp_path, clock=lambda: "2026-01-10T08:00:00+00:00")
    source.write_cache("k", {"x": 1}, "2026-01-10T08:00:00+00:00")
    again = HttpSource(cache_dir=tmp_path, clock=lambda: "2026-03-01T00:00:00+00:00")
    doc = again.fetch("k", "http://127.0.0.1:9/never-asked")
    assert doc[FETCHED_AT_KEY] == "2026-01-10T08:00:00+00:00" and again.fetch_time["k"] == doc[FETCHED_AT_KEY]
    assert again.stats["cached"] == 1 and again.stats["fetched"] == 0
