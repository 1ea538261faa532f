"""Loads and validates the catalogue files (YAML) against ``catalogue/schema.py``.

Validation errors name the file and the place in it, in Swedish, so that whoever edits a catalogue
knows what to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import yaml

from catalogue import schema as cs

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

    @property
    def indicator_ids(self) -> set[str]:
        return {i["id"] for i in self.indicators}

    def indicator(self, indicator_id: str) -> dict:
        for ind in self.indicators:
            if ind["id"] == indicator_id:
                return ind
        raise KeyError(indicator_id)


def _read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: ogiltig YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: filen ska innehålla en YAML-mappning")
    return data


# Catalogue text reaches pages as markdown and HTML: it may not carry markup of its own.
MARKUP = re.compile(r"[<>`]|!\[|\]\(")


def plain_text_problems(data, path: str = "") -> list[str]:
    """Every string in ``data`` that holds HTML or markdown markup (<, >, `, ![, ]( ), with its path."""
    if isinstance(data, str):
        return [f"  {path or '(roten)'}: texten innehåller tecken för HTML eller markdown ({data[:40]!r})"] \
            if MARKUP.search(data) else []
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in plain_text_problems(v, f"{path}/{k}".lstrip("/"))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in plain_text_problems(v, f"{path}/{i}".lstrip("/"))]
    return []


def validate(data: dict, file_schema: dict, path: Path) -> None:
    """Raise CatalogueError listing every schema violation in ``data``, and any text with markup."""
    validator = jsonschema.Draft202012Validator(file_schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [
            f"  {'/'.join(str(p) for p in e.absolute_path) or '(roten)'}: {e.message}" for e in errors[:20]
        ]
        raise CatalogueError(f"{path.name} följer inte sitt schema:\n" + "\n".join(lines))
    markup = plain_text_problems(data)
    if markup:
        raise CatalogueError(f"{path.name}: text med HTML/markdown är inte tillåten:\n" + "\n".join(markup[:20]))


def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Read every catalogue file, validate each against its schema and check cross-references."""
    ind_path = directory / "indicators.yaml"
    indicators_doc = _read_yaml(ind_path)
    validate(indicators_doc, cs.INDICATORS_FILE_SCHEMA, ind_path)

    fac_path = directory / "factors.yaml"
    factors_doc = _read_yaml(fac_path)
    validate(factors_doc, cs.FACTORS_FILE_SCHEMA, fac_path)

    areas_path = directory / "areas.yaml"
    areas_doc = _read_yaml(areas_path)
    validate(areas_doc, cs.AREAS_FILE_SCHEMA, areas_path)

    strategies = []
    strategy_files = sorted((directory / "strategies").glob("*.yaml"))
    for path in strategy_files:
        doc = _read_yaml(path)
        validate(doc, cs.STRATEGY_SCHEMA, path)
        strategies.append(doc)

    annotations = []
    note_files = sorted((directory / "annotations").glob("*.yaml"))
    for path in note_files:
        doc = _read_yaml(path)
        validate(doc, cs.ANNOTATIONS_FILE_SCHEMA, path)
        annotations += [{**n, "municipality_id": doc["municipality_id"], "file": path.name} for n in doc["notes"]]

    cat = Catalogue(
        indicators=indicators_doc["indicators"],
        strategies=strategies,
        factors=factors_doc["factors"],
        factor_source=factors_doc["source"],
        groups=areas_doc["groups"],
        files=[ind_path, fac_path, areas_path, *strategy_files, *note_files],
        annotations=annotations,
    )
    check_references(cat)
    return cat


def _strategy_references(cat: Catalogue, problems: list[str]) -> tuple[list[str], list[str]]:
    """Every comparison group and indicator a strategy names exists; its focus-area and goal ids."""
    known = cat.indicator_ids
    group_ids = {g["id"] for g in cat.groups}
    fa_ids: list[str] = []
    goal_ids: list[str] = []
    for strat in cat.strategies:
        for gid in strat.get("comparison_groups", []):
            if gid not in group_ids:
                problems.append(f"strategin {strat['id']}: jämförelsegruppen {gid} finns inte i areas.yaml")
        for fa in strat["focus_areas"]:
            fa_ids.append(f"{strat['id']}/{fa['id']}")
            for goal in fa["goals"]:
                goal_ids.append(f"{strat['id']}/{goal['id']}")
                problems.extend(f"strategin {strat['id']}, mål {goal['code']}: indikatorn {gi['id']} finns inte"
                                for gi in goal["indicators"] if gi["id"] not in known)
    return fa_ids, goal_ids


def _annotation_references(cat: Catalogue) -> list[str]:
    """Every note names a municipality with a strategy, and an indicator or one of its focus areas."""
    problems = []
    for n in cat.annotations:
        strat = next((s for s in cat.strategies if s["municipality_id"] == n["municipality_id"]), None)
        where = f"anteckningen i {n['file']} ({n['year']}, ”{n['text'][:40]}”)"
        if strat is None:
            problems.append(f"{where}: kommunen {n['municipality_id']} har ingen strategi i katalogen")
        elif "focus_area" in n and n["focus_area"] not in {fa["id"] for fa in strat["focus_areas"]}:
            problems.append(f"{where}: fokusområdet {n['focus_area']} finns inte i {strat['id']}")
        if "indicator" in n and n["indicator"] not in cat.indicator_ids:
            problems.append(f"{where}: indikatorn {n['indicator']} finns inte")
    return problems


def check_references(cat: Catalogue) -> None:
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
    for ind in cat.indicators:
        demo = ind["demo"]
        if not demo["min"] <= demo["level"] <= demo["max"]:
            problems.append(f"indikatorn {ind['id']}: demo.level ligger utanför [min, max]")
        if ind["gender_split"] is False and ind.get("gender_labels"):
            problems.append(f"indikatorn {ind['id']}: gender_labels utan könsuppdelning")
    problems += _annotation_references(cat)
    if problems:
        raise CatalogueError("Katalogen har fel:\n" + "\n".join(f"  {p}" for p in problems))
