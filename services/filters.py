"""The global filters: what they may hold, how they are read from a shared link, and what a
comparison means. Pure logic; ``components/filters.py`` draws the widgets.

URL keys (an allow-list; anything else in a link is ignored):
    kommun  municipality code of a strategy, e.g. 1287
    jmf     comparison: 0000 (Riket), a county id (0012), a group id, or ``lista``
    lista   with jmf=lista: comma-separated municipality codes
    omrade  a district id of the chosen municipality
    fran, till  year range
    kon     T, K or M
    ind     an indicator id (the open indicator on a focus-area page)
    visning presentation: the presentation mode (one focus area or indicator per screen)
    bild    with visning=presentation: the slide's number, 1 for the first
    sedan   ÅÅÅÅ-MM-DD: mark what was published after that day ("Nytt sedan …")
    kommuner  Jämför → Utveckling: comma-separated municipality codes drawn beside the chosen one (empty: none;
            absent: the comparison group's members)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

URL_KEYS = ("kommun", "jmf", "lista", "omrade", "fran", "till", "kon", "ind", "visning", "bild", "sedan",
            "kommuner")
PRESENTATION = "presentation"
MAX_SLIDE = 999
GENDERS = ("T", "K", "M")
# A comparison list longer than this is unreadable as lines and slow to fetch.
MAX_LIST = 12


@dataclass(frozen=True)
class Filters:
    kommun: str
    jmf: str
    lista: tuple[str, ...] = ()
    omrade: str | None = None
    fran: int = 2010
    till: int = 2025
    kon: str = "T"
    ind: str | None = None
    visning: str | None = None
    bild: int = 1
    sedan: str | None = None  # ÅÅÅÅ-MM-DD
    kommuner: tuple[str, ...] | None = None  # Jämför → Utveckling's other lines; None: the default

    @property
    def presenting(self) -> bool:
        return self.visning == PRESENTATION

    def to_params(self) -> dict[str, str]:
        out = {"kommun": self.kommun, "jmf": self.jmf, "fran": str(self.fran), "till": str(self.till),
               "kon": self.kon}
        if self.jmf == "lista" and self.lista:
            out["lista"] = ",".join(self.lista)
        if self.omrade:
            out["omrade"] = self.omrade
        if self.ind:
            out["ind"] = self.ind
        if self.presenting:
            out["visning"] = PRESENTATION
            out["bild"] = str(self.bild)
        if self.sedan:
            out["sedan"] = self.sedan
        if self.kommuner is not None:
            out["kommuner"] = ",".join(self.kommuner)
        return out


@dataclass(frozen=True)
class Valid:
    """What the store allows, for checking a link's values."""

    municipalities: Mapping[str, str]  # strategy municipality id -> name
    all_municipalities: frozenset[str]
    comparisons: Mapping[str, frozenset[str]]  # kommun -> allowed jmf values (besides 'lista')
    districts: Mapping[str, frozenset[str]]  # kommun -> district ids
    indicators: frozenset[str]
    years: tuple[int, int]
    default_kommun: str
    county_of: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def default_filters(valid: Valid, kommun: str | None = None) -> Filters:
    k = kommun or valid.default_kommun
    return Filters(kommun=k, jmf="0000", fran=max(valid.years[0], valid.years[1] - 10), till=valid.years[1])


def parse(params: dict[str, str], valid: Valid) -> tuple[Filters, list[tuple[str, str]]]:
    """Filters from URL parameters; every unknown value falls back to its default and is reported
    as (key, value) so the page can say so."""
    bad: list[tuple[str, str]] = []
    p = {k: str(v) for k, v in params.items() if k in URL_KEYS}

    kommun = p.get("kommun")
    if kommun is not None and kommun not in valid.municipalities:
        bad.append(("kommun", kommun))
        kommun = None
    f = default_filters(valid, kommun)

    f = _comparison(p, f, valid, bad)
    f = _years(p, f, valid, bad)
    allowed = {"omrade": valid.districts.get(f.kommun, frozenset()), "kon": GENDERS, "ind": valid.indicators,
               "visning": (PRESENTATION,)}
    for key, values in allowed.items():
        if key in p:
            if p[key] in values:
                f = replace(f, **{key: p[key]})
            else:
                bad.append((key, p[key]))
    if "sedan" in p:
        if valid_since(p["sedan"]):
            f = replace(f, sedan=p["sedan"])
        else:
            bad.append(("sedan", p["sedan"]))
    if "kommuner" in p:
        f = _peers(p["kommuner"], f, valid, bad)
    if "bild" in p:
        if p["bild"].isascii() and p["bild"].isdigit() and 1 <= int(p["bild"]) <= MAX_SLIDE:
            f = replace(f, bild=int(p["bild"]))
        else:
            bad.append(("bild", p["bild"]))
    return f, bad


def valid_since(text: str, today: dt.date | None = None) -> bool:
    """A day written ÅÅÅÅ-MM-DD, from 2000 up to today."""
    if len(text) != 10 or not text.isascii():
        return False
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return False
    return dt.date(2000, 1, 1) <= day <= (today or dt.date.today())


def _comparison(p: dict[str, str], f: Filters, valid: Valid, bad: list) -> Filters:
    if "jmf" not in p:
        return f
    jmf = p["jmf"]
    if jmf == "lista":
        ids = tuple(x for x in p.get("lista", "").split(",") if x)
        good = tuple(x for x in ids if x in valid.all_municipalities and x != f.kommun)[:MAX_LIST]
        if len(good) != len(ids):
            bad.append(("lista", p.get("lista", "")))
        return replace(f, jmf="lista", lista=good) if good else f
    if jmf in valid.comparisons.get(f.kommun, frozenset()):
        return replace(f, jmf=jmf)
    bad.append(("jmf", jmf))
    return f


def _peers(text: str, f: Filters, valid: Valid, bad: list) -> Filters:
    """The municipalities chosen for Jämför → Utveckling; unknown codes are dropped and reported, and a list
    with none left falls back to the default."""
    ids = tuple(x for x in text.split(",") if x)
    good = tuple(dict.fromkeys(x for x in ids if x in valid.all_municipalities and x != f.kommun))[:MAX_LIST]
    if len(good) != len(ids):
        bad.append(("kommuner", text))
    return replace(f, kommuner=good) if good or not ids else f


def _years(p: dict[str, str], f: Filters, valid: Valid, bad: list) -> Filters:
    lo, hi = valid.years
    years = {}
    for key in ("fran", "till"):
        if key in p:
            try:
                y = int(p[key])
            except ValueError:
                y = None
            if y is None or not lo <= y <= hi:
                bad.append((key, p[key]))
            else:
                years[key] = y
    fran, till = years.get("fran", f.fran), years.get("till", f.till)
    if fran > till:
        bad.append(("fran", str(fran)))
        fran, till = f.fran, f.till
    return replace(f, fran=fran, till=till)


@dataclass(frozen=True)
class Comparison:
    key: str
    label: str
    area_ids: tuple[str, ...]
    mode: str  # "area": one area's own values; "mean": unweighted mean of members; "list": each member
    is_demo_group: bool = False
