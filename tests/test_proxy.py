"""Issue #18: the app behind Debian's HAProxy with deploy/haproxy.cfg: security headers on every answer,
a Content-Security-Policy the app lives with (no violation in the browser console, charts and map drawn),
nested paths sent to the start page.

Needs /usr/sbin/haproxy (Debian: apt-get install haproxy); skips without it, except where
REQUIRE_PROXY=1 (CI sets it and installs haproxy): there a missing haproxy fails the run."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.browser_util import CHROMIUM_ARGS, CHROMIUM_PATH, free_port, running_app, wait_for_page, warm_up

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"

if not os.path.exists(HAPROXY):
    if os.environ.get("REQUIRE_PROXY") == "1":
        raise RuntimeError("REQUIRE_PROXY=1 but haproxy is missing (apt-get install haproxy)")
    pytest.skip("haproxy is not installed (Debian: apt-get install haproxy)", allow_module_level=True)


@contextlib.contextmanager
def proxy_in_front(app_base: str):
    port = free_port()
    env = {**os.environ, "PROXY_BIND": f"127.0.0.1:{port}", "APP_SERVER": app_base.split("//", 1)[1]}
    check = subprocess.run([HAPROXY, "-c", "-f", str(CONFIG)], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    proc = subprocess.Popen([HAPROXY, "-db", "-f", str(CONFIG)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if _get(port, "/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("HAProxy svarade inte")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(port: int, path: str) -> tuple[int, dict[str, str]]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        con.request("GET", path)
        r = con.getresponse()
        r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def proxy_port(app_store):
    with running_app(str(app_store)) as base, proxy_in_front(base) as port:
        yield port


def _csp() -> dict[str, list[str]]:
    text = CONFIG.read_text(encoding="utf-8")
    value = re.search(r'set-header Content-Security-Policy "([^"]+)"', text).group(1)
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in value.split(";")) if d}


def test_streamlit_inline_scripts_are_allowed_by_hash_not_by_unsafe_inline():
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    csp = _csp()
    for body in scripts:
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        assert digest in csp["script-src"], f"Streamlit's inline script changed: put {digest} in deploy/haproxy.cfg"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"] and csp["object-src"] == ["'none'"]
    # Nothing from another host, whatever the directive.
    assert all(src.startswith("'") or src.rstrip(":") in ("data", "blob") for srcs in csp.values() for src in srcs)


@pytest.mark.parametrize("path", ["/", "/jamfor?kommun=1287", "/_stcore/health", "/static/favicon.png"])
def test_every_answer_carries_the_security_headers(proxy_port, path):
    status, headers = _get(proxy_port, path)
    assert status in (200, 404)
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]
    assert "server" not in headers  # no "TornadoServer/x.y"


def test_nested_paths_go_to_the_start_page(proxy_port):
    status, headers = _get(proxy_port, "/jamfor/extra?x=1")
    assert status == 302 and headers["location"] == "/"
    assert _get(proxy_port, "/_stcore/health")[0] == 200  # Streamlit's own paths pass,
    # also below a page: Streamlit answers there itself (a deep link probes /<page>/_stcore/… first).
    assert _get(proxy_port, "/jamfor/_stcore/health")[0] != 302


def test_the_app_works_under_the_policy(proxy_port):
    if not (shutil.which(CHROMIUM_PATH) or os.path.exists(CHROMIUM_PATH)):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            raise RuntimeError(f"REQUIRE_BROWSER=1 but {CHROMIUM_PATH} is missing")
        pytest.skip(f"{CHROMIUM_PATH} is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    base = f"http://127.0.0.1:{proxy_port}"
    problems, outside = [], []
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith((base, "ws://127.0.0.1", "data:", "blob:")) else None)
        warm_up(page, base)
        drawn = {}
        for path in ("6-ett-tryggt-sodertalje?kommun=0181&ind=ENK_TRYGG_OMRADE", "trygghet?kommun=0181",
                     "jamfor?kommun=1287"):
            page.goto(f"{base}/{path}")
            wait_for_page(page)
            page.wait_for_timeout(1000)
            drawn[path] = page.locator("canvas, [data-testid='stVegaLiteChart'] svg").count()
            assert page.locator("[data-testid='stMain'] h1").count() == 1
        browser.close()
    # Streamlit's own probes of /<page>/_stcore/… answer 404 with or without a proxy; anything else counts.
    assert not [p for p in problems if "Content Security Policy" in p or "WebSocket" in p], problems
    assert all(drawn.values()), drawn
    assert outside == []
