"""Issue #26, "trust under real deliveries": two ways a hidden cell leaked although every cell had enough
respondents, each attacked here the way an outsider would (from the published values, n and history only):

1. 0 % / 100 %: a published cell where everyone (or no one) answered yes tells the answer of every
   hidden part under it, and so does a pool an outsider computes in yes-counts (value/100 · n);
2. two deliveries of one survey year: the first version's total minus the second version's part gives
   the first version's hidden cell, and the second version's total minus the first's gives the late
   questionnaires.

Each attack is first shown to work on the old rules (n only, one publication at a time) and then shown
to fail; the independent attacker (etl.disclosure_check) finds both leaks in a leaky table and nothing in
the protected result.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.disclosure_check import area_equations, check_cells
from etl.suppression import Hierarchy, suppress

ROOT = Path(__file__).resolve().parent.parent
IND = "ENK"
THR = 10
HEADER = "indikator;omrade;ar;kon;varde;antal_svarande"


# --- The outsider: only what is published (status ok: value and n), the history, earlier downloads -------

def equations(cells: pd.DataFrame, areas: pd.DataFrame) -> list[tuple[tuple, list[tuple]]]:
    """T = K + M for every area, parent = children for every gender: what anyone reads off the site."""
    out = [((a, "T"), [(a, "K"), (a, "M")]) for a in sorted(set(cells["area_id"]))]
    for (parent, _system), children in area_equations(areas).items():
        for g in ("T", "K", "M"):
            out.append(((parent, g), [(c, g) for c in children]))
    return out


def published(cells: pd.DataFrame) -> dict[tuple, tuple[float, float]]:
    """(area, gender) → (n, yes-count) of every published cell."""
    ok = cells[cells["status"] == "ok"]
    return {(a, g): (float(n), float(v) / 100 * float(n))
            for a, g, n, v in zip(ok["area_id"], ok["gender"], ok["n"], ok["value"], strict=True)}


def hidden(cells: pd.DataFrame) -> set[tuple]:
    return {(a, g) for a, g, s in zip(cells["area_id"], cells["gender"], cells["status"], strict=True)
            if s == "suppressed"}


def outsider_zero_hundred(cells: pd.DataFrame, areas: pd.DataFrame) -> dict[tuple, float]:
    """Hidden cells whose share the outsider knows: under a published cell, the parts not published form a
    pool of n = parent's n − published parts' n and yes = parent's yes − published parts' yes; at 0 or at
    n, every hidden part in it is 0 % or 100 %."""
    pub, hid = published(cells), hidden(cells)
    found: dict[tuple, float] = {}
    for parent, children in equations(cells, areas):
        rest = [c for c in children if c not in pub]
        if parent not in pub or not any(c in hid for c in rest):
            continue
        n = pub[parent][0] - sum(pub[c][0] for c in children if c in pub)
        yes = pub[parent][1] - sum(pub[c][1] for c in children if c in pub)
        if n > 0.5 and (abs(yes) < 0.5 or abs(yes - n) < 0.5):
            found.update({c: 0.0 if abs(yes) < 0.5 else 100.0 for c in rest if c in hid})
    return found


def outsider_versions(first: pd.DataFrame, second: pd.DataFrame, areas: pd.DataFrame) -> dict[tuple, tuple]:
    """What an outsider who downloaded both versions recovers: a cell hidden in the first version, from the
    first version's equations, with the first's published cells and, for a cell the first hid, the second's
    published value (the correction was only a few late questionnaires: the rest did not change); and,
    ('skillnad', cell), the late questionnaires themselves: second − first of a cell published in both whose
    n changed by fewer than the threshold. Values: (n, yes-count)."""
    v1, v2 = published(first), published(second)
    known = {**{c: v for c, v in v2.items() if c in hidden(first)}, **v1}
    found: dict[tuple, tuple] = {}
    for cell in sorted(hidden(first)):
        if cell in v2:
            found[cell] = v2[cell]
        for parent, children in equations(first, areas):
            terms = [parent, *children]
            if cell not in terms or not all(t in known for t in terms if t != cell):
                continue
            if cell == parent:
                found[cell] = tuple(sum(known[c][i] for c in children) for i in (0, 1))
            else:
                found[cell] = tuple(known[parent][i] - sum(known[c][i] for c in children if c != cell)
                                    for i in (0, 1))
    for cell, (n2, y2) in v2.items():
        if cell in v1 and 0 < n2 - v1[cell][0] < THR:
            found[("skillnad", cell)] = (n2 - v1[cell][0], y2 - v1[cell][1])
    return found


# --- Synthetic tables ------------------------------------------------------------------------------------

def _areas(districts=("A", "B", "C")) -> pd.DataFrame:
    return pd.DataFrame([{"id": "KOMMUN", "parent_id": None, "kind": "municipality", "district_system": None}]
                        + [{"id": d, "parent_id": "KOMMUN", "kind": "district", "district_system": "RegSO"}
                           for d in districts])


def _table(spec: dict[str, tuple[int, int, int, int]]) -> pd.DataFrame:
    """``spec``: district → (n girls, yes girls, n boys, yes boys); totals and the municipality are sums."""
    rows = []

    def add(a, g, n, yes):
        rows.append({"indicator_id": IND, "area_id": a, "year": 2024, "gender": g, "n": float(n),
                     "value": 100.0 * yes / n, "ci_low": np.nan, "ci_high": np.nan, "status": "ok",
                     "status_reason": None})

    for a, (nk, yk, nm, ym) in spec.items():
        add(a, "K", nk, yk)
        add(a, "M", nm, ym)
        add(a, "T", nk + nm, yk + ym)
    tot = [sum(v[i] for v in spec.values()) for i in range(4)]
    add("KOMMUN", "K", tot[0], tot[1])
    add("KOMMUN", "M", tot[2], tot[3])
    add("KOMMUN", "T", tot[0] + tot[2], tot[1] + tot[3])
    return pd.DataFrame(rows)


def _old_rules(df: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The rules before issue #26: n only (no answers counted)."""
    return suppress(df, {IND: THR}, Hierarchy.from_areas(areas))


