"""Where the store is and how to open it: read-only for the app, read-write only for the ETL.

``INDICATOR_STORE`` is a file path or an SQLAlchemy URL; default ``data/indicators.sqlite``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from store import schema

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORE = PROJECT_ROOT / "data" / "indicators.sqlite"
ENV_VAR = "INDICATOR_STORE"
FIX_COMMAND = "make demo"  # what builds a store when there is none
# A page must never hang on the database; SQLite waits this long for a lock, in seconds.
SQLITE_TIMEOUT_S = 5
# Per pooled read-only connection: SQLite's own page cache, in KiB (4 kept connections: 64 MB at most).
SQLITE_CACHE_KIB = 16_384
# PostgreSQL, per app process: kept connections, extra ones under load, and the longest a query may run.
PG_POOL_SIZE = int(os.environ.get("INDICATOR_PG_POOL", "4"))
PG_MAX_OVERFLOW = 8
PG_STATEMENT_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A store the app cannot use; ``message`` is Swedish and names the fix."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail


def store_location(value: str | None = None) -> str:
    """The configured store: an SQLAlchemy URL or a file path (relative paths from the project root)."""
    raw = value if value is not None else os.environ.get(ENV_VAR, "")
    return raw.strip() or str(DEFAULT_STORE)


def is_url(location: str) -> bool:
    return "://" in location


def sqlite_path(location: str) -> Path | None:
    """The file behind a SQLite location, or None for a server database."""
    if is_url(location):
        if location.startswith("sqlite:///"):
            return Path(location.removeprefix("sqlite:///").split("?")[0])
        return None
    path = Path(location)
    return path if path.is_absolute() else PROJECT_ROOT / path


def read_only_engine(location: str | None = None) -> Engine:
    """An engine that cannot write: SQLite opened with mode=ro, PostgreSQL in read-only transactions."""
    loc = store_location(location)
    path = sqlite_path(loc)
    if path is not None:
        if not path.exists():
            raise StoreError(
                f"Indikatordatabasen saknas ({path}). Bygg demodatabasen med `{FIX_COMMAND}` "
                f"eller peka {ENV_VAR} på en befintlig databas."
            )
        uri = f"file:{quote(str(path))}?mode=ro"
        # Pooled connections keep SQLite's page cache warm between queries (a new connection per query
        # re-read the schema and every page). The ETL publishes a new store by renaming a new file over
        # the old one, which a pooled connection would keep reading: each connection remembers the
        # file it opened, and one whose file has been replaced is thrown away at checkout.
        engine = create_engine("sqlite://", creator=lambda: _sqlite_connect_ro(uri), poolclass=QueuePool,
                               pool_size=4, max_overflow=16)

        @event.listens_for(engine, "connect")
        def _remember_file(dbapi_conn, record):  # noqa: ARG001 - SQLAlchemy's event signature
            record.info["file"] = file_identity(path)

        @event.listens_for(engine, "checkout")
        def _same_file(dbapi_conn, record, proxy):  # noqa: ARG001 - SQLAlchemy's event signature
            if record.info.get("file") != file_identity(path):
                raise DisconnectionError("the store file was replaced")  # the pool reconnects

        return engine
    from store.pg import LIVE_SCHEMA

    # Every connection: the live schema, read-only transactions, and no query longer than the timeout.
    options = (f"-c search_path={LIVE_SCHEMA} -c default_transaction_read_only=on "
               f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}")
    return create_engine(loc, pool_pre_ping=True, pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW,
                         connect_args={"options": options})


def file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _sqlite_connect_ro(uri: str):
    import sqlite3

    conn = sqlite3.connect(uri, uri=True, timeout=SQLITE_TIMEOUT_S, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    conn.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    return conn


def write_engine(path: Path) -> Engine:
    """A writable engine on a new SQLite file (the ETL's staging file)."""
    return create_engine(f"sqlite:///{path}")


@dataclass(frozen=True)
class StoreInfo:
    schema_version: str
    is_demo: bool
    built_at: str
    version_key: str  # changes whenever the store is rebuilt; part of every cache key


def check_store(engine: Engine) -> StoreInfo:
    """Check that the store is readable, of our schema version and not empty; raise StoreError if not."""
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            missing = [t.name for t in schema.metadata.sorted_tables if t.name not in tables]
            if missing:
                raise StoreError(
                    "Databasen är inte en indikatordatabas för den här appen (tabeller saknas: "
                    f"{', '.join(missing[:5])}). Bygg om den med `{FIX_COMMAND}`.",
                )
            rows = dict(conn.execute(select(schema.meta.c.key, schema.meta.c.value)).all())
            version = rows.get("schema_version", "?")
            if version != schema.SCHEMA_VERSION:
                raise StoreError(
                    f"Databasen har schemaversion {version}, men appen kräver version "
                    f"{schema.SCHEMA_VERSION}. Bygg om den med `{FIX_COMMAND}` "
                    "(eller `python -m etl build` för riktiga data)."
                )
            for name in schema.REQUIRED_NONEMPTY:
                table = schema.metadata.tables[name]
                if conn.execute(select(table).limit(1)).first() is None:
                    raise StoreError(
                        f"Databasen är tom (tabellen {name} saknar rader). Bygg om den med `{FIX_COMMAND}`."
                    )
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise StoreError(
            f"Databasen kan inte läsas. Kontrollera filen eller bygg om den med `{FIX_COMMAND}`.",
            detail=str(exc),
        ) from exc
    return StoreInfo(
        schema_version=version,
        is_demo=rows.get("is_demo") == "1",
        built_at=rows.get("built_at", ""),
        version_key=rows.get("build_id", rows.get("built_at", "")),
    )
