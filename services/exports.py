"""Every spreadsheet the app hands out (CSV for Swedish Excel, XLSX) is written here, and every cell goes
through one rule first (``formula_safe``): text from files and from users — indicator names from the
catalogues, action titles, comments, notes — must never be read by Excel as a formula (CSV/formula
injection, OWASP). A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe; numbers stay numbers (a negative number too); column names are treated like text."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from services.provenance import DEMO_MARK
from store.rounding import series_half_away

if TYPE_CHECKING:
    from services.indicators import IndicatorData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """One cell as Excel may read it: a text that could start a formula with a leading apostrophe, any
    other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` in which no text cell (nor column name) starts a formula; numeric columns untouched."""
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame, first_line: str | None = None) -> bytes:
    """CSV for Swedish Excel: semicolon, decimal comma, CRLF, UTF-8 with BOM; ``first_line`` (e.g. the demo mark)
    as a ``#`` line before the header."""
    buf = io.StringIO()
    if first_line:
        buf.write(f"# {first_line}\r\n")
    # CRLF as Excel writes it: the csv module then quotes a field with a carriage return or a line break
    # in it (with "\n" alone a bare "\r" in a comment would split the row when Excel reads it).
    formula_safe(df).to_csv(buf, sep=";", decimal=",", index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame], first_sheet: tuple[str, pd.DataFrame] | None = None) -> bytes:
    """An XLSX workbook with one sheet per frame (names cut to Excel's 31 characters); ``first_sheet`` (a
    "Läs först" notice) before them."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        if first_sheet is not None:
            formula_safe(first_sheet[1]).to_excel(xl, sheet_name=first_sheet[0][:31], index=False)
        for name, df in sheets.items():
            formula_safe(df).to_excel(xl, sheet_name=name[:31], index=False)
    return buf.getvalue()


# --- One indicator's data as a download (the indicator block's CSV) -----------------------------------

def export_frame(d: IndicatorData, names: Mapping[str, str]) -> pd.DataFrame:
    """The block's data as a download: the area and the comparison members, every gender (``names``:
    T/K/M → the strategy's words), with status, source, fetch date and the demo mark where the values are
    synthetic."""
    rows = pd.concat([d.own, d.comp_members], ignore_index=True).drop_duplicates(
        ["area_id", "year", "gender"])
    dec = int(d.meta["decimals"])
    out = pd.DataFrame({
        "Indikator": d.meta["title"],
        "Indikator-id": d.meta["id"],
        "Område": rows["area_name"],
        "Områdeskod": rows["area_id"],
        "År": rows["year"],
        "Kön": rows["gender"].map(names),
        "Värde": series_half_away(rows["value"], dec),
        "Status": rows["status"].map({"ok": "ok", "suppressed": "..", "missing": "saknas"}),
        "Antal svarande": rows["n"],
        "KI nedre": series_half_away(rows["ci_low"], dec),
        "KI övre": series_half_away(rows["ci_high"], dec),
        "Enhet": d.meta["unit"],
        "Indikatorns källa": d.meta["source_name"],
        "Värdenas källa": rows["source"],
        "Hämtad": rows["fetched_at"].astype(str).str[:10],
        "Demodata": rows["is_demo"].map({1: DEMO_MARK, 0: ""}),
    })
    return out.sort_values(["Område", "År", "Kön"]).reset_index(drop=True)


def to_csv_bytes(df: pd.DataFrame, is_demo: bool) -> bytes:
    """CSV for Swedish Excel: semicolon, decimal comma, UTF-8 with BOM; a demo store says so on line 1. No
    cell starts a formula (``services.exports.formula_safe``)."""
    return csv_bytes(df, DEMO_MARK if is_demo else None)


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], is_demo: bool) -> bytes:
    """An XLSX workbook, a demo store's with a "Läs först" sheet; no cell starts a formula."""
    return xlsx_bytes(sheets, ("Läs först", pd.DataFrame({"OBS": [DEMO_MARK]})) if is_demo else None)
