"""Issue #30: what a person reads on a page is plain Swedish with names, not codes. Every page of every
strategy (AppTest, the demo store: with real DeSO/RegSO where ../shared has them) is read as text – headings,
captions, notices, HTML tables, widget labels and options, table cells, chart titles and tooltips – and
must hold no developer text ("python -m", "import-actions", a template's ".csv)") and no ids: no Kolada id
in brackets ("(N15418)"), no RegSO or DeSO code ("0181R004", "0181A0060"). The Data page is where ids
belong, and is only checked for developer text."""

from __future__ import annotations

import json
import re

import pytest
import streamlit as st
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from etl.catalogue import load_catalogue
from pages.views import focus_area_path
from tests.test_pages import ANALYSIS_PAGES, assert_ok, open_page

DEVELOPER_TEXT = ("python -m", "import-actions", ".csv)", "importeras som CSV")
IDS = (re.compile(r"\(N\d{5}\)"), re.compile(r"\b\d{4}R\d{3}\b"), re.compile(r"\b\d{4}[A-C]\d{4}\b"))
# Proto fields that are not read by a person: widget ids and keys, form ids, the chart's raw data.
SKIP_FIELDS = {"id", "form_id", "key", "data", "datasets", "arrow_data", "serialized", "mapbox_token"}


@pytest.fixture(autouse=True)
def _session_store(app_store):  # noqa: ARG001 - points the app at the session's demo store
    st.config.set_option("client.showErrorDetails", "full")


def _strings(value, out: list[str]) -> None:
    """Every string a Streamlit element carries, JSON specs (Vega-Lite, pydeck) without their data."""
    if isinstance(value, Message):
        for field, inner in value.ListFields():
            if field.name not in SKIP_FIELDS:
                _strings(inner, out)
    elif isinstance(value, str):
        if value[:1] in "{[":
            try:
                _strings(json.loads(value), out)
                return
            except ValueError:
                pass
        out.append(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in SKIP_FIELDS and k != "values":
                _strings(v, out)
    elif isinstance(value, list | tuple) or (hasattr(value, "__iter__") and not isinstance(value, bytes)):
        for v in value:
            _strings(v, out)


def page_text(at: AppTest) -> str:
    """What the run drew, as text: every element's strings, and every table's cells."""
    out: list[str] = []
    stack = [at._tree]  # noqa: SLF001 - AppTest has no public walk over all elements
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            _strings(proto, out)
        if type(node).__name__ == "Dataframe":
            out.append(node.value.to_csv(index=False))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
    return "\n".join(out)


def offences(text: str, ids_allowed: bool = False) -> list[str]:
    found = [w for w in DEVELOPER_TEXT if w in text]
    if not ids_allowed:
        for pattern in IDS:
            found += [f"{m.group(0)} i «{text[max(0, m.start() - 60):m.end() + 20]}»" for m in pattern.finditer(text)]
    return found[:10]


def _pages() -> list:
    out = []
    for s in load_catalogue().strategies:
        mid = s["municipality_id"]
        paths = ["oversikt"] + [focus_area_path(fa["code"], fa["title"]) for fa in s["focus_areas"]]
        paths += sorted(ANALYSIS_PAGES)
        out += [pytest.param(mid, p, id=f"{mid}-{p}", marks=[pytest.mark.slow] if i > 1 else [])
                for i, p in enumerate(paths)]
    return out


@pytest.mark.parametrize("kommun,url_path", _pages())
def test_no_developer_text_or_codes_on_any_page(kommun, url_path):
    at = open_page(url_path, kommun=kommun)
    assert_ok(at)
    text = page_text(at)
    assert len(text) > 200, "the page drew almost nothing: the walk over its elements is broken"
    assert not offences(text, ids_allowed=url_path == "data"), offences(text, ids_allowed=url_path == "data")


def test_the_walk_finds_codes_where_they_are():
    """The check can fail: the Data page shows the ids (its catalogue's last column)."""
    at = open_page("data", kommun="1287")
    assert_ok(at)
    text = page_text(at)
    assert any(p.search(text) for p in IDS[:1]) or re.search(r"\bN\d{5}\b", text)
    assert offences("Läses in med python -m etl import-actions (mall.csv) för (N15418) i 0181R004")


def test_the_data_page_explains_every_method_the_app_names():
    """Method names leave the table cells for "Hur vet vi det?"; the Data page explains each with its source."""
    from components.strings import t
    from services import stats

    text = t("methods")
    names = [stats.METHOD_MK, "chi2-test för trend", "WLS", "Newcombe", "z-test ur konfidensintervall", "Wilson",
             "Garwood", "Benjamini–Hochberg", "Kish", "SII", "phe_sii", "simulering (100 000 dragningar)",
             "prognosintervall", "registeruppgift"]
    assert [n for n in names if n not in text] == []
    glossary = text[text.index("**Metodernas namn.**"):]
    rows = [r for r in glossary.splitlines() if r.startswith("| ") and not r.startswith("| Namn")]
    assert len(rows) >= 12 and all(r.count("|") == 4 and r.split("|")[3].strip() for r in rows)  # a source each
    assert not offences(text)


@pytest.mark.slow
@pytest.mark.parametrize("kommun", ["1287", "0181", "0483"])
def test_no_codes_behind_the_tabs_with_a_district_chosen(kommun):
    """The first focus page's indicator tabs (Kön, Skillnader, Tabell; "Om indikatorn" may name the source's
    id) and Jämför's tabs, with the first district chosen: names, never codes."""
    from services import catalogue as cat

    district = cat.main_districts(kommun).iloc[0]["id"]
    fa = next(s for s in load_catalogue().strategies if s["municipality_id"] == kommun)["focus_areas"][0]
    at = open_page(focus_area_path(fa["code"], fa["title"]), kommun=kommun, omrade=district)
    assert_ok(at)
    picker = next(w for w in at.selectbox if str(w.key).startswith("w_ind_"))
    shown = picker.value  # the indicator the block shows
    tab_key = f"w_tabs_{shown}"
    for label in ("Kön", "Skillnader", "Tabell"):
        at.session_state[tab_key] = label
        at.run()
        assert_ok(at)
        assert not offences(page_text(at)), (label, offences(page_text(at)))
    tables = [h for h in at.get("html") if "<table class='ind'>" in h.proto.body]
    assert tables, "the Tabell tab did not open: the check above read the wrong tab"
    at = open_page("jamfor", kommun=kommun, omrade=district)
    for tab in ("Rangordning", "Karta", "Utveckling", "Samband"):
        at.session_state["w_cmp_tab"] = tab
        at.run()
        assert_ok(at)
        assert not offences(page_text(at)), (tab, offences(page_text(at)))
