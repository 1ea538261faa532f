"""The attacker: can anything hidden be computed back from what a store publishes?

Written independently of ``etl.suppression`` (it shares no code with it and builds its own equations
from the store's ``area`` table), and run on the published cells only (status, and n where published),
the way an outsider with the CSV downloads would work. Every build runs it at its end
(``etl.publish.verify``); a build with any finding fails and publishes nothing.

Per indicator and year, every cell (area × T/K/M) is a quantity (respondents, or respondents with the
answer; both are additive). The store's structure gives linear equations: a parent equals the sum of its
children of one district system (country = counties, county = municipalities, municipality = RegSO /
own districts, RegSO = DeSO) and T = K + M. Published and ``missing`` (no respondents) cells are known;
hidden cells and cells not in the table are unknown. The attacks:

1. **Exact recovery by any chain of subtractions** (gender, one child, nested levels, and mixtures):
   a hidden cell is recoverable iff its unit vector lies in the row space of the equations restricted to
   the unknowns, i.e. its row of a null-space basis is zero (``scipy.linalg.null_space``).
2. **Pooled cells**: a published parent split into disjoint parts, where any part that is not published
   may in turn be split (down any number of levels, across genders), leaves a pool of unpublished parts
   whose respondents the outsider computes as the parent's n minus the published parts' n. Every such
   pool must hold at least the indicator's threshold (or nobody at all).
3. **Small published cells**: no published cell has fewer respondents than the threshold.
4. **Leaks**: no hidden cell carries a value, an interval or an n.
5. **History**: no recorded change (table ``revision``, "Nytt sedan …") keeps a value of a cell that this
   version does not publish, and a withdrawn figure keeps none at all.

Method: SCB, "Röjandekontroll av tabeller" (the complementary-suppression principle for linked tables),
and OHID's Fingertips technical guidance on small numbers; the linear-algebra formulation is the standard
one for audit of suppressed linked tables (the attacker's feasible set is x0 + null space).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from store import files

GENDERS = ("T", "K", "M")
MAX_POOL_SUMS = 20_000


@dataclass(frozen=True)
class Finding:
    indicator_id: str
    year: int
    area_id: str
    gender: str
    attack: str

    def message(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.year} {self.gender}: {self.attack}"


def area_equations(areas: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(parent, district system or kind) → children, from the store's area table."""
    eqs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for aid, parent, kind, system in areas[["id", "parent_id", "kind", "district_system"]].itertuples(index=False):
        if isinstance(parent, str) and parent:
            eqs[(parent, system if isinstance(system, str) and system else kind)].append(aid)
    return dict(eqs)


def leak_findings(cells: pd.DataFrame) -> list[Finding]:
    """Attack 4: hidden cells that still carry a value, an interval or an n."""
    hidden = cells["status"] == "suppressed"
    cols = [c for c in ("value", "ci_low", "ci_high", "n") if c in cells]
    return [Finding(r.indicator_id, int(r.year), r.area_id, r.gender,
                    "dold cell har värde, intervall eller antal i databasen")
            for r in cells[hidden & cells[cols].notna().any(axis=1)].itertuples()]


def check_cells(cells: pd.DataFrame, areas: pd.DataFrame, thresholds: dict[str, int],
                leaks: bool = True) -> list[Finding]:
    """Every finding of the four attacks on ``cells`` (indicator_id, area_id, year, gender, status,
    n, value, ci_low, ci_high) for the indicators in ``thresholds``."""
    eqs = area_equations(areas)
    cells = cells[cells["indicator_id"].isin(list(thresholds))]
    findings: list[Finding] = leak_findings(cells) if leaks else []
    for (ind, year), grp in cells.groupby(["indicator_id", "year"], sort=True):
        thr = int(thresholds[ind])
        table = {(a, g): (s, n) for a, g, s, n in zip(grp["area_id"], grp["gender"], grp["status"], grp["n"], strict=True)}
        for (a, g), (s, n) in table.items():
            if s == "ok" and pd.notna(n) and n < thr:
                findings.append(Finding(ind, int(year), a, g, f"publicerad med färre än {thr} svarande"))
        if not (grp["status"] == "suppressed").any() and not _unpublished_under_published(table, eqs):
            continue  # nothing hidden and nothing missing under a published cell: nothing to attack
        system = _System(table, eqs)
        for a, g in system.recoverable():
            findings.append(Finding(ind, int(year), a, g, "kan räknas fram exakt ur publicerade celler"))
        for (a, g), pool in system.small_pools(thr):
            findings.append(Finding(ind, int(year), a, g,
                                    f"ej publicerade delar kan räknas fram som en grupp med {pool:g} svarande "
                                    f"(färre än {thr})"))
    return findings