def _new_rules(df: pd.DataFrame, areas: pd.DataFrame, m: int = 1, keep_hidden=()) -> pd.DataFrame:
    return suppress(df, {IND: THR}, Hierarchy.from_areas(areas), min_answers={IND: m}, keep_hidden=keep_hidden)


def _audit(df: pd.DataFrame, areas: pd.DataFrame, m: int = 1) -> dict[tuple, str]:
    return {(f.area_id, f.gender): f.attack for f in check_cells(df, areas, {IND: THR}, min_answers={IND: m})}


# --- 1. 0 % / 100 % --------------------------------------------------------------------------------------

def test_a_published_100_percent_over_hidden_girls_and_boys_gives_both_away():
    """The review's case: a RegSO at 100,0 % (n = 15) over hidden girls (6) and boys (9)."""
    areas = _areas()
    df = _table({"A": (6, 6, 9, 9), "B": (30, 15, 30, 18), "C": (20, 8, 25, 20)})
    old = _old_rules(df, areas)
    assert outsider_zero_hundred(old, areas) == {("A", "K"): 100.0, ("A", "M"): 100.0}, "the attack works on n only"
    assert "svarat ja" in _audit(old, areas)[("A", "T")], "the attacker sees it"

    new = _new_rules(df, areas)
    assert outsider_zero_hundred(new, areas) == {}
    assert _audit(new, areas) == {}
    status = new.set_index(["area_id", "gender"])["status"]
    assert status[("A", "T")] == "suppressed", "the 100 % cell itself is hidden"
    assert status[("B", "T")] == "ok" and status[("KOMMUN", "T")] == "ok"
    assert new.loc[new["status"] == "suppressed", ["value", "n"]].isna().all().all()


def test_a_pool_at_0_percent_computed_from_yes_counts_gives_its_hidden_members_away():
    """Girls of A (6) and B (5) are hidden; together 11 ≥ 10, so the n rules let the municipality's girls
    minus C's girls stand. But no girl in A or B answered yes: the pool's yes-count is 0."""
    areas = _areas()
    df = _table({"A": (6, 0, 30, 12), "B": (5, 0, 30, 14), "C": (30, 9, 30, 18)})
    old = _old_rules(df, areas)
    leaked = outsider_zero_hundred(old, areas)
    assert leaked.get(("A", "K")) == 0.0 and leaked.get(("B", "K")) == 0.0, leaked
    assert any("svarat ja" in a for a in _audit(old, areas).values())

    new = _new_rules(df, areas)
    assert outsider_zero_hundred(new, areas) == {}
    assert _audit(new, areas) == {}


def test_a_published_parent_at_100_percent_with_everything_published_stays():
    """0 %/100 % discloses only where a part is hidden: a table with no hidden cell loses nothing."""
    areas = _areas()
    df = _table({"A": (20, 20, 20, 20), "B": (30, 30, 30, 30), "C": (20, 20, 25, 25)})
    new = _new_rules(df, areas)
    assert (new["status"] == "ok").all()
    assert _audit(new, areas) == {}


