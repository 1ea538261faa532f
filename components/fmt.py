"""Swedish (sv-SE) number formats: decimal comma, a space between thousands, ``..`` for suppressed."""

from __future__ import annotations

import math
import re

from store.rounding import half_away

SUPPRESSED = ".."  # SCB's and Kolada's sign for a value withheld to protect respondents
MISSING = "–"  # no value collected or published
NBSP = "\u00a0"  # thousands separator that never breaks a number across lines


def round_half_away(value, decimals: int = 1) -> float:
    """Round as Swedish official statistics do: halves away from zero (store.rounding)."""
    return half_away(value, decimals)


def number(value, decimals: int = 1) -> str:
    """1234.5 → '1 234,5'; None/NaN → '–'; halves away from zero."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{round_half_away(value, decimals):,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def signed(value, decimals: int = 1) -> str:
    """A difference with its sign: '+1,2', '−0,4' (a real minus sign), '±0,0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    rounded = round_half_away(value, decimals)
    if rounded == 0:
        return f"±{number(0, decimals)}"
    sign = "+" if rounded > 0 else "\u2212"
    return f"{sign}{number(abs(rounded), decimals)}"


def with_unit(value, decimals: int, unit: str) -> str:
    text = number(value, decimals)
    if text == MISSING:
        return text
    if unit.startswith("%"):
        return f"{text}{NBSP}%"
    if unit == "antal":  # "130 antal" reads oddly; a bare count says it
        return text
    return f"{text}{NBSP}{unit}" if unit else text


def diff_unit(unit: str, shown: str | None = None) -> str:
    """The unit of a difference: procentenheter for percentages, else the indicator's unit. With the number as
    ``shown``: 'procentenhet' where it reads exactly one ('1', '+1', '−1'; '1,0' stays plural, as written)."""
    if isinstance(unit, str) and unit.startswith("%"):
        return "procentenhet" if shown is not None and shown.lstrip("+-\u2212±") == "1" else "procentenheter"
    return "" if unit in (None, "", "antal") else unit


def signed_unit(value, decimals: int, unit: str) -> str:
    """'+1,2 procentenheter', '+1 procentenhet', '−3 antal/100 000 inv'."""
    text = signed(value, decimals)
    u = diff_unit(unit, text)
    return text if text == MISSING or not u else f"{text}{NBSP}{u}"


def shown_diff(first, second, decimals: int) -> float | None:
    """``second − first`` as a reader computes it from the two values shown beside it: each rounded to
    ``decimals`` first (91 and 94 shown → 3, never a 4 made by unrounded 90,6 and 94,4), then the difference
    rounded again so that no binary fraction is left. None where either is missing."""
    if first is None or second is None or _isnan(first) or _isnan(second):
        return None
    return round_half_away(round_half_away(second, decimals) - round_half_away(first, decimals), decimals)


def _isnan(x) -> bool:
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def cell(value, status: str, decimals: int = 1) -> str:
    """A table cell: the number, '..' for suppressed, '–' for missing."""
    if status == "suppressed":
        return SUPPRESSED
    if status != "ok":
        return MISSING
    return number(value, decimals)


# Characters Windows, macOS or Teams refuse or misread in a file name, and control characters.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
DEMO_FILE_MARK = "(demodata)"
MAX_FILE_STEM = 150  # well within every file system's 255, leaving room for a copy's " (2)"


def file_stem(*parts: str | None, demo: bool = False) -> str:
    """A file name without its extension, as :func:`file_name` makes it."""
    text = " – ".join(p.strip() for p in parts if p and p.strip())
    text = _UNSAFE_IN_FILE_NAME.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")[:MAX_FILE_STEM].strip(" .–") or "export"
    return f"{text} {DEMO_FILE_MARK}" if demo else text


def file_name(*parts: str | None, ext: str, demo: bool = False) -> str:
    """A file name a person reads: the parts joined by " – ", e.g. "Mötesunderlag Trelleborg – Boende och
    närmiljö 2026-12-06 (demodata).pdf". Characters that Windows, macOS or Teams refuse (/ \\ : * ? " < > |)
    become a space; no leading or trailing dot or space; a demo store's files say "(demodata)"."""
    return f"{file_stem(*parts, demo=demo)}.{ext.lstrip('.')}"