def _unpublished_under_published(table: dict, eqs: dict[tuple[str, str], list[str]]) -> bool:
    """Whether a published cell is split into parts of which some are in the table and some are not (the
    only pools without hidden cells; when no part is in the table, the pool is the published cell itself)."""
    split = any(g in ("K", "M") for _, g in table)
    genders = GENDERS if split else tuple({g for _, g in table})
    if split and any(g == "T" and s == "ok" and ((a, "K") in table) != ((a, "M") in table)
                     for (a, g), (s, _n) in table.items()):
        return True
    for (parent, _sys), children in eqs.items():
        for g in genders:
            cell = table.get((parent, g))
            if cell is not None and cell[0] == "ok":
                present = sum((c, g) in table for c in children)
                if 0 < present < len(children):
                    return True
    return False


class _System:
    """The equations of one indicator-year table."""

    def __init__(self, table: dict, area_eqs: dict[tuple[str, str], list[str]]):
        self.table = table
        areas = {a for a, _ in table}
        self.split = any(g in ("K", "M") for _, g in table)
        genders = GENDERS if self.split else tuple(sorted({g for _, g in table}))
        self.equations: list[tuple[tuple, list[tuple]]] = []
        involved: set[str] = set()
        for (parent, _sys), children in area_eqs.items():
            if parent in areas or areas.intersection(children):
                involved.add(parent)
                involved.update(children)
                for g in genders:
                    self.equations.append(((parent, g), [(c, g) for c in children]))
        if self.split:
            for a in sorted(involved | areas):
                self.equations.append(((a, "T"), [(a, "K"), (a, "M")]))
        self.splits: dict[tuple, list[list[tuple]]] = defaultdict(list)
        for parent, children in self.equations:
            self.splits[parent].append(children)

    def status(self, cell: tuple) -> str:
        found = self.table.get(cell)
        if found is None:
            return "absent"
        return {"ok": "known", "missing": "known"}.get(found[0], "hidden")

    def n(self, cell: tuple) -> float:
        found = self.table.get(cell)
        if found is None or found[0] != "ok" or pd.isna(found[1]):
            return 0.0
        return float(found[1])

    # Attack 1 ------------------------------------------------------------------------------------
    def recoverable(self) -> list[tuple]:
        rows = []
        for parent, children in self.equations:
            coef = {parent: 1.0}
            for c in children:
                coef[c] = coef.get(c, 0.0) - 1.0
            unknown = {c: v for c, v in coef.items() if self.status(c) != "known"}
            if unknown:
                rows.append(unknown)
        rows = self._peel(rows)
        out = []
        for comp_rows, variables in self._components(rows):
            if not any(self.status(v) == "hidden" for v in variables):
                continue
            index = {v: i for i, v in enumerate(variables)}
            a = np.zeros((len(comp_rows), len(variables)))
            for r, eq in enumerate(comp_rows):
                for v, c in eq.items():
                    a[r, index[v]] = c
            z = null_space(a)
            for v, i in index.items():
                if self.status(v) == "hidden" and (z.shape[1] == 0 or np.abs(z[i]).max() < 1e-9):
                    out.append(v)
        return sorted(out)

    def _peel(self, rows: list[dict]) -> list[dict]:
        """Drop equations that hold a free (absent) unknown found in no other equation: they say nothing."""
        rows = list(rows)
        while True:
            count: dict[tuple, int] = defaultdict(int)
            for eq in rows:
                for v in eq:
                    count[v] += 1
            keep = [eq for eq in rows
                    if not any(self.status(v) == "absent" and count[v] == 1 for v in eq)]
            if len(keep) == len(rows):
                return rows
            rows = keep

    @staticmethod
    def _components(rows: list[dict]):
        parent: dict[tuple, tuple] = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for eq in rows:
            vs = list(eq)
            for v in vs[1:]:
                parent[find(v)] = find(vs[0])
            find(vs[0])
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for eq in rows:
            groups[find(next(iter(eq)))].append(eq)
        for eqs in groups.values():
            variables = sorted({v for eq in eqs for v in eq})
            yield eqs, variables

    # Attack 2 ------------------------------------------------------------------------------------
    def small_pools(self, threshold: int) -> list[tuple[tuple, float]]:
        """Published cells whose split leaves a pool of unpublished parts with 0 < n < threshold."""
        memo: dict[tuple, tuple[frozenset, frozenset]] = {}
        out = []
        for cell, (status, n) in sorted(self.table.items()):
            if status != "ok" or pd.isna(n):
                continue
            for children in self.splits.get(cell, []):
                if all(self.status(c) == "known" for c in children):
                    continue  # nothing unpublished under this split
                pooled, _full = self._combine(children, memo)
                small = [float(n) - k for k in pooled if 0 < float(n) - k < threshold]
                if small:
                    out.append((cell, min(small)))
                    break
        return out

    def _sums(self, cell: tuple, memo: dict) -> tuple[frozenset, frozenset]:
        """Known-n sums an outsider can subtract when ``cell`` (unpublished) is split further:
        (sums leaving a non-empty pool, sums that resolve the cell completely)."""
        if cell in memo:
            return memo[cell]
        memo[cell] = (frozenset(), frozenset())  # guards against cycles
        pooled: set[float] = {0.0}  # keep the cell itself in the pool
        full: set[float] = set()
        for children in self.splits.get(cell, []):
            p, f = self._combine(children, memo)
            pooled |= p
            full |= f
        memo[cell] = (frozenset(_cap(pooled)), frozenset(_cap(full)))
        return memo[cell]

    def _combine(self, children: list[tuple], memo: dict) -> tuple[set, set]:
        with_pool: set[float] = set()
        without: set[float] = {0.0}
        for c in children:
            if self.status(c) == "known":
                k = self.n(c)
                with_pool = {s + k for s in with_pool}
                without = {s + k for s in without}
                continue
            p, f = self._sums(c, memo)
            new_with = {s + x for s in with_pool for x in (p | f)} | {s + x for s in without for x in p}
            without = {s + x for s in without for x in f}
            with_pool, without = _cap(new_with), _cap(without)
        return with_pool, without


