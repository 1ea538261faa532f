"""``python -m etl import-actions FILE``: the action plan's yearly follow-up (which action, which year, its
status, who answers for it, a comment) from a CSV file as Swedish Excel saves it, or an XLSX workbook.

Checked like the survey import: every problem is reported in Swedish with its line number, and nothing
is imported if there is any; the store is published atomically under its lock. A row for an action and a
year that is already in the store replaces it (a corrected follow-up); other years are kept. The template
is ``data/templates/atgarder_mall.csv``. A rebuilt store (make demo, etl build) starts without follow-ups:
import the file again. Every import is a run in the store's history (``build_run``), so the publication says
what it was. The app's upload (``services.action_uploads``) runs the same import on a file's bytes
(``import_actions_data``), limited to one municipality, with its audit event in the same transaction.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import app_writes
from etl.publish import staged, store_lock
from etl.survey_import import (
    MAX_REPORTED_ERRORS,
    NOT_XLSX,
    ImportError_,
    check_header,
    check_store,
    read_file,
    read_table,
)
from etl.writer import now_iso
from store import files, schema

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "templates" / "atgarder_mall.csv"
KEY = ["focus_area_id", "action_code", "year"]
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
    """Check the file at ``path`` against the store and publish its follow-ups (ImportError_ in Swedish)."""
    return import_actions_data(target, path.name, read_file(path))


def import_actions_data(target: Path, file_name: str, raw: bytes, scope_id: str | None = None,
                        audit: dict | None = None) -> ActionsResult:
    """``import_actions`` of a file's bytes (the app's upload runs this too): ``scope_id``, the municipality
    every row must be for; ``audit``, the app's record of who uploaded what (``app_writes.audit_upload``),
    written in the publish's own transaction and kept in its run's summary. The store's lock is held from
    reading the store to publishing it."""
    df, kind = read_actions(raw)
    check_store(target)
    with store_lock(target):
        rows = check_actions(target, df, scope_id)
        return _publish(target, rows, file_name, kind, audit)


def check_actions(target: Path, df: pd.DataFrame, scope_id: str | None = None) -> pd.DataFrame:
    """``validate`` against the store at ``target``, each row with the status the store has for its action and
    year before (``old_status``; None: a new row). Writes nothing; the app's preview shows this."""
    con = files.connect(target, read_only=True)
    try:
        rows = validate(df, con, scope_id)
        before = {(f, a, int(y)): s for f, a, y, s in con.execute(
            "SELECT focus_area_id, action_code, year, status FROM action_status")}
    finally:
        con.close()
    return rows.assign(old_status=[before.get(k) for k in zip(rows["focus_area_id"], rows["action_code"],
                                                              rows["year"], strict=True)])


def read_actions(raw: bytes) -> tuple[pd.DataFrame, str]:
    """The file's bytes as strings with a ``line`` column, and what kind of file it was: XLSX by its zip
    signature, else CSV (survey import's strict reader, same encodings and separators); ImportError_ in
    Swedish otherwise. The command line and the app's upload both read files here."""
    if raw.startswith(XLSX_MAGIC):
        try:
            sheet = pd.read_excel(io.BytesIO(raw), dtype=str, header=None, engine="openpyxl").fillna("")
        except (zipfile.BadZipFile, ValueError, KeyError, OSError):
            raise ImportError_([NOT_XLSX]) from None
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


def _strategy(text: str, strategies: dict[str, str], scope: tuple[str, str] | None, problems: list[str]) -> str | None:
    """The strategy of a row's municipality (its code as people write it: ``181`` is ``0181``), or None with
    the problem added: no strategy, or (``scope``: id and name) another municipality than the upload's."""
    kommun = text.strip().zfill(4) if text.strip().isdigit() else text.strip()
    if scope is not None and kommun != scope[0]:
        problems.append(f"kommunen ”{kommun}” är inte {scope[1]} ({scope[0]}); filen får bara innehålla "
                        "kommunens egna uppföljningar")
        return None
    sid = strategies.get(kommun)
    if sid is None:
        problems.append(f"kommunen ”{kommun}” har ingen strategi i databasen")
    return sid


def validate(df: pd.DataFrame, con: files.Connection, scope_id: str | None = None) -> pd.DataFrame:
    """Rows for the action_status table, or ImportError_ listing every problem with its line number
    (``scope_id``: a row for another municipality is one)."""
    strategies = dict(con.execute("SELECT municipality_id, id FROM strategy").fetchall())
    scope = None if scope_id is None else (scope_id, dict(con.execute(
        "SELECT id, name FROM area WHERE id = ?", (scope_id,)).fetchall()).get(scope_id, scope_id))
    areas = {(sid, code): fid for fid, sid, code in con.execute("SELECT id, strategy_id, code FROM focus_area")}
    actions = {(fid, code) for fid, code in con.execute("SELECT focus_area_id, code FROM focus_area_action")}
    errors, rows = [], []
    for r in df.to_dict("records"):
        problems = []
        sid = _strategy(str(r["kommun"]), strategies, scope, problems)
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
        for k, grp in out[out.duplicated(KEY, keep=False)].groupby(KEY):
            errors.append(f"Raderna {', '.join(str(x) for x in grp['line'])} gäller samma åtgärd och år "
                          f"({k[0].split('.', 1)[-1]}, åtgärd {k[1]}, {k[2]}).")
    if errors:
        extra = len(errors) - MAX_REPORTED_ERRORS
        raise ImportError_(["Inget importerades. Rätta felen och försök igen:"] + errors[:MAX_REPORTED_ERRORS]
                           + ([f"… och {extra} fel till."] if extra > 0 else []))
    return out


def _publish(target: Path, rows: pd.DataFrame, file_name: str, kind: str, audit: dict | None) -> ActionsResult:
    imported_at = now_iso()
    command = (f"app: uppladdning av åtgärdsuppföljningen {file_name} ({audit['sha256'][:12]})" if audit
               else f"python -m etl import-actions {file_name}")
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
                summary = {"rows": len(rows), "replaced": replaced}
                if audit:  # the app's upload: in the upload history (services.uploads.history) too
                    summary["app"] = {**audit, "rows": len(rows)}
                con.execute("INSERT INTO build_run (kind, command, started_at, finished_at, status, summary) "
                            "VALUES ('import', ?, ?, ?, 'ok', ?)",
                            (command, imported_at, now_iso(), json.dumps(summary, ensure_ascii=False)))
                if audit:
                    app_writes.audit_upload(con, audit, len(rows))
        finally:
            con.close()
    munis = sorted({fid.split(".", 1)[0] for fid in rows["focus_area_id"]})
    return ActionsResult(rows=len(rows), replaced=replaced, municipalities=munis, file_kind=kind)
