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
6. **Answers, 0 % / 100 %** (shares in percent with respondents): a share is a count of yes-answers,
   y = value/100 · n, additive like n. A published cell at 0 % or 100 % over a part that is not published,
   and every pool of attack 2 computed in yes-counts (the parent's y minus the published parts' y) in which
   everyone or no one answered yes, gives the answer of every member: a finding when the pool holds a
   hidden cell. Where an indicator asks for more (``min_answer_count``), a published cell or a pool with
   fewer yes- or no-answers than that (but some) is a finding too. Counts to the nearest whole respondent.
   Only tables whose cells all come from real deliveries are attacked this way (a demo store's synthetic
   values are drawn per cell and do not add up, so their pools say nothing).
7. **Across versions** (``version_findings``): the previous published store and this one together, as an
   outsider who downloaded both sees them. A cell hidden then and published now is a finding ("en gång
   dold, alltid dold": if it did not change, its old hidden value is now known; if only its siblings did,
   the old total minus this part gives it). The two versions' equations are solved together, a cell
   hidden in both taken as one unknown (it may not have changed) and the earlier version's published
   cells as known; a cell published in both whose n changed by fewer than the threshold is a finding
   (the new value minus the old is the answer of those few respondents); and a value the history keeps
   (``revision.old_value``) at 0 % or 100 % over a part hidden now is a finding (the part, if unchanged,
   had that value).

Method: SCB, "Röjandekontroll av tabeller" (the complementary-suppression principle for linked tables),
the ESS/Eurostat *Handbook on Statistical Disclosure Control* (sensitivity beyond small cells: dominance
and p % rules, and group disclosure, i.e. the 0 %/100 % case where a whole group shares an answer), and
OHID's Fingertips technical guidance on small numbers (numerators as well as denominators); the
linear-algebra formulation is the standard one for audit of suppressed linked tables (the attacker's
feasible set is x0 + null space).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

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
                leaks: bool = True, min_answers: dict[str, int] | None = None) -> list[Finding]:
    """Every finding of the attacks on ``cells`` (indicator_id, area_id, year, gender, status, n, value,
    ci_low, ci_high; optionally ``demo``, True for a cell from synthetic data) for the indicators in
    ``thresholds``. ``min_answers``: share indicators → the fewest yes- and no-answers (attack 6)."""
    eqs = area_equations(areas)
    cells = cells[cells["indicator_id"].isin(list(thresholds))]
    findings: list[Finding] = leak_findings(cells) if leaks else []
    for (ind, year), grp in cells.groupby(["indicator_id", "year"], sort=True):
        thr = int(thresholds[ind])
        table = {(a, g): (s, n) for a, g, s, n in zip(grp["area_id"], grp["gender"], grp["status"], grp["n"], strict=True)}
        for (a, g), (s, n) in table.items():
            if s == "ok" and pd.notna(n) and n < thr:
                findings.append(Finding(ind, int(year), a, g, f"publicerad med färre än {thr} svarande"))
        m = int((min_answers or {}).get(ind, 0))
        if m and "value" in grp and not ("demo" in grp and grp["demo"].fillna(False).astype(bool).any()):
            findings += _answer_findings(ind, int(year), grp, table, eqs, m)
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


def _answer_count_few(yes: float, n: float, m: int, hidden_inside: bool) -> bool:
    """Fewer than ``m`` yes- or no-answers among ``n`` (nearest whole respondent); none at all counts only
    where a hidden cell is inside (a published 0 %/100 % group tells nothing its published parts do not)."""
    if n < 0.5 or yes < -0.5 or yes > n + 0.5:
        return False  # no one there, or counts that do not add up (not a real pool)
    fewest = math.floor(min(yes, n - yes) + 0.5)
    return fewest < m and (hidden_inside or fewest >= 1)