def _cap(values: set[float]) -> set[float]:
    if len(values) <= MAX_POOL_SUMS:
        return values
    return set(sorted(values)[-MAX_POOL_SUMS:])


def check_store(conn: files.Connection) -> list[Finding]:
    """Run every attack on a store (an open sqlite3 connection)."""
    thresholds = {i: int(t or 10) for i, t in conn.execute(
        "SELECT id, suppression_threshold FROM indicator WHERE kind = 'survey' OR suppression_threshold IS NOT NULL")}
    if not thresholds:
        return history_findings(conn)
    where = "FROM observation o JOIN indicator i ON i.id = o.indicator_id " \
            "WHERE (i.kind = 'survey' OR i.suppression_threshold IS NOT NULL)"
    # Attack 4 in SQL (hidden cells are few); the rest needs status and n only.
    leaks = pd.read_sql_query(
        f"SELECT o.indicator_id, o.area_id, o.year, o.gender, o.status, o.n, o.value, o.ci_low, o.ci_high {where} "  # noqa: S608 - fixed text
        "AND o.status = 'suppressed' AND (o.n IS NOT NULL OR o.value IS NOT NULL OR o.ci_low IS NOT NULL "
        "OR o.ci_high IS NOT NULL)", conn)
    cells = pd.read_sql_query(f"SELECT o.indicator_id, o.area_id, o.year, o.gender, o.status, o.n {where}", conn)  # noqa: S608
    areas = pd.read_sql_query("SELECT id, parent_id, kind, district_system FROM area", conn)
    return history_findings(conn) + leak_findings(leaks) + check_cells(cells, areas, thresholds, leaks=False)


def history_findings(conn: files.Connection) -> list[Finding]:
    """Attack 5, for every indicator (a register figure hidden by its source is hidden too)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'revision'").fetchone():
        return []
    rows = conn.execute(
        "SELECT r.indicator_id, r.year, r.area_id, r.gender, r.change, o.status FROM revision r "
        "LEFT JOIN observation o ON o.indicator_id = r.indicator_id AND o.area_id = r.area_id "
        "AND o.year = r.year AND o.gender = r.gender "
        "WHERE (r.old_value IS NOT NULL OR r.new_value IS NOT NULL) "
        "AND (r.change = 'withdrawn' OR o.status IS NULL OR o.status != 'ok')").fetchall()
    return [Finding(ind, int(year), area, gender,
                    f"ändringshistoriken ({change}) har kvar ett värde för en cell som inte publiceras "
                    f"({status or 'finns inte'})")
            for ind, year, area, gender, change, status in rows]
