"""The upload page's content (issue #27): a redaktör chooses what to upload. A survey file (CSV or Excel):
what would change — rows read, new / revised / withdrawn values, the cells disclosure control hides, every
refusal with its line — then publish it, or undo the last upload. The action plan's follow-up (the template
``atgarder_mall.csv``, downloadable here): per row new or replacing an earlier status, every refusal, then
publish. Every write goes through ``services.uploads`` / ``services.action_uploads``, which check the role
themselves: this page only decides what to draw. Text from the file is shown as plain text
(``st.text`` and tables), never as markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.account import md_text
from components.strings import gender_label, t
from services import action_uploads, notes, uploads
from services import catalogue as cat
from services.auth import Principal

RESULT = "_upload_result"  # (kind, message) of the last publish or undo, shown once
PREVIEW = "_upload_preview"  # the Preview of the file in the uploader
ROUND = "_upload_round"  # a new uploader (empty) after each publish
CONFIRM = "_upload_confirm_undo"
KOMMUN = "upload_kommun"
KIND = "upload_kind"  # what is uploaded: KINDS
KINDS = ("survey", "actions")
ACTIONS_PREVIEW = "_upload_actions_preview"  # the ActionsPreview of the follow-up file in the uploader


def can_upload(principal: Principal) -> bool:
    """The page is for a redaktör of some strategy's municipality, or an administratör (as Anteckningar)."""
    return notes.can_edit(principal)


def _publish(principal: Principal, kommun: str, preview: uploads.FileUpload) -> None:
    """The Publicera button's callback for either kind of file (its preview's class says which)."""
    actions = isinstance(preview, action_uploads.ActionsPreview)
    try:
        done = (action_uploads.publish_actions if actions else uploads.publish)(principal, kommun, preview)
    except PermissionError as exc:
        st.session_state[RESULT] = ("error", str(exc))
    except uploads.UploadError as exc:
        st.session_state[RESULT] = ("error", " ".join(exc.problems))
    else:
        st.session_state[RESULT] = ("success", t("upload_actions_published" if actions else "upload_published",
                                                 rows=done.rows, file=done.file_name, build=done.build_id[:12]))
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
        st.session_state.pop(ACTIONS_PREVIEW if actions else PREVIEW, None)


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


def _refused(p: uploads.FileUpload) -> bool:
    """Draw the preview's heading, and its refusals as plain text if it has any; True then."""
    st.subheader(t("upload_preview"))
    if p.ok:
        return False
    st.error(t("upload_refusals"))
    with st.container(key="upload_refusals", border=True):
        for problem in p.refusals:
            st.text(problem)
    return True


def _show_preview(p: uploads.Preview) -> None:
    if _refused(p):
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


def _swedish_uploader() -> None:
    """Streamlit's file uploader says "Upload" and "5MB per file" in English whatever the app's language; the
    page's own words take their place (the English text is hidden from sight and from screen readers; the
    Swedish is in pseudo-elements, which screen readers read)."""
    limit = t("upload_limit", max=uploads.MAX_BYTES // 1024 // 1024)
    st.html("<style>"
            "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p {display: none;}"
            "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer']::after "
            f"{{content: '{t('upload_button')}';}}"
            "[data-testid='stFileUploaderDropzoneInstructions'] span {display: none;}"
            f"[data-testid='stFileUploaderDropzoneInstructions'] > div::after {{content: '{limit}'; "
            "font-size: 0.875rem; color: #4A4A4A;}"
            "</style>")


def render(principal: Principal, default_kommun: str) -> None:
    st.title(t("upload_title"))
    if not can_upload(principal):
        st.error(t("upload_refused" if principal.signed_in else "upload_refused_anonymous"))
        return
    st.caption(t("upload_intro", who=md_text(principal.who), role=md_text(principal.role_label)))
    _swedish_uploader()
    munis = notes.editable_municipalities(principal)
    names = {s.municipality_id: s.municipality for s in cat.strategies()}
    if st.session_state.get(KOMMUN) not in munis:
        st.session_state[KOMMUN] = default_kommun if default_kommun in munis else munis[0]
    kommun = st.selectbox(t("upload_municipality"), munis, format_func=lambda m: names.get(m, m), key=KOMMUN,
                          disabled=len(munis) == 1)
    kind = st.radio(t("upload_kind"), KINDS, format_func=lambda k: t(f"upload_kind_{k}"), key=KIND,
                    horizontal=True)
    result = st.session_state.pop(RESULT, None)
    if result:
        (st.success if result[0] == "success" else st.error)(result[1])
    if kind == "actions":
        _actions(principal, kommun)
    else:
        _survey(principal, kommun)
    _history(principal)


def _preview_of(file, principal: Principal, kommun: str, key: str, make) -> uploads.FileUpload | None:
    """The preview ``make`` gives of the file in the uploader, kept in ``key`` while the file and the
    municipality stay; None without a file, or when the service refuses the role (the refusal drawn)."""
    if file is None:
        return None
    data = file.getvalue()
    p = st.session_state.get(key)
    if not (isinstance(p, uploads.FileUpload) and p.municipality_id == kommun and p.file_name == file.name
            and p.data == data):
        try:
            p = make(principal, kommun, file.name, data)
        except PermissionError as exc:
            st.error(str(exc))
            return None
        st.session_state[key] = p
    return p


def _survey(principal: Principal, kommun: str) -> None:
    st.caption(t("upload_survey_intro", max=uploads.MAX_BYTES // 1024 // 1024))
    file = st.file_uploader(t("upload_file"), type=["csv", "xlsx"], accept_multiple_files=False,
                            key=f"upload_file_{st.session_state.get(ROUND, 0)}")
    p = _preview_of(file, principal, kommun, PREVIEW, uploads.preview)
    if p is not None:
        _show_preview(p)
        if p.ok:
            st.button(t("upload_publish"), key="upload_publish", type="primary", on_click=_publish,
                      args=(principal, kommun, p))
    _undo_section(principal, kommun)


def _actions(principal: Principal, kommun: str) -> None:
    st.caption(t("upload_actions_intro", max=uploads.MAX_BYTES // 1024 // 1024))
    st.download_button(t("upload_actions_template"), action_uploads.template(), file_name="atgarder_mall.csv",
                       mime="text/csv", key="upload_actions_template")
    file = st.file_uploader(t("upload_actions_file"), type=["csv", "xlsx"], accept_multiple_files=False,
                            key=f"upload_actions_file_{st.session_state.get(ROUND, 0)}")
    p = _preview_of(file, principal, kommun, ACTIONS_PREVIEW, action_uploads.preview_actions)
    if p is None or _refused(p):
        return
    c = p.counts
    st.info(t("upload_actions_summary", file=p.file_name, rows=p.rows, new=c["new"], replaced=c["replaced"]))
    ch = p.changes
    st.dataframe(pd.DataFrame({
        t("upload_col_line"): ch["line"], t("upload_col_action_plan"): ch["action"], t("upload_col_year"): ch["year"],
        t("upload_col_change"): [t(f"upload_actions_change_{x}") for x in ch["change"]],
        t("upload_col_old_status"): ch["old_status"], t("upload_col_new_status"): ch["status"],
        t("upload_col_responsible"): ch["responsible"], t("upload_col_comment"): ch["comment"]}),
        hide_index=True, key="upload_actions_changes")
    st.button(t("upload_publish"), key="upload_actions_publish", type="primary", on_click=_publish,
              args=(principal, kommun, p))


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
