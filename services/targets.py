"""A strategy's targets set in the app by a redaktör (issue #27): a value to reach by a year, only a direction
(ska öka / ska minska), or the target removed, for one of a goal's indicators, with the decision it comes
from. The catalogue's targets (``catalogue/strategies/*.yaml``) remain the way to seed them; a target set in
the app replaces the catalogue's wherever targets are read (``queries/goal_indicators.sql``), and every change
is kept (the history) with its author and time.

Every write checks the role on the server first (``auth.require``, inside ``set_target`` itself): a reader's
or an anonymous session's call, from a crafted link or websocket message, is refused with the Swedish
PermissionError and nothing is written. A target is checked like the catalogue's (a number and a year within
the catalogue's bounds, or a direction of ``TARGET_DIRECTIONS``; a share in percent within 0–100) and
published through ``etl.app_writes`` (lock, checked copy, atomic swap; PostgreSQL too).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import pandas as pd

from catalogue.schema import NOTE_SOURCE_MAX, TARGET_DIRECTIONS, TARGET_YEAR_MAX, TARGET_YEAR_MIN
from etl import app_writes
from etl.catalogue import MARKUP
from etl.publish import PublishError
from services import auth
from services import catalogue as cat
from services.auth import Principal
from services.store import q
from store.db import StoreError

log = logging.getLogger(__name__)

VALUE, DIRECTION, NONE = "value", "direction", "none"  # the kinds of target a redaktör can set
KINDS = (VALUE, DIRECTION, NONE)


class TargetError(ValueError):
    """A target that cannot be saved; ``problems`` are Swedish sentences (nothing was written)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Draft:
    """A target as typed: which goal's indicator, its kind (``KINDS``), the value and year or the direction,
    and the decision it comes from."""

    municipality_id: str
    goal_id: str
    indicator_id: str
    kind: str
    value: float | None = None
    year: int | None = None
    direction: str | None = None
    source: str = ""

    def cleaned(self) -> Draft:
        """Only the fields its kind uses, the source's spaces collapsed."""
        return Draft(self.municipality_id, self.goal_id, self.indicator_id, self.kind,
                     self.value if self.kind == VALUE else None, self.year if self.kind == VALUE else None,
                     self.direction if self.kind == DIRECTION else None, " ".join(str(self.source or "").split()))


def goal_targets(municipality_id: str) -> pd.DataFrame:
    """The strategy's goal indicators with the target in force (the catalogue's, or the newest set in the
    app: target_set_by/target_set_at), in catalogue order: goal_id, goal_code, goal_title, indicator_id,
    short_title, unit, decimals, target_value, target_year, target_direction, target_source, target_set_by,
    target_set_at, label (for a menu)."""
    gi = cat.goal_indicators(cat.strategy_for(municipality_id).id)
    out = gi[["goal_id", "goal_code", "goal_title", "indicator_id", "short_title", "unit", "decimals",
              "target_value", "target_year", "target_direction", "target_source", "target_set_by",
              "target_set_at"]].reset_index(drop=True)
    out["label"] = [f"Mål {r.goal_code}: {r.short_title}" for r in out.itertuples()]
    return out


def current(municipality_id: str, goal_id: str, indicator_id: str) -> pd.Series | None:
    """The goal indicator's row of ``goal_targets``, None if the strategy has no such pair."""
    df = goal_targets(municipality_id)
    hit = df[(df["goal_id"] == goal_id) & (df["indicator_id"] == indicator_id)]
    return None if hit.empty else hit.iloc[0]


def _kind_of(row: pd.Series) -> str:
    if isinstance(row["target_direction"], str) and row["target_direction"]:
        return DIRECTION
    return NONE if pd.isna(row["target_value"]) else VALUE


