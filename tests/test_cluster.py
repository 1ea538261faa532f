"""Issue #17: two PostgreSQL-backed app processes behind Debian's HAProxy (deploy/haproxy.cfg through
scripts/cluster.py, what `make cluster` runs): health checks, sticky sessions by cookie, new sessions spread
over both processes, and a short load of new sessions over the WebSocket through the proxy, none failing."""

from __future__ import annotations

import asyncio
import http.client
import os

import pytest

from scripts.cluster import cluster, haproxy_binary
from store import pg
from tests.pg_server import cluster as pg_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

if haproxy_binary() is None:
    if os.environ.get("REQUIRE_PROXY") == "1":
        raise RuntimeError("REQUIRE_PROXY=1 but haproxy is missing (apt-get install haproxy)")
    pytest.skip("haproxy is not installed (Debian: apt-get install haproxy)", allow_module_level=True)


def _get(base: str, path: str, cookie: str | None = None) -> tuple[int, dict]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    resp = conn.getresponse()
    resp.read()
    headers = {k.lower(): v for k, v in resp.getheaders()}
    conn.close()
    return resp.status, headers


@pytest.fixture(scope="module")
def proxied(demo_store):
    with pg_cluster() as url:
        pg.publish(demo_store, url)
        with cluster(2, store=url, show_server=True) as base:
            yield base


def test_sessions_stick_to_their_process_and_new_ones_spread(proxied):
    status, headers = _get(proxied, "/")
    assert status == 200
    cookie = headers["set-cookie"].split(";")[0]
    assert cookie.startswith("ST_APP=app") and "HttpOnly" in headers["set-cookie"]
    server = headers["x-served-by"]
    for path in ("/", "/_stcore/health", "/_stcore/host-config"):
        assert _get(proxied, path, cookie)[1].get("x-served-by") == server, path
    spread = {_get(proxied, "/_stcore/health")[1]["x-served-by"] for _ in range(6)}
    assert spread == {"app1", "app2"}


def test_new_sessions_over_the_websocket_through_the_proxy(proxied):
    from tests.browser_util import ws_session

    async def together(n: int):
        return await asyncio.gather(*(ws_session(proxied, "oversikt", "kommun=0181") for _ in range(n)))

    results = asyncio.run(together(12))
    assert len(results) == 12
    assert all(kinds[-1] == "script_finished" and "delta" in kinds for _, _, kinds in results)
