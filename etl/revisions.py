"""What changed since the last publish: every publish compares the new store with the one it replaces,
cell by cell, and keeps the list (table ``revision``) and the store's versions (table ``publication``),
carried forward from publish to publish. The app's "Nytt sedan …" reads them.

A change is
- ``new``: a figure published now that the previous version did not publish (a new year, a filled gap);
- ``revised``: published in both, different when shown at the indicator's decimals (old → new);
- ``withdrawn``: published then, not now (hidden, missing or removed); no value is kept for it.

Disclosure control: an old value is kept only where the cell was published in the previous version, a new
value only where it is published now; a carried-forward change loses its values when its cell is hidden in
the new version. ``etl.disclosure_check`` checks the stored result independently.

Two stores of different kinds (demo and real) are not compared: the history starts again and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from store import files, schema
from store.rounding import series_half_away

KEY = ["indicator_id", "area_id", "year", "gender"]
REVISION_COLUMNS = [*KEY, "change", "old_value", "new_value"]
FRESH, CARRY = "fresh", "carry"


@dataclass(frozen=True)
class Recorded:
    new: int = 0
    revised: int = 0
    withdrawn: int = 0
    compared_with: str | None = None  # the previous version's publication time
    note: str | None = None


def classify(cells: pd.DataFrame) -> pd.DataFrame:
    """Changes from candidate cells (KEY, old_status, old_value, new_status, new_value, decimals), where a
    status is None for a cell the version does not have. Pure; returns REVISION_COLUMNS."""
    if cells.empty:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    old_ok = cells["old_status"].eq("ok")
    new_ok = cells["new_status"].eq("ok")
    dec = cells["decimals"].fillna(1).astype(int)
    shown_old = series_half_away(cells["old_value"].where(old_ok), dec)
    shown_new = series_half_away(cells["new_value"].where(new_ok), dec)
    change = np.select([new_ok & ~old_ok, new_ok & old_ok & (shown_old != shown_new), old_ok & ~new_ok],
                       ["new", "revised", "withdrawn"], default="")
    out = cells[KEY].assign(change=change,
                            old_value=cells["old_value"].where(old_ok & new_ok),
                            new_value=cells["new_value"].where(new_ok))
    out = out[out["change"] != ""].copy()
    out["year"] = out["year"].astype(int)
    return out.reset_index(drop=True)[REVISION_COLUMNS]


_CANDIDATES = """
SELECT n.indicator_id, n.area_id, n.year, n.gender, o.status AS old_status, o.value AS old_value,
       n.status AS new_status, n.value AS new_value, i.decimals
FROM main.observation n
JOIN main.indicator i ON i.id = n.indicator_id
LEFT JOIN prev.observation o
  ON o.indicator_id = n.indicator_id AND o.area_id = n.area_id AND o.year = n.year AND o.gender = n.gender
WHERE (n.status = 'ok' AND (o.status IS NULL OR o.status != 'ok' OR o.value != n.value))
   OR (n.status != 'ok' AND o.status = 'ok')
UNION ALL
SELECT o.indicator_id, o.area_id, o.year, o.gender, o.status, o.value, NULL, NULL, i.decimals
FROM prev.observation o
JOIN main.indicator i ON i.id = o.indicator_id
WHERE o.status = 'ok' AND o.area_id IN (SELECT id FROM main.area)
  AND NOT EXISTS (SELECT 1 FROM main.observation n WHERE n.indicator_id = o.indicator_id
                  AND n.area_id = o.area_id AND n.year = o.year AND n.gender = o.gender)
"""


def record(stage: Path, previous: Path | None, mode: str = CARRY) -> Recorded:
    """Add this publish to ``stage``'s history. ``fresh``: keep the history the builder wrote (a demo
    build) and add this version; ``carry``: the history of ``previous`` (the store being replaced), then
    what changed from it to ``stage``, then this version."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    conn = files.connect(stage)
    try:
        if not {"meta", "build_run", "observation", "publication", "revision"} <= _tables(conn, "main"):
            return Recorded(note="ingen historik: den nya databasen saknar tabeller")  # verify() refuses it
        with conn:
            result = Recorded()
            if mode == CARRY:
                conn.execute("DELETE FROM revision")
                conn.execute("DELETE FROM publication")
                result = _carry(conn, previous, now)
            _add_publication(conn, now, note=result.note)
        return result
    finally:
        conn.close()


def _meta(conn: files.Connection, schema_name: str = "main") -> dict[str, str]:
    return dict(conn.execute(f"SELECT key, value FROM {schema_name}.meta"))  # noqa: S608 - fixed names