def test_a_sensitive_question_protects_few_yes_answers():
    """min_answer_count = 3: a published cell with 2 yes-answers of 40 is protected as a small cell is, and
    the attacker calls it out when it is published."""
    areas = _areas()
    df = _table({"A": (20, 1, 20, 1), "B": (30, 12, 30, 14), "C": (20, 8, 25, 10)})
    assert "färre än 3 som svarat" in _audit(_old_rules(df, areas), areas, m=3)[("A", "T")]
    new = _new_rules(df, areas, m=3)
    assert _audit(new, areas, m=3) == {}
    status = new.set_index(["area_id", "gender"])["status"]
    assert status[("A", "T")] == "suppressed" and status[("A", "K")] == "suppressed"


def test_min_answer_count_is_validated_in_the_catalogue():
    import jsonschema

    from catalogue.schema import INDICATOR_SCHEMA

    ind = {"id": "ENK_X", "title": "x", "short_title": "x", "definition": "x", "unit": "%", "decimals": 1,
           "polarity": "lower_better", "gender_split": True, "source": "local_survey", "source_name": "x",
           "kind": "survey", "suppression_threshold": 10, "levels": ["municipality"]}
    for ok in (0, 1, 5):
        jsonschema.validate({**ind, "min_answer_count": ok}, INDICATOR_SCHEMA)
    for bad in (-1, 2.5, "3"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**ind, "min_answer_count": bad}, INDICATOR_SCHEMA)


# --- 2. Two deliveries of one survey year ------------------------------------------------------------------

FIRST = {"A": (6, 3, 30, 18), "B": (20, 11, 20, 8), "C": (25, 10, 22, 9)}
SECOND = {**FIRST, "A": (10, 5, 30, 18)}  # four late questionnaires from A's girls, two of them yes


def test_two_versions_of_one_year_give_the_first_versions_hidden_girls_away():
    areas = _areas()
    first = _old_rules(_table(FIRST), areas)
    assert ("A", "K") in hidden(first) and ("A", "M") in hidden(first)
    second_old = _old_rules(_table(SECOND), areas)
    leaked = outsider_versions(first, second_old, areas)
    assert np.allclose(leaked[("A", "K")], (6, 3)), "v1 total − v2 boys = v1's hidden girls"
    assert np.allclose(leaked[("skillnad", ("A", "T"))], (4, 2)), "v2 total − v1 total = the four late girls"

    from etl.survey_import import must_stay_hidden

    keep = must_stay_hidden(first, _table(SECOND), {IND: THR})
    second = _new_rules(_table(SECOND), areas, keep_hidden=keep)
    assert outsider_versions(first, second, areas) == {}
    assert hidden(first) <= hidden(second), "en gång dold, alltid dold"
    assert _audit(second, areas) == {}


def test_the_attacker_compares_two_versions():
    from etl.disclosure_check import compare_versions
    from etl.survey_import import must_stay_hidden

    areas = _areas()
    first = _old_rules(_table(FIRST), areas)
    leaky = _old_rules(_table(SECOND), areas)
    found = [((f.area_id, f.gender), f.attack) for f in compare_versions(first, leaky, areas, {IND: THR})]
    assert (("A", "K"), "dold i den tidigare versionen men publiceras nu (en gång dold, alltid dold)") in found
    assert any(c == ("A", "K") and "tidigare och den nya versionen tillsammans" in a for c, a in found)
    assert any(c == ("A", "T") and "grupp med 4 svarande" in a for c, a in found)
    second = _new_rules(_table(SECOND), areas, keep_hidden=must_stay_hidden(first, _table(SECOND), {IND: THR}))
    assert compare_versions(first, second, areas, {IND: THR}) == []


def _history_db(old_value: float, hidden_part: bool) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.executescript("""
        CREATE TABLE area (id TEXT, parent_id TEXT, kind TEXT, district_system TEXT);
        CREATE TABLE indicator (id TEXT, kind TEXT, unit TEXT, suppression_threshold INTEGER);
        CREATE TABLE observation (indicator_id TEXT, area_id TEXT, year INTEGER, gender TEXT, status TEXT,
                                  value REAL, n INTEGER);
        CREATE TABLE revision (id INTEGER PRIMARY KEY, indicator_id TEXT, area_id TEXT, year INTEGER,
                               gender TEXT, change TEXT, old_value REAL, new_value REAL);
        INSERT INTO area VALUES ('KOMMUN', NULL, 'municipality', NULL), ('A', 'KOMMUN', 'district', 'RegSO'),
                                ('B', 'KOMMUN', 'district', 'RegSO'), ('C', 'KOMMUN', 'district', 'RegSO');
        INSERT INTO indicator VALUES ('ENK', 'survey', '%', 10);
    """)
    for area in ("A", "B", "C"):
        for g in ("T", "K", "M"):
            status = "suppressed" if hidden_part and area == "A" and g != "T" else "ok"
            con.execute("INSERT INTO observation VALUES ('ENK', ?, 2024, ?, ?, ?, ?)",
                        (area, g, status, None if status != "ok" else 55.0, None if status != "ok" else 40))
    con.execute("INSERT INTO revision VALUES (1, 'ENK', 'A', 2024, 'T', 'revised', ?, 55.0)", (old_value,))
    con.execute("INSERT INTO revision VALUES (2, 'ENK', 'C', 2024, 'T', 'revised', 40.0, 55.0)")
    return con


