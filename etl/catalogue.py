"""Loads and validates the catalogue files (YAML) against ``catalogue/schema.py``.

Validation errors name the file and the place in it, in Swedish, so that whoever edits a catalogue
knows what to change.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from catalogue import schema as cs
from etl import catalogue_messages as msg

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"


class CatalogueError(ValueError):
    """A catalogue file that does not follow its schema or refers to something unknown."""


@dataclass
class Catalogue:
    indicators: list[dict]
    strategies: list[dict]
    factors: list[dict]
    factor_source: str
    groups: list[dict]
    files: list[Path] = field(default_factory=list)
    # Local notes on trends (catalogue/annotations/*.yaml): each with municipality_id added.
    annotations: list[dict] = field(default_factory=list)
    # Where each strategy (by id) and each note (in order) was read: for messages with file and line.
    strategy_files: dict[str, Path] = field(default_factory=dict)
    note_places: list[tuple[Path, int]] = field(default_factory=list)

    @property
    def indicator_ids(self) -> set[str]:
        return {i["id"] for i in self.indicators}

    def indicator(self, indicator_id: str) -> dict:
        for ind in self.indicators:
            if ind["id"] == indicator_id:
                return ind
        raise KeyError(indicator_id)


def _read_yaml(path: Path, problems: list[str] | None = None) -> dict | None:
    """The YAML mapping in ``path``; a syntax error becomes a Swedish message with its line (collected in
    ``problems`` if given, else raised)."""
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=msg.LOADER)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)
    except yaml.YAMLError as exc:
        message = msg.yaml_problem(path, exc)
    except (OSError, UnicodeDecodeError) as exc:
        message = f"{path.name}: filen kan inte läsas som UTF-8-text ({exc.__class__.__name__})"
    else:
        if isinstance(data, dict):
            return data
        message = f"{path.name}:1: filen ska innehålla fält med värden (en YAML-mappning)"
    if problems is None:
        raise CatalogueError(message)
    problems.append(message)
    return None


# Catalogue text reaches pages as markdown and HTML: it may not carry markup of its own.
MARKUP = re.compile(r"[<>`]|!\[|\]\(")


def plain_text_problems(data, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Every string in ``data`` that holds HTML or markdown markup (<, >, `, ![, ]( ), with its path."""
    if isinstance(data, str):
        return [(path, f"texten innehåller tecken för HTML eller markdown ({data[:40]!r}); skriv den utan "
                       "<, >, ` och länkar")] if MARKUP.search(data) else []
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in plain_text_problems(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in plain_text_problems(v, (*path, i))]
    return []


def validate(data: dict, file_schema: dict, path: Path, problems: list[str] | None = None) -> bool:
    """Every schema violation in ``data`` and any text with markup, as "fil:rad: plats: meddelande" in
    Swedish; collected in ``problems`` (or raised as one CatalogueError). True when the file is valid."""
    lines = msg.read_lines(path)
    found = msg.schema_messages(data, file_schema, path, lines) + _kind_problems(data, path, lines)
    if not found:
        found = [msg.at(path, lines, where, f"{msg.where(where)}: {text}")
                 for where, text in plain_text_problems(data)][:20]
    if found and problems is None:
        raise CatalogueError(f"{path.name} har fel:\n" + "\n".join(f"  {m}" for m in found))
    if problems is not None:
        problems.extend(found)
    return not found


FILES = (("indicators.yaml", "INDICATORS_FILE_SCHEMA"), ("factors.yaml", "FACTORS_FILE_SCHEMA"),
         ("areas.yaml", "AREAS_FILE_SCHEMA"))


