"""The ETL's SQLite files (staging copies, the working copy of a PostgreSQL store): every connection the ETL
opens on one goes through here, read-write or read-only, so that the rules for opening them live in one
place (``store.db`` opens the app's read-only engines; ``store.pg`` publishes to PostgreSQL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
Connection = sqlite3.Connection
Error = sqlite3.Error


def connect(path: Path | str, read_only: bool = False) -> sqlite3.Connection:
    """A connection to the SQLite file at ``path``: read-only (mode=ro; a missing file is an error, not a new
    empty store) or read-write (URIs allowed, so a staged store can ATTACH another read-only)."""
    if read_only:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return sqlite3.connect(path, uri=True)


def copy(src: Path, dst: Path) -> None:
    """The store at ``src`` into ``dst`` with SQLite's online backup (consistent even while it is read)."""
    source = connect(src, read_only=True)
    dest = connect(dst)
    try:
        with dest:
            source.backup(dest)
    finally:
        source.close()
        dest.close()
