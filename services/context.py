"""The view context: everything a page needs to know about what the user is looking at, resolved once
per run by ``app.py`` and handed to the page as one frozen object.

Before this, a focus page's rerun looked the strategy up three times and the comparison three times, and
the focus area travelled through session state. Now ``resolve`` does it once; pages and components read
``ctx.strategy``, ``ctx.comparison``, ``ctx.district_name`` and ``ctx.focus_area_id`` and never look them
up again. Pure logic: no Streamlit here (``tests/test_architecture.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

from services import catalogue as cat
from services import indicators as svc
from services.catalogue import Strategy
from services.filters import Comparison, Filters, Valid, parse
from services.store import per_store
from store.db import StoreInfo


@dataclass(frozen=True)
class ViewContext:
    filters: Filters
    store: StoreInfo
    strategy: Strategy
    comparison: Comparison
    district_name: str | None = None  # the chosen district's name (filters.omrade), None for the whole municipality
    focus_area_id: str | None = None  # set on a focus-area page only

    @property
    def kommun(self) -> str:
        return self.filters.kommun

    @property
    def baseline_year(self) -> int:
        return self.strategy.baseline_year

    @property
    def area_label(self) -> str:
        """What the page's figures are for: the chosen district, else the municipality."""
        return self.district_name or self.strategy.municipality

    def for_focus_area(self, focus_area_id: str) -> ViewContext:
        return replace(self, focus_area_id=focus_area_id)


def resolve(f: Filters, store: StoreInfo) -> ViewContext:
    """The context for one run: the strategy of the chosen municipality, the comparison the filters name
    and the chosen district's name, each looked up once."""
    return ViewContext(filters=f, store=store, strategy=cat.strategy_for(f.kommun),
                       comparison=svc.resolve_comparison(f), district_name=cat.district_name(f.kommun, f.omrade))


@per_store
def valid_sets() -> Valid:
    strategies = cat.strategies()
    munis = cat.municipalities()
    first, last = cat.year_bounds()
    comps, dists = {}, {}
    for s in strategies:
        comps[s.municipality_id] = frozenset(c.key for c in svc.comparisons_for(s.municipality_id))
        dists[s.municipality_id] = frozenset(cat.main_districts(s.municipality_id)["id"])
    default = "1287" if any(s.municipality_id == "1287" for s in strategies) else strategies[0].municipality_id
    return Valid(
        municipalities=MappingProxyType({s.municipality_id: s.municipality for s in strategies}),
        all_municipalities=frozenset(munis["id"]), comparisons=MappingProxyType(comps),
        districts=MappingProxyType(dists),
        indicators=frozenset(cat.indicators()["id"]), years=(first, last), default_kommun=default,
    )


def from_params(params: dict[str, str], store: StoreInfo) -> tuple[ViewContext, list[tuple[str, str]]]:
    """The context a link (or the report command) names; unknown values fall back to the defaults and are
    returned as (key, value) so the caller can say so."""
    f, bad = parse(params, valid_sets())
    return resolve(f, store), bad