def load_catalogue(directory: Path = CATALOGUE_DIR, extra_strategies: tuple[Path, ...] = ()) -> Catalogue:
    """Read every catalogue file, validate each against its schema and check cross-references; every
    problem in every file is reported at once (CatalogueError, Swedish, with file and line).
    ``extra_strategies``: strategy files outside the catalogue to check with it (check-catalogue FILE)."""
    problems: list[str] = []
    docs = {}
    for name, schema_name in FILES:
        doc = _read_yaml(directory / name, problems)
        if doc is not None and validate(doc, getattr(cs, schema_name), directory / name, problems):
            docs[name] = doc
    strategy_files = sorted((directory / "strategies").glob("*.yaml"))
    strategy_files += [p for p in extra_strategies if p.resolve() not in {f.resolve() for f in strategy_files}]
    strategies, strategy_paths = [], []
    for path in strategy_files:
        doc = _read_yaml(path, problems)
        if doc is not None and validate(doc, cs.STRATEGY_SCHEMA, path, problems):
            strategies.append(doc)
            strategy_paths.append(path)
    annotations, note_places = [], []
    note_files = sorted((directory / "annotations").glob("*.yaml"))
    for path in note_files:
        doc = _read_yaml(path, problems)
        if doc is not None and validate(doc, cs.ANNOTATIONS_FILE_SCHEMA, path, problems):
            annotations += [{**n, "municipality_id": doc["municipality_id"], "file": path.name} for n in doc["notes"]]
            note_places += [(path, i) for i in range(len(doc["notes"]))]
    if problems:
        raise CatalogueError("Katalogen har fel:\n" + "\n".join(f"  {p}" for p in problems))

    for ind in docs["indicators.yaml"]["indicators"]:
        ind.setdefault("demo", derived_demo(ind))
    cat = Catalogue(
        indicators=docs["indicators.yaml"]["indicators"],
        strategies=strategies,
        factors=docs["factors.yaml"]["factors"],
        factor_source=docs["factors.yaml"]["source"],
        groups=docs["areas.yaml"]["groups"],
        files=[*(directory / n for n, _ in FILES), *strategy_files, *note_files],
        annotations=annotations,
        strategy_files={d["id"]: p for d, p in zip(strategies, strategy_paths, strict=True)},
        note_places=note_places,
    )
    check_references(cat, directory)
    return cat


# Demo settings by unit, where an indicator has no ``demo`` block of its own: (level, spread, min, max).
# The level leans to the good side of the scale by polarity; no trend and no gender gap are invented.
_DEMO_BY_UNIT = (
    (("%",), {"higher_better": 70.0, "lower_better": 15.0, "neutral": 40.0}, 6.0, 0.0, 100.0),
    (("index",), {"higher_better": 0.7, "lower_better": 0.3, "neutral": 0.5}, 0.08, 0.0, 1.0),
    (("per 1000", "/1000", "per 1 000", "/1 000", "per 100 000", "/100 000"),
     {"higher_better": 20.0, "lower_better": 8.0, "neutral": 12.0}, 3.0, 0.0, 1000.0),
    (("antal",), {"higher_better": 200.0, "lower_better": 60.0, "neutral": 120.0}, 60.0, 0.0, 100000.0),
    (("kr",), {"higher_better": 25000.0, "lower_better": 12000.0, "neutral": 18000.0}, 3000.0, 0.0, 10_000_000.0),
    (("meritvärde",), {"higher_better": 225.0, "lower_better": 200.0, "neutral": 215.0}, 12.0, 0.0, 340.0),
    (("år",), {"higher_better": 80.0, "lower_better": 40.0, "neutral": 60.0}, 2.0, 0.0, 120.0),
)
_DEMO_OTHER = ({"higher_better": 60.0, "lower_better": 20.0, "neutral": 40.0}, 10.0, 0.0, 1000.0)


def derived_demo(ind: dict) -> dict:
    """Demo settings from an indicator's unit and polarity (its own ``demo`` block, where it has one, wins):
    the demo store needs a plausible level and spread for every indicator, the catalogue author should not."""
    unit = str(ind.get("unit", "")).lower()
    levels, spread, lo, hi = next(((lv, sp, a, b) for keys, lv, sp, a, b in _DEMO_BY_UNIT
                                   if any(k in unit for k in keys)), _DEMO_OTHER)
    demo = {"level": levels.get(ind.get("polarity"), levels["neutral"]), "spread": spread, "min": lo, "max": hi,
            "derived": True}
    if ind.get("kind") == "survey":
        demo["every"] = 2  # surveys are usually every other year
    return demo


DEFAULT_GROUP_SOURCE = ("Standardgrupp: kommunerna i samma län, eftersom strategin inte anger någon "
                        "jämförelsegrupp (comparison_groups)")


