"""JSON Schemas for the catalogue files (YAML), checked by tests/test_catalogue.py and by the ETL.

The catalogue is the single place where strategies, indicators and risk/protective factors are
declared. Adding a municipality's strategy is a new file in ``catalogue/strategies/``: no code change.
"""

from __future__ import annotations

import re

POLARITIES = ["higher_better", "lower_better", "neutral"]
SOURCES = ["kolada", "scb", "local_survey", "local_register"]
KINDS = ["register", "survey"]
# A survey cell with fewer respondents than this is suppressed, unless the indicator names its own threshold.
DEFAULT_SUPPRESSION_THRESHOLD = 10
# A share (unit '%') of a survey indicator: a cell, or a group of hidden cells an outsider can compute, with
# fewer yes- or no-answers than this is protected (1: only 0 % and 100 %, everyone or no one answered yes),
# unless the indicator names its own ``min_answer_count`` (more for sensitive questions; 0 turns it off).
DEFAULT_MIN_ANSWER_COUNT = 1
# The focus-area kind that has no number in front of its title (Trelleborg's overarching sustainability goal).
OVERARCHING_KIND = "övergripande hållbarhetsmål"
# A focus area's kind is the strategy's own word, any word (its politicians' vocabulary); a kind that starts
# with this goes without its number in titles and menus ("Jämlik hälsa", not "ÖM. Jämlik hälsa").
OVERARCHING_PREFIX = "övergripande"
# The words we know, with their plural (the menu's heading). A strategy whose ``focus_area_label`` is another
# word gives its plural in ``focus_area_plural``.
FOCUS_AREA_KINDS = {
    "fokusområde": "Fokusområden",
    "målområde": "Målområden",
    "strategiskt område": "Strategiska områden",
    "insatsområde": "Insatsområden",
    "utvecklingsområde": "Utvecklingsområden",
    OVERARCHING_KIND: "Övergripande hållbarhetsmål",
}


def plural_label(label: str, given: str | None = None) -> str | None:
    """The plural of a strategy's ``focus_area_label`` ("Målområde" → "Målområden"): the one the strategy
    gives (``focus_area_plural``), else the known word's; None when neither."""
    return given or FOCUS_AREA_KINDS.get(label.strip().lower())
# A target given only as a direction ("ska öka"), in the strategy's words.
TARGET_DIRECTIONS = ["öka", "minska"]
# A target year's bounds, the same for the catalogue files and targets set in the app (services/targets.py).
TARGET_YEAR_MIN, TARGET_YEAR_MAX = 2000, 2100
AREA_LEVELS = ["country", "county", "municipality", "district"]
FACTOR_LEVELS = ["individ", "familj", "skola", "narsamhalle", "samhalle"]
FACTOR_CATEGORIES = ["familj_natverk", "sysselsattning", "fritid_sammanhang"]

_ID = {"type": "string", "pattern": r"^[A-Za-z0-9_\-]+$"}
_TEXT = {"type": "string", "minLength": 1}

