"""Safe publishing: build into a new file, check it, then swap it in with one atomic rename.

A build that fails or is killed leaves the previous store exactly as it was; only a stray
``*.building-*`` file may remain, which the next build removes.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from etl import revisions
from etl.disclosure_check import check_store
from store import files, schema

MAX_FINDINGS_SHOWN = 10
LOCK_WAIT_S = 30 * 60  # a national build takes minutes; an import waits for it


class PublishError(RuntimeError):
    """The new store failed its checks; the previous store is untouched."""


def staging_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.building-{os.getpid()}")


def _remove_stale(target: Path) -> None:
    for stale in target.parent.glob(f"{target.name}.building-*"):
        with contextlib.suppress(OSError):
            stale.unlink()


_LOCKS: dict[str, FileLock] = {}


@contextlib.contextmanager
def store_lock(target: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """One writer at a time per store: a second ETL run (build, import, load) waits for the first, saying
    so in Swedish, and refuses after ``wait_s``. Re-entrant within a process (an import holds the lock
    from reading the store to publishing it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = _LOCKS.setdefault(str(target.resolve()), FileLock(f"{target}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"En annan körning skriver till {target.name} just nu; väntar på att den blir klar …",
              file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=wait_s)
        except Timeout as exc:
            raise PublishError(f"en annan körning har skrivit till {target.name} i mer än {wait_s:.0f} s; "
                               "försök igen senare") from exc
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def staged(target: Path, history: str = revisions.CARRY) -> Iterator[Path]:
    """Yield a fresh staging path; on success check and publish it, on any error delete it. Holds the
    store's lock throughout, so no run removes another's work file; every publish gets a new build id and
    records what changed since the store it replaces (``etl.revisions``; ``history="fresh"``: the builder
    wrote the history itself)."""
    with store_lock(target):
        _remove_stale(target)  # only a crashed run's files: no other run can hold the lock now
        stage = staging_path(target)
        try:
            yield stage
            _new_build_id(stage)
            previous = target if target.exists() else None
            revisions.record(stage, previous, history)
            carry_app_rows(stage, previous)
            # A carried history is a new version of the same store: the attacker also compares it with the
            # version it replaces (a fresh build is a new store of synthetic data, with nothing to carry).
            verify(stage, previous if history == revisions.CARRY else None)
            os.replace(stage, target)  # atomic on POSIX: readers see the old file or the new one
        except BaseException:
            with contextlib.suppress(OSError):
                stage.unlink()
            raise


# Written in the app, not made by a build: carried by uid from the store being replaced into every new one,
# so a rebuild (make demo, etl build) keeps the redaktörer's notes and the audit trail (issue #27).
_CARRY_NOTES = """
INSERT INTO main.annotation (municipality_id, indicator_id, focus_area_id, year, text, source, is_example, uid,
                             author_subject, author_email, created_at, removed_at, removed_by)
SELECT p.municipality_id, p.indicator_id, p.focus_area_id, p.year, p.text, p.source, p.is_example, p.uid,
       p.author_subject, p.author_email, p.created_at, p.removed_at, p.removed_by
FROM prev.annotation p
WHERE p.uid IS NOT NULL
  AND p.uid NOT IN (SELECT uid FROM main.annotation WHERE uid IS NOT NULL)
  AND p.municipality_id IN (SELECT id FROM main.area)
  AND (p.indicator_id IN (SELECT id FROM main.indicator) OR p.focus_area_id IN (SELECT id FROM main.focus_area))
ORDER BY p.id
"""
_CARRY_AUDIT = """
INSERT INTO main.audit_event (uid, at, subject, email, action, municipality_id, target, details)
SELECT p.uid, p.at, p.subject, p.email, p.action, p.municipality_id, p.target, p.details
FROM prev.audit_event p
WHERE p.uid NOT IN (SELECT uid FROM main.audit_event)
ORDER BY p.id
"""

_CARRY_REPORTS = """
INSERT INTO main.action_report (uid, focus_area_id, action_code, municipality_id, responsible, year, status,
                                comment, reported_subject, reported_email, reported_at, state, reviewed_subject,
                                reviewed_email, reviewed_at, rejection_reason)
SELECT p.uid, p.focus_area_id, p.action_code, p.municipality_id, p.responsible, p.year, p.status, p.comment,
       p.reported_subject, p.reported_email, p.reported_at, p.state, p.reviewed_subject, p.reviewed_email,
       p.reviewed_at, p.rejection_reason
FROM prev.action_report p
WHERE p.uid NOT IN (SELECT uid FROM main.action_report)
  AND p.focus_area_id IN (SELECT id FROM main.focus_area)
ORDER BY p.id
"""

_CARRY_TARGETS = """
INSERT INTO main.app_target (uid, municipality_id, goal_id, indicator_id, target_value, target_year,
                             target_direction, target_source, author_subject, author_email, created_at)
SELECT p.uid, p.municipality_id, p.goal_id, p.indicator_id, p.target_value, p.target_year, p.target_direction,
       p.target_source, p.author_subject, p.author_email, p.created_at
FROM prev.app_target p
WHERE p.uid NOT IN (SELECT uid FROM main.app_target)
  AND p.goal_id IN (SELECT id FROM main.goal)
  AND p.indicator_id IN (SELECT id FROM main.indicator)
ORDER BY p.id
"""


def carry_app_rows(stage: Path, previous: Path | None) -> tuple[int, int]:
    """Copy the app's notes, action reports, targets and audit events that ``stage`` lacks from ``previous``
    (same schema version only: an older store has none); a note whose indicator or municipality the new store
    lacks stays behind, a report whose focus area it lacks and a target whose goal or indicator it lacks too
    (their audit events do not). Returns (notes, events)
    carried."""
    if previous is None or not previous.exists():
        return 0, 0
    conn = files.connect(stage)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}
        if not {"annotation", "audit_event", "action_report", "app_target", "area", "indicator",
                "focus_area", "goal"} <= tables:
            return 0, 0  # not a store of this schema: verify() refuses it
        conn.execute("ATTACH DATABASE ? AS prev", (f"file:{previous}?mode=ro",))
        version = conn.execute("SELECT value FROM prev.meta WHERE key = 'schema_version'").fetchone()
        if version is None or version[0] != schema.SCHEMA_VERSION:
            return 0, 0
        with conn:
            notes = conn.execute(_CARRY_NOTES).rowcount
            conn.execute(_CARRY_REPORTS)
            conn.execute(_CARRY_TARGETS)
            events = conn.execute(_CARRY_AUDIT).rowcount
        return notes, events
    finally:
        conn.close()


def working_copy(url: str) -> Path:
    """The ETL's SQLite working copy for a PostgreSQL store: every build, import and check happens there
    (with the history of what changed), and each publish is then copied to the server (``store.pg``)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    name = "".join(ch if ch.isalnum() else "_" for ch in f"{u.host or 'lokal'}_{u.port or ''}_{u.database or ''}")
    return files.PROJECT_ROOT / "data" / f"postgresql_{name}.sqlite"


def _new_build_id(stage: Path) -> None:
    """Every publish (a build, an import, a load) is a new version of the store for the app's caches."""
    conn = files.connect(stage)
    try:
        with conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'build_id'", (uuid.uuid4().hex,))
    finally:
        conn.close()


def verify(path: Path, previous: Path | None = None) -> dict[str, int]:
    """Integrity check, schema version, row counts, foreign keys and the independent disclosure check
    (``etl.disclosure_check``) of a built store, with ``previous`` (the published version it replaces)
    across both versions too; return the row counts."""
    conn = files.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise PublishError(f"integritetskontrollen misslyckades: {result}")
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version is None or version[0] != schema.SCHEMA_VERSION:
            raise PublishError(f"fel schemaversion i den nya databasen: {version}")
        counts = {
            name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608 - fixed names
            for name in schema.metadata.tables
        }
        empty = [name for name in schema.REQUIRED_NONEMPTY if counts[name] == 0]
        if empty:
            raise PublishError(f"tomma tabeller i den nya databasen: {', '.join(empty)}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            raise PublishError(f"{len(fk)} rader pekar på saknade nycklar (t.ex. {fk[0]})")
        findings = check_store(conn, previous)
        if findings:
            shown = "; ".join(f.message() for f in findings[:MAX_FINDINGS_SHOWN])
            more = f" … och {len(findings) - MAX_FINDINGS_SHOWN} till" if len(findings) > MAX_FINDINGS_SHOWN else ""
            raise PublishError(
                f"röjandekontrollen hittade {len(findings)} cell(er) som kan räknas fram eller röjer för få "
                f"svarande, så inget publicerades: {shown}{more}")
        return counts
    finally:
        conn.close()