def default_groups(cat: Catalogue, municipalities, counties) -> tuple[list[dict], list[str]]:
    """A named comparison group for every strategy without one: the other municipalities of its county
    (``municipalities``: id, name, county_id; ``counties``: id, name). Returns (groups, notes for the build)."""
    county_name = dict(zip(counties["id"], counties["name"], strict=True))
    groups, notes = [], []
    for s in cat.strategies:
        if s.get("comparison_groups"):
            continue
        mid, county = s["municipality_id"], s["county_id"]
        members = sorted(m for m, c in zip(municipalities["id"], municipalities["county_id"], strict=True)
                         if c == county and m != mid)
        if not members:
            continue
        title = f"Övriga kommuner i {county_name.get(county, county)} (standardgrupp)"
        groups.append({"id": f"LAN_{mid}", "title": title, "municipality_id": mid, "members": members,
                       "is_demo": False, "source": DEFAULT_GROUP_SOURCE})
        notes.append(f"{s['municipality']} har ingen jämförelsegrupp i strategin: standardgruppen ”{title}” "
                     f"({len(members)} kommuner) används.")
    return groups, notes


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word.strip().lower()).encode("ascii", "ignore").decode()


def _misspelt_kind(kind: str) -> str | None:
    """The known focus-area word ``kind`` is a misspelling of (the same letters without å, ä, ö), else None: any
    other word is the strategy's own and allowed."""
    if kind.strip().lower() in cs.FOCUS_AREA_KINDS:
        return None
    return next((k for k in cs.FOCUS_AREA_KINDS if _fold(k) == _fold(kind)), None)


def _kind_problems(data, path: Path, lines) -> list[str]:
    """A strategy file's focus-area word misspelt from a known one (reported with the schema's messages)."""
    areas = data.get("focus_areas") if isinstance(data, dict) else None
    out = []
    for f, fa in enumerate(areas if isinstance(areas, list) else []):
        kind = fa.get("kind") if isinstance(fa, dict) else None
        known = _misspelt_kind(kind) if isinstance(kind, str) else None
        if known:
            out.append(msg.at(path, lines, ("focus_areas", f, "kind"),
                              f"focus_areas/{f}/kind: '{kind}' är inte tillåtet: det är {known} utan å, ä och ö "
                              f"(menade du {known}?)"))
    return out


def _strategy_references(cat: Catalogue, problems: list[str]) -> tuple[list[str], list[str]]:
    """Every comparison group and indicator a strategy names exists; its focus-area and goal ids."""
    known = cat.indicator_ids
    group_ids = {g["id"] for g in cat.groups}
    fa_ids: list[str] = []
    goal_ids: list[str] = []
    for strat in cat.strategies:
        path = cat.strategy_files.get(strat["id"], Path(f"{strat['id']}.yaml"))
        lines = msg.read_lines(path) if path.is_file() else {}
        for i, gid in enumerate(strat.get("comparison_groups", [])):
            if gid not in group_ids:
                problems.append(msg.at(path, lines, ("comparison_groups", i),
                                       f"jämförelsegruppen {gid} finns inte i areas.yaml{msg.suggest(gid, group_ids)}"))
        label = strat.get("focus_area_label", "Fokusområde")
        if cs.plural_label(label, strat.get("focus_area_plural")) is None:
            problems.append(msg.at(path, lines, ("focus_area_label",),
                                   f"ordet ”{label}” är inte ett av dem vi känner ({', '.join(cs.FOCUS_AREA_KINDS)}): "
                                   f"skriv dess plural för menyn i focus_area_plural, t.ex. "
                                   f"”focus_area_plural: {label}” med rätt böjning"))
        for f, fa in enumerate(strat["focus_areas"]):
            fa_ids.append(f"{strat['id']}/{fa['id']}")
            for g, goal in enumerate(fa["goals"]):
                goal_ids.append(f"{strat['id']}/{goal['id']}")
                problems.extend(
                    msg.at(path, lines, ("focus_areas", f, "goals", g, "indicators", k, "id"),
                           f"mål {goal['code']}: indikatorn {gi['id']} finns inte i indicators.yaml"
                           f"{msg.suggest(gi['id'], known)}")
                    for k, gi in enumerate(goal["indicators"]) if gi["id"] not in known)
    return fa_ids, goal_ids