def _answer_findings(ind: str, year: int, grp: pd.DataFrame, table: dict, eqs: dict, m: int) -> list[Finding]:
    """Attack 6 on one table."""
    yes = {(a, g): float(v) / 100.0 * float(n) for a, g, s, n, v in zip(
        grp["area_id"], grp["gender"], grp["status"], grp["n"], grp["value"], strict=True)
        if s == "ok" and pd.notna(n) and pd.notna(v)}
    out = []
    if m > 1:
        for (a, g), y in sorted(yes.items()):
            if _answer_count_few(y, float(table[(a, g)][1]), m, False):
                out.append(Finding(ind, year, a, g, f"publicerad med färre än {m} som svarat ja eller nej"))
    if not (grp["status"] == "suppressed").any() and m <= 1:
        return out  # 0 %/100 % only matters over a hidden cell
    system = _System(table, eqs)
    for (a, g), attack in system.answer_pools(yes, m):
        out.append(Finding(ind, year, a, g, attack))
    return out


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


    # Attack 6 ------------------------------------------------------------------------------------
    def answer_pools(self, yes: dict[tuple, float], m: int) -> list[tuple[tuple, str]]:
        """Published cells whose split leaves a pool of unpublished parts whose yes-count (the cell's
        minus the published parts') shows that (almost) everyone or no one in it answered yes."""
        memo: dict[tuple, tuple[frozenset, frozenset]] = {}
        out = []
        for cell, (status, n) in sorted(self.table.items()):
            if status != "ok" or pd.isna(n) or cell not in yes:
                continue
            for children in self.splits.get(cell, []):
                if all(self.status(c) == "known" for c in children):
                    continue
                pooled, _full = self._combine_yes(children, yes, memo)
                hit = [(float(n) - kn, yes[cell] - ky) for kn, ky, hidden in pooled
                       if _answer_count_few(yes[cell] - ky, float(n) - kn, m, hidden)]
                if hit:
                    pool_n, pool_y = min(hit)
                    share = "alla" if pool_y > pool_n / 2 else "ingen"
                    out.append((cell, f"ej publicerade delar kan räknas fram som en grupp med {pool_n:g} svarande "
                                      f"där {share} (eller nästan {share}) svarat ja: de dolda cellernas värden "
                                      "går att sluta sig till"))
                    break
        return out

    def _yes_sums(self, cell: tuple, yes: dict, memo: dict) -> tuple[frozenset, frozenset]:
        """(n, yes) sums an outsider can subtract when ``cell`` (unpublished) is split further:
        (sums leaving a pool, with whether a hidden cell stays in it; sums resolving it completely)."""
        if cell in memo:
            return memo[cell]
        memo[cell] = (frozenset(), frozenset())
        pooled: set[tuple] = {(0.0, 0.0, self.status(cell) == "hidden")}
        full: set[tuple] = set()
        for children in self.splits.get(cell, []):
            p, f = self._combine_yes(children, yes, memo)
            pooled |= p
            full |= f
        memo[cell] = (frozenset(_cap(pooled)), frozenset(_cap(full)))
        return memo[cell]

    def _combine_yes(self, children: list[tuple], yes: dict, memo: dict) -> tuple[set, set]:
        with_pool: set[tuple] = set()
        without: set[tuple] = {(0.0, 0.0)}
        for c in children:
            if self.status(c) == "known":
                if self.table[c][0] == "missing":
                    continue  # no respondents: nothing to subtract
                if c not in yes:
                    return set(), set()  # a part without a value: no yes-count for this split
                k, y = self.n(c), yes[c]
                with_pool = {(s + k, t + y, h) for s, t, h in with_pool}
                without = {(s + k, t + y) for s, t in without}
                continue
            p, f = self._yes_sums(c, yes, memo)
            new_with = {(s + a, t + b, h or hh) for s, t, h in with_pool for a, b, hh in p}
            new_with |= {(s + a, t + b, h) for s, t, h in with_pool for a, b in f}
            new_with |= {(s + a, t + b, hh) for s, t in without for a, b, hh in p}
            without = {(s + a, t + b) for s, t in without for a, b in f}
            with_pool, without = _cap(new_with), _cap(without)
        return with_pool, without


def _cap(values: set) -> set:
    if len(values) <= MAX_POOL_SUMS:
        return values
    return set(sorted(values)[-MAX_POOL_SUMS:])


_CONTROLLED = "(kind = 'survey' OR suppression_threshold IS NOT NULL)"


def _thresholds(conn: files.Connection, schema_name: str = "main") -> dict[str, int]:
    return {i: int(t or 10) for i, t in conn.execute(
        f"SELECT id, suppression_threshold FROM {schema_name}.indicator WHERE {_CONTROLLED}")}  # noqa: S608


def store_min_answers(conn: files.Connection) -> dict[str, int]:
    """Share indicators of the store → the fewest yes- and no-answers (the catalogue's
    ``min_answer_count``, else 1: 0 % and 100 %)."""
    from etl.catalogue import min_answer_counts

    return min_answer_counts(conn.execute("SELECT id, kind, unit FROM indicator").fetchall())


