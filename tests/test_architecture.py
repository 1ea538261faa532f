"""Issue #13: the layers of ARCHITECTURE.md, checked on the import statements themselves."""

from __future__ import annotations

import ast
import re
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


@pytest.mark.parametrize("folder", ["etl", "store", "services", "components"])
def test_nothing_below_the_pages_imports_the_pages_or_the_report(folder):
    """The meeting pack (report/) sits beside the pages: it uses components and services, never the other
    way round (a page hands report.build_pack to the component that offers the download)."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        bad = [m for m in imported_modules(path) if m.split(".")[0] in ("pages", "report")]
        assert not bad, (path, bad)


@pytest.mark.parametrize("folder", ["etl", "store", "services"])
def test_nothing_below_the_pages_imports_pages(folder):
    for path in sorted((ROOT / folder).rglob("*.py")):
        assert not any(m == "pages" or m.startswith("pages.") for m in imported_modules(path)), path


def test_the_etl_never_imports_the_app():
    for path in sorted((ROOT / "etl").rglob("*.py")):
        bad = [m for m in imported_modules(path) if m.split(".")[0] in ("components", "services", "streamlit")]
        assert not bad, (path, bad)


def test_the_etl_opens_its_sqlite_files_only_through_store():
    """Issue #17: every SQLite connection of the ETL goes through store/files.py (and the engines through
    store/db.py), so that a second engine has one place to go."""
    offenders = [path.name for path in sorted((ROOT / "etl").rglob("*.py")) if "sqlite3" in imported_modules(path)]
    assert offenders == []
    assert "sqlite3" in imported_modules(ROOT / "store" / "files.py")  # the check sees a real import


COMPONENTS = sorted((ROOT / "components").glob("*.py"))
# The Streamlit calls a service may make: caching only, never drawing.
SERVICE_STREAMLIT = {"cache_data", "cache_resource"}
# Streamlit calls that put text in front of a user.
UI_CALLS = {"title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
            "selectbox", "toggle", "button", "download_button", "radio", "slider", "multiselect", "expander",
            "tabs", "metric", "text", "write", "checkbox", "number_input", "text_input", "file_uploader",
            "page_link", "lazy_tabs"}
WORDS = re.compile(r"[A-Za-zÅÄÖåäöÉé]{3,}")


@pytest.mark.parametrize("path", COMPONENTS, ids=lambda p: p.name)
def test_components_never_query_the_store(path):
    """A component draws what a service hands it: no SQL, no queries/, no services.store.q."""
    mods = imported_modules(path)
    bad = sorted(m for m in mods if m == "queries" or m.startswith("queries.") or m in ("services.store.q",
                                                                                        "sqlalchemy", "sqlite3"))
    assert not bad, f"{path.name} imports {bad}"
    calls = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "q"]
    assert not calls, f"{path.name} runs queries itself (line {calls[0].lineno})"


@pytest.mark.parametrize("path", sorted((ROOT / "services").glob("*.py")), ids=lambda p: p.name)
def test_services_use_streamlit_for_caching_only(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = {n.attr for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "st"}
    assert used <= SERVICE_STREAMLIT, f"{path.name} calls st.{sorted(used - SERVICE_STREAMLIT)}"


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.List):
        return " ".join(filter(None, (_literal(e) for e in node.elts)))
    return None


def _root(node) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else None


@pytest.mark.parametrize("path", COMPONENTS + sorted((ROOT / "pages").rglob("*.py")) + [ROOT / "app.py"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_inline_swedish_in_what_the_page_draws(path):
    """Headings, captions, notices, widget labels and tab names come from components/strings.py (t()), so
    every user-facing sentence is in one place. HTML built for st.html and log lines are not checked."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in UI_CALLS and _root(node.func) not in ("log", "logging")):
            continue
        args = list(node.args) + [k.value for k in node.keywords if k.arg in ("label", "help", "placeholder")]
        for arg in args:
            text = _literal(arg)
            if text and WORDS.search(text) and not text.lstrip().startswith("<"):
                found.append(f"line {node.lineno}: {text[:50]!r}")
    assert not found, f"{path.name}: {found}"


def test_the_inline_string_check_finds_an_inline_string(tmp_path):
    """The check above is not vacuous: it flags a heading written inline."""
    sample = tmp_path / "sample.py"
    sample.write_text('import streamlit as st\nst.title("Översikt")\ncol.selectbox(f"Välj {x}", [])\n')
    with pytest.raises(AssertionError, match="Översikt"):
        test_no_inline_swedish_in_what_the_page_draws(sample)


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports when it is loaded: module-level imports only (an import inside
    a function or under ``if TYPE_CHECKING`` does not run at load time)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in tree.body:
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        out |= {n for n in names if n in known}
    return out


def test_no_import_circle_between_the_projects_modules():
    """Issue #29: services/indicators.py and services/districts.py once imported each other; no two
    modules of services/ or components/ do now, directly or round a longer circle."""
    from graphlib import CycleError, TopologicalSorter

    paths = {f"{p.parent.name}.{p.stem}": p for folder in ("services", "components")
             for p in (ROOT / folder).glob("*.py") if p.stem != "__init__"}
    known = set(paths)
    graph = {name: _top_level_imports(path, known) for name, path in paths.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as e:
        pytest.fail(f"an import circle: {' → '.join(e.args[1])}")
    assert set(order) == known
    # The check is not blind: a circle made up here is found.
    with pytest.raises(CycleError):
        list(TopologicalSorter({**graph, "services.scope": graph["services.scope"] | {"services.overview"}}).static_order())