def _annotation_references(cat: Catalogue) -> list[str]:
    """Every note names a municipality with a strategy, and an indicator or one of its focus areas."""
    problems = []
    places = cat.note_places or [(Path(n["file"]), i) for i, n in enumerate(cat.annotations)]
    for n, (path, i) in zip(cat.annotations, places, strict=True):
        strat = next((s for s in cat.strategies if s["municipality_id"] == n["municipality_id"]), None)
        lines = msg.read_lines(path) if path.is_file() else {}
        what = f"anteckningen ({n['year']}, ”{n['text'][:40]}”)"
        if strat is None:
            problems.append(msg.at(path, lines, ("municipality_id",),
                                   f"kommunen {n['municipality_id']} har ingen strategi i katalogen"))
        elif "focus_area" in n and n["focus_area"] not in {fa["id"] for fa in strat["focus_areas"]}:
            fas = [fa["id"] for fa in strat["focus_areas"]]
            problems.append(msg.at(path, lines, ("notes", i, "focus_area"),
                                   f"{what}: fokusområdet {n['focus_area']} finns inte i {strat['id']}"
                                   f"{msg.suggest(n['focus_area'], fas)}"))
        if "indicator" in n and n["indicator"] not in cat.indicator_ids:
            problems.append(msg.at(path, lines, ("notes", i, "indicator"),
                                   f"{what}: indikatorn {n['indicator']} finns inte"
                                   f"{msg.suggest(n['indicator'], cat.indicator_ids)}"))
    return problems


def check_references(cat: Catalogue, directory: Path = CATALOGUE_DIR) -> None:
    """Unique ids everywhere; every indicator a strategy or factor names exists."""
    problems: list[str] = []

    def dupes(ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                problems.append(f"{what} {i} förekommer två gånger")
            seen.add(i)

    dupes([i["id"] for i in cat.indicators], "indikatorn")
    dupes([s["id"] for s in cat.strategies], "strategin")
    dupes([s["municipality_id"] for s in cat.strategies], "kommunen (en strategi per kommun)")
    dupes([f["id"] for f in cat.factors], "faktorn")
    dupes([g["id"] for g in cat.groups], "jämförelsegruppen")
    fa_ids, goal_ids = _strategy_references(cat, problems)
    dupes(fa_ids, "fokusområdet")
    dupes(goal_ids, "målet")
    for fac in cat.factors:
        for ind in fac["indicators"]:
            if ind not in cat.indicator_ids:
                problems.append(f"faktorn {fac['id']}: indikatorn {ind} finns inte")
    ind_path = directory / "indicators.yaml"
    ind_lines = msg.read_lines(ind_path)
    for pos, ind in enumerate(cat.indicators):
        demo = ind.get("demo")
        if demo and not demo["min"] <= demo["level"] <= demo["max"]:
            problems.append(msg.at(ind_path, ind_lines, ("indicators", pos, "demo", "level"),
                                   f"indikatorn {ind['id']}: demo.level ligger utanför [min, max]"))
        pop = ind.get("population_kpi")
        if pop:
            base = next((i for i in cat.indicators if i["id"] == pop), None)
            if base is None or base["unit"] != "antal":
                problems.append(msg.at(ind_path, ind_lines, ("indicators", pos, "population_kpi"),
                                       f"indikatorn {ind['id']}: population_kpi {pop} är ingen indikator "
                                       "i katalogen med enheten antal"))
            if cs.rate_base(ind["unit"]) is None:
                problems.append(msg.at(ind_path, ind_lines, ("indicators", pos, "population_kpi"),
                                       f"indikatorn {ind['id']}: population_kpi kräver enheten "
                                       "'antal/<tal> inv' (ett tal per invånare)"))
        if ind["gender_split"] is False and ind.get("gender_labels"):
            problems.append(msg.at(ind_path, ind_lines, ("indicators", pos, "gender_labels"),
                                   f"indikatorn {ind['id']}: gender_labels utan könsuppdelning"))
    problems += _annotation_references(cat)
    if problems:
        raise CatalogueError("Katalogen har fel:\n" + "\n".join(f"  {p}" for p in problems))


@functools.lru_cache(maxsize=1)
def _catalogue_answer_counts() -> dict[str, int]:
    try:
        cat = load_catalogue()
    except CatalogueError:
        return {}
    return {i["id"]: int(i["min_answer_count"]) for i in cat.indicators if "min_answer_count" in i}


def min_answer_counts(indicators: list[tuple[str, str, str]]) -> dict[str, int]:
    """For (id, kind, unit) of a store's indicators: survey shares in percent → the fewest yes- and
    no-answers a cell or a computable group may have (the catalogue's ``min_answer_count``, else
    ``DEFAULT_MIN_ANSWER_COUNT``). Other indicators have no answers to count and are left out."""
    own = _catalogue_answer_counts()
    return {i: own.get(i, cs.DEFAULT_MIN_ANSWER_COUNT) for i, kind, unit in indicators
            if kind == "survey" and str(unit or "").strip().startswith("%")}