def test_the_history_keeps_no_old_value_next_to_a_hidden_cell():
    """The old total of A (100 %, or any value) with its parts hidden now: the old girls' and boys' cells
    follow from it if they did not change. revisions drops it; the attacker finds it when it is kept."""
    from etl import revisions
    from etl.disclosure_check import old_value_findings

    con = _history_db(100.0, hidden_part=True)
    areas = pd.read_sql_query("SELECT * FROM area", con)
    found = old_value_findings(con, areas, {"ENK": 1})
    assert [(f.area_id, f.gender) for f in found] == [("A", "T")] and "100" in found[0].attack
    revisions.drop_old_values_near_hidden_cells(con)
    kept = dict(con.execute("SELECT area_id, old_value FROM revision"))
    assert kept == {"A": None, "C": 40.0}, "only the value next to a hidden cell goes"
    assert old_value_findings(con, areas, {"ENK": 1}) == []
    con = _history_db(100.0, hidden_part=False)
    assert old_value_findings(con, areas, {"ENK": 1}) == []


# --- Both attacks through the real path: survey imports on the command line -------------------------------

def _district_ids(store: Path) -> list[str]:
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT id FROM area WHERE municipality_id = '1287' AND kind = 'district' "
                           "AND district_system IN ('RegSO', 'demo') ORDER BY id").fetchall()
    return [r[0] for r in rows]


