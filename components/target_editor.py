"""The targets page's content (issue #27): a redaktör picks one of the strategy's goal indicators, sees the
target in force and where it comes from, sets a new one (a value by a year, only a direction, or none) with
the decision it comes from, and sees every target set in the app. Every write goes through
``services.targets``, which checks the role itself: this page only decides what to draw."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalogue.schema import TARGET_DIRECTIONS, TARGET_YEAR_MAX, TARGET_YEAR_MIN
from components import verdicts
from components.account import md_text
from components.strings import t
from services import catalogue as cat
from services import notes, targets
from services.auth import Principal

RESULT = "_targets_result"  # (kind, message) of the last save, shown once
KOMMUN, PICK = "targets_kommun", "targets_pick"


def _key(name: str, row: pd.Series) -> str:
    """A widget key of one goal indicator, so that each keeps its own inputs and starts from its target."""
    return f"targets_{name}_{row['goal_id']}_{row['indicator_id']}"


def _describe(value, year, direction, decimals, unit) -> str:
    return verdicts.target_goal(value, year, direction, int(decimals), unit)


def _draft(kommun: str, row: pd.Series) -> targets.Draft:
    s = st.session_state
    value = s.get(_key("value", row))
    year = s.get(_key("year", row))
    return targets.Draft(kommun, row["goal_id"], row["indicator_id"], s.get(_key("kind", row)) or targets.VALUE,
                         None if value is None else float(value), None if year is None else int(year),
                         s.get(_key("direction", row)), s.get(_key("source", row)) or "")


def _save(principal: Principal, kommun: str, row: pd.Series) -> None:
    try:
        targets.set_target(principal, _draft(kommun, row))
    except PermissionError as exc:
        st.session_state[RESULT] = ("error", str(exc))
    except targets.TargetError as exc:
        st.session_state[RESULT] = ("error", " ".join(exc.problems))
    else:
        st.session_state[RESULT] = ("success", t("targets_saved", indicator=row["short_title"]))
        st.session_state[_key("source", row)] = ""


def _current(row: pd.Series) -> None:
    kind = targets.VALUE if pd.notna(row["target_value"]) else targets.DIRECTION \
        if isinstance(row["target_direction"], str) and row["target_direction"] else targets.NONE
    if kind == targets.NONE:
        st.markdown(t("targets_current_none"))
        return
    goal = _describe(row["target_value"], row["target_year"], row["target_direction"], row["decimals"], row["unit"])
    source = row["target_source"]
    set_by = row["target_set_by"]
    origin = (t("targets_origin_app", who=md_text(set_by), at=str(row["target_set_at"])[:16].replace("T", " "))
              if isinstance(set_by, str) and set_by else t("targets_origin_file"))
    st.markdown(t("targets_current", goal=md_text(goal),
                  source=f" ({md_text(source)})" if isinstance(source, str) and source else "", origin=origin))


def render(principal: Principal, default_kommun: str) -> None:
    st.title(t("targets_title"))
    munis = notes.editable_municipalities(principal)
    if not notes.can_edit(principal):
        st.error(t("targets_refused" if principal.signed_in else "targets_refused_anonymous"))
        return
    st.caption(t("targets_intro", who=md_text(principal.who), role=md_text(principal.role_label)))
    names = {s.municipality_id: s.municipality for s in cat.strategies()}
    if st.session_state.get(KOMMUN) not in munis:
        st.session_state[KOMMUN] = default_kommun if default_kommun in munis else munis[0]
    kommun = st.selectbox(t("notes_municipality"), munis, format_func=lambda m: names.get(m, m), key=KOMMUN,
                          disabled=len(munis) == 1)
    rows = targets.goal_targets(kommun)
    picks = [f"{r.goal_id}|{r.indicator_id}" for r in rows.itertuples()]
    labels = dict(zip(picks, rows["label"], strict=True))
    if st.session_state.get(PICK) not in labels:
        st.session_state[PICK] = picks[0]
    pick = st.selectbox(t("targets_indicator"), picks, format_func=labels.get, key=PICK)
    row = rows.iloc[picks.index(pick)]
    _current(row)
    _form(principal, kommun, row)
    result = st.session_state.pop(RESULT, None)
    if result:
        (st.success if result[0] == "success" else st.error)(result[1])
    _history(kommun, names.get(kommun, kommun))


def _form(principal: Principal, kommun: str, row: pd.Series) -> None:
    has_value = pd.notna(row["target_value"])
    direction = row["target_direction"] if isinstance(row["target_direction"], str) else None
    kind = st.radio(t("targets_kind"), targets.KINDS, format_func=lambda k: t(f"targets_kind_{k}"),
                    index=targets.KINDS.index(targets.DIRECTION if direction else targets.VALUE),
                    key=_key("kind", row), horizontal=True)
    if kind == targets.VALUE:
        cols = st.columns(2)
        cols[0].number_input(t("targets_value", unit=row["unit"]), value=float(row["target_value"]) if has_value else None,
                             step=1.0, format=f"%.{int(row['decimals'])}f", key=_key("value", row))
        cols[1].number_input(t("targets_year"), min_value=TARGET_YEAR_MIN, max_value=TARGET_YEAR_MAX, step=1,
                             value=int(row["target_year"]) if has_value else cat.strategy_for(kommun).period_end,
                             key=_key("year", row))
    elif kind == targets.DIRECTION:
        st.radio(t("targets_direction"), TARGET_DIRECTIONS, format_func=lambda d: t(f"targets_direction_{d}"),
                 index=TARGET_DIRECTIONS.index(direction) if direction else 0, key=_key("direction", row),
                 horizontal=True)
    st.text_input(t("targets_source"), key=_key("source", row))
    draft = _draft(kommun, row)
    found = targets.problems(draft) if draft.cleaned().source else []
    for problem in found:
        st.warning(problem)
    st.button(t("targets_save"), key="targets_save", type="primary",
              disabled=bool(found) or not draft.cleaned().source, on_click=_save, args=(principal, kommun, row))


def _history(kommun: str, municipality: str) -> None:
    st.subheader(t("targets_history", municipality=municipality))
    df = targets.history(kommun)
    if df.empty:
        st.caption(t("targets_history_none", municipality=municipality))
        return
    units = cat.indicators()
    shown = pd.DataFrame({
        t("targets_col_at"): df["created_at"].str.slice(0, 16).str.replace("T", " "),
        t("targets_col_who"): df["author_email"].fillna(df["author_subject"]),
        t("targets_col_goal"): df["goal_code"],
        t("targets_col_indicator"): df["short_title"],
        t("targets_col_target"): [
            t("targets_kind_none") if pd.isna(r.target_value) and not r.target_direction else
            _describe(r.target_value, r.target_year, r.target_direction, units.loc[r.indicator_id, "decimals"],
                      units.loc[r.indicator_id, "unit"])
            for r in df.itertuples()],
        t("targets_col_source"): df["target_source"],
    })
    st.dataframe(shown, hide_index=True, key="targets_table")
