"""Disclosure control (röjandeskydd) for every source with respondents, applied before anything is written.

One model, two dimensions of one table per indicator and year:

- the area hierarchy: country → county → municipality → district (RegSO, the municipality's own
  districts, demo districts) → DeSO inside its RegSO. Each parent with its children of one district
  system is a *partition*: the parent's respondents are the union of the children's;
- the gender split: T = K ∪ M for every area.

Rules (the approach of SCB's and OHID/Fingertips' small-number guidance, see the Data page):

1. Primary: a cell with fewer respondents than its indicator's threshold is hidden.
2. Complementary, repeated until nothing changes, within every partition (parent + its children):
   a. never exactly one unknown term (a hidden cell, or a cell that is not in the table at all): one
      unknown is the parent minus the rest. A hidden parent therefore hides a child, and a hidden child
      of a published parent hides a sibling;
   b. when the parent is published, the children that are not published, together, must stand for at
      least the threshold's respondents *as an outsider computes it*: the parent's n minus the published
      children's n. Otherwise one more child is hidden.
   The cell hidden is always the published one with the fewest respondents (ties: area id, gender), the
   least loss. Hiding only ever adds hidden cells, so the loop ends.
3. Answers (shares in percent with respondents, where the caller names a ``min_answers`` for the
   indicator): a share is a count of "yes" answers, y = value/100 · n, and counts are additive like n.
   a. A cell or a pool an outsider can compute (rule 2b's pool, with the yes-counts subtracted the same
      way) in which everyone or no one answered yes (0 % / 100 %) tells every member's answer. That is a
      disclosure when the pool holds a hidden cell: its value is then known. A published 0 % or 100 %
      cell over hidden parts is therefore hidden itself (hiding its published parts cannot help: they
      are all 0 % or 100 % too); otherwise the published part with the fewest respondents is hidden.
   b. For sensitive questions the indicator may ask for more (``min_answer_count`` in the catalogue):
      a published cell, or a pool, with fewer than that many yes- or no-answers (but some) is protected
      as a small cell is. Counts are taken to the nearest whole respondent (the published values are
      rounded, so an outsider knows a count only approximately; at 0 % or 100 % exactly).
   This is the "group disclosure" (attribute disclosure of a whole group, the 0 %/100 % case) and the
   dominance idea of the ESS *Handbook on Statistical Disclosure Control* (Eurostat, ch. 4 and 5: a
   cell is sensitive when its contributors' answers can be inferred, not only when it is small), applied
   with SCB's complementary-suppression principle (*Röjandekontroll av tabeller*) and OHID's small-number
   guidance (numerators as well as denominators).
4. Once hidden, always hidden ("en gång dold, alltid dold"): the cells the caller names in
   ``keep_hidden`` (hidden in a version already published) are hidden before the rules run, so a
   corrected delivery of the same year never publishes them, and rules 2 and 3 protect them as any
   hidden cell (otherwise the earlier version's total minus this version's part gives the old hidden
   cell).
5. A hidden cell keeps no value, interval or n: nothing about it can travel further.

The rules use only what an outsider sees (published n and values), so cells hidden in an earlier build,
whose n is no longer known, are handled the same way. ``etl.disclosure_check`` checks the result
independently at the end of every build.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalogue.schema import DEFAULT_SUPPRESSION_THRESHOLD

DEFAULT_THRESHOLD = DEFAULT_SUPPRESSION_THRESHOLD
SUPPRESSED_REASON = "röjandeskydd: färre än {t} svarande, eller dold så att en sådan cell inte kan räknas fram"
GENDER_PARTS = ("K", "M")
DERIVED = "derived"  # a cell not in the table that an outsider can compute


@dataclass(frozen=True)
class Hierarchy:
    """The area tree as partitions: (parent id, district system) → the children of that system."""

    partitions: dict[tuple[str, str], tuple[str, ...]]

    @classmethod
    def from_areas(cls, areas: pd.DataFrame) -> Hierarchy:
        """``areas`` columns: id, parent_id, kind, district_system (as in the store's ``area`` table)."""
        parts: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in areas.itertuples(index=False):
            parent = getattr(row, "parent_id", None)
            if parent is None or (isinstance(parent, float) and np.isnan(parent)):
                continue
            system = getattr(row, "district_system", None)
            if system is None or (isinstance(system, float) and np.isnan(system)):
                system = row.kind
            parts[(str(parent), str(system))].append(str(row.id))
        return cls({k: tuple(sorted(v)) for k, v in parts.items()})

    @classmethod
    def from_parents(cls, parent_of: dict[str, str]) -> Hierarchy:
        """A one-system hierarchy from a child → parent map (tests, simple callers)."""
        parts: dict[tuple[str, str], list[str]] = defaultdict(list)
        for child, parent in parent_of.items():
            parts[(parent, "område")].append(child)
        return cls({k: tuple(sorted(v)) for k, v in parts.items()})


def suppress(obs: pd.DataFrame, thresholds: dict[str, int], hierarchy: Hierarchy,
             min_answers: dict[str, int] | None = None,
             keep_hidden: Iterable[tuple[str, str, int, str]] = ()) -> pd.DataFrame:
    """Return a copy of ``obs`` with disclosure control applied to the indicators in ``thresholds``.

    ``obs`` columns: indicator_id, area_id, year, gender, value, n, ci_low, ci_high, status,
    status_reason. Other indicators (registers, Kolada) pass through unchanged. Hidden cells come back
    with status ``suppressed`` and no value, interval or n.

    ``min_answers``: indicator → the fewest yes- and no-answers a cell or a computable pool may have
    (rule 3; 1 = only 0 %/100 %, 0 = off); give it for shares in percent with respondents only.
    ``keep_hidden``: (indicator, area, year, gender) of cells hidden in a version already published
    (rule 4); they stay hidden whatever their new n.
    """
    df = obs.copy()
    survey = df["indicator_id"].isin(thresholds.keys())
    if not survey.any():
        return df
    keep = set(keep_hidden)
    if keep:
        keys = zip(df["indicator_id"], df["area_id"], df["year"].astype(int), df["gender"], strict=True)
        forced = survey & pd.Series([k in keep for k in keys], index=df.index)
    else:
        forced = pd.Series(False, index=df.index)
    sub = df.loc[survey, ["indicator_id", "area_id", "year", "gender", "n", "value", "status"]].copy()
    sub.loc[forced[survey], "status"] = "suppressed"
    hidden_rows: list[int] = []
    for (ind, _year), grp in sub.groupby(["indicator_id", "year"], sort=True):
        threshold = int(thresholds.get(ind) or DEFAULT_THRESHOLD)
        m = int((min_answers or {}).get(ind) or 0)
        cells = {(a, g): [s, n, idx, None, _yes(v, n) if m else None] for idx, a, g, s, n, v in zip(
            grp.index, grp["area_id"], grp["gender"], grp["status"], grp["n"], grp["value"], strict=True)}
        _apply_rules(cells, threshold, hierarchy, m)
        hidden_rows += [c[2] for c in cells.values() if c[0] == "suppressed" and c[2] is not None]
    hidden = df.index.isin(hidden_rows)
    newly = hidden & (df["status"] != "suppressed")
    thr = df["indicator_id"].map(thresholds).fillna(DEFAULT_THRESHOLD).astype(int)
    df.loc[newly, "status_reason"] = [SUPPRESSED_REASON.format(t=t) for t in thr[newly]]
    df.loc[hidden, "status"] = "suppressed"
    df.loc[hidden, ["value", "ci_low", "ci_high", "n"]] = np.nan
    return df


def _yes(value, n) -> float | None:
    """The yes-count behind a share in percent: value/100 · n (None when either is unknown)."""
    if pd.isna(value) or pd.isna(n):
        return None
    return float(value) / 100.0 * float(n)


def _few_answers(yes: float | None, n: float, m: int, holds_hidden: bool) -> bool:
    """Rule 3: whether a cell or pool of ``n`` respondents, ``yes`` of them answering yes, gives its
    members' answers away: fewer than ``m`` yes- or no-answers (to the nearest whole respondent), counting
    none at all only when the group holds a hidden cell (a published 0 %/100 % group tells nothing that
    its published parts do not)."""
    if not m or yes is None or n < 0.5:
        return False
    fewest = math.floor(min(yes, n - yes) + 0.5)
    return fewest < m and (holds_hidden or fewest >= 1)


def _apply_rules(cells: dict, threshold: int, hierarchy: Hierarchy, min_answers: int = 0) -> None:
    """Primary rules, then the complementary rules to a fixed point, on one indicator-year table."""
    for cell in cells.values():
        if cell[0] == "ok" and pd.notna(cell[1]) and cell[1] < threshold:
            cell[0] = "suppressed"
        elif cell[0] == "ok" and pd.notna(cell[1]) and _few_answers(cell[4], float(cell[1]), min_answers, False):
            cell[0] = "suppressed"  # rule 3b: a published cell with (some but) too few yes- or no-answers
    partitions = _partitions(cells, hierarchy)
    splits: dict[tuple, list[list[tuple]]] = defaultdict(list)
    for parent, children in partitions:
        splits[parent].append(children)
    changed = True
    while changed:
        changed = False
        _derive_absent(cells, partitions)
        # An unpublished group that an outsider can compute must not be small either.
        small = [c for c in cells.values() if c[0] == DERIVED and (
            0 < c[1] < threshold or _few_answers(c[4], c[1], min_answers, False))]
        if small and _hide_smallest(cells, small[0][3]):
            changed = True
            continue
        for parent, children in partitions:
            if _check_partition(cells, parent, children, threshold, splits, min_answers):
                changed = True
                break


def _partitions(cells: dict, hierarchy: Hierarchy) -> list[tuple[tuple, list[tuple]]]:
    """Every (parent cell, child cells) equation that touches a cell of this table."""
    present_areas = {a for a, _ in cells}
    genders = sorted({g for _, g in cells})
    split = any(g in GENDER_PARTS for g in genders)
    out = []
    if split:
        for area in sorted(present_areas):
            out.append(((area, "T"), [(area, g) for g in GENDER_PARTS]))
    all_genders = ["T", *GENDER_PARTS] if split else genders
    for (parent, _system), children in sorted(hierarchy.partitions.items()):
        if parent not in present_areas and not present_areas.intersection(children):
            continue
        for g in all_genders:
            out.append(((parent, g), [(c, g) for c in children]))
    return out


def _state(cells: dict, key: tuple) -> str:
    cell = cells.get(key)
    if cell is None:
        return "absent"
    return {"ok": "ok", "missing": "known", DERIVED: "known"}.get(cell[0], "hidden")


def _n(cells: dict, key: tuple) -> float:
    cell = cells.get(key)
    if cell is None or cell[0] not in ("ok", DERIVED) or pd.isna(cell[1]):
        return 0.0
    return float(cell[1])


def _y(cells: dict, key: tuple) -> float | None:
    """The yes-count of a known cell (0 for a cell with no respondents), None where it is not known."""
    cell = cells.get(key)
    if cell is None:
        return None
    if cell[0] == "missing":
        return 0.0
    return cell[4] if cell[0] in ("ok", DERIVED) else None


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def _derive_absent(cells: dict, partitions: list) -> None:
    """Cells not in the table that an outsider can still compute (the only unknown term of a partition
    whose other terms are all known) count as known, with the n the outsider computes. Recomputed on
    every pass, since hiding a cell can make a derivation impossible."""
    for key in [k for k, c in cells.items() if c[0] == DERIVED]:
        del cells[key]
    found = True
    while found:
        found = False
        for parent, children in partitions:
            terms = [parent, *children]
            unknown = [t for t in terms if _state(cells, t) != "ok" and _state(cells, t) != "known"]
            if len(unknown) != 1 or _state(cells, unknown[0]) != "absent":
                continue
            if any(_state(cells, t) == "ok" and pd.isna(cells[t][1]) for t in terms):
                continue
            target = unknown[0]
            if target == parent:
                n = sum(_n(cells, c) for c in children)
                y = _sum_y(cells, children)
            else:
                n = _n(cells, parent) - sum(_n(cells, c) for c in children if c != target)
                rest = _sum_y(cells, [c for c in children if c != target])
                y = None if rest is None or _y(cells, parent) is None else _y(cells, parent) - rest
            cells[target] = [DERIVED, n, None, _sources(cells, [t for t in terms if t != target]), y]
            found = True


def _sum_y(cells: dict, keys: list[tuple]) -> float | None:
    total: float | None = 0.0
    for k in keys:
        total = _add(total, _y(cells, k))
    return total


def _sources(cells: dict, terms: list[tuple]) -> list[tuple]:
    """The published cells behind ``terms`` (published ones, and what derived ones were computed from)."""
    out: list[tuple] = []
    for t in terms:
        state = cells.get(t, [None])[0]
        if state == "ok":
            out.append(t)
        elif state == DERIVED:
            out += cells[t][3]
    return sorted(set(out))


def _check_partition(cells: dict, parent: tuple, children: list[tuple], threshold: int,
                     splits: dict[tuple, list[list[tuple]]], min_answers: int = 0) -> bool:
    """Hide one more cell if this partition lets an outsider recover something; True if it did."""
    terms = [parent, *children]
    states = {t: _state(cells, t) for t in terms}
    unknown = [t for t in terms if states[t] in ("hidden", "absent")]
    if not any(states[t] == "hidden" for t in terms) and states[parent] != "ok":
        return False
    published_children = [c for c in children if states[c] == "ok"]
    if len(unknown) == 1 and states[unknown[0]] == "hidden":
        return _hide_smallest(cells, published_children or ([parent] if states[parent] == "ok" else [])
                              or _sources(cells, [t for t in terms if t != unknown[0]]))
    parent_known = states[parent] == "ok" or (parent in cells and cells[parent][0] == DERIVED)
    if parent_known and pd.notna(cells[parent][1]):
        # Rule 2b: the pool as an outsider computes it, splitting unpublished children further (any
        # number of levels, either dimension) wherever that lets them subtract more published cells.
        pool_children = [c for c in children if states[c] in ("hidden", "absent")]
        if not pool_children:
            return False
        memo: dict[tuple, tuple[float, list[tuple], bool]] = {}
        known_children = [c for c in children if states[c] in ("ok", "known")]
        known = sum(_n(cells, c) for c in known_children)
        subtracted = _sources(cells, known_children)
        has_hidden = False
        for c in pool_children:
            k, cells_used, hid = _best_subtraction(cells, c, splits, memo)
            known += k
            subtracted += cells_used
            has_hidden |= hid
        pool = float(cells[parent][1]) - known
        if pool < threshold and (pool > 0 or has_hidden):
            return _hide_smallest(cells, subtracted or _sources(cells, [parent]))
        if min_answers:
            return _check_answers(cells, parent, children, states, splits, min_answers)
    return False


MAX_OPTIONS = 4000


def _check_answers(cells: dict, parent: tuple, children: list[tuple], states: dict, splits: dict,
                   min_answers: int) -> bool:
    """Rule 3a on one partition of a known parent: every pool an outsider can compute (any split of any
    unpublished part, any number of levels; unlike rule 2b not only the one that subtracts most, since the
    splits of one cell are not nested and another split may leave a pool where all answered yes)."""
    parent_y = _y(cells, parent)
    if parent_y is None:
        return False
    memo: dict[tuple, list] = {}
    options: list[tuple[float, float, bool, tuple]] | None = [(0.0, 0.0, False, ())]
    for c in children:
        if states[c] in ("ok", "known"):
            if _y(cells, c) is None:
                return False  # a part without a value: no yes-count for this pool
            add = [(_n(cells, c), _y(cells, c), False, tuple(_sources(cells, [c])))]
        else:
            add = _answer_options(cells, c, splits, memo)
        options = _cap_options([(n + a, y + b, h or hh, used + u) for n, y, h, used in options
                                for a, b, hh, u in add])
    n_parent = float(cells[parent][1])
    for known_n, known_y, holds_hidden, used in options:
        if _few_answers(parent_y - known_y, n_parent - known_n, min_answers, holds_hidden):
            # The pool's answers are known. A parent at 0 %/100 % is hidden itself (its published parts are
            # all at 0 %/100 % too, so hiding them cannot help); otherwise the smallest part subtracted.
            if _few_answers(parent_y, n_parent, min_answers, True) or not used:
                return _hide_smallest(cells, [parent] if states[parent] == "ok" else _sources(cells, [parent]))
            return _hide_smallest(cells, sorted(set(used)))
    return False


def _answer_options(cells: dict, cell: tuple, splits: dict, memo: dict) -> list[tuple]:
    """For an unpublished ``cell``: every (n, yes-count, whether a hidden cell stays in the pool, the
    published cells used) an outsider can subtract by splitting it while some unpublished part stays."""
    if cell in memo:
        return memo[cell]
    memo[cell] = out = [(0.0, 0.0, _state(cells, cell) == "hidden", ())]  # keep the cell itself
    for children in splits.get(cell, []):
        states = [_state(cells, c) for c in children]
        if all(s in ("ok", "known") for s in states):
            continue  # a full split recovers the cell itself: rule 2a's business
        opts: list[tuple] = [(0.0, 0.0, False, ())]
        for c, s in zip(children, states, strict=True):
            if s in ("ok", "known"):
                y = _y(cells, c)
                if y is None:
                    opts = []
                    break
                add = [(_n(cells, c), y, False, tuple(_sources(cells, [c])))]
            else:
                add = _answer_options(cells, c, splits, memo)
            opts = _cap_options([(n + a, yy + b, h or hh, used + u) for n, yy, h, used in opts
                                 for a, b, hh, u in add])
        out += opts
    memo[cell] = out = _cap_options(out)
    return out


def _cap_options(options: list[tuple]) -> list[tuple]:
    """Without repeats, at most MAX_OPTIONS, keeping those that subtract most (the smallest pools)."""
    options = list(dict.fromkeys(options))
    if len(options) <= MAX_OPTIONS:
        return options
    return sorted(options, key=lambda o: -o[0])[:MAX_OPTIONS]


def _best_subtraction(cells: dict, cell: tuple, splits: dict, memo: dict) -> tuple[float, list[tuple], bool]:
    """For an unpublished ``cell``: the most respondents an outsider can subtract by splitting it into
    published parts while some unpublished part stays (known n, the published cells used, whether the
    pool holds a hidden cell)."""
    if cell in memo:
        return memo[cell]
    memo[cell] = best = (0.0, [], _state(cells, cell) == "hidden")  # keep the cell itself
    for children in splits.get(cell, []):
        states = [_state(cells, c) for c in children]
        if all(s in ("ok", "known") for s in states):
            continue  # a full split recovers the cell itself: rule 2a's business
        known, used, hid = 0.0, [], False
        for c, s in zip(children, states, strict=True):
            if s in ("ok", "known"):
                known += _n(cells, c)
                used += _sources(cells, [c])
            elif s in ("hidden", "absent"):
                k, u, h = _best_subtraction(cells, c, splits, memo)
                known, used, hid = known + k, used + u, hid or h
        if known > best[0]:
            best = (known, used, hid)
    memo[cell] = best
    return best


def _hide_smallest(cells: dict, candidates: list[tuple]) -> bool:
    if not candidates:
        return False
    target = min(candidates, key=lambda k: (_n(cells, k), k))
    cells[target][0] = "suppressed"
    return True
