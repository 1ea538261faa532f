"""Catalogue: schema-valid, cross-references hold, Kolada ids and titles are Kolada's, strategies as
the source documents have them."""

from __future__ import annotations

import csv
import re

import jsonschema
import pytest
import yaml

from catalogue import schema as cs
from etl.catalogue import CATALOGUE_DIR, CatalogueError, check_references, load_catalogue, validate
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def test_schemas_are_valid_json_schemas():
    for s in (cs.INDICATORS_FILE_SCHEMA, cs.STRATEGY_SCHEMA, cs.FACTORS_FILE_SCHEMA, cs.AREAS_FILE_SCHEMA):
        jsonschema.Draft202012Validator.check_schema(s)


def test_every_file_validates_against_its_schema():
    pairs = [("indicators.yaml", cs.INDICATORS_FILE_SCHEMA), ("factors.yaml", cs.FACTORS_FILE_SCHEMA),
             ("areas.yaml", cs.AREAS_FILE_SCHEMA)]
    pairs += [(f"strategies/{p.name}", cs.STRATEGY_SCHEMA) for p in (CATALOGUE_DIR / "strategies").glob("*.yaml")]
    assert len(pairs) >= 6
    for name, schema in pairs:
        path = CATALOGUE_DIR / name
        validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema, path)


def test_schema_rejects_a_survey_indicator_without_threshold():
    bad = {"indicators": [{
        "id": "ENK_X", "title": "x", "short_title": "x", "definition": "x", "unit": "%", "decimals": 1,
        "polarity": "higher_better", "gender_split": True, "source": "local_survey", "source_name": "x",
        "kind": "survey", "levels": ["municipality"], "demo": {"level": 1, "spread": 1, "min": 0, "max": 2}}]}
    with pytest.raises(CatalogueError, match="suppression_threshold"):
        validate(bad, cs.INDICATORS_FILE_SCHEMA, CATALOGUE_DIR / "indicators.yaml")


def test_references_are_checked():
    cat = load_catalogue()
    cat.strategies[0]["focus_areas"][0]["goals"][0]["indicators"].append({"id": "FINNS_INTE"})
    with pytest.raises(CatalogueError, match="FINNS_INTE"):
        check_references(cat)


def test_at_least_fifty_indicators_and_every_goal_has_one(cat):
    assert len(cat.indicators) >= 50
    for s in cat.strategies:
        for fa in s["focus_areas"]:
            for g in fa["goals"]:
                assert g["indicators"], f"{s['id']} {g['code']} saknar indikator"


def test_every_indicator_used_by_a_goal_or_factor(cat):
    used = {gi["id"] for s in cat.strategies for fa in s["focus_areas"] for g in fa["goals"] for gi in g["indicators"]}
    used |= {i for f in cat.factors for i in f["indicators"]}
    used |= {i["population_kpi"] for i in cat.indicators if i.get("population_kpi")}  # what rates count on
    assert set(cat.indicator_ids) - used == set()


def test_strategies_match_their_documents(cat):
    by = {s["municipality_id"]: s for s in cat.strategies}
    trelleborg = [fa for fa in by["1287"]["focus_areas"] if fa["kind"] == "fokusområde"]
    assert [fa["title"] for fa in trelleborg] == [
        "Stöd och relationer genom livet", "Utbildning och sysselsättning", "Boende och närmiljö",
        "Meningsfull fritid och goda levnadsvanor"]
    sodertalje = by["0181"]["focus_areas"]
    assert len(sodertalje) == 6
    assert [g["code"] for fa in sodertalje for g in fa["goals"]] == list("ABCDEFGHIJKLMNO")
    assert all(fa.get("actions") for fa in sodertalje)
    katrineholm = by["0483"]["focus_areas"]
    assert [fa["title"] for fa in katrineholm] == ["Folkhälsa", "Jämställdhet", "Integration", "Trygghet"]
    assert all(fa.get("agenda2030") for fa in katrineholm)


def test_trelleborg_indicators_worded_exactly_as_the_strategy():
    seed = " ".join(shared_path("seeds", "000_49275e65d885518d.txt").read_text(encoding="utf-8").split())
    cat = load_catalogue()
    s = next(s for s in cat.strategies if s["municipality_id"] == "1287")
    labels = [gi["label"] for fa in s["focus_areas"] for g in fa["goals"] for gi in g["indicators"] if gi.get("label")]
    assert len(labels) >= 6
    for label in labels:
        assert " ".join(label.split()) in seed, label


def test_factors_cover_levels_and_categories(cat):
    assert {f["level"] for f in cat.factors} == set(cs.FACTOR_LEVELS)
    assert {f["category"] for f in cat.factors} == set(cs.FACTOR_CATEGORIES)
    assert {f["type"] for f in cat.factors} == {"risk", "protective"}
    assert sum(f["type"] == "risk" for f in cat.factors) == 11
    assert sum(f["type"] == "protective" for f in cat.factors) == 7


def test_kolada_ids_and_titles_are_koladas(cat):
    path = shared_path("kolada", "kpi_catalog_v3_2026-03.csv")
    with path.open(encoding="utf-8") as fh:
        kolada = {r["id"]: r for r in csv.DictReader(fh)}
    kolada_inds = [i for i in cat.indicators if i["source"] == "kolada"]
    assert kolada_inds
    for ind in kolada_inds:
        assert ind["source_id"] in kolada, f"{ind['id']} finns inte i Koladas katalog"
        row = kolada[ind["source_id"]]
        assert ind["title"] == row["title"], ind["id"]
        assert ind["gender_split"] == (row["is_divided_by_gender"] == "True"), ind["id"]