INDICATOR_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id", "title", "short_title", "definition", "unit", "decimals", "polarity",
        "gender_split", "source", "source_name", "kind", "levels",
    ],
    "properties": {
        "id": _ID,
        "title": _TEXT,
        "short_title": {"type": "string", "minLength": 1, "maxLength": 60},
        "definition": _TEXT,
        "unit": _TEXT,
        "decimals": {"type": "integer", "minimum": 0, "maximum": 3},
        "polarity": {"enum": POLARITIES},
        "gender_split": {"type": "boolean"},
        "gender_labels": {"enum": ["flickor_pojkar", "kvinnor_man"]},
        "source": {"enum": SOURCES},
        "source_name": _TEXT,
        "source_id": {"type": ["string", "null"]},
        "kind": {"enum": KINDS},
        "suppression_threshold": {"type": "integer", "minimum": 1},
        # Shares in percent only: the fewest yes- and no-answers a published cell or a computable group of
        # hidden cells may have (DEFAULT_MIN_ANSWER_COUNT when absent: 0 % and 100 % are protected).
        "min_answer_count": {"type": "integer", "minimum": 0},
        "age_group": {"type": ["string", "null"]},
        "levels": {"type": "array", "minItems": 1, "items": {"enum": AREA_LEVELS}, "uniqueItems": True},
        "risk_protective": {"enum": ["risk", "protective", None]},
        "note": {"type": "string"},
        # Kolada's "Osäkerhetstal" KPI for a sample-survey KPI: the margin of error (value ± margin is the
        # 95 % interval; for NTU the larger side of Brå's asymmetric interval).
        "uncertainty_kpi": {"type": "string", "pattern": "^[NU][0-9]{5}$"},
        # A crude rate per N inhabitants ("antal/100 000 inv"): the catalogue indicator that holds the
        # population it is counted on (Kolada's N01951, invånare totalt). With it the rate's count is known
        # and the comparison gets the exact Poisson interval Fingertips gives a crude rate.
        "population_kpi": {"type": "string", "pattern": "^N[0-9]{5}$"},
        # How the values are made where that differs between areas (e.g. Hälsa på lika villkor's pooled
        # four-year means vs Liv & hälsa's single years in the CDUST counties): "areas" lists area ids
        # (a county id covers its municipalities) or "default"; comparisons say when they mix methods.
        "method_notes": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["areas", "text"],
            "properties": {"areas": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                           "text": {"type": "string", "minLength": 1}}}},
        # Years from which the series is not comparable with earlier years (a changed definition or
        # method): charts draw them, and changes and trends never reach across them.
        # The series kind where it matters for trends and targets: each value the mean of this many years
        # (Kolada's "glidande fyraårsmedel"), or one measurement published for this many years.
        "series": {"type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
                   "properties": {"moving_average": {"type": "integer", "minimum": 2, "maximum": 10},
                                  "repeated": {"type": "integer", "minimum": 2, "maximum": 5}}},
        "series_breaks": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["year", "description"],
            "properties": {"year": {"type": "integer", "minimum": 1990, "maximum": 2100},
                           "description": {"type": "string", "minLength": 1},
                           "areas": {"type": "array", "minItems": 1,
                                     "items": {"type": "string", "pattern": r"^\d{4}$"}}}}},
        "demo": {
            "type": "object",
            "additionalProperties": False,
            "required": ["level", "spread", "min", "max"],
            "properties": {
                "level": {"type": "number"},
                "spread": {"type": "number", "minimum": 0},
                "trend": {"type": "number"},
                "gender_gap": {"type": "number"},
                "min": {"type": "number"},
                "max": {"type": "number"},
                "every": {"type": "integer", "minimum": 1, "maximum": 5},
                "first_year": {"type": "integer"},
                "respondents": {"type": "integer", "minimum": 1},
            },
        },
    },
    "allOf": [
        # A survey indicator must say when its cells are too small to publish.
        {"if": {"properties": {"kind": {"const": "survey"}}},
         "then": {"required": ["suppression_threshold"]}},
        {"if": {"properties": {"source": {"const": "kolada"}}},
         "then": {"required": ["source_id"], "properties": {"source_id": {"type": "string"}}}},
    ],
}

INDICATORS_FILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["indicators"],
    "properties": {"indicators": {"type": "array", "minItems": 1, "items": INDICATOR_SCHEMA}},
}

_GOAL_INDICATOR = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id"],
    "properties": {
        "id": _ID,
        # The strategy's own wording of the indicator, shown instead of the catalogue title.
        "label": {"type": "string"},
        "primary": {"type": "boolean"},
        # A target the strategy sets: a value to reach by a year, or only a direction where it gives none.
        "target": {"oneOf": [
            {"type": "object", "additionalProperties": False, "required": ["value", "year"],
             "properties": {"value": {"type": "number"}, "year": {"type": "integer", "minimum": TARGET_YEAR_MIN,
                                                                   "maximum": TARGET_YEAR_MAX},
                            "source": {"type": "string"}}},
            {"type": "object", "additionalProperties": False, "required": ["direction"],
             "properties": {"direction": {"enum": TARGET_DIRECTIONS}, "source": {"type": "string"}}},
        ]},
    },
}

_GOAL = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "code", "title", "indicators"],
    "properties": {
        "id": _ID,
        "code": _TEXT,
        "title": _TEXT,
        "description": {"type": "string"},
        "origin": {"type": "string"},
        "indicators": {"type": "array", "minItems": 1, "items": _GOAL_INDICATOR},
    },
}