def _cells(conn: files.Connection, schema_name: str = "main") -> pd.DataFrame:
    """The cells of the controlled indicators, with whether each comes from synthetic (demo) data."""
    return pd.read_sql_query(
        f"SELECT o.indicator_id, o.area_id, o.year, o.gender, o.status, o.n, o.value, "  # noqa: S608 - fixed names
        f"COALESCE(f.is_demo, 0) AS demo FROM {schema_name}.observation o "
        f"JOIN {schema_name}.indicator i ON i.id = o.indicator_id "
        f"LEFT JOIN {schema_name}.source_fetch f ON f.id = o.fetch_id "
        f"WHERE (i.kind = 'survey' OR i.suppression_threshold IS NOT NULL)", conn)


def check_store(conn: files.Connection, previous: Path | None = None,
                min_answers: dict[str, int] | None = None) -> list[Finding]:
    """Run every attack on a store (an open sqlite3 connection); with ``previous`` (the published store
    this one replaces) also the attacks across the two versions (attack 7)."""
    thresholds = _thresholds(conn)
    if not thresholds:
        return history_findings(conn)
    answers = store_min_answers(conn) if min_answers is None else min_answers
    where = "FROM observation o JOIN indicator i ON i.id = o.indicator_id " \
            "WHERE (i.kind = 'survey' OR i.suppression_threshold IS NOT NULL)"
    # Attack 4 in SQL (hidden cells are few); the rest needs status, n and value only.
    leaks = pd.read_sql_query(
        f"SELECT o.indicator_id, o.area_id, o.year, o.gender, o.status, o.n, o.value, o.ci_low, o.ci_high {where} "  # noqa: S608 - fixed text
        "AND o.status = 'suppressed' AND (o.n IS NOT NULL OR o.value IS NOT NULL OR o.ci_low IS NOT NULL "
        "OR o.ci_high IS NOT NULL)", conn)
    cells = _cells(conn)
    areas = pd.read_sql_query("SELECT id, parent_id, kind, district_system FROM area", conn)
    findings = history_findings(conn) + leak_findings(leaks) + check_cells(cells, areas, thresholds, leaks=False,
                                                                           min_answers=answers)
    findings += old_value_findings(conn, areas, answers)
    if previous is not None and Path(previous).exists():
        findings += version_findings(conn, Path(previous), areas, thresholds)
    return findings


# Attack 7 ----------------------------------------------------------------------------------------------

def version_findings(conn: files.Connection, previous: Path, areas: pd.DataFrame,
                     thresholds: dict[str, int]) -> list[Finding]:
    """Attack 7 with the previous published store: a cell hidden then and published now, and every hidden
    cell (of either version) that the two versions' equations together give, but the previous version's
    alone did not."""
    conn.execute("ATTACH DATABASE ? AS prev_version", (f"file:{previous}?mode=ro",))
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM prev_version.sqlite_master WHERE type = 'table'")}
        if not {"observation", "indicator", "source_fetch"} <= tables:
            return []
        old = _cells(conn, "prev_version")
    finally:
        conn.execute("DETACH DATABASE prev_version")
    new = _cells(conn)
    old = old[old["indicator_id"].isin(list(thresholds)) & old["area_id"].isin(set(areas["id"]))]
    new = new[new["indicator_id"].isin(list(thresholds))]
    return compare_versions(old, new, areas, thresholds)


