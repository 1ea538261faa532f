"""``python -m etl import-actions FILE``: the action plan's yearly follow-up (which action, which year, its
status, who answers for it, a comment) from a CSV file as Swedish Excel saves it, or an XLSX workbook.

Checked like the survey import: every problem is reported in Swedish with its line number, and nothing
is imported if there is any; the store is published atomically under its lock. A row for an action and a
year that is already in the store replaces it (a corrected follow-up); other years are kept. The template
is ``data/templates/atgarder_mall.csv``. A rebuilt store (make demo, etl build) starts without follow-ups:
import the file again.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.publish import staged, store_lock
from etl.survey_import import (
    MAX_REPORTED_ERRORS,
    ImportError_,
    check_header,
    check_store,
    read_file,
    read_table,
)
from etl.writer import now_iso
from store import files, schema

COLUMNS = {
    "kommun": "kommunkod, t.ex. 0181",
    "malomrade": "målområdets/fokusområdets kod i strategin, t.ex. 6",
    "atgard": "åtgärdens kod i handlingsplanen, t.ex. 1",
    "ar": "uppföljningsår, t.ex. 2025",
    "status": "ej påbörjad, pågår, genomförd eller avbruten",
    "ansvarig": "ansvarig nämnd eller bolag",
    "kommentar": "fri text (får vara tom)",
}
ALIASES = {"målområde": "malomrade", "fokusområde": "malomrade", "åtgärd": "atgard", "år": "ar",
           "ansvar": "ansvarig", "ansvarig nämnd": "ansvarig", "kommentarer": "kommentar"}
STATUSES = schema.ACTION_STATUSES
_STATUS_ALIASES = {"ej paborjad": "ej påbörjad", "ej startad": "ej påbörjad", "pagar": "pågår",
                   "genomford": "genomförd", "klar": "genomförd", "avbruten": "avbruten"}
_YEAR = re.compile(r"\d{4}", re.ASCII)
MAX_TEXT = 2000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class ActionsResult:
    rows: int
    replaced: int
    municipalities: list[str]
    file_kind: str


def import_actions(target: Path, path: Path) -> ActionsResult:
    raw = read_file(path)
    df, kind = _table(raw)
    check_store(target)
    with store_lock(target):
        con = files.connect(target, read_only=True)
        try:
            rows = validate(df, con)
        finally:
            con.close()
        return _publish(target, rows, path.name, kind)


def _table(raw: bytes) -> tuple[pd.DataFrame, str]:
    """The file as strings with a ``line`` column: XLSX by its zip signature, else CSV (survey import's
    strict reader, same encodings and separators)."""
    if raw.startswith(XLSX_MAGIC):
        try:
            sheet = pd.read_excel(io.BytesIO(raw), dtype=str, header=None, engine="openpyxl").fillna("")
        except (zipfile.BadZipFile, ValueError, KeyError, OSError):
            raise ImportError_(["Filen ser ut som en Excel-fil men kan inte läsas. Spara den igen som .xlsx "
                                "eller som CSV (semikolonavgränsad)."]) from None
        if sheet.empty:
            raise ImportError_(["Excel-filens första blad är tomt."])
        header = [str(c).strip().lower() for c in sheet.iloc[0]]
        names = [ALIASES.get(c, c) for c in header]
        check_header(names, COLUMNS, ", ")
        body = sheet.iloc[1:]
        body = body[body.apply(lambda r: any(str(v).strip() for v in r), axis=1)]
        if body.empty:
            raise ImportError_(["Excel-filen har bara en rubrikrad och inga rader med uppföljningar."])
        df = pd.DataFrame(body.to_numpy(), columns=names, dtype=object)[list(COLUMNS)]
        df["line"] = [int(i) + 1 for i in body.index]  # the row number Excel shows
        return df, "Excel (xlsx)"
    df, encoding, sep = read_table(raw, COLUMNS, ALIASES)
    return df, f"CSV ({encoding}, {sep})"


def validate(df: pd.DataFrame, con: files.Connection) -> pd.DataFrame:
    """Rows for the action_status table, or ImportError_ listing every problem with its line number."""
    strategies = dict(con.execute("SELECT municipality_id, id FROM strategy").fetchall())
    areas = {(sid, code): fid for fid, sid, code in con.execute("SELECT id, strategy_id, code FROM focus_area")}
    actions = {(fid, code) for fid, code in con.execute("SELECT focus_area_id, code FROM focus_area_action")}
    errors, rows = [], []
    for r in df.to_dict("records"):
        problems = []
        kommun = str(r["kommun"]).strip().zfill(4) if str(r["kommun"]).strip().isdigit() else str(r["kommun"]).strip()
        sid = strategies.get(kommun)
        if sid is None:
            problems.append(f"kommunen ”{kommun}” har ingen strategi i databasen")
        area_code = str(r["malomrade"]).strip()
        fid = areas.get((sid, area_code)) if sid else None
        if sid and fid is None:
            problems.append(f"målområdet ”{area_code}” finns inte i kommunens strategi")
        action = str(r["atgard"]).strip()
        if fid and (fid, action) not in actions:
            problems.append(f"åtgärden ”{action}” finns inte i målområde {area_code}")
        year = str(r["ar"]).strip()
        if not (_YEAR.fullmatch(year) and 1990 <= int(year) <= 2100):
            problems.append(f"året ”{year}” är inte ett år mellan 1990 och 2100")
        status_text = " ".join(str(r["status"]).strip().lower().split())
        status = status_text if status_text in STATUSES else _STATUS_ALIASES.get(
            status_text.replace("å", "a").replace("ö", "o").replace("ä", "a"))
        if status is None:
            problems.append(f"statusen ”{r['status']}” ska vara {', '.join(STATUSES[:-1])} eller {STATUSES[-1]}")
        responsible = " ".join(str(r["ansvarig"]).split())
        if not responsible:
            problems.append("ansvarig nämnd eller bolag saknas")
        comment = str(r["kommentar"] or "").strip()
        for name, text in (("ansvarig", responsible), ("kommentar", comment)):
            if len(text) > MAX_TEXT:
                problems.append(f"{name} är längre än {MAX_TEXT} tecken")
            if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
                problems.append(f"{name} innehåller styrtecken")
        if problems:
            errors.append(f"Rad {r['line']}: " + "; ".join(problems) + ".")
            continue
        rows.append({"line": r["line"], "focus_area_id": fid, "action_code": action, "year": int(year),
                     "status": status, "responsible": responsible, "comment": comment or None})
    out = pd.DataFrame(rows)
    if not out.empty:
        key = ["focus_area_id", "action_code", "year"]
        for k, grp in out[out.duplicated(key, keep=False)].groupby(key):
            errors.append(f"Raderna {', '.join(str(x) for x in grp['line'])} gäller samma åtgärd och år "
                          f"({k[0].split('.', 1)[-1]}, åtgärd {k[1]}, {k[2]}).")
    if errors:
        extra = len(errors) - MAX_REPORTED_ERRORS
        raise ImportError_(["Inget importerades. Rätta felen och försök igen:"] + errors[:MAX_REPORTED_ERRORS]
                           + ([f"… och {extra} fel till."] if extra > 0 else []))
    return out


def _publish(target: Path, rows: pd.DataFrame, file_name: str, kind: str) -> ActionsResult:
    imported_at = now_iso()
    with staged(target) as stage:
        shutil.copyfile(target, stage)
        con = files.connect(stage)
        try:
            with con:
                replaced = 0
                for r in rows.itertuples():
                    replaced += con.execute(
                        "DELETE FROM action_status WHERE focus_area_id = ? AND action_code = ? AND year = ?",
                        (r.focus_area_id, r.action_code, r.year)).rowcount
                con.executemany(
                    "INSERT INTO action_status (focus_area_id, action_code, year, status, responsible, comment, "
                    "source_file, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(r.focus_area_id, r.action_code, r.year, r.status, r.responsible, r.comment, file_name,
                      imported_at) for r in rows.itertuples()])
        finally:
            con.close()
    munis = sorted({fid.split(".", 1)[0] for fid in rows["focus_area_id"]})
    return ActionsResult(rows=len(rows), replaced=replaced, municipalities=munis, file_kind=kind)
