"""All SQL of the app: one ``.sql`` file per question, ``:named`` parameters, one function to bind them.

Each file starts with a header comment:
    -- params: name, name            (the :named parameters it takes)
    -- expanding: name               (parameters that take a list, for IN (...))
    -- columns: col, col, ...        (what it returns, in order)
Nothing ever formats a value into SQL text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, bindparam, text

QUERY_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    params: tuple[str, ...]
    expanding: tuple[str, ...]
    columns: tuple[str, ...]


def _header_list(sql: str, key: str) -> tuple[str, ...]:
    m = re.search(rf"^--\s*{key}:\s*(.*)$", sql, flags=re.MULTILINE)
    if not m or not m.group(1).strip() or m.group(1).strip() == "-":
        return ()
    return tuple(p.strip() for p in m.group(1).split(",") if p.strip())


@functools.cache
def load(name: str) -> Query:
    path = QUERY_DIR / f"{name}.sql"
    sql = path.read_text(encoding="utf-8")
    return Query(name=name, sql=sql, params=_header_list(sql, "params"),
                 expanding=_header_list(sql, "expanding"), columns=_header_list(sql, "columns"))


def names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


class QueryParamError(ValueError):
    """The caller passed parameters that the query does not declare (a programming error)."""


def run(engine: Engine, name: str, **params) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with bound parameters; returns its documented columns."""
    q = load(name)
    if set(params) != set(q.params):
        raise QueryParamError(f"{name}: expected parameters {sorted(q.params)}, got {sorted(params)}")
    stmt = text(q.sql)
    if q.expanding:
        stmt = stmt.bindparams(*(bindparam(p, expanding=True) for p in q.expanding))
    for p in q.expanding:
        params[p] = list(params[p])
    with engine.connect() as conn:
        result = conn.execute(stmt, params)
        columns = list(result.keys())
        # Plain DB-API tuples: text() declares no result types, so SQLAlchemy's Row objects would only cost
        # time (turning 3,000 Rows into tuples took pandas ~7 ms, more than the query itself).
        rows = result.cursor.fetchall() if result.cursor is not None else []
        result.close()
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False) if rows else \
        pd.DataFrame(columns=columns)


def explain(con, name: str, params: dict) -> list[str]:
    """SQLite's query plan lines for ``name`` with ``params`` (con: a sqlite3 connection)."""
    q = load(name)
    body = "\n".join(line for line in q.sql.splitlines() if not line.lstrip().startswith("--"))
    values: list = []

    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key in q.expanding:
            values.extend(params[key])
            return "(" + ",".join("?" * len(params[key])) + ")"
        values.append(params[key])
        return "?"

    sql = re.sub(r":(\w+)", sub, body)
    return [r[3] for r in con.execute(f"EXPLAIN QUERY PLAN {sql}", values)]


def scans_observation(plan: list[str]) -> bool:
    """True when a plan reads the observation table without an index (a full scan)."""
    return any(re.search(r"\bSCAN (observation|o)\b", line) and "USING" not in line for line in plan)
