"""``make cluster N=3``: N app processes on this machine behind Debian's HAProxy (deploy/haproxy.cfg) on one
port, with sticky sessions, WebSockets and health checks. They share the store in INDICATOR_STORE: a
PostgreSQL URL (postgresql+psycopg://…), or the SQLite file (one host only).

    python scripts/cluster.py --processes 3 [--bind localhost:8080] [--first-port 8511]

For several hosts, run scripts/serve.py on each (see deploy/README.md) and point APP_SERVER … APP_SERVER_8
at them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "haproxy.cfg"
MAX_PROCESSES = 8
START_TIMEOUT_S = 90


def haproxy_binary() -> str | None:
    found = shutil.which("haproxy")
    return found or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _wait(bases: list[str], procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    pending = list(bases)
    while pending and time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise RuntimeError("en process avslutades under starten")
        pending = [b for b in pending if not _healthy(b)]
        time.sleep(0.3)
    if pending:
        raise RuntimeError(f"svarade inte inom {START_TIMEOUT_S} s: {', '.join(pending)}")


@contextlib.contextmanager
def cluster(processes: int, bind: str | None = None, first_port: int | None = None, store: str | None = None,
            show_server: bool = False, quiet: bool = True) -> Iterator[str]:
    """Start ``processes`` app processes and HAProxy in front; yield the proxy's base URL; stop them all."""
    if not 1 <= processes <= MAX_PROCESSES:
        raise ValueError(f"1–{MAX_PROCESSES} processer")
    haproxy = haproxy_binary()
    if haproxy is None:
        raise RuntimeError("HAProxy saknas: installera med apt-get install haproxy")
    env = dict(os.environ)
    if store:
        env["INDICATOR_STORE"] = store
    ports = [first_port + i if first_port else free_port() for i in range(processes)]
    out = subprocess.DEVNULL if quiet else None
    apps = [subprocess.Popen([sys.executable, "scripts/serve.py", "--server.port", str(p), "--server.address",
                              "127.0.0.1", "--server.headless", "true"], cwd=ROOT, env=env, stdout=out, stderr=out)
            for p in ports]
    proxy = None
    try:
        _wait([f"http://127.0.0.1:{p}" for p in ports], apps)
        bind = bind or f"127.0.0.1:{free_port()}"
        proxy_env = {**env, "PROXY_BIND": bind, "APP_SERVER": f"127.0.0.1:{ports[0]}"}
        proxy_env |= {f"APP_SERVER_{i + 1}": f"127.0.0.1:{p}" for i, p in enumerate(ports) if i}
        if show_server:
            proxy_env["SHOW_SERVER"] = "1"
        check = subprocess.run([haproxy, "-c", "-f", str(CONFIG)], env=proxy_env, capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(check.stdout + check.stderr)
        proxy = subprocess.Popen([haproxy, "-db", "-f", str(CONFIG)], env=proxy_env, stdout=out, stderr=out)
        host, port = bind.rsplit(":", 1)
        base = f"http://{'127.0.0.1' if host in ('', '0.0.0.0', 'localhost') else host}:{port}"  # noqa: S104
        _wait([base], [proxy])
        yield base
    finally:
        for p in ([proxy] if proxy else []) + apps:
            p.terminate()
        for p in ([proxy] if proxy else []) + apps:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


@contextlib.contextmanager
def _local_postgres(sqlite_store: str) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on this machine with ``sqlite_store`` published into it."""
    sys.path.insert(0, str(ROOT))
    from store import pg
    from store.db import sqlite_path
    from tests.pg_server import cluster as pg_cluster
    from tests.pg_server import missing_reason

    reason = missing_reason()
    if reason:
        raise RuntimeError(reason)
    path = sqlite_path(sqlite_store)
    if path is None or not path.exists():
        raise RuntimeError(f"SQLite-databasen att kopiera saknas: {sqlite_store} (bygg den med make demo)")
    with pg_cluster() as url:
        counts = pg.publish(path, url)
        print(f"Tillfällig PostgreSQL: {url.split('@')[-1]}, {counts['observation']} observationer.", flush=True)
        yield url


def main() -> int:
    ap = argparse.ArgumentParser(description="Flera app-processer bakom HAProxy på en port.")
    ap.add_argument("--processes", "-n", type=int, default=2)
    ap.add_argument("--bind", default="localhost:8080", help="adress:port för HAProxy (standard localhost:8080)")
    ap.add_argument("--first-port", type=int, default=8511, help="första app-processens port (sedan +1, +2 …)")
    ap.add_argument("--postgres-local", action="store_true",
                    help="starta en tillfällig PostgreSQL här (Debians paket) med SQLite-databasen kopierad dit")
    args = ap.parse_args()
    store = os.environ.get("INDICATOR_STORE", "data/indicators.sqlite")
    try:
        with contextlib.ExitStack() as stack:
            if args.postgres_local:
                store = stack.enter_context(_local_postgres(store))
            base = stack.enter_context(cluster(args.processes, args.bind, args.first_port, store=store, quiet=False))
            print(f"{args.processes} app-processer bakom HAProxy: {base} (databas: {store.split('@')[-1]}). "
                  "Ctrl-C stoppar alla.", flush=True)
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except (RuntimeError, ValueError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
