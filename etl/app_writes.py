"""Writes made in the app (issue #27: notes, action reports and their review, and the audit event of each),
published the way every ETL run publishes: under the store's lock, into a copy of the live store, checked
(integrity, schema version, foreign keys, the disclosure attacker), a new build id, one atomic rename; with a PostgreSQL store into its
SQLite working copy first, then copied to the server and switched in (``store.pg``). Every running app sees
the new build id on its next rerun (``services.store``).

No role is checked here: this is the server side's own door, called by ``services.notes`` after
``services.auth.require`` (the command line's user is the server's operator).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from etl.publish import PublishError, staged, store_lock, working_copy
from etl.writer import now_iso
from store import files, pg
from store.db import StoreError, sqlite_path, store_location

# An app user waits at most this long for a build or another user's write, in seconds.
APP_LOCK_WAIT_S = 60

T = TypeVar("T")


@dataclass(frozen=True)
class Author:
    """Who makes a write: the sign-in's claim subject and e-mail."""

    subject: str
    email: str


def publish_target(location: str | None = None) -> Path:
    """The SQLite file a write goes into: the store itself, or a PostgreSQL store's working copy."""
    loc = store_location(location)
    path = sqlite_path(loc)
    if path is not None:
        return path
    if pg.is_postgres(loc):
        return working_copy(loc)
    raise StoreError("Appen kan bara skriva till en SQLite-fil eller en PostgreSQL-databas.")


def apply(change: Callable[[files.Connection], T], location: str | None = None,
          wait_s: float = APP_LOCK_WAIT_S) -> T:
    """Run ``change`` on a copy of the store in one transaction and publish the copy; returns what ``change``
    returns. Nothing is published when ``change`` raises or the checks fail."""
    loc = store_location(location)
    target = publish_target(loc)
    if not target.exists():
        raise StoreError(f"Databasen {target.name} finns inte; inget har sparats.")
    with store_lock(target, wait_s=wait_s), staged(target) as stage:
        files.copy(target, stage)
        con = files.connect(stage)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            with con:
                result = change(con)
        finally:
            con.close()
    if pg.is_postgres(loc):
        pg.publish(target, loc)
    return result


def audit(con: files.Connection, author: Author, action: str, municipality_id: str | None, target: str | None,
          details: dict) -> str:
    """Record one write in ``audit_event`` (inside the write's own transaction); returns its uid."""
    uid = uuid.uuid4().hex
    con.execute("INSERT INTO audit_event (uid, at, subject, email, action, municipality_id, target, details) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, now_iso(), author.subject, author.email or None, action, municipality_id, target,
                 json.dumps(details, ensure_ascii=False, sort_keys=True)))
    return uid


def audit_details(record: dict, rows: int | None = None) -> dict:
    """What an ``audit_event`` row keeps as its details for a file uploaded in the app or an undo (``record`` as
    services.uploads makes it; who, when and the municipality have columns of their own)."""
    details = {k: v for k, v in record.items() if k not in ("action", "subject", "email", "at", "municipality_id")}
    return details if rows is None else {**details, "rows": rows}


def audit_upload(con: files.Connection, record: dict, rows: int | None = None) -> str:
    """Record an upload or an undo made in the app from its record (action, subject, email, municipality_id,
    file, sha256, …) inside the publish's own transaction, so the event and the change land together."""
    return audit(con, Author(record["subject"], record.get("email") or ""), record["action"],
                 record.get("municipality_id"), record.get("file"), audit_details(record, rows))


def add_note(author: Author, municipality_id: str, indicator_id: str, year: int, text: str,
             source: str | None, location: str | None = None) -> str:
    """Publish a note on an indicator's trend with its author and time, and its audit event; returns the
    note's uid. The caller has validated and authorised it."""
    uid = uuid.uuid4().hex

    def change(con: files.Connection) -> str:
        con.execute("INSERT INTO annotation (municipality_id, indicator_id, focus_area_id, year, text, source, "
                    "is_example, uid, author_subject, author_email, created_at) "
                    "VALUES (?, ?, NULL, ?, ?, ?, 0, ?, ?, ?, ?)",
                    (municipality_id, indicator_id, year, text, source, uid, author.subject,
                     author.email or None, now_iso()))
        audit(con, author, "note_added", municipality_id, indicator_id,
              {"note": uid, "indicator": indicator_id, "year": year, "text": text, "source": source})
        return uid

    return apply(change, location)


def remove_note(author: Author, uid: str, municipality_id: str, location: str | None = None) -> dict:
    """Mark an app note of ``municipality_id`` removed (the row stays, with who and when) and record it;
    returns the note as it was (municipality_id, indicator_id, year, text). PublishError if there is no such
    note."""

    def change(con: files.Connection) -> dict:
        row = con.execute("SELECT municipality_id, indicator_id, year, text FROM annotation "
                          "WHERE uid = ? AND municipality_id = ? AND removed_at IS NULL",
                          (uid, municipality_id)).fetchone()
        if row is None:
            raise PublishError("anteckningen finns inte (den kan redan vara borttagen)")
        con.execute("UPDATE annotation SET removed_at = ?, removed_by = ? WHERE uid = ?",
                    (now_iso(), author.subject, uid))
        note = {"municipality_id": row[0], "indicator_id": row[1], "year": row[2], "text": row[3]}
        audit(con, author, "note_removed", row[0], row[1], {"note": uid, "indicator": row[1], "year": row[2],
                                                            "text": row[3]})
        return note

    return apply(change, location)


