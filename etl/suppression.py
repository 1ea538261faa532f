"""Small-number suppression, applied before anything reaches the store.

Primary: a cell with fewer respondents than its indicator's threshold is suppressed.
Secondary: a cell from which a suppressed one could be recovered by subtraction is suppressed too:
  - gender: if exactly one of K/M is suppressed while T is published, the other gender goes too;
  - districts: if exactly one district of a municipality is suppressed while the municipality's value
    is published, the published district with the fewest respondents goes too.
The two rules are repeated until nothing changes.
"""

from __future__ import annotations

import pandas as pd

DEFAULT_THRESHOLD = 10
PRIMARY_REASON = "färre svarande än {t}"
GENDER_REASON = "sekundär: skyddar undertryckt kön"
DISTRICT_REASON = "sekundär: skyddar undertryckt delområde"


def suppress(obs: pd.DataFrame, thresholds: dict[str, int], parent_of: dict[str, str]) -> pd.DataFrame:
    """Return a copy of ``obs`` with suppression applied.

    ``obs`` columns: indicator_id, area_id, year, gender, value, n, ci_low, ci_high, status,
    status_reason. Only indicators in ``thresholds`` (survey indicators) are touched; ``parent_of``
    maps district ids to the municipality they partition.
    """
    df = obs.copy()
    survey = df["indicator_id"].isin(thresholds.keys())
    thr = df["indicator_id"].map(thresholds).fillna(DEFAULT_THRESHOLD)
    primary = survey & (df["status"] == "ok") & df["n"].notna() & (df["n"] < thr)
    df.loc[primary, "status_reason"] = [
        PRIMARY_REASON.format(t=int(t)) for t in thr[primary]
    ]
    df.loc[primary, "status"] = "suppressed"

    sub = df[survey].copy()
    sub["parent"] = sub["area_id"].map(parent_of)
    changed = True
    while changed:
        changed = False
        changed |= _gender_rule(df, sub)
        changed |= _district_rule(df, sub)
    df.loc[df["status"] != "ok", ["value", "ci_low", "ci_high"]] = None
    return df


def _mark(df: pd.DataFrame, sub: pd.DataFrame, index, reason: str) -> None:
    df.loc[index, "status"] = "suppressed"
    df.loc[index, "status_reason"] = reason
    sub.loc[index, "status"] = "suppressed"


def _gender_rule(df: pd.DataFrame, sub: pd.DataFrame) -> bool:
    split = sub[sub["gender"].isin(["K", "M"])]
    if split.empty:
        return False
    totals = sub[sub["gender"] == "T"].set_index(["indicator_id", "area_id", "year"])["status"]
    key = ["indicator_id", "area_id", "year"]
    sup = split["status"].eq("suppressed").groupby([split[k] for k in key]).transform("sum")
    size = split.groupby([split[k] for k in key])["status"].transform("size")
    candidates = split[(sup == 1) & (size == 2) & (split["status"] == "ok")]
    if candidates.empty:
        return False
    tot = totals.reindex(pd.MultiIndex.from_frame(candidates[key])).to_numpy()
    targets = candidates.index[tot == "ok"]
    if len(targets) == 0:
        return False
    _mark(df, sub, targets, GENDER_REASON)
    return True


def _district_rule(df: pd.DataFrame, sub: pd.DataFrame) -> bool:
    dist = sub[sub["parent"].notna()]
    if dist.empty:
        return False
    parents = sub.set_index(["indicator_id", "area_id", "year", "gender"])["status"]
    changed = False
    for (ind, parent, year, gender), grp in dist.groupby(["indicator_id", "parent", "year", "gender"]):
        n_sup = int((grp["status"] == "suppressed").sum())
        if n_sup != 1:
            continue
        if parents.get((ind, parent, year, gender)) != "ok":
            continue
        ok = grp[grp["status"] == "ok"]
        if ok.empty:
            continue
        target = ok.sort_values(["n", "area_id"]).index[:1]
        _mark(df, sub, target, DISTRICT_REASON)
        changed = True
    return changed


def recoverable_cells(obs: pd.DataFrame, thresholds: dict[str, int], parent_of: dict[str, str]) -> list[str]:
    """Every place where a suppressed survey cell could be recovered by subtraction (should be none)."""
    df = obs[obs["indicator_id"].isin(thresholds.keys())].copy()
    problems = []
    key = ["indicator_id", "area_id", "year"]
    status = df.set_index([*key, "gender"])["status"]
    for (ind, area, year), grp in df[df["gender"].isin(["K", "M"])].groupby(key):
        if (grp["status"] == "suppressed").sum() == 1 and len(grp) == 2 and status.get((ind, area, year, "T")) == "ok":
            problems.append(f"{ind} {area} {year}: ett kön undertryckt, T publicerat")
    df["parent"] = df["area_id"].map(parent_of)
    for (ind, parent, year, gender), grp in df[df["parent"].notna()].groupby(["indicator_id", "parent", "year", "gender"]):
        if (grp["status"] == "suppressed").sum() == 1 and status.get((ind, parent, year, gender)) == "ok":
            problems.append(f"{ind} {parent} {year} {gender}: ett delområde undertryckt, kommunen publicerad")
    return problems
