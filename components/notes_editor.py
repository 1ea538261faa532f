"""The editor page's content (issue #27): a redaktör writes a note on one of their strategy's indicators
(year, text, optional source), sees it as it will stand under the chart, saves it; lists the notes written
in the app with "Ta bort"; and the audit trail. Every write goes through ``services.notes``, which checks the
role itself: this page only decides what to draw."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalogue.schema import NOTE_TEXT_MAX, NOTE_YEAR_MAX, NOTE_YEAR_MIN
from components.account import md_text
from components.strings import t
from services import catalogue as cat
from services import notes
from services.auth import Principal

RESULT = "_notes_result"  # (kind, message) of the last save or removal, shown once
KEYS = {"kommun": "notes_kommun", "indicator": "notes_indicator", "year": "notes_year", "text": "notes_text",
        "source": "notes_source"}


def _draft(kommun: str) -> notes.Draft:
    s = st.session_state
    return notes.Draft(kommun, s.get(KEYS["indicator"]) or "", int(s.get(KEYS["year"]) or 0),
                       s.get(KEYS["text"]) or "", s.get(KEYS["source"]) or "")


def _save(principal: Principal, kommun: str, label: str) -> None:
    try:
        notes.add_note(principal, _draft(kommun))
    except PermissionError as exc:
        st.session_state[RESULT] = ("error", str(exc))
    except notes.NoteError as exc:
        st.session_state[RESULT] = ("error", " ".join(exc.problems))
    else:
        st.session_state[RESULT] = ("success", t("notes_saved", indicator=label))
        st.session_state[KEYS["text"]] = ""
        st.session_state[KEYS["source"]] = ""


def _remove(principal: Principal, kommun: str, uid: str) -> None:
    try:
        notes.remove_note(principal, kommun, uid)
    except PermissionError as exc:
        st.session_state[RESULT] = ("error", str(exc))
    except notes.NoteError as exc:
        st.session_state[RESULT] = ("error", " ".join(exc.problems))
    else:
        st.session_state[RESULT] = ("success", t("notes_removed"))


def _preview(kommun: str, strategy_id: str, draft: notes.Draft, label: str, municipality: str) -> None:
    """The note among the indicator's notes, numbered as the chart will number them."""
    st.subheader(t("notes_preview"))
    clean = draft.cleaned()
    if not clean.text:
        st.caption(t("notes_preview_empty"))
        return
    existing = cat.annotations(kommun, strategy_id, draft.indicator_id)
    new = pd.DataFrame([{"year": clean.year, "text": clean.text, "source": clean.source or None,
                         "is_example": False, "new": True}])
    rows = pd.concat([existing.assign(new=False), new], ignore_index=True).sort_values("year", kind="stable")
    st.caption(t("notes_preview_caption", indicator=label, municipality=municipality))
    with st.container(key="notes_preview", border=True):
        for number, n in enumerate(rows.itertuples(), start=1):
            line = t("note_line", number=number, year=int(n.year), text=n.text,
                     example=t("note_example") if n.is_example else "",
                     source=f" ({n.source})" if isinstance(n.source, str) and n.source else "")
            st.caption(f"**{line}**" if n.new else line)


