"""Dependency audit that says plainly when it could not audit.

``pip-audit`` asks pypi.org's JSON API for each pinned package. Without that API (an offline machine, an
intranet, a registry mirror that only serves packages) it marks every package "could not be audited"
and still prints "No known vulnerabilities found" with exit code 0. This wrapper reads its JSON report
and answers in Swedish with an exit code that cannot be mistaken:

- 0: every package was audited and none has a known vulnerability;
- 1: known vulnerabilities (listed with the versions that fix them);
- 3: the audit could not run or left packages unaudited: nothing is claimed about them.

Usage: python scripts/audit.py [requirements.txt …]   (make audit)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OK, VULNERABLE, NOT_AUDITED = 0, 1, 3


def run_pip_audit(requirements: list[Path]) -> tuple[dict | None, str]:
    """pip-audit's JSON report of the pinned requirements (no resolution, no pip: exactly what is pinned),
    or None and what it printed when it failed."""
    cmd = [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off", "--no-deps",
           "--disable-pip"]
    for req in requirements:
        cmd += ["-r", str(req)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    try:
        return json.loads(proc.stdout), proc.stderr
    except json.JSONDecodeError:
        return None, (proc.stderr or proc.stdout).strip()


def summarise(report: dict | None, detail: str = "") -> tuple[int, list[str]]:
    """Exit code and Swedish lines for a pip-audit JSON report (None: pip-audit itself failed)."""
    if report is None:
        last = detail.strip().splitlines()[-1] if detail.strip() else "okänt fel"
        return NOT_AUDITED, ["Beroendegranskningen kunde inte köras: sårbarhetsdatabasen gick inte att nå "
                             f"({last[:200]}).", "Ingenting granskades – resultatet säger inget om sårbarheter."]
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines: list[str] = []
    for d in vulnerable:
        for v in d["vulns"]:
            fix = ", ".join(v.get("fix_versions") or []) or "ingen rättad version ännu"
            lines.append(f"SÅRBARHET: {d['name']} {d.get('version', '')}: {v.get('id', '?')} (rättad i {fix}).")
    if not deps:
        return NOT_AUDITED, ["Beroendegranskningen hittade inga paket att granska; ingenting granskades."]
    if skipped:
        lines.append(f"{len(skipped)} av {len(deps)} paket kunde inte granskas (sårbarhetsdatabasen svarade inte "
                     "för dem), t.ex. " + ", ".join(d["name"] for d in skipped[:5]) + ".")
        lines.append("Ingenting sägs om de paketen: granskningen är inte gjord." if len(skipped) == len(deps)
                     else f"{len(audited)} paket granskades.")
    if vulnerable:
        return VULNERABLE, lines
    if skipped:
        return NOT_AUDITED, lines
    return OK, [f"Alla {len(deps)} paket granskades: inga kända sårbarheter."]


def main(argv: list[str]) -> int:
    reqs = [Path(a) for a in argv] or [ROOT / "requirements.txt"]
    report, detail = run_pip_audit(reqs)
    code, lines = summarise(report, detail)
    for line in lines:
        print(line, file=sys.stdout if code == OK else sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
