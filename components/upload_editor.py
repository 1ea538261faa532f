"""The upload page's content (issue #27): a redaktör uploads a survey file (CSV or Excel), sees what would
change — rows read, new / revised / withdrawn values, the cells disclosure control hides, every refusal with
its line — and publishes it; or undoes the last upload. Every write goes through ``services.uploads``, which
checks the role itself: this page only decides what to draw. Text from the file is shown as plain text
(``st.text`` and tables), never as markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.account import md_text
from components.strings import gender_label, t
from services import catalogue as cat
from services import notes, uploads
from services.auth import Principal

RESULT = "_upload_result"  # (kind, message) of the last publish or undo, shown once
PREVIEW = "_upload_preview"  # the Preview of the file in the uploader
ROUND = "_upload_round"  # a new uploader (empty) after each publish
CONFIRM = "_upload_confirm_undo"
KOMMUN = "upload_kommun"


def can_upload(principal: Principal) -> bool:
    """The page is for a redaktör of some strategy's municipality, or an administratör (as Anteckningar)."""
    return notes.can_edit(principal)


def _publish(principal: Principal, kommun: str, preview: uploads.Preview) -> None:
    try:
        done = uploads.publish(principal, kommun, preview)
    except PermissionError as exc:
        st.session_state[RESULT] = ("error", str(exc))
    except uploads.UploadError as exc:
        st.session_state[RESULT] = ("error", " ".join(exc.problems))
    else:
        st.session_state[RESULT] = ("success", t("upload_published", rows=done.rows, file=done.file_name,
                                                 build=done.build_id[:12]))
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
        st.session_state.pop(PREVIEW, None)


def _undo(principal: Principal, kommun: str) -> None:
    st.session_state[CONFIRM] = False
    try:
        done = uploads.undo_last(principal, kommun)
    except PermissionError as exc:
        st.session_state[RESULT] = ("error", str(exc))
    except uploads.UploadError as exc:
        st.session_state[RESULT] = ("error", " ".join(exc.problems))
    else:
        st.session_state[RESULT] = ("success", t("upload_undone", file=done.file_name, build=done.build_id[:12],
                                                 undone=done.previous_build_id[:12]))
        st.session_state.pop(PREVIEW, None)


def _ask_undo() -> None:
    st.session_state[CONFIRM] = True


def _cells(frame: pd.DataFrame) -> dict:
    return {t("upload_col_indicator"): frame["short_title"].fillna(frame["indicator_id"]),
            t("upload_col_area"): frame["area_name"].fillna(frame["area_id"]),
            t("upload_col_year"): frame["year"].astype(int),
            t("upload_col_gender"): [gender_label(g) for g in frame["gender"]]}


def _show_preview(p: uploads.Preview) -> None:
    st.subheader(t("upload_preview"))
    if not p.ok:
        st.error(t("upload_refusals"))
        with st.container(key="upload_refusals", border=True):
            for problem in p.refusals:
                st.text(problem)
        return
    c = p.counts
    st.info(t("upload_summary", file=p.file_name, rows=p.rows, new=c["new"], revised=c["revised"],
              withdrawn=c["withdrawn"], hidden=c["hidden"], hidden_earlier=c["hidden_earlier"]))
    st.markdown(f"**{t('upload_changes')}**")
    if p.changes.empty:
        st.caption(t("upload_no_changes"))
    else:
        ch = p.changes
        st.dataframe(pd.DataFrame({**_cells(ch),
                                   t("upload_col_change"): [t(f"upload_change_{x}") for x in ch["change"]],
                                   t("upload_col_old"): ch["old_value"], t("upload_col_new"): ch["new_value"]}),
                     hide_index=True, key="upload_changes")
    st.markdown(f"**{t('upload_hidden')}**")
    if p.hidden.empty:
        st.caption(t("upload_no_hidden"))
    else:
        h = p.hidden
        st.dataframe(pd.DataFrame({**_cells(h), t("upload_col_from_file"): [
            t("upload_from_file") if x else t("upload_from_store") for x in h["from_file"]]}),
            hide_index=True, key="upload_hidden")


def render(principal: Principal, default_kommun: str) -> None:
    st.title(t("upload_title"))
    if not can_upload(principal):
        st.error(t("upload_refused" if principal.signed_in else "upload_refused_anonymous"))
        return
    st.caption(t("upload_intro", max=uploads.MAX_BYTES // 1024 // 1024, who=md_text(principal.who),
                 role=md_text(principal.role_label)))
    munis = notes.editable_municipalities(principal)
    names = {s.municipality_id: s.municipality for s in cat.strategies()}
    if st.session_state.get(KOMMUN) not in munis:
        st.session_state[KOMMUN] = default_kommun if default_kommun in munis else munis[0]
    kommun = st.selectbox(t("upload_municipality"), munis, format_func=lambda m: names.get(m, m), key=KOMMUN,
                          disabled=len(munis) == 1)
    result = st.session_state.pop(RESULT, None)
    if result:
        (st.success if result[0] == "success" else st.error)(result[1])
    file = st.file_uploader(t("upload_file"), type=["csv", "xlsx"], accept_multiple_files=False,
                            key=f"upload_file_{st.session_state.get(ROUND, 0)}")
    if file is not None:
        data = file.getvalue()
        p = st.session_state.get(PREVIEW)
        if not (isinstance(p, uploads.Preview) and p.municipality_id == kommun and p.file_name == file.name
                and p.data == data):
            try:
                p = uploads.preview(principal, kommun, file.name, data)
            except PermissionError as exc:
                st.error(str(exc))
                return
            st.session_state[PREVIEW] = p
        _show_preview(p)
        if p.ok:
            st.button(t("upload_publish"), key="upload_publish", type="primary", on_click=_publish,
                      args=(principal, kommun, p))
    _undo_section(principal, kommun)
    _history(principal)


def _undo_section(principal: Principal, kommun: str) -> None:
    st.subheader(t("upload_undo"))
    record = uploads.last_upload(kommun)
    if record is None:
        st.caption(t("upload_undo_none"))
        return
    who = f"{record['email']} ({record['subject']})" if record.get("email") else record.get("subject", "")
    st.caption(t("upload_undo_what", file=md_text(record["file"]), rows=record.get("rows"), who=md_text(who),
                 at=str(record.get("at", ""))[:19].replace("T", " ")))
    if not st.session_state.get(CONFIRM):
        st.button(t("upload_undo"), key="upload_undo", on_click=_ask_undo)
    else:
        st.button(t("upload_undo_confirm"), key="upload_undo_confirm", type="primary", on_click=_undo,
                  args=(principal, kommun))


def _history(principal: Principal) -> None:
    st.subheader(t("upload_history"))
    trail = uploads.history(principal)
    if trail.empty:
        st.caption(t("upload_history_none"))
        return
    st.dataframe(pd.DataFrame({
        t("upload_col_at"): trail["at"].str.slice(0, 19).str.replace("T", " "),
        t("upload_col_who"): trail["who"],
        t("upload_col_action"): [t(f"upload_action_{a}") for a in trail["action"]],
        t("upload_col_municipality"): trail["municipality_id"],
        t("upload_col_file"): trail["file"],
        t("upload_col_rows"): trail["rows"],
        t("upload_col_sha"): trail["sha256"],
        t("upload_col_undid"): trail["undid_build_id"],
    }), hide_index=True, key="upload_history_table")