def render(principal: Principal, default_kommun: str) -> None:
    st.title(t("notes_title"))
    munis = notes.editable_municipalities(principal)
    if not notes.can_edit(principal):
        st.error(t("notes_refused" if principal.signed_in else "notes_refused_anonymous"))
        return
    st.caption(t("notes_intro", who=md_text(principal.who), role=md_text(principal.role_label)))
    names = {s.municipality_id: s.municipality for s in cat.strategies()}
    if st.session_state.get(KEYS["kommun"]) not in munis:
        st.session_state[KEYS["kommun"]] = default_kommun if default_kommun in munis else munis[0]
    kommun = st.selectbox(t("notes_municipality"), munis, format_func=lambda m: names.get(m, m), key=KEYS["kommun"],
                          disabled=len(munis) == 1)
    strategy = cat.strategy_for(kommun)
    choices = notes.indicator_choices(kommun)
    labels = dict(zip(choices["indicator_id"], choices["label"], strict=True))
    if st.session_state.get(KEYS["indicator"]) not in labels:
        st.session_state[KEYS["indicator"]] = choices["indicator_id"].iloc[0]
    indicator_id = st.selectbox(t("notes_indicator"), list(labels), format_func=labels.get, key=KEYS["indicator"])
    if KEYS["year"] not in st.session_state:
        st.session_state[KEYS["year"]] = min(max(cat.year_bounds()[1], NOTE_YEAR_MIN), NOTE_YEAR_MAX)
    st.number_input(t("notes_year"), min_value=NOTE_YEAR_MIN, max_value=NOTE_YEAR_MAX, step=1, key=KEYS["year"])
    st.text_area(t("notes_text", max=NOTE_TEXT_MAX), max_chars=NOTE_TEXT_MAX, key=KEYS["text"])
    st.text_input(t("notes_source"), key=KEYS["source"])
    draft = _draft(kommun)
    short = cat.indicator(indicator_id)["short_title"]
    _preview(kommun, strategy.id, draft, short, names.get(kommun, kommun))
    found = notes.problems(draft) if draft.cleaned().text else []
    for problem in found:
        st.warning(problem)
    st.button(t("notes_save"), key="notes_save", type="primary", disabled=bool(found) or not draft.cleaned().text,
              on_click=_save, args=(principal, kommun, short))
    result = st.session_state.pop(RESULT, None)
    if result:
        (st.success if result[0] == "success" else st.error)(result[1])
    _existing(principal, kommun, names.get(kommun, kommun))
    _audit(principal)


def _existing(principal: Principal, kommun: str, municipality: str) -> None:
    st.subheader(t("notes_existing", municipality=municipality))
    df = notes.app_notes(kommun)
    if df.empty:
        st.caption(t("notes_none", municipality=municipality))
        return
    for r in df.itertuples():
        cols = st.columns([6, 1])
        cols[0].markdown(t("notes_item", indicator=r.short_title, year=int(r.year), text=r.text,
                           source=f" ({r.source})" if isinstance(r.source, str) and r.source else "",
                           who=md_text(r.author_email or r.author_subject), at=str(r.created_at)[:16].replace("T", " ")))
        cols[1].button(t("notes_remove"), key=f"notes_remove_{r.uid}", on_click=_remove, args=(principal, kommun, r.uid))


def _target_name(target) -> str:
    """What an audit event concerns, by name: an indicator's short title, an action as "åtgärd 6.1", a file
    by its name (codes mean nothing at a meeting)."""
    if not isinstance(target, str):
        return ""
    ind = cat.indicators()
    if target in ind.index:
        return str(ind.loc[target, "short_title"])
    area, _, action = target.rpartition("/")
    if area and action:
        code = next((r.code for s in cat.strategies() for r in cat.focus_areas(s.id).itertuples() if r.id == area),
                    None)
        if code is not None:
            return t("audit_action_target", code=f"{str(code).rstrip('.')}.{action}")
    return target


def _audit(principal: Principal) -> None:
    st.subheader(t("audit_heading"))
    trail = notes.audit_trail(principal)
    if trail.empty:
        st.caption(t("audit_none"))
        return
    shown = pd.DataFrame({
        t("audit_col_at"): trail["at"].str.slice(0, 19).str.replace("T", " "),
        t("audit_col_who"): trail["who"],
        t("audit_col_action"): [t(f"audit_{a}") for a in trail["action"]],
        t("audit_col_municipality"): trail["municipality_id"],
        t("audit_col_target"): [_target_name(x) for x in trail["target"]],
        t("audit_col_year"): trail["year"],
        t("audit_col_text"): trail["text"],
    })
    st.dataframe(shown, hide_index=True, key="audit_table")
