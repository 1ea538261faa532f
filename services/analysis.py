"""Pure statistics the pages show: standing against a comparison, direction of change, gender gap.

No Streamlit here: data in, small results out, tested directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from services import stats
from store.rounding import half_away


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def assess(value, ci_low, ci_high, benchmark, polarity: str, decimals: int | None = None) -> str:
    """Standing of a value against a benchmark.

    With an interval: better / worse / similar (the value's 95 % interval against the benchmark,
    ``stats.against_benchmark``, as Fingertips compares with England), or higher / lower for neutral
    indicators. Without one (a register for the whole population, or a figure published without its
    uncertainty): above / below / equal, the plain difference of the two values as shown (rounded to
    ``decimals``), which no test stands behind and which is therefore never called better or worse.
    'no_data' where either value is missing."""
    side = stats.against_benchmark(value, ci_low, ci_high, benchmark)
    if side == "no_test":
        diff = (half_away(value, decimals) - half_away(benchmark, decimals) if decimals is not None
                else float(value) - float(benchmark))
        return "above" if diff > 0 else "below" if diff < 0 else "equal"
    if side in ("no_data", "similar") or polarity == "neutral":
        return side
    good = (side == "higher") == (polarity == "higher_better")
    return "better" if good else "worse"


DESCRIPTIVE_STANDINGS = ("above", "below", "equal")
# A municipality's place among all municipalities is shown only where at least this share of the country's
# municipalities has a published value that year (a rank among a handful of peers says little).
MIN_RANK_SHARE = 0.5


@dataclass(frozen=True)
class Rank:
    """A municipality's place among every municipality with a value (Kolada's quartiles): position 1 is
    the best by the indicator's polarity (the highest for a neutral indicator); ties share a place.
    quartile 1 is the best quarter (neutral: the highest), 4 the worst (neutral: the lowest)."""

    position: int
    of: int
    quartile: int
    polarity: str
    year: int


def municipality_rank(above: int, below: int, of: int, polarity: str, year: int,
                      all_municipalities: int) -> Rank | None:
    """The place from the counts of municipalities above and below the value (``queries/municipality_rank``);
    None where fewer than ``MIN_RANK_SHARE`` of ``all_municipalities`` have a value."""
    if of < 2 or all_municipalities <= 0 or of < MIN_RANK_SHARE * all_municipalities:
        return None
    ahead = int(below) if polarity == "lower_better" else int(above)
    position = ahead + 1
    quartile = min(4, 1 + (4 * ahead) // int(of))
    return Rank(position, int(of), quartile, polarity, int(year))


@dataclass(frozen=True)
class Change:
    """A change between two observations.

    label: improved / worsened (tested, by polarity) · up / down (tested, neutral indicator) ·
    no_change (tested, not significant) · untested (no test possible: only the difference is stated) ·
    no_new (no year after the baseline) · no_data."""

    label: str
    diff: float | None
    tested: bool  # True when a test stands behind the label (improved/worsened/up/down/no_change)
    from_year: int | None
    to_year: int | None
    test: stats.DiffTest | None = None


def comparable(unit) -> bool:
    """Whether values can be compared between areas: an absolute count ('antal') depends on the area's
    size, so it is neither ranked nor set against Riket, the county or a group (issue #11)."""
    return unit != "antal"


def is_share(unit) -> bool:
    return isinstance(unit, str) and unit.startswith("%")


def direction(then_row, now_row, polarity: str, unit: str = "", breaks=(),
              series: stats.Series = stats.PLAIN) -> Change:
    """Change from ``then_row`` to ``now_row`` (dict-likes: value, n, ci_low, ci_high, year), tested with
    ``stats.diff_test`` (Newcombe for shares with respondents, Altman–Bland where only intervals
    exist). Without a test the label is 'untested' and only the difference is stated, whatever its size.
    Across a series break (a year in ``breaks`` after the first and up to the second) the label is
    'break': the two values are not comparable, and nothing is tested."""
    if then_row is None or now_row is None or _missing(then_row["value"]) or _missing(now_row["value"]):
        return Change("no_data", None, False, None, None)
    years = (int(then_row["year"]), int(now_row["year"]))
    if years[0] == years[1]:
        return Change("no_new", None, False, *years)
    crossed = sorted(int(b) for b in breaks if years[0] < int(b) <= years[1])
    if crossed:
        return Change("break", float(now_row["value"]) - float(then_row["value"]), False, *years,
                      stats.untested(None, f"seriebrott {crossed[-1]}"))
    diff = float(now_row["value"]) - float(then_row["value"])
    if years[1] - years[0] < series.spacing:
        # Two moving averages (or one measurement shown twice) that share years of data are not independent.
        why = (f"glidande {series.moving_average}-årsmedelvärden som delvis bygger på samma år"
               if series.moving_average > 1 else "samma mätning redovisas flera år")
        return Change("untested", diff, False, *years, stats.untested(diff, why))
    test = stats.diff_test(obs_row(then_row), obs_row(now_row), is_share(unit))
    if test.significant is None:
        return Change("untested", diff, False, *years, test)
    if not test.significant:
        return Change("no_change", diff, True, *years, test)
    up = diff > 0
    if polarity == "neutral":
        label = "up" if up else "down"
    else:
        label = "improved" if up == (polarity == "higher_better") else "worsened"
    return Change(label, diff, True, *years, test)


def obs_row(r) -> dict:
    """An observation (a row or dict-like) as ``stats.diff_test`` takes it: value, n, ci_low, ci_high or None."""
    return {k: (None if k not in r or _missing(r[k]) else float(r[k])) for k in ("value", "n", "ci_low", "ci_high")}


@dataclass(frozen=True)
class Gap:
    """Girls/women minus boys/men in the newest year where both are published, and its test."""

    diff: float | None
    year: int | None
    test: stats.DiffTest | None
    other_year_than_total: bool = False


def gap_test(own: pd.DataFrame, unit: str = "") -> Gap:
    """K − M in the newest year with both published (own: one area, all genders), tested like a change."""
    ok = own[own["status"] == "ok"]
    k = ok[ok["gender"] == "K"].set_index("year")
    m = ok[ok["gender"] == "M"].set_index("year")
    years = sorted(set(k.index) & set(m.index))
    if not years:
        return Gap(None, None, None)
    y = years[-1]
    test = stats.diff_test(obs_row(m.loc[y]), obs_row(k.loc[y]), is_share(unit))
    t_years = ok.loc[ok["gender"] == "T", "year"]
    other = bool(len(t_years)) and int(t_years.max()) != int(y)
    return Gap(float(k.loc[y, "value"]) - float(m.loc[y, "value"]), int(y), test, other)


def target_status(points: tuple, polarity: str, target_value, target_year, direction,
                  series: stats.Series = stats.PLAIN) -> stats.TargetCheck | None:
    """The strategy's target for one indicator (``stats.target_check``, on the same points as the trend),
    or None where the strategy sets no target. ``points``: ``series_points`` of the published values."""
    years, values, breaks, n, low, high, share = points
    common = {"break_years": breaks, "n": n, "ci_low": low, "ci_high": high, "share": share, "series": series}
    if direction in ("öka", "minska"):
        return stats.target_check(years, values, better="higher" if direction == "öka" else "lower", **common)
    if target_value is None or target_value != target_value:
        return None
    if polarity == "neutral":  # the target's side of the latest value is the good one
        better = "higher" if not values or float(target_value) >= values[-1] else "lower"
    else:
        better = "higher" if polarity == "higher_better" else "lower"
    return stats.target_check(years, values, better=better, target=float(target_value),
                              target_year=int(target_year), **common)


def series_points(own_g: pd.DataFrame, unit: str, breaks=()) -> tuple:
    """(years, values, series breaks, n, ci_low, ci_high, is share) of one area and gender's published
    values: what a trend and a target are judged on (hashable, for caching)."""
    ok = own_g[own_g["status"] == "ok"].sort_values("year")

    def col(name: str) -> tuple:
        if name not in ok:
            return tuple(None for _ in range(len(ok)))
        return tuple(None if _missing(x) else float(x) for x in ok[name])

    return (tuple(int(y) for y in ok["year"]), tuple(float(v) for v in ok["value"]), tuple(breaks),
            col("n"), col("ci_low"), col("ci_high"), is_share(unit))


def trend_test(own_g: pd.DataFrame, unit: str = "", break_years=(), series: stats.Series = stats.PLAIN) -> stats.TrendTest:
    """Recent trend of one area and gender's published values (``stats.trend``), with what the series
    carries (respondents, intervals, its kind)."""
    return trend_of(series_points(own_g, unit, break_years), series)


def trend_of(points: tuple, series: stats.Series = stats.PLAIN) -> stats.TrendTest:
    """``stats.trend`` on ``series_points`` already taken (the overview keeps them for the target too)."""
    years, values, breaks, n, low, high, share = points
    return stats.trend(years, values, n, share, breaks, ci_low=low, ci_high=high, series=series)


def latest_ok(df: pd.DataFrame) -> pd.Series | None:
    """The newest row with status ok (df: one area, one gender)."""
    ok = df[df["status"] == "ok"]
    if ok.empty:
        return None
    return ok.sort_values("year").iloc[-1]


def at_or_before(df: pd.DataFrame, year: int) -> pd.Series | None:
    """The row for ``year``, or the newest ok row before it (a baseline when the exact year is missing)."""
    ok = df[(df["status"] == "ok") & (df["year"] <= year)]
    if ok.empty:
        ok = df[df["status"] == "ok"]
        if ok.empty:
            return None
        return ok.sort_values("year").iloc[0]
    return ok.sort_values("year").iloc[-1]


def group_quorum(members: int) -> int:
    """How many of a comparison group's members must have a published value for the group's mean to be
    shown and compared with (at least half): the one rule of the indicator block, the overview, the
    presentation and the meeting pack."""
    return (members + 1) // 2


def group_mean(df: pd.DataFrame, members: int | None = None) -> pd.DataFrame:
    """Unweighted mean of the member areas per year and gender (Kolada's group value), no interval.

    A year counts only when at least half the group's ``members`` (the comparison's own list; by default
    the areas in ``df``) have a value (``group_quorum``), so a mean of two members does not pass for the
    group's.
    """
    ok = df[df["status"] == "ok"]
    members = df["area_id"].nunique() if members is None else members
    if ok.empty or members == 0:
        return pd.DataFrame(columns=["year", "gender", "value", "members"])
    agg = ok.groupby(["year", "gender"]).agg(value=("value", "mean"), members=("area_id", "nunique")).reset_index()
    return agg[agg["members"] >= group_quorum(members)]


def gender_gap(df: pd.DataFrame) -> pd.DataFrame:
    """K minus M per year where both are published (df: one area)."""
    wide = df[df["status"] == "ok"].pivot_table(index="year", columns="gender", values="value")
    if not {"K", "M"} <= set(wide.columns):
        return pd.DataFrame(columns=["year", "gap"])
    gap = (wide["K"] - wide["M"]).dropna()
    return gap.rename("gap").reset_index()


# --- Many tests on one page (issue #26) ----------------------------------------------------------------
ADJUSTED = "säker ensam, men inte när översiktens många test vägs in"


@dataclass(frozen=True)
class Multiplicity:
    """What the control of false discoveries did on one page: tests with a p-value, how many were
    significant alone at 95 %, and how many still are."""

    tests: int
    significant_alone: int
    kept: int


def _sig_tests(r) -> list[tuple[str, float, bool]]:
    """(which, p, significant alone) for every test of one overview row that has a p-value."""
    out = []
    c = r.get("change_obj")
    if isinstance(c, Change) and c.tested and c.test is not None and c.test.p_value is not None:
        out.append(("change", c.test.p_value, c.label != "no_change"))
    tr = r.get("trend_obj")
    if isinstance(tr, stats.TrendTest) and tr.p_value is not None:
        out.append(("trend", tr.p_value, tr.direction in ("increasing", "decreasing")))
    g = r.get("gap_obj")
    if isinstance(g, Gap) and g.test is not None and g.test.p_value is not None and g.test.significant is not None:
        out.append(("gap", g.test.p_value, bool(g.test.significant)))
    p = r.get("standing_p")
    if p is not None and p == p and r.get("standing") in ("better", "worse", "higher", "lower", "similar"):
        out.append(("standing", float(p), r.get("standing") != "similar"))
    dg = r.get("district_gap_obj")
    if dg is not None and getattr(dg, "test", None) is not None and dg.test.p_value is not None \
            and dg.label != "untested":
        out.append(("district_gap", dg.test.p_value, dg.label != "no_change"))
    return out


def control_false_discoveries(frame: pd.DataFrame) -> tuple[pd.DataFrame, Multiplicity]:
    """Every tested verdict of one overview (change since the baseline, trend, girls/boys gap, standing
    against the comparison, the districts' gap) judged together, one family per question: a verdict stays
    only where the Benjamini–Hochberg procedure over that column's p-values on the page keeps it
    (``stats.false_discoveries``); otherwise it becomes "ingen säker …" with the reason. With about 80 tests at 95 % some four verdicts
    would appear by chance alone when nothing has changed; this keeps the expected share of false ones
    among the verdicts shown at most 5 %. A direction target follows its trend. Verdicts are only ever
    withdrawn, never added."""
    rows = frame.to_dict("records")
    index = [(i, which, p, sig) for i, r in enumerate(rows) for which, p, sig in _sig_tests(r)]
    if not index:
        return frame, Multiplicity(0, 0, 0)
    # One family per question (column): the changes since the baseline, the trends, the girls/boys gaps, the
    # standings, the districts' gaps. Each column's verdicts keep their false discovery rate at 5 %.
    keep = [False] * len(index)
    for which in dict.fromkeys(w for _, w, _, _ in index):
        at = [j for j, (_, w, _, _) in enumerate(index) if w == which]
        for j, k in zip(at, stats.false_discoveries([index[j][2] for j in at]), strict=True):
            keep[j] = bool(k)
    alone = sum(sig for *_, sig in index)
    kept = 0
    out = frame.copy()
    for (i, which, _p, sig), k in zip(index, keep, strict=True):
        if not sig:
            continue
        if k:
            kept += 1
            continue
        col = out.columns.get_loc
        r = rows[i]
        if which == "change":
            c = r["change_obj"]
            out.iat[i, col("change_obj")] = replace(c, label="no_change", test=replace(c.test, significant=False,
                                                                                      reason=ADJUSTED))
            out.iat[i, col("change_label")] = "no_change"
        elif which == "trend":
            tr = r["trend_obj"]
            out.iat[i, col("trend_obj")] = replace(tr, direction="no_trend", reason=ADJUSTED)
            check = r.get("target_obj")
            if isinstance(check, stats.TargetCheck) and check.trend is not None \
                    and check.status in ("on_track", "off_track"):
                out.iat[i, col("target_obj")] = replace(check, status="not_assessable", reason="ingen säker trend "
                                                        "när sidans alla test vägs in")
        elif which == "gap":
            g = r["gap_obj"]
            out.iat[i, col("gap_obj")] = replace(g, test=replace(g.test, significant=False, reason=ADJUSTED))
            out.iat[i, col("gap_significant")] = False
        elif which == "standing":
            out.iat[i, col("standing")] = "similar"
        elif which == "district_gap":
            dg = r["district_gap_obj"]
            out.iat[i, col("district_gap_obj")] = replace(dg, label="no_change", reason=ADJUSTED)
    return out, Multiplicity(len(index), alone, kept)
