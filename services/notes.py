"""Notes on an indicator's trend written in the app by a redaktör (issue #27), and the audit trail.

Every write here checks the role on the server first (``auth.require``), inside the write function itself:
a reader's or an anonymous session's call, from a crafted link or websocket message, is refused with a
Swedish PermissionError and nothing is written. A note is checked like the catalogue's notes (year range,
length, no HTML or markdown, an indicator of the municipality's strategy) and published through
``etl.app_writes`` (lock, checked copy, atomic swap; PostgreSQL too), with its author and time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import pandas as pd

from catalogue.schema import NOTE_SOURCE_MAX, NOTE_TEXT_MAX, NOTE_YEAR_MAX, NOTE_YEAR_MIN
from etl import app_writes
from etl.catalogue import MARKUP
from etl.publish import PublishError
from services import auth
from services import catalogue as cat
from services.auth import Principal
from services.store import q
from store.db import StoreError

log = logging.getLogger(__name__)


class NoteError(ValueError):
    """A note that cannot be saved; ``problems`` are Swedish sentences (nothing was written)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Draft:
    """A note as typed: the indicator, the year, the text and an optional source."""

    municipality_id: str
    indicator_id: str
    year: int
    text: str
    source: str = ""

    def cleaned(self) -> Draft:
        return Draft(self.municipality_id, self.indicator_id, self.year, " ".join(self.text.split()),
                     " ".join(self.source.split()))


def editable_municipalities(principal: Principal) -> tuple[str, ...]:
    """The municipalities with a strategy whose notes ``principal`` may write (an administratör: all)."""
    ids = [s.municipality_id for s in cat.strategies()]
    return tuple(m for m in ids if principal.has(auth.EDITOR, m))


def can_edit(principal: Principal) -> bool:
    """Whether the editor page is for this user: a redaktör of some strategy's municipality, or an
    administratör."""
    return principal.signed_in and bool(editable_municipalities(principal))


def indicator_choices(municipality_id: str) -> pd.DataFrame:
    """The strategy's indicators a note can be written on (indicator_id, label), in catalogue order."""
    gi = cat.goal_indicators(cat.strategy_for(municipality_id).id)
    gi = gi.drop_duplicates("indicator_id")
    return pd.DataFrame({"indicator_id": gi["indicator_id"].tolist(),
                         "label": [f"{r.short_title} (mål {r.goal_code})" for r in gi.itertuples()]})


def problems(draft: Draft) -> list[str]:
    """Why ``draft`` cannot be saved, in Swedish (empty: it can): the catalogue's rules for notes."""
    d = draft.cleaned()
    out = []
    if not any(s.municipality_id == d.municipality_id for s in cat.strategies()):
        out.append(f"Kommunen {d.municipality_id} har ingen strategi i databasen.")
    elif d.indicator_id not in set(indicator_choices(d.municipality_id)["indicator_id"]):
        out.append(f"Indikatorn {d.indicator_id} finns inte i kommunens strategi.")
    if not isinstance(d.year, int) or not NOTE_YEAR_MIN <= d.year <= NOTE_YEAR_MAX:
        out.append(f"Året ska vara mellan {NOTE_YEAR_MIN} och {NOTE_YEAR_MAX}.")
    if not d.text:
        out.append("Skriv en text för anteckningen.")
    elif len(d.text) > NOTE_TEXT_MAX:
        out.append(f"Texten är {len(d.text)} tecken; högst {NOTE_TEXT_MAX} får plats under diagrammet.")
    if len(d.source) > NOTE_SOURCE_MAX:
        out.append(f"Källan är {len(d.source)} tecken; högst {NOTE_SOURCE_MAX}.")
    for name, value in (("Texten", d.text), ("Källan", d.source)):
        if MARKUP.search(value):
            out.append(f"{name} får inte innehålla HTML eller markdown (<, >, ` och länkar).")
        if any(not ch.isprintable() for ch in value):
            out.append(f"{name} innehåller styrtecken.")
    return out


def _author(principal: Principal) -> app_writes.Author:
    return app_writes.Author(subject=principal.subject, email=principal.email)


def _publish_failed(exc: Exception) -> NoteError:
    log.error("note publish failed: %s", exc)
    message = exc.message if isinstance(exc, StoreError) else str(exc)
    return NoteError([f"Anteckningen kunde inte sparas: {message}. Inget har ändrats; försök igen."])


def add_note(principal: Principal, draft: Draft) -> str:
    """Save a note as ``principal`` (a redaktör of the note's municipality, or an administratör): checked,
    published with author and time, audited; returns its uid. PermissionError or NoteError (Swedish)
    otherwise, and nothing is written."""
    auth.require(principal, auth.EDITOR, kommun=draft.municipality_id)
    found = problems(draft)
    if found:
        raise NoteError(found)
    d = draft.cleaned()
    try:
        uid = app_writes.add_note(_author(principal), d.municipality_id, d.indicator_id, d.year, d.text,
                                  d.source or None)
    except (PublishError, StoreError, OSError) as exc:
        raise _publish_failed(exc) from exc
    log.info("note %s added by %s for %s/%s", uid, principal.subject, d.municipality_id, d.indicator_id)
    return uid


def remove_note(principal: Principal, municipality_id: str, uid: str) -> None:
    """Remove an app note of ``municipality_id`` as ``principal`` (its redaktör or an administratör),
    audited; PermissionError or NoteError (Swedish) otherwise."""
    auth.require(principal, auth.EDITOR, kommun=municipality_id)
    try:
        app_writes.remove_note(_author(principal), uid, municipality_id)
    except (PublishError, StoreError, OSError) as exc:
        raise _publish_failed(exc) from exc
    log.info("note %s removed by %s", uid, principal.subject)


def app_notes(municipality_id: str) -> pd.DataFrame:
    """The notes written in the app for a municipality, newest first (uid, indicator_id, short_title, year,
    text, source, author_email, author_subject, created_at)."""
    return q("app_notes", municipality_id=municipality_id)


def audit_trail(principal: Principal) -> pd.DataFrame:
    """The audit events of the municipalities ``principal`` edits (an administratör: all), newest first, in
    columns: at (UTC), who, action (``schema.AUDIT_ACTIONS``), municipality_id, target (the indicator), the
    note's year and text (for a target: the target set, in words)."""
    munis = editable_municipalities(principal)
    if not munis:
        return pd.DataFrame(columns=["at", "who", "action", "municipality_id", "target", "year", "text"])
    df = q("audit_events", municipality_ids=list(munis))
    details = [json.loads(d) for d in df["details"]] if not df.empty else []
    return pd.DataFrame({
        "at": df["at"].tolist(),
        "who": [f"{e} ({s})" if isinstance(e, str) and e else s for e, s in zip(df["email"], df["subject"],
                                                                                  strict=True)],
        "action": df["action"].tolist(),
        "municipality_id": df["municipality_id"].tolist(),
        "target": df["target"].tolist(),
        "year": [d.get("year") for d in details],
        "text": [d.get("text") or _target_text(d) for d in details],
    })


def _target_text(details: dict) -> str | None:
    """What a target event set, in words ("ska öka", "80 år 2030", "borttaget"), with its decision."""
    if "target" not in details:
        return None
    what = (f"ska {details['direction']}" if details.get("direction") else
            f"{details['value']:g} år {details['year']}" if details.get("value") is not None else "målet borttaget")
    return f"{what} ({details['source']})" if details.get("source") else what
