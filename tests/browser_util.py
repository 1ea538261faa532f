"""Start the app on a free localhost port and drive Debian's chromium (Playwright cannot download its
own browser here)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach Google's hosts on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(store: str | None = None, script: str | None = None):
    """Run the app as ``make run`` does (scripts/serve.py) on 127.0.0.1:<free port>; yield its base URL;
    stop it afterwards. With ``script``, that Streamlit script instead (the benchmark's floors)."""
    port = free_port()
    env = dict(os.environ)
    if store:
        env["INDICATOR_STORE"] = store
    command = [sys.executable, "-m", "streamlit", "run", script] if script else [sys.executable, "scripts/serve.py"]
    proc = subprocess.Popen(
        [*command, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("appen startade inte")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for_page(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script (stApp's data-test-script-state) and
    its charts have had a moment to paint."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_timeout(300)  # an interaction's rerun starts within this
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           state="attached", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stMain'] h1", state="attached", timeout=timeout_ms)
    # Streamlit loads a widget's code on first use and shows a skeleton until then, and marks elements of the
    # previous run stale until the new run replaces them: an audit in between sees a half-drawn page (axe
    # found the sidebar without its links and inputs that way).
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stSkeleton'], [data-stale='true']\")",
                           timeout=timeout_ms)
    page.wait_for_timeout(800)  # let Vega and deck.gl paint


def warm_up(page, base: str) -> None:
    """Open the root once: Streamlit 1.67 handles the first session after a server start with its old
    pages/ logic (it would show 'Page not found' for a deep link); every later session uses app.py's
    navigation."""
    page.goto(base + "/")
    wait_for_page(page)


async def ws_session(base: str, page: str, query: str) -> tuple[float, int, list[str]]:
    """One new app session over Streamlit's websocket, as a browser opens ``/<page>?<query>``: seconds from
    the request to the script's end, the largest message, and the kinds of messages received. An
    exception drawn by the app raises AssertionError."""
    import asyncio

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    kinds: list[str] = []
    biggest = 0
    async with websockets.connect(base.replace("http://", "ws://") + "/_stcore/stream", max_size=None) as conn:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = "" if page == "oversikt" else page
        t0 = time.perf_counter()
        await conn.send(msg.SerializeToString())
        while not kinds or kinds[-1] != "script_finished":
            data = await asyncio.wait_for(conn.recv(), timeout=180)
            biggest = max(biggest, len(data))
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kinds.append(fm.WhichOneof("type"))
            if kinds[-1] == "delta" and fm.delta.new_element.WhichOneof("type") == "exception":
                raise AssertionError(fm.delta.new_element.exception.message)
        return time.perf_counter() - t0, biggest, kinds