def compare_versions(old: pd.DataFrame, new: pd.DataFrame, areas: pd.DataFrame,
                     thresholds: dict[str, int]) -> list[Finding]:
    """Attack 7 on two versions' cells (indicator_id, area_id, year, gender, status, n, value)."""
    eqs = area_equations(areas)
    findings: list[Finding] = []
    keys = ["indicator_id", "year"]
    old_groups = {k: g for k, g in old.groupby(keys, sort=True)}
    for (ind, year), grp in new.groupby(keys, sort=True):
        before = old_groups.get((ind, year))
        if before is None or _same(before, grp):
            continue  # a table the new version did not touch tells nothing new
        if grp["n"].isna().all() and before["n"].isna().all():
            continue  # no respondents: a source's own protection (Kolada's), which may change as it likes
        then = {(a, g): (s, n) for a, g, s, n in zip(before["area_id"], before["gender"], before["status"],
                                                     before["n"], strict=True)}
        now = {(a, g): (s, n) for a, g, s, n in zip(grp["area_id"], grp["gender"], grp["status"], grp["n"],
                                                    strict=True)}
        thr = int(thresholds.get(ind, 10))
        for cell, (s, n) in sorted(now.items()):
            before_s, before_n = then.get(cell, ("", None))
            if s == "ok" and before_s == "suppressed":
                findings.append(Finding(ind, int(year), cell[0], cell[1],
                                        "dold i den tidigare versionen men publiceras nu (en gång dold, alltid dold)"))
            elif s == "ok" and before_s == "ok" and pd.notna(n) and pd.notna(before_n) and \
                    0 < abs(float(n) - float(before_n)) < thr:
                findings.append(Finding(ind, int(year), cell[0], cell[1],
                                        f"skillnaden mot den tidigare versionen är en grupp med "
                                        f"{abs(float(n) - float(before_n)):g} svarande (färre än {thr})"))
        if not any(s == "suppressed" for s, _ in [*then.values(), *now.values()]):
            continue
        # What either version gives alone is attack 1's (the previous version's is published already).
        alone = {v: set(_System(t, eqs).recoverable()) if any(s == "suppressed" for s, _ in t.values()) else set()
                 for v, t in (("then", then), ("now", now))}
        for version, (a, g) in _two_versions(then, now, eqs):
            # A cell hidden now that was published then: its old value is out already, and the links say
            # only that it did not change (what is protected is the change, which stays unknown).
            published_then = version == "now" and then.get((a, g), ("",))[0] == "ok"
            if (a, g) not in alone[version] and not published_then:
                when = "i den tidigare versionen" if version == "then" else "nu"
                findings.append(Finding(ind, int(year), a, g,
                                        f"dold cell ({when}) kan räknas fram ur den tidigare och den nya "
                                        "versionen tillsammans"))
    return findings


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = ["area_id", "gender", "status", "n", "value"]
    x = a[cols].sort_values(["area_id", "gender"]).reset_index(drop=True)
    y = b[cols].sort_values(["area_id", "gender"]).reset_index(drop=True)
    return x.equals(y)


def _two_versions(then: dict, now: dict, eqs: dict) -> list[tuple[str, tuple]]:
    """Hidden cells recoverable from both versions' equations together: each version's cells are their own
    unknowns, except that a cell hidden in both, or hidden then and published now, is one quantity (it may
    not have changed; the outsider cannot tell)."""
    def old(area: str) -> str:
        return "\x00then:" + area

    table = dict(now)
    for (a, g), v in then.items():
        table[(old(a), g)] = v
    area_set = {a for a, _ in then}
    union_eqs = dict(eqs)
    for (parent, system), children in eqs.items():
        if parent in area_set or area_set.intersection(children):
            union_eqs[(old(parent), system)] = [old(c) for c in children]
    system = _System(table, union_eqs)
    for (a, g), (s, _n) in then.items():
        if s == "suppressed" and now.get((a, g), ("",))[0] in ("suppressed", "ok"):
            system.equations.append(((a, g), [(old(a), g)]))
    found = []
    for a, g in system.recoverable():
        found.append(("then", (a[len(old("")):], g)) if a.startswith(old("")) else ("now", (a, g)))
    return found


def old_value_findings(conn: files.Connection, areas: pd.DataFrame, min_answers: dict[str, int]) -> list[Finding]:
    """Attack 7 on the history alone: a value ``revision`` keeps at exactly 0 % or 100 % over a part hidden
    now: the earlier version said that every member of that part answered the same (and the part may not
    have changed)."""
    if not min_answers or not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'revision'").fetchone():
        return []
    rows = conn.execute("SELECT indicator_id, area_id, year, gender, old_value FROM revision "
                        "WHERE old_value IS NOT NULL AND (old_value <= 0 OR old_value >= 100)").fetchall()
    rows = [r for r in rows if r[0] in min_answers and min_answers[r[0]] > 0]
    if not rows:
        return []
    hidden = {(i, a, int(y), g) for i, a, y, g in conn.execute(
        "SELECT indicator_id, area_id, year, gender FROM observation WHERE status = 'suppressed'")}
    children: dict[str, list[str]] = defaultdict(list)
    for (parent, _system), kids in area_equations(areas).items():
        children[parent] += kids
    findings = []
    for ind, area, year, gender, value in rows:
        parts = [(area, g) for g in (("K", "M") if gender == "T" else ())]
        stack, seen = [area], set()
        while stack:  # every area below, in the same gender (and, under a total, both genders)
            for c in children.get(stack.pop(), []):
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
                    parts += [(c, gender)] + ([(c, "K"), (c, "M")] if gender == "T" else [])
        if any((ind, a, int(year), g) in hidden for a, g in parts):
            findings.append(Finding(ind, int(year), area, gender,
                                    f"ändringshistoriken har kvar värdet {value:g} % över en dold del: "
                                    "delens värde går att sluta sig till"))
    return findings


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