def _same(row: pd.Series, d: Draft) -> bool:
    """Whether ``d`` says what the target in force already says (then there is nothing to save)."""
    kind = _kind_of(row)
    if kind != d.kind:
        return False
    if kind == VALUE:
        return math.isclose(float(row["target_value"]), float(d.value)) and int(row["target_year"]) == d.year
    return kind == NONE or row["target_direction"] == d.direction


def problems(draft: Draft) -> list[str]:
    """Why ``draft`` cannot be saved, in Swedish (empty: it can): the catalogue's rules for targets, and a
    decision to cite."""
    d = draft.cleaned()
    if not any(s.municipality_id == d.municipality_id for s in cat.strategies()):
        return [f"Kommunen {d.municipality_id} har ingen strategi i databasen."]
    row = current(d.municipality_id, d.goal_id, d.indicator_id)
    if row is None:
        return [f"Indikatorn {d.indicator_id} hör inte till mål {d.goal_id} i kommunens strategi."]
    if d.kind not in KINDS:
        return [f"Okänd sorts mål: {d.kind}."]
    out = []
    if d.kind == VALUE:
        if d.value is None or not isinstance(d.value, int | float) or not math.isfinite(d.value):
            out.append("Skriv målvärdet som ett tal.")
        elif str(row["unit"] or "").strip().startswith("%") and not 0 <= d.value <= 100:
            out.append(f"Målvärdet {d.value:g} är en andel i procent och ska ligga mellan 0 och 100.")
        if not isinstance(d.year, int) or not TARGET_YEAR_MIN <= d.year <= TARGET_YEAR_MAX:
            out.append(f"Målåret ska vara mellan {TARGET_YEAR_MIN} och {TARGET_YEAR_MAX}.")
    elif d.kind == DIRECTION and d.direction not in TARGET_DIRECTIONS:
        out.append("Välj om värdet ska öka eller minska.")
    if d.kind == NONE and _kind_of(row) == NONE:
        out.append("Indikatorn har inget mål att ta bort.")
    if not d.source:
        out.append("Ange beslutet som målet kommer från, t.ex. ”KF 2025-03-24 § 41”.")
    elif len(d.source) > NOTE_SOURCE_MAX:
        out.append(f"Beslutet är {len(d.source)} tecken; högst {NOTE_SOURCE_MAX}.")
    elif MARKUP.search(d.source):
        out.append("Beslutet får inte innehålla HTML eller markdown (<, >, ` och länkar).")
    elif any(not ch.isprintable() for ch in d.source):
        out.append("Beslutet innehåller styrtecken.")
    if not out and _same(row, d):
        out.append("Målet är redan detta; det finns inget att spara.")
    return out


def set_target(principal: Principal, draft: Draft) -> str:
    """Save a target as ``principal`` (a redaktör of the municipality, or an administratör): checked,
    published with author and time, audited; returns the row's uid. PermissionError or TargetError (Swedish)
    otherwise, and nothing is written."""
    auth.require(principal, auth.EDITOR, kommun=draft.municipality_id)
    found = problems(draft)
    if found:
        raise TargetError(found)
    d = draft.cleaned()
    try:
        uid = app_writes.set_target(app_writes.Author(subject=principal.subject, email=principal.email),
                                    d.municipality_id, d.goal_id, d.indicator_id,
                                    None if d.value is None else float(d.value), d.year, d.direction, d.source)
    except (PublishError, StoreError, OSError) as exc:
        log.error("target publish failed: %s", exc)
        message = exc.message if isinstance(exc, StoreError) else str(exc)
        raise TargetError([f"Målet kunde inte sparas: {message}. Inget har ändrats; försök igen."]) from exc
    log.info("target %s set by %s for %s/%s/%s", uid, principal.subject, d.municipality_id, d.goal_id,
             d.indicator_id)
    return uid


def history(municipality_id: str) -> pd.DataFrame:
    """Every target set in the app for the municipality, newest first (``queries/app_targets.sql``)."""
    return q("app_targets", municipality_id=municipality_id)