def _tables(conn: files.Connection, schema_name: str) -> set[str]:
    return {r[0] for r in conn.execute(f"SELECT name FROM {schema_name}.sqlite_master WHERE type = 'table'")}  # noqa: S608


def _add_publication(conn: files.Connection, now: str, note: str | None) -> None:
    meta = _meta(conn)
    run = conn.execute("SELECT kind, command FROM build_run ORDER BY id DESC LIMIT 1").fetchone() or ("okänd", "")
    conn.execute("INSERT INTO publication (published_at, build_id, kind, command, is_demo, note) "
                 "VALUES (?, ?, ?, ?, ?, ?)", (now, meta.get("build_id", ""), run[0], run[1],
                                               meta.get("is_demo") == "1", note))


def _carry(conn: files.Connection, previous: Path | None, now: str) -> Recorded:
    if previous is None or not previous.exists():
        return Recorded()
    conn.execute("ATTACH DATABASE ? AS prev", (f"file:{previous}?mode=ro",))
    try:
        prev_tables = _tables(conn, "prev")
        if not {"meta", "observation"} <= prev_tables:
            return Recorded(note="den tidigare databasen gick inte att jämföra med (saknar tabeller)")
        prev_meta, meta = _meta(conn, "prev"), _meta(conn)
        if prev_meta.get("is_demo") != meta.get("is_demo"):
            return Recorded(note="historiken börjar om: den tidigare databasen var av ett annat slag (demo/riktig)")
        if "publication" in prev_tables:
            conn.execute("INSERT INTO publication (published_at, build_id, kind, command, is_demo, note) "
                         "SELECT published_at, build_id, kind, command, is_demo, note FROM prev.publication "
                         "ORDER BY id")
        else:  # a store from before the history was kept: its own build is its one version
            run = conn.execute("SELECT kind, command FROM prev.build_run ORDER BY id LIMIT 1").fetchone()
            conn.execute("INSERT INTO publication (published_at, build_id, kind, command, is_demo) "
                         "VALUES (?, ?, ?, ?, ?)", (prev_meta.get("built_at", now), prev_meta.get("build_id", ""),
                                                    run[0] if run else "okänd", run[1] if run else "",
                                                    prev_meta.get("is_demo") == "1"))
        if "revision" in prev_tables:
            conn.execute(
                "INSERT INTO revision (published_at, indicator_id, area_id, year, gender, change, old_value, "
                "new_value, is_demo) SELECT r.published_at, r.indicator_id, r.area_id, r.year, r.gender, r.change, "
                "r.old_value, r.new_value, r.is_demo FROM prev.revision r "
                "WHERE r.indicator_id IN (SELECT id FROM main.indicator) AND r.area_id IN (SELECT id FROM main.area) "
                "ORDER BY r.id")
        changes = classify(pd.read_sql_query(_CANDIDATES, conn))
        changes = changes.astype(object).where(changes.notna(), None)
        conn.executemany(
            "INSERT INTO revision (published_at, indicator_id, area_id, year, gender, change, old_value, new_value, "
            "is_demo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(now, *row, meta.get("is_demo") == "1") for row in changes[REVISION_COLUMNS].itertuples(index=False)])
        hide_values_of_hidden_cells(conn)
        counts = changes["change"].value_counts()
        last = conn.execute("SELECT MAX(published_at) FROM publication").fetchone()[0]
        return Recorded(new=int(counts.get("new", 0)), revised=int(counts.get("revised", 0)),
                        withdrawn=int(counts.get("withdrawn", 0)), compared_with=last)
    finally:
        conn.commit()
        conn.execute("DETACH DATABASE prev")


def hide_values_of_hidden_cells(conn: files.Connection) -> None:
    """A recorded change keeps no value of a cell this version does not publish, and no earlier value that
    could, with what is published now, give a hidden cell (``drop_old_values_near_hidden_cells``)."""
    conn.execute(
        "UPDATE revision SET old_value = NULL, new_value = NULL WHERE (old_value IS NOT NULL OR new_value IS NOT NULL) "
        "AND NOT EXISTS (SELECT 1 FROM observation o WHERE o.indicator_id = revision.indicator_id "
        "AND o.area_id = revision.area_id AND o.year = revision.year AND o.gender = revision.gender "
        "AND o.status = 'ok')")
    drop_old_values_near_hidden_cells(conn)


def drop_old_values_near_hidden_cells(conn: files.Connection) -> None:
    """Disclosure control of the history (indicators under disclosure control only): an earlier value of a
    revised cell is an equation of the earlier version (old total = its parts then). With the parts
    published now that did not change, it gives the earlier value of a hidden part (the old girls' cell =
    old total − boys now), and a hidden part may well not have changed. So a revised cell keeps its old
    value only where no cell of the same indicator and year is hidden in its equations: the same area
    (the other genders), its parent or its siblings (the same gender), or any area below it (an old
    0 %/100 % says every part below answered the same). Method: SCB, *Röjandekontroll av tabeller* (a table published in versions
    is one linked table); ESS Handbook on Statistical Disclosure Control (group disclosure)."""
    rows = conn.execute(
        "SELECT r.id, r.indicator_id, r.area_id, r.year, r.gender FROM revision r "
        "JOIN indicator i ON i.id = r.indicator_id "
        "WHERE r.old_value IS NOT NULL AND (i.kind = 'survey' OR i.suppression_threshold IS NOT NULL)").fetchall()
    if not rows:
        return
    hidden: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for ind, area, year, gender in conn.execute(
            "SELECT indicator_id, area_id, year, gender FROM observation WHERE status = 'suppressed'"):
        hidden.setdefault((ind, int(year)), set()).add((area, gender))
    parent = dict(conn.execute("SELECT id, parent_id FROM area WHERE parent_id IS NOT NULL").fetchall())
    children: dict[str, list[str]] = {}
    for child, par in parent.items():
        children.setdefault(par, []).append(child)

    def near(area: str, gender: str) -> set[tuple[str, str]]:
        """The cells in the revised cell's equations: its own area (every gender), its parent and siblings
        (the same gender), and every area below it (every gender)."""
        out = {(area, g) for g in ("T", "K", "M")}
        if area in parent:
            out |= {(a, gender) for a in [parent[area], *children.get(parent[area], [])]}
        stack, below = [area], set()
        while stack:
            for c in children.get(stack.pop(), []):
                if c not in below:
                    below.add(c)
                    stack.append(c)
        return out | {(a, g) for a in below for g in ("T", "K", "M")}

    drop = [(rid,) for rid, ind, area, year, gender in rows
            if hidden.get((ind, int(year))) and hidden[(ind, int(year))] & near(area, gender)]
    conn.executemany("UPDATE revision SET old_value = NULL WHERE id = ?", drop)


# --- The demo's history: a simulated earlier version, so that "Nytt sedan …" has something to show ---

DEMO_PREVIOUS_DAYS = 35
DEMO_NOTE = schema.DEMO_PREVIOUS_NOTE


def demo_history(obs: pd.DataFrame, indicators: list[dict], rng: np.random.Generator,
                 built_at: str) -> tuple[list[dict], pd.DataFrame]:
    """A simulated previous demo version ``DEMO_PREVIOUS_DAYS`` before ``built_at``: it lacked the last
    year of about a third of the register indicators (now new) and had other values for the year before
    of three indicators (now revised). Returns (publication rows, revision rows). Only cells published now
    take part, as in a real comparison."""
    ok = obs[obs["status"] == "ok"]
    decimals = {i["id"]: int(i["decimals"]) for i in indicators}
    register = sorted(i["id"] for i in indicators if i["kind"] == "register" and i["id"] in set(ok["indicator_id"]))
    last_year = int(ok["year"].max())
    picked = rng.permutation(register)
    new_ids, revised_ids = list(picked[: max(1, len(register) // 3)]), list(picked[len(register) // 3:][:3])
    new = ok[ok["indicator_id"].isin(new_ids) & (ok["year"] == last_year)]
    rev = ok[ok["indicator_id"].isin(revised_ids) & (ok["year"] == last_year - 1)].copy()
    step = rev["indicator_id"].map(decimals).map(lambda d: 10.0 ** -d)
    shift = rng.choice([-3, -2, -1, 1, 2, 3], size=len(rev)) * step
    rev["old_value"] = (rev["value"] - shift).clip(lower=0)
    rev = rev[(series_half_away(rev["old_value"], rev["indicator_id"].map(decimals))
               != series_half_away(rev["value"], rev["indicator_id"].map(decimals)))]
    revisions = pd.concat([
        new[KEY].assign(change="new", old_value=np.nan, new_value=new["value"]),
        rev[KEY].assign(change="revised", old_value=rev["old_value"], new_value=rev["value"]),
    ], ignore_index=True).assign(published_at=built_at, is_demo=True)
    then = (datetime.fromisoformat(built_at) - timedelta(days=DEMO_PREVIOUS_DAYS)).isoformat()
    publications = [{"published_at": then, "build_id": "demo-tidigare", "kind": "demo",
                     "command": "simulerad", "is_demo": True, "note": DEMO_NOTE}]
    return publications, revisions
