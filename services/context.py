"""The view context: everything a page needs to know about what the user is looking at, resolved once
per run by ``app.py`` and handed to the page as one frozen object.

The context itself and ``resolve`` live in ``services/scope.py``, where services can take it without an
import circle; this module adds what a link may name (``valid_sets``) and reads a link (``from_params``).
Pure logic: no Streamlit here (``tests/test_architecture.py``).
"""

from __future__ import annotations

from types import MappingProxyType

from services import catalogue as cat
from services.filters import Valid, parse
from services.scope import ViewContext, comparisons_for, resolve
from services.store import per_store
from store.db import StoreInfo

__all__ = ["ViewContext", "from_params", "resolve", "valid_sets"]


@per_store
def valid_sets() -> Valid:
    strategies = cat.strategies()
    munis = cat.municipalities()
    first, last = cat.year_bounds()
    comps, dists = {}, {}
    for s in strategies:
        comps[s.municipality_id] = frozenset(c.key for c in comparisons_for(s.municipality_id))
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
