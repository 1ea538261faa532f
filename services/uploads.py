"""Survey files uploaded in the app by a redaktör (issue #27): a preview before anything changes, the same
import the command line runs (``python -m etl import-survey``), and an undo of the last upload.

- ``preview`` reads the file (CSV, or an Excel file's first sheet; at most ``MAX_BYTES``) through the import's
  own reader and checks (``etl.survey_import.read_survey``, ``plan_import``), against the live store, and
  says what would change: rows read, what becomes new / revised / withdrawn (``etl.revisions.classify``,
  the classification every publish records for "Nytt sedan …"), which cells disclosure control hides, and
  every refusal as a Swedish sentence with its line. Nothing is written.
- ``publish`` runs the import (``import_survey_data``: the store's lock, a checked working copy, the
  disclosure attacker, one atomic rename; a PostgreSQL store through its working copy). Who (the claim's
  subject and e-mail), when and what (file name, sha256, rows) are kept in the import run's summary of the
  same publish (``build_run.summary["app"]``), and the publication's command says it was an upload. The
  store before it is kept beside the store (``<store>.publications/``, the last ``KEEP``).
- ``undo_last`` republishes that previous version through the same lock and atomic swap, with a new build
  id, and the history says it was an undo of the upload's build.

The action follow-up's upload (``services.action_uploads``) shares the file checks, the refusals and the
history here. Every write checks the role itself (``auth.require``): a reader's or an anonymous session's call, from a
crafted link or websocket message, raises the Swedish PermissionError and writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import app_writes, revisions
from etl.publish import PublishError, staged, store_lock
from etl.survey_import import MAX_BYTES as SURVEY_MAX_BYTES
from etl.survey_import import (
    ImportError_,
    check_store,
    import_survey_data,
    plan_import,
    read_survey,
)
from services import auth
from services.auth import Principal
from store import files, pg, schema
from store.db import StoreError, store_location

log = logging.getLogger(__name__)

MAX_BYTES = SURVEY_MAX_BYTES
SUFFIXES = (".csv", ".xlsx")
KEEP = 5  # earlier versions kept for undo
KEY = revisions.KEY
INTRO = "Inget importerades. Rätta felen och försök igen:"
UPLOAD, UNDO = "survey_uploaded", "publication_undone"
ACTIONS = "actions_uploaded"  # services.action_uploads: in the same history


class UploadError(ValueError):
    """An upload, publish or undo that cannot be done; ``problems`` are Swedish sentences (nothing changed)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FileUpload:
    """A file checked for ``municipality_id`` against the live store (build ``build_id``), as the preview of
    a survey file or of an action follow-up has it: ``rows`` read, ``refusals`` (Swedish, with line numbers)."""

    municipality_id: str
    file_name: str
    sha256: str
    size: int
    data: bytes = field(repr=False)
    build_id: str = ""
    rows: int = 0
    refusals: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.refusals


