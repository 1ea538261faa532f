"""The resolved scope of one run (issue #29): the municipality's strategy, the comparisons on offer and
the one chosen, the municipality's districts and the chosen one's name, resolved once per run by ``resolve`` and handed to every
service and component as one frozen ``ViewContext``. Nothing below resolves them again:
``tests/test_scope.py`` counts the lookups of a page run and fails on a second one.

A district is compared with its own municipality (``comparison_for``); which area an indicator's figures
are for is ``subject`` (the district where the indicator has district data, else the municipality).
Pure logic: no Streamlit here (``tests/test_architecture.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from services import catalogue as cat
from services.catalogue import Strategy
from services.filters import Comparison, Filters
from services.store import get_store_info, per_store
from store.db import StoreInfo


@per_store
def comparisons_for(kommun: str) -> tuple[Comparison, ...]:
    """The comparisons on offer for a municipality: Riket, its county, its peer groups."""
    s = cat.strategy_for(kommun)
    out = [Comparison("0000", "Riket", ("0000",), "area"),
           Comparison(s.county_id, s.county, (s.county_id,), "area")]
    g = cat.groups()
    for gid, members in g[g["municipality_id"] == kommun].groupby("group_id", sort=False):
        first = members.iloc[0]
        out.append(Comparison(gid, f"{first['title']}", tuple(members["area_id"]), "mean", bool(first["is_demo"])))
    return tuple(out)


def resolve_comparison(f: Filters, offered: tuple[Comparison, ...]) -> Comparison:
    """The comparison the filters name among those ``offered`` (the user's own list built here), else the
    first on offer (Riket)."""
    if f.jmf == "lista":
        names = cat.municipalities().set_index("id")["name"]
        label = ", ".join(names.get(a, a) for a in f.lista) or "Egen lista"
        return Comparison("lista", f"Egen lista: {label}", f.lista, "mean")
    return next((c for c in offered if c.key == f.jmf), offered[0])


@dataclass(frozen=True)
class ViewContext:
    filters: Filters
    store: StoreInfo
    strategy: Strategy
    comparison: Comparison
    comparisons: tuple[Comparison, ...] = ()  # what the sidebar offers (the chosen one among them unless a list)
    districts: tuple[tuple[str, str], ...] = ()  # the municipality's main districts as (id, name), for the sidebar
    district_name: str | None = None  # the chosen district's name (filters.omrade), None for the whole municipality
    focus_area_id: str | None = None  # set on a focus-area page only

    @property
    def kommun(self) -> str:
        return self.filters.kommun

    @property
    def baseline_year(self) -> int:
        return self.strategy.baseline_year

    @property
    def municipality(self) -> str:
        return self.strategy.municipality

    @property
    def area_label(self) -> str:
        """What the page's figures are for: the chosen district, else the municipality."""
        return self.district_name or self.strategy.municipality

    def subject(self, indicator_levels: str) -> tuple[str, str, bool]:
        """(area id, name, is_district) an indicator's figures are for: the chosen district where the
        indicator has district data, else the municipality."""
        if self.filters.omrade and "district" in str(indicator_levels).split(","):
            return self.filters.omrade, self.area_label, True
        return self.kommun, self.strategy.municipality, False

    def comparison_for(self, is_district: bool) -> Comparison:
        """What the figures are set against: a district against its own municipality, else the chosen
        comparison."""
        if is_district:
            return Comparison(self.kommun, self.strategy.municipality, (self.kommun,), "area")
        return self.comparison

    def for_focus_area(self, focus_area_id: str) -> ViewContext:
        return replace(self, focus_area_id=focus_area_id)


def resolve(f: Filters, store: StoreInfo | None = None) -> ViewContext:
    """The context for one run: the strategy of the chosen municipality, the comparisons on offer and the
    one the filters name, and the chosen district's name, each looked up once."""
    offered = comparisons_for(f.kommun)
    d = cat.main_districts(f.kommun)
    return ViewContext(filters=f, store=store or get_store_info(), strategy=cat.strategy_for(f.kommun),
                       comparison=resolve_comparison(f, offered), comparisons=offered,
                       districts=tuple(zip(d["id"], d["name"], strict=True)),
                       district_name=cat.district_name(f.kommun, f.omrade))