def _row_of(sql: str, uid: str, location: str | None) -> tuple | None:
    """The one row ``sql`` finds for ``uid`` in the live store, None if none."""
    con = files.connect(publish_target(location), read_only=True)
    try:
        return con.execute(sql, (uid,)).fetchone()
    finally:
        con.close()


def _municipality_of(sql: str, uid: str, location: str | None) -> str | None:
    """The municipality column of the one row ``sql`` finds for ``uid`` in the live store, None if none."""
    row = _row_of(sql, uid, location)
    return None if row is None else str(row[0])


def note_municipality(uid: str, location: str | None = None) -> str | None:
    """The municipality an app note belongs to (for the role check before a removal), None if none."""
    return _municipality_of("SELECT municipality_id FROM annotation WHERE uid = ? AND removed_at IS NULL",
                            uid, location)


def add_action_report(author: Author, focus_area_id: str, action_code: str, municipality_id: str,
                      responsible: str, year: int, status: str, comment: str | None,
                      location: str | None = None) -> str:
    """Publish an action's status reported by the body that answers for it (state ``inskickad``: not shown
    until approved), with its audit event; returns the report's uid. Every report is a row of its own (the
    history); the caller has validated and authorised it."""
    uid = uuid.uuid4().hex

    def change(con: files.Connection) -> str:
        con.execute("INSERT INTO action_report (uid, focus_area_id, action_code, municipality_id, responsible, year, "
                    "status, comment, reported_subject, reported_email, reported_at, state) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'inskickad')",
                    (uid, focus_area_id, action_code, municipality_id, responsible, year, status, comment,
                     author.subject, author.email or None, now_iso()))
        audit(con, author, "action_reported", municipality_id, f"{focus_area_id}/{action_code}",
              {"report": uid, "focus_area": focus_area_id, "action": action_code, "responsible": responsible,
               "year": year, "status": status, "text": comment})
        return uid

    return apply(change, location)


def review_action_report(author: Author, uid: str, municipality_id: str, approve: bool, reason: str | None = None,
                         location: str | None = None) -> dict:
    """Approve (or reject, with ``reason``) a submitted report of ``municipality_id`` and record it; returns
    the report (focus_area_id, action_code, year, status). PublishError if there is no such report waiting
    (already reviewed, or another municipality's)."""

    def change(con: files.Connection) -> dict:
        row = con.execute("SELECT focus_area_id, action_code, year, status FROM action_report "
                          "WHERE uid = ? AND municipality_id = ? AND state = 'inskickad'",
                          (uid, municipality_id)).fetchone()
        if row is None:
            raise PublishError("rapporten väntar inte på granskning (den kan redan vara godkänd eller avslagen)")
        state = "godkänd" if approve else "avslagen"
        con.execute("UPDATE action_report SET state = ?, reviewed_subject = ?, reviewed_email = ?, reviewed_at = ?, "
                    "rejection_reason = ? WHERE uid = ?",
                    (state, author.subject, author.email or None, now_iso(), None if approve else reason, uid))
        report = {"focus_area_id": row[0], "action_code": row[1], "year": row[2], "status": row[3]}
        audit(con, author, "action_report_approved" if approve else "action_report_rejected", municipality_id,
              f"{row[0]}/{row[1]}", {"report": uid, "focus_area": row[0], "action": row[1], "year": row[2],
                                      "status": row[3], "text": None if approve else reason})
        return report

    return apply(change, location)


def action_report_parties(uid: str, location: str | None = None) -> tuple[str, str] | None:
    """A report's municipality and the claim subject of who sent it (for the role check and the four-eyes
    rule before a review), None if there is no such report."""
    row = _row_of("SELECT municipality_id, reported_subject FROM action_report WHERE uid = ?", uid, location)
    return None if row is None else (str(row[0]), str(row[1]))


def set_target(author: Author, municipality_id: str, goal_id: str, indicator_id: str, value: float | None,
               year: int | None, direction: str | None, source: str | None, location: str | None = None) -> str:
    """Publish a goal's target for one of its indicators as set in the app (a value by a year, only a
    direction, or neither: the target removed), with its author and time and its audit event; returns the
    row's uid. The newest row replaces the catalogue's target wherever targets are read; earlier rows stay
    (the history). The caller has validated and authorised it."""
    uid = uuid.uuid4().hex
    removed = value is None and direction is None

    def change(con: files.Connection) -> str:
        con.execute("INSERT INTO app_target (uid, municipality_id, goal_id, indicator_id, target_value, target_year, "
                    "target_direction, target_source, author_subject, author_email, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (uid, municipality_id, goal_id, indicator_id, value, year, direction, source, author.subject,
                     author.email or None, now_iso()))
        audit(con, author, "target_removed" if removed else "target_set", municipality_id, indicator_id,
              {"target": uid, "goal": goal_id, "indicator": indicator_id, "value": value, "year": year,
               "direction": direction, "source": source})
        return uid

    return apply(change, location)
