"""Issue #13: the layers of ARCHITECTURE.md, checked on the import statements themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("path", sorted((ROOT / "services").glob("*.py")), ids=lambda p: p.name)
def test_services_never_import_components(path):
    bad = sorted(m for m in imported_modules(path) if m == "components" or m.startswith("components."))
    assert not bad, f"{path.name} imports {bad}: a service hands data to components, never the other way"


@pytest.mark.parametrize("folder", ["etl", "store", "services"])
def test_nothing_below_the_pages_imports_pages(folder):
    for path in sorted((ROOT / folder).rglob("*.py")):
        assert not any(m == "pages" or m.startswith("pages.") for m in imported_modules(path)), path


def test_the_etl_never_imports_the_app():
    for path in sorted((ROOT / "etl").rglob("*.py")):
        bad = [m for m in imported_modules(path) if m.split(".")[0] in ("components", "services", "streamlit")]
        assert not bad, (path, bad)
