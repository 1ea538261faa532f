"""The store on PostgreSQL: a built and checked store (the ETL's SQLite working copy) is copied into a new
schema, its row counts and schema version checked there, and switched in with one transaction that renames
schemas, so that a reader sees the previous store or the new one, never half of either. A failed copy
drops its schema and leaves the live one as it was.

Readers find the tables through ``search_path`` (``LIVE_SCHEMA``); ``read_only_engine`` in ``store.db``
opens PostgreSQL connections read-only, with a statement timeout and a pool sized per process.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import Engine, Integer, create_engine, func, select, text

from store import schema

LIVE_SCHEMA = "indikatorer"
# The role the app processes log in as (SELECT only); every publish grants it the new schema.
READER_ROLE_ENV = "INDICATOR_PG_READER"
COPY_CHUNK = 20_000


class PgPublishError(RuntimeError):
    """The copy into PostgreSQL failed its check; the live store is untouched (Swedish message)."""


def is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgresql+psycopg://", "postgres://"))


def admin_engine(url: str) -> Engine:
    """A writable engine for publishing (the ETL only)."""
    return create_engine(url, pool_pre_ping=True)


def _quote(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"ogiltigt schemanamn: {name!r}")
    return f'"{name}"'


def publish(sqlite_file: Path, url: str, live: str = LIVE_SCHEMA) -> dict[str, int]:
    """Copy the store in ``sqlite_file`` into PostgreSQL at ``url`` and make it the live store. Returns the
    row counts per table."""
    source = create_engine(f"sqlite:///{sqlite_file}")
    target = admin_engine(url)
    building = f"bygge_{uuid.uuid4().hex[:12]}"
    try:
        with target.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {_quote(building)}")
        in_building = target.execution_options(schema_translate_map={None: building})
        schema.metadata.create_all(in_building)
        counts = _copy(source, target, building)
        _check(target, building, counts)
        reader = os.environ.get(READER_ROLE_ENV)
        if reader:  # the apps' read-only role: the new schema's tables are new objects and need the grant
            with target.begin() as conn:
                conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {_quote(building)} TO {_quote(reader)}")
                conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {_quote(building)} TO {_quote(reader)}")
        with target.begin() as conn:  # the switch: one transaction, DDL is transactional in PostgreSQL
            old = f"gammal_{uuid.uuid4().hex[:12]}"
            exists = conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": live}).first()
            if exists:
                conn.exec_driver_sql(f"ALTER SCHEMA {_quote(live)} RENAME TO {_quote(old)}")
            conn.exec_driver_sql(f"ALTER SCHEMA {_quote(building)} RENAME TO {_quote(live)}")
        if exists:
            with target.begin() as conn:  # waits for readers still in the old store's transactions
                conn.exec_driver_sql(f"DROP SCHEMA {_quote(old)} CASCADE")
        return counts
    except BaseException:
        with target.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quote(building)} CASCADE")
        raise
    finally:
        source.dispose()
        target.dispose()


def _copy(source: Engine, target: Engine, building: str) -> dict[str, int]:
    """Every table, parents first, with PostgreSQL's COPY; the id sequences follow the copied ids."""
    counts = {}
    raw = target.raw_connection()
    try:
        with raw.cursor() as cur, source.connect() as src:
            for table in schema.metadata.sorted_tables:
                cols = [c.name for c in table.columns]
                col_list = ", ".join(f'"{c}"' for c in cols)
                n = 0
                with cur.copy(f'COPY {_quote(building)}."{table.name}" ({col_list}) FROM STDIN') as copy:
                    result = src.execute(select(*table.columns)).yield_per(COPY_CHUNK)
                    for row in result:
                        copy.write_row(tuple(row))
                        n += 1
                counts[table.name] = n
                if "id" in table.c and isinstance(table.c.id.type, Integer) and table.c.id.primary_key:
                    sql = (f"SELECT setval(pg_get_serial_sequence('{building}.{table.name}', 'id'), "  # noqa: S608 - names from the schema
                           f"COALESCE((SELECT MAX(id) FROM {_quote(building)}.\"{table.name}\"), 0) + 1, false)")
                    cur.execute(sql)
                cur.execute(f'ANALYZE {_quote(building)}."{table.name}"')  # the planner's statistics
        raw.commit()
    finally:
        raw.close()
    return counts


def _check(target: Engine, building: str, counts: dict[str, int]) -> None:
    """The copy holds what the working copy held: every table's rows, the schema version, the non-empty ones."""
    in_building = target.execution_options(schema_translate_map={None: building})
    with in_building.connect() as conn:
        for table in schema.metadata.sorted_tables:
            got = conn.execute(select(func.count()).select_from(table)).scalar_one()
            if got != counts[table.name]:
                raise PgPublishError(f"{table.name}: {got} rader i PostgreSQL, {counts[table.name]} i arbetskopian")
        version = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
    if version != schema.SCHEMA_VERSION:
        raise PgPublishError(f"fel schemaversion i kopian: {version}")
    empty = [t for t in schema.REQUIRED_NONEMPTY if counts.get(t, 0) == 0]
    if empty:
        raise PgPublishError(f"tomma tabeller: {', '.join(empty)}")
