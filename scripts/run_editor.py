"""``make run-editor``: the app with sign-in against a local test provider, FOR TRYING ONLY (issue #27).

Starts ``oidc-provider-mock`` (a local OpenID Connect provider whose form signs in any user id, with no
password) on OIDC_PORT (default 9400) with the example users ``redaktor-0181`` (redaktör, Södertälje),
``ansvarig-telge`` (åtgärdsansvarig, Telge Bostäder AB), ``lasare`` (läsare) and ``admin``
(administratör), whose roles come from ``deploy/roles.example.toml``; then the app on PORT (default 8501)
with an ``[auth]`` section pointing at it, written to a temporary secrets file with a fresh cookie secret
(nothing is written into the project). Anyone who can reach the provider can sign in as anyone: never use
it for a real deployment (docs/anvandning.md, "Trying it"; real sign-in: docs/drift.md, "Sign-in").
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python scripts/run_editor.py` (make run-editor) imports the project's etl/
ROLES = ROOT / "deploy" / "roles.example.toml"
# A DEMO follow-up of Södertälje's action plan (comments say so) whose actions 4.1, 4.2 and 6.1 Telge Bostäder
# AB answers for, so that ansvarig-telge has actions to report on; imported into a demo store only.
DEMO_ACTIONS = ROOT / "data" / "demo" / "atgarder_demo.csv"
USERS = {"redaktor-0181": "Redaktör Södertälje", "ansvarig-telge": "Ansvarig Telge Bostäder",
         "lasare": "Läsare", "admin": "Administratör"}
CLIENT_ID, CLIENT_SECRET = "dashboard-lokal", "bara-for-test"


def secrets_toml(port: int, oidc_port: int, app_host: str = "localhost") -> str:
    """The [auth] section for the local provider (and the roles file), as TOML. The browser must open the
    app at ``app_host`` (the identity cookie is set for the redirect URI's host)."""
    return (
        "# Written by scripts/run_editor.py for the local test provider; for trying only.\n"
        "[auth]\n"
        f'redirect_uri = "http://{app_host}:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "http://127.0.0.1:{oidc_port}/.well-known/openid-configuration"\n'
        "\n[roller]\n"
        f'fil = "{ROLES.as_posix()}"\n'
    )


def provider_command(oidc_port: int) -> list[str]:
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--port", str(oidc_port), "--host", "127.0.0.1"]
    for sub, name in USERS.items():
        cmd += ["--user-claims", json.dumps({"sub": sub, "email": f"{sub}@example.se", "name": name},
                                            ensure_ascii=False)]
    return cmd


def wait_for(url: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - a local URL we built
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"Testleverantören svarar inte på {url}.") from None
            time.sleep(0.2)


def start(port: int, oidc_port: int, secrets_dir: Path, app_host: str = "localhost", extra: list[str] | None = None,
          env: dict | None = None, **popen) -> tuple[subprocess.Popen, subprocess.Popen]:
    """Start the provider, wait for it, then the app with the sign-in secrets; returns both processes."""
    provider = subprocess.Popen(provider_command(oidc_port), cwd=ROOT, env=env, **popen)
    wait_for(f"http://127.0.0.1:{oidc_port}/.well-known/openid-configuration")
    secrets_file = secrets_dir / "secrets.toml"
    secrets_file.write_text(secrets_toml(port, oidc_port, app_host), encoding="utf-8")
    app = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port", str(port),
                            "--server.address", app_host, "--browser.serverAddress", app_host,
                            "--secrets.files", str(secrets_file), *(extra or [])], cwd=ROOT, env=env, **popen)
    return provider, app


def seed_demo_actions(location: str | None = None) -> bool:
    """Import ``DEMO_ACTIONS`` into the store when it is a demo SQLite store without any follow-up yet (a real
    store, or one with a follow-up of its own, is left alone); returns whether it did."""
    import sqlite3

    from etl.actions_import import import_actions
    from store.db import sqlite_path, store_location

    path = sqlite_path(store_location(location))
    if path is None or not path.exists():
        return False
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        demo = con.execute("SELECT value FROM meta WHERE key = 'is_demo'").fetchone()
        follow = con.execute("SELECT COUNT(*) FROM action_status").fetchone()[0]
    except sqlite3.Error:
        return False
    finally:
        con.close()
    if demo is None or demo[0] != "1" or follow:
        return False
    import_actions(path, DEMO_ACTIONS)
    print(f"Demodatabasen fick en påhittad uppföljning av åtgärdsplanen ({DEMO_ACTIONS.name}, märkt DEMO).",
          flush=True)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")))
    parser.add_argument("--oidc-port", type=int, default=int(os.environ.get("OIDC_PORT", "9400")))
    args = parser.parse_args()
    seed_demo_actions()
    with tempfile.TemporaryDirectory(prefix="run-editor-") as tmp:
        provider, app = start(args.port, args.oidc_port, Path(tmp))
        print(f"\nENDAST FÖR ATT PROVA: appen på http://localhost:{args.port}, testleverantören på "
              f"http://localhost:{args.oidc_port}. Logga in som {', '.join(USERS)} (inget lösenord).\n",
              flush=True)
        try:
            return app.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            for proc in (app, provider):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()


if __name__ == "__main__":
    sys.exit(main())