def received(kommun: str, file_name: str, data: bytes) -> dict:
    """The fields of a ``FileUpload`` that the file alone gives."""
    return {"municipality_id": kommun, "file_name": file_name, "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data), "data": data}


def problems(exc: ImportError_) -> list[str]:
    """An import's refusals without its opening line (the page says that itself)."""
    return [e for e in exc.errors if e != INTRO]


@dataclass(frozen=True)
class Preview(FileUpload):
    """What publishing a file would do, worked out from the live store (build ``build_id``).

    ``changes``: one row per cell that changes for "Nytt sedan …" (indicator_id, short_title, area_id,
    area_name, year, gender, change ∈ new/revised/withdrawn, old_value, new_value; values only where
    published). ``hidden``: the cells disclosure control hides (same keys, ``from_file``: a cell of the file,
    else an earlier cell of the store now hidden so that no hidden cell can be worked out), no values.
    ``refusals``: why the file cannot be published, Swedish, with line numbers; then nothing else is filled."""

    changes: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    hidden: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        ch = self.changes
        out = {c: int((ch["change"] == c).sum()) if len(ch) else 0 for c in schema.REVISION_CHANGES}
        out["hidden"] = len(self.hidden)
        out["hidden_earlier"] = int((~self.hidden["from_file"]).sum()) if len(self.hidden) else 0
        return out


@dataclass(frozen=True)
class Published:
    """A publish or an undo done: rows, the new build id, the build it replaced."""

    rows: int
    build_id: str
    previous_build_id: str
    file_name: str = ""
    suppressed: int = 0


def _target() -> Path:
    return app_writes.publish_target()


def build_id(path: Path) -> str:
    """The build id of the store at ``path``."""
    con = files.connect(path, read_only=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()
    finally:
        con.close()
    return str(row[0]) if row else ""


def file_refusals(file_name: str, data: bytes, template: str = "enkätmallen") -> list[str]:
    """Refusals before the file is read: its suffix, its size."""
    if not file_name.lower().endswith(SUFFIXES):
        return [f"Filen ska vara en CSV-fil (.csv) eller en Excel-fil (.xlsx) enligt {template}."]
    if len(data) > MAX_BYTES:
        return [f"Filen är för stor ({len(data) // 1024} kB); högst {MAX_BYTES // 1024 // 1024} MB."]
    return []


def preview(principal: Principal, kommun: str, file_name: str, data: bytes) -> Preview:
    """What publishing ``data`` for ``kommun`` would do (see ``Preview``); writes nothing. PermissionError
    (Swedish) for anyone but the municipality's redaktör or an administratör."""
    auth.require(principal, auth.EDITOR, kommun=kommun)
    base = received(kommun, file_name, data)
    refused = file_refusals(file_name, data)
    if refused:
        return Preview(**base, refusals=tuple(refused))
    target = _target()
    try:
        df, encoding, sep = read_survey(data)
        check_store(target)
        plan = plan_import(target, df, encoding, sep, scope_id=kommun)
    except ImportError_ as exc:
        return Preview(**base, rows=0, refusals=tuple(problems(exc)))
    changes, hidden = _describe(target, plan)
    return Preview(**base, build_id=build_id(target), rows=len(plan.new), changes=changes, hidden=hidden)


def _describe(target: Path, plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan's changes as "Nytt sedan …" classifies them, and its hidden cells, with names."""
    write, existing = plan.write, plan.existing
    old = existing[[*KEY, "status", "value"]].rename(columns={"status": "old_status", "value": "old_value"})
    cells = write[[*KEY, "status", "value"]].rename(columns={"status": "new_status", "value": "new_value"})
    cells = cells.merge(old, on=KEY, how="left")
    cells["decimals"] = cells["indicator_id"].map(plan.decimals)
    changes = revisions.classify(cells)
    in_file = set(plan.new.set_index(KEY).index)
    hidden = write.loc[write["status"] == "suppressed", KEY].copy()
    hidden["from_file"] = [k in in_file for k in hidden.set_index(KEY).index]
    con = files.connect(target, read_only=True)
    try:
        areas = dict(con.execute("SELECT id, name FROM area").fetchall())
        titles = dict(con.execute("SELECT id, COALESCE(short_title, title) FROM indicator").fetchall())
    finally:
        con.close()
    for frame in (changes, hidden):
        frame.insert(1, "short_title", frame["indicator_id"].map(titles))
        frame.insert(3, "area_name", frame["area_id"].map(areas))
    order = {c: i for i, c in enumerate(schema.REVISION_CHANGES)}
    changes = (changes.assign(_o=changes["change"].map(order))
               .sort_values(["_o", "indicator_id", "area_id", "year", "gender"]).drop(columns="_o"))
    hidden = hidden.sort_values(["from_file", *KEY], ascending=[False, True, True, True, True])
    return changes.reset_index(drop=True), hidden.reset_index(drop=True)


# --- publish and undo ----------------------------------------------------------------------------------------

def versions_dir(target: Path) -> Path:
    """Where the versions an upload replaced are kept, beside the store."""
    return target.with_name(f"{target.name}.publications")


def now() -> str:
    """The time of an upload's record, UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _saved(target: Path) -> list[tuple[Path, dict]]:
    """The kept versions, newest first, each with what replaced it (the upload's record)."""
    out = []
    for meta in versions_dir(target).glob("*.json"):
        try:
            record = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        db = meta.with_suffix(".sqlite")
        if db.is_file() and record.get("new_build_id"):
            out.append((db, record))
    return sorted(out, key=lambda x: x[1].get("seq", ""), reverse=True)


def _latest_run(path: Path) -> tuple[str, str]:
    con = files.connect(path, read_only=True)
    try:
        row = con.execute("SELECT command, COALESCE(summary, '') FROM build_run ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return (str(row[0]), str(row[1])) if row else ("", "")


def _prune(target: Path) -> None:
    for db, _ in _saved(target)[KEEP:]:
        for p in (db, db.with_suffix(".json")):
            with contextlib.suppress(OSError):
                p.unlink()


def _failed(exc: Exception, what: str) -> UploadError:
    log.error("%s failed: %s", what, exc)
    message = exc.message if isinstance(exc, StoreError) else str(exc)
    return UploadError([f"{what} misslyckades: {message}. Inget har ändrats; försök igen."])


@contextlib.contextmanager
def refused_as_upload_error(what: str = "Publiceringen"):
    """An import's refusals, a failed publish, a busy or broken store: as the UploadError the page shows."""
    try:
        yield
    except ImportError_ as exc:
        raise UploadError(problems(exc)) from exc
    except (PublishError, StoreError, OSError) as exc:
        raise _failed(exc, what) from exc


def uploaded_file(kommun: str, upload: FileUpload | bytes, file_name: str | None, template: str = "enkätmallen",
                  ) -> tuple[str, bytes]:
    """The name and bytes to publish for ``kommun``: a preview's file (refused when it was made for another
    municipality) or the bytes with ``file_name``; UploadError when the suffix or the size is wrong."""
    if isinstance(upload, FileUpload):
        if upload.municipality_id != kommun:
            raise UploadError([f"Förhandsvisningen gäller kommun {upload.municipality_id}, inte {kommun}. "
                               "Inget har ändrats."])
        name, data = upload.file_name, upload.data
    else:
        name, data = file_name or "uppladdning.csv", bytes(upload)
    refused = file_refusals(name, data, template)
    if refused:
        raise UploadError(refused)
    return name, data


def publish(principal: Principal, kommun: str, upload: Preview | bytes, file_name: str | None = None) -> Published:
    """Publish a survey file for ``kommun`` as ``principal`` (its redaktör or an administratör) with the same
    import as the command line; returns rows and the new build id. PermissionError or UploadError (Swedish)
    otherwise, and nothing is written. ``upload``: a ``Preview`` (its file is read and checked again against
    the store as it is now) or the file's bytes with ``file_name``."""
    auth.require(principal, auth.EDITOR, kommun=kommun)
    name, data = uploaded_file(kommun, upload, file_name)
    sha = hashlib.sha256(data).hexdigest()
    upload_id = uuid.uuid4().hex
    loc = store_location(None)
    target = _target()
    if not target.exists():
        raise UploadError([f"Databasen {target.name} finns inte; inget har ändrats."])
    saved_dir = versions_dir(target)
    with store_lock(target, wait_s=app_writes.APP_LOCK_WAIT_S):
        previous = build_id(target)
        saved_dir.mkdir(parents=True, exist_ok=True)
        seq = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}"
        db = saved_dir / f"{seq}-{upload_id}.sqlite"
        files.copy(target, db)
        command = f"app: uppladdning av {name} ({sha[:12]}) [{upload_id[:8]}]"
        audit = {"action": UPLOAD, "upload": upload_id, "subject": principal.subject, "email": principal.email,
                 "at": now(), "municipality_id": kommun, "file": name, "sha256": sha,
                 "previous_build_id": previous}
        try:
            with refused_as_upload_error():
                df, _, _ = read_survey(data)
                audit["rows"] = len(df)
                result = import_survey_data(target, name, data, command=command, audit=audit, scope_id=kommun)
        except BaseException:
            with contextlib.suppress(OSError):
                db.unlink()
            raise
        build = build_id(target)
        record = {**audit, "rows": result.rows, "seq": seq, "command": command, "new_build_id": build}
        db.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        _prune(target)
    if pg.is_postgres(loc):
        pg.publish(target, loc)
    log.info("upload %s (%s, %d rows) published by %s for %s: build %s", upload_id, name, result.rows,
             principal.subject, kommun, build)
    return Published(rows=result.rows, build_id=build, previous_build_id=previous, file_name=name,
                     suppressed=result.suppressed)


def last_upload(kommun: str) -> dict | None:
    """The upload an undo would undo for ``kommun`` (its record: file, rows, who, at, new_build_id), None when
    the latest publication is not an upload in the app for that municipality."""
    target = _target()
    if not target.exists():
        return None
    saved = _saved(target)
    if not saved:
        return None
    record = saved[0][1]
    if record.get("municipality_id") != kommun or _latest_run(target)[0] != record.get("command"):
        return None
    return record


_CARRY_APP_RUNS = """
INSERT INTO main.build_run (kind, command, started_at, finished_at, status, summary)
SELECT p.kind, p.command, p.started_at, p.finished_at, p.status, p.summary FROM prev.build_run p
WHERE p.summary LIKE '%"app":%'
  AND NOT EXISTS (SELECT 1 FROM main.build_run m WHERE m.command = p.command AND m.started_at = p.started_at)
ORDER BY p.id
"""
# Notes removed since the kept version stay removed (carry_app_rows adds the notes it lacks).
_CARRY_REMOVALS = """
UPDATE main.annotation SET
  removed_at = (SELECT p.removed_at FROM prev.annotation p WHERE p.uid = main.annotation.uid),
  removed_by = (SELECT p.removed_by FROM prev.annotation p WHERE p.uid = main.annotation.uid)
WHERE uid IS NOT NULL AND removed_at IS NULL
  AND uid IN (SELECT uid FROM prev.annotation WHERE removed_at IS NOT NULL)
"""


def undo_last(principal: Principal, kommun: str) -> Published:
    """Republish the version the last upload for ``kommun`` replaced, as ``principal`` (its redaktör or an
    administratör): the same lock and atomic swap, a new build id, the app's notes and the upload history
    carried; the history says it undid the upload's build. PermissionError or UploadError (Swedish)
    otherwise, and nothing changes."""
    auth.require(principal, auth.EDITOR, kommun=kommun)
    loc = store_location(None)
    target = _target()
    with store_lock(target, wait_s=app_writes.APP_LOCK_WAIT_S):
        record = last_upload(kommun)
        if record is None:
            raise UploadError(["Den senaste publiceringen är ingen uppladdning i appen för den här kommunen, så "
                               "det finns inget att ångra här. Inget har ändrats."])
        db = versions_dir(target) / f"{record['seq']}-{record['upload']}.sqlite"
        undone = build_id(target)
        restored = build_id(db)
        command = (f"app: ångrade uppladdningen av {record['file']} (version {undone[:12]}); "
                   f"återställde version {restored[:12]}")
        audit = {"action": UNDO, "upload": record["upload"], "subject": principal.subject,
                 "email": principal.email, "at": now(), "municipality_id": kommun, "file": record["file"],
                 "sha256": record["sha256"], "rows": record.get("rows"), "undid_build_id": undone,
                 "restored_build_id": restored, "previous_build_id": undone}
        with refused_as_upload_error("Ångringen"), staged(target) as stage:
            files.copy(db, stage)
            con = files.connect(stage)
            try:
                con.execute("ATTACH DATABASE ? AS prev", (f"file:{target}?mode=ro",))
                with con:
                    con.execute(_CARRY_APP_RUNS)
                    con.execute(_CARRY_REMOVALS)
                    at = now()
                    con.execute("INSERT INTO build_run (kind, command, started_at, finished_at, status, summary) "
                                "VALUES ('import', ?, ?, ?, 'ok', ?)",
                                (command, at, at, json.dumps({"app": audit}, ensure_ascii=False)))
                    app_writes.audit_upload(con, audit)
            finally:
                con.close()
        build = build_id(target)
        for p in (db, db.with_suffix(".json")):
            with contextlib.suppress(OSError):
                p.unlink()
    if pg.is_postgres(loc):
        pg.publish(target, loc)
    log.info("upload %s undone by %s for %s: build %s restored as %s", record["upload"], principal.subject,
             kommun, restored, build)
    return Published(rows=int(record.get("rows") or 0), build_id=build, previous_build_id=undone,
                     file_name=record["file"])


def history(principal: Principal) -> pd.DataFrame:
    """The uploads (survey files and action follow-ups) and undos of the municipalities ``principal`` edits (an
    administratör: all), newest first: at, who, action (UPLOAD/ACTIONS/UNDO), municipality_id, file, rows,
    sha256, undid_build_id."""
    cols = ["at", "who", "action", "municipality_id", "file", "rows", "sha256", "undid_build_id"]
    if not principal.signed_in:
        return pd.DataFrame(columns=cols)
    target = _target()
    if not target.exists():
        return pd.DataFrame(columns=cols)
    con = files.connect(target, read_only=True)
    try:
        raw = [r[0] for r in con.execute("SELECT summary FROM build_run WHERE summary LIKE '%\"app\":%' "
                                         "ORDER BY id DESC")]
    finally:
        con.close()
    out = []
    for text in raw:
        try:
            e = json.loads(text).get("app") or {}
        except ValueError:
            continue
        if e.get("action") not in (UPLOAD, ACTIONS, UNDO) or not principal.has(auth.EDITOR, e.get("municipality_id")):
            continue
        who = f"{e['email']} ({e['subject']})" if e.get("email") else e.get("subject", "")
        out.append({"at": e.get("at"), "who": who, "action": e["action"], "municipality_id": e.get("municipality_id"),
                    "file": e.get("file"), "rows": e.get("rows"), "sha256": e.get("sha256"),
                    "undid_build_id": e.get("undid_build_id")})
    return pd.DataFrame(out, columns=cols).sort_values("at", ascending=False, kind="stable").reset_index(drop=True)
