"""Jämför kommuner: which indicators can be compared, one year's values with each municipality's role,
the benchmark, trends side by side and the pairs for a scatter. ``components/compare.py`` draws them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from services import catalogue as cat
from services.analysis import comparable
from services.filters import MAX_LIST, Comparison
from services.store import q

ROLE_SELECTED = "vald"
ROLE_COMPARISON = "jämförelse"
RIKET = "0000"


def municipal_indicators() -> pd.DataFrame:
    ind = cat.indicators()
    return ind[ind["levels"].str.contains("municipality")]


def options(strategy_id: str, chosen: str | None) -> tuple[list[str], str]:
    """The indicators that can be compared between municipalities (sorted by name), and the one to open:
    the chosen one, else the strategy's first Kolada goal indicator. Counts depend on a municipality's
    size and are not offered (services.analysis.comparable)."""
    inds = municipal_indicators()
    covered = set(cat.coverage()["indicator_id"])
    opts = [i for i in inds.index if i in covered and comparable(inds.loc[i, "unit"])]
    goal = [i for i in cat.goal_indicators(strategy_id)["indicator_id"] if i in opts
            and inds.loc[i, "source"] == "kolada"]
    default = chosen if chosen in opts else (goal[0] if goal else opts[0])
    return sorted(opts, key=lambda i: inds.loc[i, "short_title"].lower()), default


def years_with_values(indicator_id: str) -> list[int]:
    """The years the store has values for, newest first."""
    c = cat.coverage()
    c = c[c["indicator_id"] == indicator_id]
    return list(range(int(c["last_year"].max()), int(c["first_year"].min()) - 1, -1))


@dataclass
class YearValues:
    values: pd.DataFrame  # every municipality's row, with ``role``: vald / jämförelse / ""
    members: set[str]  # the municipalities compared with (a county's own municipalities for a county)
    bench: float | None  # the county's or Sweden's own value, for the dashed line
    bench_label: str


def year_values(indicator_id: str, year: int, gender: str, kommun: str, comparison: Comparison) -> YearValues:
    values = q("compare_year", indicator_id=indicator_id, year=year, gender=gender, kind="municipality")
    members = set(comparison.area_ids)
    county = comparison.mode == "area" and comparison.key != RIKET
    if county:  # a county: rank its municipalities
        members = set(values.loc[values["parent_id"] == comparison.key, "area_id"]) - {kommun}
    values["role"] = roles(values["area_id"], kommun, members)
    bench_rows = q("compare_year", indicator_id=indicator_id, year=year, gender=gender,
                   kind="county" if county else "country")
    if county:
        bench_rows = bench_rows[bench_rows["area_id"] == comparison.key]
    ok = not bench_rows.empty and bench_rows["status"].iloc[0] == "ok"
    return YearValues(values, members, float(bench_rows["value"].iloc[0]) if ok else None,
                      comparison.label if county else "Riket")


def roles(area_ids: pd.Series, kommun: str, members: set[str]) -> pd.Series:
    return area_ids.map(lambda a: ROLE_SELECTED if a == kommun else (ROLE_COMPARISON if a in members else ""))


@dataclass
class PeerChoice:
    options: list[str]  # municipality codes on offer: the group's members first, then every other municipality
    default: tuple[str, ...]  # drawn when the link chooses none
    group_label: str  # where the default comes from ("" when the municipality has no comparison group)


# With Riket or the county as the comparison, the first members of the municipality's own comparison group
# are drawn beside it (a few: the chart stays readable; the user adds more).
DEFAULT_PEERS_BESIDE_AN_AREA = 4


def peer_choice(kommun: str, comparison: Comparison, offered: tuple[Comparison, ...]) -> PeerChoice:
    """The municipalities Jämför → Utveckling offers beside the chosen one: the members of the comparison
    group (or the user's list), else of the first comparison group ``offered`` (the scope's)."""
    if comparison.mode == "area":
        groups = [c for c in offered if c.mode != "area"]
        group, default_n = (groups[0] if groups else None), DEFAULT_PEERS_BESIDE_AN_AREA
    else:
        group, default_n = comparison, MAX_LIST
    members = [a for a in (group.area_ids if group else ()) if a != kommun]
    munis = cat.municipalities().sort_values("name")
    others = [m for m in munis["id"] if m != kommun and m not in set(members)]
    return PeerChoice(members + others, tuple(members[:default_n]), group.label if group else "")


def trend_series(indicator_id: str, kommun: str, comparison: Comparison, gender: str, year_from: int,
                 year_to: int, peers: tuple[str, ...] = ()) -> pd.DataFrame:
    """The municipality's series, its benchmark's (the comparison's own area: Riket or the county; Riket
    beside a group) and the chosen peers' (at most MAX_LIST), one gender; ``role``: vald / jämförelse /
    "" (a peer). Rows in that order."""
    bench = comparison.area_ids[0] if comparison.mode == "area" else RIKET
    peers = tuple(p for p in dict.fromkeys(peers) if p not in (kommun, bench))[:MAX_LIST]
    ids = (kommun, bench, *peers)
    series = q("series", indicator_id=indicator_id, area_ids=ids, year_from=year_from, year_to=year_to)
    series = series[series["gender"] == gender]
    order = {a: i for i, a in enumerate(ids)}
    series = series.assign(series=series["area_name"], _order=series["area_id"].map(order),
                           role=series["area_id"].map({kommun: ROLE_SELECTED, bench: ROLE_COMPARISON}).fillna(""))
    return series.sort_values(["_order", "year"], kind="stable").drop(columns="_order")


def scatter_pairs(x_id: str, y_id: str, year: int, kommun: str, members: set[str]
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Municipalities with published values for both indicators in one year (totals): the pairs (x, y, role)
    and each indicator's published rows (for their sources)."""
    v1 = q("compare_year", indicator_id=x_id, year=year, gender="T", kind="municipality")
    v2 = q("compare_year", indicator_id=y_id, year=year, gender="T", kind="municipality")
    v1, v2 = v1[v1["status"] == "ok"], v2[v2["status"] == "ok"]
    both = v1[["area_id", "area_name", "value"]].merge(v2[["area_id", "value"]], on="area_id", suffixes=("_x", "_y"))
    both = both.rename(columns={"value_x": "x", "value_y": "y"})
    both["role"] = roles(both["area_id"], kommun, members)
    return both, v1, v2


def map_inputs(indicator_id: str, year: int, gender: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every municipality's outline and its value, for the map of Sweden."""
    geo = q("area_geometry", kind="municipality")
    values = q("compare_year", indicator_id=indicator_id, year=year, gender=gender, kind="municipality")
    return geo, values[["area_id", "value", "n", "status"]]
