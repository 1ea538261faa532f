"""Issue #27: every spreadsheet the app hands out is safe in Excel. A text cell from a file (an indicator's
title in the catalogue, an action's title, a comment, a note) that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading apostrophe (OWASP, CSV injection); numbers stay numbers, negative ones
too. Checked through the real export functions: the indicator block's CSV, the Data page's catalogue CSV and
its workbook, and the action plan's reminder list (tests/test_action_reports.py)."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3

import openpyxl
import pandas as pd
import pytest

from services import data as svc_data
from services import exports, scope
from services import indicators as svc
from services.filters import Filters
from services.store import clear_caches

HOSTILE = ["=HYPERLINK(\"http://x.invalid\",\"klicka\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]
HARMLESS = ["Trygghet i området", "2024-01-01", "..", "– saknas", "a=b", ""]


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    if text.startswith("# "):
        text = text.split("\r\n", 1)[1]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def starts_formula(cell) -> bool:
    return isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")


def frame() -> pd.DataFrame:
    n = len(HOSTILE) + len(HARMLESS)
    return pd.DataFrame({"Text": HOSTILE + HARMLESS, "Värde": [-1.5 * (k + 1) for k in range(n)],
                         "Antal": pd.Series([-k for k in range(n)], dtype=object)})


def test_the_one_rule_prefixes_formula_starts_and_leaves_the_rest():
    out = exports.formula_safe(frame())
    assert list(out["Text"][:len(HOSTILE)]) == ["'" + h for h in HOSTILE]
    assert list(out["Text"][len(HOSTILE):]) == HARMLESS
    assert out["Värde"].equals(frame()["Värde"]) and list(out["Antal"]) == list(frame()["Antal"])
    assert exports.formula_safe(pd.DataFrame({"=A1": [1]})).columns[0] == "'=A1"


@pytest.mark.parametrize("is_demo", [False, True])
def test_csv_has_no_formula_and_negative_numbers_stay_numbers(is_demo):
    rows = csv_rows(exports.to_csv_bytes(frame(), is_demo))
    header, body = rows[0], rows[1:]
    assert header == ["Text", "Värde", "Antal"]
    assert not any(starts_formula(c) for r in body for c in r[:1])
    assert [r[0] for r in body[:len(HOSTILE)]] == ["'" + h for h in HOSTILE]
    assert [float(r[1].replace(",", ".")) for r in body] == list(frame()["Värde"])  # numbers, not "'-1,5"
    assert body[1][2] == "-1"  # a negative integer, not "'-1"


def test_xlsx_has_no_formula_and_numbers_stay_numeric():
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes({"Värden": frame()}, is_demo=True)))
    assert book.sheetnames == ["Läs först", "Värden"]
    sheet = book["Värden"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [sheet.cell(row=r, column=1).value for r in range(2, 2 + len(HOSTILE))]
    assert texts == ["'" + h for h in HOSTILE]
    values = [sheet.cell(row=r, column=2) for r in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "n" and c.value < 0 for c in values)


@pytest.fixture
def hostile_store(demo_store, tmp_path, monkeypatch):
    """The demo store with an indicator whose catalogue title and unit would be formulas in Excel."""
    path = tmp_path / "indicators.sqlite"
    shutil.copyfile(demo_store, path)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE indicator SET title = ?, short_title = ?, unit = ? WHERE id = 'ENK_TRYGG_OMRADE'",
                    (HOSTILE[0], HOSTILE[3], HOSTILE[1]))
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    clear_caches()
    yield path
    clear_caches()


def test_the_indicator_blocks_csv_with_a_hostile_catalogue_title(hostile_store):
    d = svc.indicator_data("ENK_TRYGG_OMRADE", scope.resolve(Filters(kommun="0181", jmf="0000")))
    export = exports.export_frame(d, {"T": "Totalt", "K": "Flickor", "M": "Pojkar"})
    assert (export["Indikator"] == HOSTILE[0]).all()  # the hostile title is really in the frame
    rows = csv_rows(exports.to_csv_bytes(export, is_demo=True))
    assert len(rows) > 1 and not any(starts_formula(c) for r in rows for c in r)
    col = rows[0].index("Indikator")
    assert {r[col] for r in rows[1:]} == {"'" + HOSTILE[0]}


def test_the_data_pages_catalogue_csv_and_workbook_with_a_hostile_title(hostile_store):
    cat_csv = csv_rows(svc_data.catalogue_csv(True))
    assert not any(starts_formula(c) for r in cat_csv for c in r)
    assert any("'" + HOSTILE[0] in r for r in cat_csv)
    catalogue = svc_data.catalogue_frame()
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes({"Indikatorer": catalogue}, is_demo=False)))
    cells = [c for row in book["Indikatorer"].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f" or starts_formula(c.value)]
    assert "'" + HOSTILE[0] in {c.value for c in cells}
