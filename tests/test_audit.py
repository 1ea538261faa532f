"""Issue #18: the dependency audit never says "no known vulnerabilities" when it audited nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.audit import NOT_AUDITED, OK, VULNERABLE, summarise

ROOT = Path(__file__).resolve().parent.parent

# pip-audit's JSON report format (pip-audit 2.x, `-f json`).
VULN = {"dependencies": [
    {"name": "jinja2", "version": "3.0.0", "vulns": [
        {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": ["CVE-2024-22195"], "description": "x"}]},
    {"name": "pandas", "version": "2.3.3", "vulns": []}], "fixes": []}
CLEAN = {"dependencies": [{"name": "pandas", "version": "2.3.3", "vulns": []},
                          {"name": "altair", "version": "6.3.0", "vulns": []}], "fixes": []}
NOTHING = {"dependencies": [
    {"name": "pandas", "skip_reason": "Dependency not found on PyPI and could not be audited: pandas (2.3.3)"},
    {"name": "altair", "skip_reason": "Dependency not found on PyPI and could not be audited: altair (6.3.0)"}],
    "fixes": []}
PARTLY = {"dependencies": [CLEAN["dependencies"][0], NOTHING["dependencies"][1]], "fixes": []}


def test_a_clean_audit_says_so():
    code, lines = summarise(CLEAN)
    assert code == OK and "inga kända sårbarheter" in lines[0] and "2 paket" in lines[0]


def test_vulnerabilities_are_listed_with_their_fix():
    code, lines = summarise(VULN)
    assert code == VULNERABLE and "jinja2 3.0.0: GHSA-h5c8-rqwp-cp95 (rättad i 3.1.3)" in " ".join(lines)


@pytest.mark.parametrize("report", [NOTHING, PARTLY, {"dependencies": []}, None])
def test_an_audit_that_audited_nothing_or_part_never_says_clean(report):
    code, lines = summarise(report, "requests.exceptions.ConnectionError: no route")
    text = " ".join(lines)
    assert code == NOT_AUDITED and "inga kända sårbarheter" not in text
    assert "kunde inte" in text or "ingenting granskades" in text.lower()


def test_without_the_vulnerability_service_the_command_says_it_could_not_run():
    pytest.importorskip("pip_audit", reason="pip-audit is in requirements-dev.txt")
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    proc = subprocess.run([sys.executable, "scripts/audit.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == NOT_AUDITED, proc.stdout + proc.stderr
    assert "kunde inte" in proc.stderr and "No known vulnerabilities" not in proc.stdout + proc.stderr