def _delivery(tmp_path: Path, name: str, ind: str, year: int, spec: dict) -> Path:
    """A survey file: the districts and the municipality, girls, boys and totals, values as shares."""
    lines = [HEADER]
    tot = [0, 0, 0, 0]

    def row(area, g, n, yes):
        lines.append(f"{ind};{area};{year};{g};{100 * yes / n:.6f};{n}".replace(".", ","))

    for area, (nk, yk, nm, ym) in spec.items():
        row(area, "K", nk, yk)
        row(area, "M", nm, ym)
        row(area, "T", nk + nm, yk + ym)
        tot = [t + x for t, x in zip(tot, (nk, yk, nm, ym), strict=True)]
    row("1287", "K", tot[0], tot[1])
    row("1287", "M", tot[2], tot[3])
    row("1287", "T", tot[0] + tot[2], tot[1] + tot[3])
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(store: Path, path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "etl", "--store", str(store), "import-survey", str(path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _store_cells(store: Path, ind: str, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    with sqlite3.connect(store) as con:
        cells = pd.read_sql_query("SELECT indicator_id, area_id, year, gender, status, n, value FROM observation "
                                  "WHERE indicator_id = ? AND year = ?", con, params=(ind, year))
        areas = pd.read_sql_query("SELECT id, parent_id, kind, district_system FROM area", con)
    return cells, areas


@pytest.fixture
def store(demo_store, tmp_path):
    target = tmp_path / "store.sqlite"
    shutil.copy(demo_store, target)
    return target


@pytest.mark.slow
def test_a_corrected_delivery_through_the_command_line_uncovers_nothing(store, tmp_path):
    """Delivery 1 of 2026, then a corrected delivery 2 of 2026 (four late questionnaires from the first
    district's girls), both with ``python -m etl import-survey``. The outsider has both downloads and the
    history: neither the first version's hidden girls nor the late questionnaires can be recovered."""
    ids = _district_ids(store)
    first = {d: (6, 3, 30, 18) if i == 0 else (20, 5 + i % 10, 20, 4 + i % 12) for i, d in enumerate(ids)}
    second = {**first, ids[0]: (10, 5, 30, 18)}
    _import(store, _delivery(tmp_path, "leverans1.csv", "ENK_TRYGG_OMRADE", 2026, first))
    v1_file = tmp_path / "version1.sqlite"
    shutil.copy(store, v1_file)
    v1, areas = _store_cells(v1_file, "ENK_TRYGG_OMRADE", 2026)
    assert (ids[0], "K") in hidden(v1)
    _import(store, _delivery(tmp_path, "leverans2.csv", "ENK_TRYGG_OMRADE", 2026, second))
    v2, _ = _store_cells(store, "ENK_TRYGG_OMRADE", 2026)

    assert outsider_versions(v1, v2, areas) == {}, "nothing of version 1's hidden cells, no late questionnaires"
    assert hidden(v1) <= hidden(v2), "en gång dold, alltid dold"
    # The history as the outsider reads it: version 1's values of cells published now, as known quantities.
    with sqlite3.connect(store) as con:
        old = pd.read_sql_query("SELECT area_id, gender, old_value FROM revision WHERE indicator_id = ? AND year = ? "
                                "AND old_value IS NOT NULL", con, params=("ENK_TRYGG_OMRADE", 2026))
        from etl.disclosure_check import check_store

        assert [f.message() for f in check_store(con, previous=v1_file)] == []
    recorded = v2.set_index(["area_id", "gender"]).copy()
    for a, g, value in old.itertuples(index=False):
        recorded.loc[(a, g), "value"] = value
    assert outsider_versions(recorded.reset_index(), v2, areas) == {}


@pytest.mark.slow
def test_a_100_percent_district_through_the_import_hides_itself(store, tmp_path):
    ids = _district_ids(store)
    spec = {d: (6, 6, 9, 9) if i == 0 else (20, 5 + i % 10, 20, 4 + i % 12) for i, d in enumerate(ids)}
    path = _delivery(tmp_path, "leverans.csv", "ENK_FRAMTIDSTRO", 2026, spec)
    from etl.survey_import import import_survey

    import_survey(store, path)
    cells, areas = _store_cells(store, "ENK_FRAMTIDSTRO", 2026)
    assert outsider_zero_hundred(cells, areas) == {}
    assert cells.set_index(["area_id", "gender"]).loc[(ids[0], "T"), "status"] == "suppressed"


# --- The model against the attacker on random tables with answers ------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def answered_tables(draw):
    """A municipality with RegSO, some split into DeSO; per leaf and gender a number of respondents and of
    yes-answers, often none or all (the 0 %/100 % cases); parents are the sums, as in a real survey."""
    tree: dict[str, tuple[str | None, str | None]] = {"KOMMUN": (None, None)}
    leaves: dict[str, tuple[int, int, int, int]] = {}

    def group():
        n = draw(st.integers(1, 30))
        return n, draw(st.sampled_from([0, n, draw(st.integers(0, n))]))

    for r in range(draw(st.integers(2, 4))):
        reg = f"R{r}"
        tree[reg] = ("KOMMUN", "RegSO")
        n_deso = draw(st.sampled_from([0, 0, 2]))
        for d in range(n_deso):
            tree[f"{reg}D{d}"] = (reg, "DeSO")
            leaves[f"{reg}D{d}"] = (*group(), *group())
        if n_deso == 0:
            leaves[reg] = (*group(), *group())
    areas = pd.DataFrame([{"id": a, "parent_id": p, "kind": "municipality" if p is None else "district",
                           "district_system": s} for a, (p, s) in tree.items()])
    kids: dict[str, list[str]] = {}
    for a, (p, _s) in tree.items():
        if p is not None:
            kids.setdefault(p, []).append(a)

    def counts(a):
        if a in leaves:
            return leaves[a]
        parts = [counts(c) for c in kids[a]]
        return tuple(sum(x[i] for x in parts) for i in range(4))

    rows = []
    for a in tree:
        nk, yk, nm, ym = counts(a)
        for g, n, y in (("K", nk, yk), ("M", nm, ym), ("T", nk + nm, yk + ym)):
            rows.append({"indicator_id": IND, "area_id": a, "year": 2024, "gender": g, "n": float(n),
                         "value": 100.0 * y / n, "ci_low": np.nan, "ci_high": np.nan, "status": "ok",
                         "status_reason": None})
    return pd.DataFrame(rows), areas, draw(st.sampled_from([1, 1, 3]))


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answered_tables())
def test_no_answer_is_given_away_on_random_tables(case):
    df, areas, m = case
    out = _new_rules(df, areas, m=m)
    shown = df.assign(yes=df["value"] * df["n"] / 100, status=out["status"])
    assert _audit(out, areas, m=m) == {}, (m, shown.pivot(index="area_id", columns="gender",
                                                         values=["n", "yes", "status"]).to_string())
    assert outsider_zero_hundred(out, areas) == {}
    assert out.loc[out["status"] == "suppressed", ["value", "n"]].isna().all().all()