def test_local_indicators_are_declared_as_local(cat):
    for ind in cat.indicators:
        if ind["source"] in ("local_survey", "local_register"):
            assert ind["source_id"] is None
            assert re.match(r"^(ENK|LOK)_", ind["id"])
    ids = cat.indicator_ids
    assert "LOK_FORALDRASTOD" in ids and "ENK_FRAMTIDSTRO" in ids


@pytest.mark.parametrize("text", ["<img src=//x/p>", "%<form>", "![](//host/p)", "[Logga in](http://x)", "`kod`"])
def test_catalogue_text_with_markup_is_refused(text):
    """Issue #18: catalogue text reaches pages as markdown and HTML; it may not carry markup."""
    good = {"id": "ENK_X", "title": "x", "short_title": "x", "definition": "x", "unit": "%", "decimals": 1,
            "polarity": "higher_better", "gender_split": True, "source": "local_survey", "source_name": "x",
            "kind": "survey", "suppression_threshold": 10, "levels": ["municipality"],
            "demo": {"level": 1, "spread": 1, "min": 0, "max": 2}}
    validate({"indicators": [good]}, cs.INDICATORS_FILE_SCHEMA, CATALOGUE_DIR / "indicators.yaml")
    for field in ("unit", "definition", "short_title"):
        with pytest.raises(CatalogueError, match=f"indicators/0/{field}: texten innehåller"):
            validate({"indicators": [{**good, field: text}]}, cs.INDICATORS_FILE_SCHEMA,
                     CATALOGUE_DIR / "indicators.yaml")


@pytest.mark.parametrize("target,ok", [
    ({"value": 80, "year": 2030}, True),
    ({"direction": "minska", "source": "strategin"}, True),
    ({"value": 80}, False),  # a value without its year
    ({"direction": "bättre"}, False),  # not a direction the strategies use
    ({"value": 80, "year": 2030, "direction": "öka"}, False),  # both at once
])
def test_goal_targets_are_a_value_by_a_year_or_a_direction(target, ok):
    """Issue #15: a target in a strategy file is checked like the rest of the catalogue."""
    import copy

    cat = load_catalogue()
    strategy = copy.deepcopy(next(s for s in cat.strategies if s["municipality_id"] == "1287"))
    strategy["focus_areas"][0]["goals"][0]["indicators"][0]["target"] = target
    if ok:
        validate(strategy, cs.STRATEGY_SCHEMA, CATALOGUE_DIR / "strategies" / "trelleborg.yaml")
    else:
        with pytest.raises(CatalogueError):
            validate(strategy, cs.STRATEGY_SCHEMA, CATALOGUE_DIR / "strategies" / "trelleborg.yaml")


def test_notes_must_name_what_exists(tmp_path):
    """Issue #15: a note on an unknown indicator or focus area, or for a municipality without a strategy,
    is refused with the file named; a valid one loads with its municipality."""
    import shutil

    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, root)
    notes = root / "annotations" / "sodertalje.yaml"
    notes.write_text("municipality_id: '0181'\nnotes:\n  - indicator: ENK_TRYGG_OMRADE\n    year: 2023\n"
                     "    text: 'Nattvandring startade'\n", encoding="utf-8")
    cat = load_catalogue(root)
    assert [(n["municipality_id"], n["indicator"], n["year"]) for n in cat.annotations] == [
        ("0181", "ENK_TRYGG_OMRADE", 2023)]
    for body, expect in [
        ("municipality_id: '0181'\nnotes:\n  - indicator: FINNS_INTE\n    year: 2023\n    text: x\n", "FINNS_INTE"),
        ("municipality_id: '0181'\nnotes:\n  - focus_area: finns_inte\n    year: 2023\n    text: x\n", "finns_inte"),
        ("municipality_id: '9999'\nnotes:\n  - indicator: ENK_TRYGG_OMRADE\n    year: 2023\n    text: x\n",
         "ingen strategi"),
        ("municipality_id: '0181'\nnotes:\n  - year: 2023\n    text: x\n", "sodertalje.yaml"),  # neither
    ]:
        notes.write_text(body, encoding="utf-8")
        with pytest.raises(CatalogueError, match=expect):
            load_catalogue(root)


def test_example_notes_never_reach_a_real_store(tmp_path):
    from sqlalchemy import create_engine

    from etl.writer import StoreWriter

    cat = load_catalogue()
    assert any(n.get("example") for n in cat.annotations)
    counts = {}
    for kind in ("demo", "real"):
        engine = create_engine(f"sqlite:///{tmp_path / kind}.sqlite")
        writer = StoreWriter(engine, kind=kind, command="test")
        writer.create(is_demo=kind == "demo")
        from store import schema

        with engine.begin() as conn:  # the areas and indicators the notes refer to
            conn.execute(schema.area.insert(), [{"id": s["municipality_id"], "name": s["municipality"],
                                                  "kind": "municipality", "is_demo": False}
                                                 for s in cat.strategies])
        writer.write_indicators(cat.indicators)
        writer.write_strategies(cat)
        with engine.connect() as conn:
            counts[kind] = conn.execute(schema.annotation.select()).fetchall()
    assert counts["demo"] and all(r.is_example for r in counts["demo"])
    assert counts["real"] == []