_FOCUS_AREA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "code", "title", "kind", "goals"],
    "properties": {
        "id": _ID,
        "code": _TEXT,
        "title": _TEXT,
        "subtitle": {"type": "string"},
        # the strategy's own word: fokusområde, målområde, strategiskt område, övergripande mål …
        "kind": {"type": "string", "minLength": 1, "maxLength": 60},
        "description": {"type": "string"},
        "agenda2030": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "title"],
                "properties": {"code": _TEXT, "title": _TEXT, "text": {"type": "string"}},
            },
        },
        "goals": {"type": "array", "minItems": 1, "items": _GOAL},
    },
}

STRATEGY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "municipality_id", "municipality", "title", "period", "baseline_year",
                 "county_id", "sources", "focus_areas"],
    "properties": {
        "id": _ID,
        "municipality_id": {"type": "string", "pattern": r"^\d{4}$"},
        "municipality": _TEXT,
        "title": _TEXT,
        "description": {"type": "string"},
        "period": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "baseline_year": {"type": "integer"},
        "county_id": {"type": "string", "pattern": r"^00\d{2}$"},
        "comparison_groups": {"type": "array", "items": {"type": "string"}},
        "sources": {"type": "array", "minItems": 1, "items": _TEXT},
        "focus_area_label": {"type": "string", "minLength": 1, "maxLength": 60},
        # its plural for the menu's heading, where the label is not one of FOCUS_AREA_KINDS
        "focus_area_plural": {"type": "string", "minLength": 1, "maxLength": 60},
        "focus_areas": {"type": "array", "minItems": 1, "items": _FOCUS_AREA},
    },
}

FACTORS_FILE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["source", "factors"],
    "properties": {
        "source": _TEXT,
        "factors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "name", "type", "level", "category", "indicators"],
                "properties": {
                    "id": _ID,
                    "name": _TEXT,
                    "type": {"enum": ["risk", "protective"]},
                    "level": {"enum": FACTOR_LEVELS},
                    "category": {"enum": FACTOR_CATEGORIES},
                    "description": {"type": "string"},
                    "indicators": {"type": "array", "minItems": 1, "items": _ID},
                },
            },
        },
    },
}

AREAS_FILE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["groups"],
    "properties": {
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "municipality_id", "members", "is_demo", "source"],
                "properties": {
                    "id": _ID,
                    "title": _TEXT,
                    "municipality_id": {"type": "string", "pattern": r"^\d{4}$"},
                    "members": {"type": "array", "minItems": 1,
                                "items": {"type": "string", "pattern": r"^\d{4}$"}},
                    "is_demo": {"type": "boolean"},
                    "source": _TEXT,
                },
            },
        },
    },
}


# A local note's bounds, the same for the catalogue files and notes written in the app (services/notes.py).
NOTE_YEAR_MIN, NOTE_YEAR_MAX = 1990, 2100
NOTE_TEXT_MAX = 200  # one line under a chart
NOTE_SOURCE_MAX = 300

_NOTE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["year", "text"],
    # A note belongs to one indicator or to one focus area (then it shows on all its indicators' charts).
    "oneOf": [{"required": ["indicator"]}, {"required": ["focus_area"]}],
    "properties": {
        "indicator": _ID,
        "focus_area": _ID,
        "year": {"type": "integer", "minimum": NOTE_YEAR_MIN, "maximum": NOTE_YEAR_MAX},
        "text": {"type": "string", "minLength": 1, "maxLength": NOTE_TEXT_MAX},
        "source": {"type": "string", "maxLength": NOTE_SOURCE_MAX},
        # An example for the demo store only: never written into a store built from real sources.
        "example": {"type": "boolean"},
    },
}

ANNOTATIONS_FILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["municipality_id", "notes"],
    "properties": {
        "municipality_id": {"type": "string", "pattern": "^[0-9]{4}$"},
        "notes": {"type": "array", "items": _NOTE},
    },
}


def rate_base(unit: str) -> int | None:
    """The N of a crude rate's unit "antal/N inv" (100 000 for "antal/100 000 inv"), else None."""
    m = re.fullmatch(r"antal/(\d[\d\s]*) inv", str(unit or "").strip())
    return int(re.sub(r"\s", "", m.group(1))) if m else None
