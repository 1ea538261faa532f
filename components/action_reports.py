"""The action plan's reporting pages (issue #27): "Åtgärder – rapportera" (an åtgärdsansvarig reports the
status, period and a comment of each of their body's actions, and sees each report's fate) and "Åtgärder –
granska" (the coordinator approves or rejects submitted reports, and downloads the actions without a report
for a period, for reminders). Every write goes through ``services.action_reports``, which checks the role
itself: these pages only decide what to draw."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import fmt
from components.account import md_text
from components.strings import t
from services import action_reports as ar
from services import auth
from services import catalogue as cat
from services import indicators as svc
from services.auth import Principal
from store.schema import ACTION_STATUSES

RESULT = "_action_report_result"  # (kind, message) of the last write, shown once
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _default_year() -> int:
    return min(max(dt.datetime.now(dt.UTC).year, ar.YEAR_MIN), ar.YEAR_MAX)


def _show_result() -> None:
    result = st.session_state.pop(RESULT, None)
    if result:
        (st.success if result[0] == "success" else st.error)(result[1])


def _run(write, success: str) -> None:
    try:
        write()
    except PermissionError as exc:
        st.session_state[RESULT] = ("error", str(exc))
    except ar.ReportError as exc:
        st.session_state[RESULT] = ("error", " ".join(exc.problems))
    else:
        st.session_state[RESULT] = ("success", success)


def _keys(n: int) -> dict[str, str]:
    return {k: f"ar_{k}_{n}" for k in ("status", "year", "comment")}


def _send(principal: Principal, aid: str, label: str, n: int) -> None:
    k, s = _keys(n), st.session_state
    draft = ar.Draft(aid, int(s.get(k["year"]) or 0), s.get(k["status"]) or "", s.get(k["comment"]) or "")

    def write() -> None:
        ar.report(principal, draft)
        s[k["comment"]] = ""

    _run(write, t("ar_sent", label=label, year=draft.year))


def _history_table(df: pd.DataFrame, with_action: bool = False) -> pd.DataFrame:
    cols = {}
    if with_action:
        cols[t("ar_col_action")] = df["label"]
    cols |= {
        t("ar_col_year"): df["year"].astype(str), t("ar_col_status"): df["status"],
        t("ar_col_comment"): df["comment"].fillna(""), t("ar_col_state"): df["state"],
        t("ar_col_reported"): [f"{e or s}, {str(a)[:16].replace('T', ' ')}" for e, s, a in
                               zip(df["reported_email"], df["reported_subject"], df["reported_at"], strict=True)],
        t("ar_col_reviewed"): ["" if not isinstance(a, str) else f"{e or s}, {a[:16].replace('T', ' ')}"
                               for e, s, a in zip(df["reviewed_email"], df["reviewed_subject"], df["reviewed_at"],
                                                  strict=True)],
        t("ar_col_reason"): df["rejection_reason"].fillna(""),
    }
    return pd.DataFrame(cols)


def render_report(principal: Principal) -> None:
    """The reporting page: per action of the user's body a form (status, period, comment) and its history."""
    st.title(t("ar_title"))
    if not ar.can_report(principal):
        st.error(t("ar_refused" if principal.signed_in else "ar_refused_anonymous"))
        return
    bodies = ", ".join(principal.scopes(auth.ACTION_OWNER)) or principal.role_label
    st.caption(t("ar_intro", body=md_text(bodies), who=md_text(principal.who), role=md_text(principal.role_label)))
    _show_result()
    acts = ar.actions_for(principal)
    if acts.empty:
        st.info(t("ar_none", body=md_text(bodies)))
        return
    histories = {m: ar.history(m) for m in acts["municipality_id"].unique()}
    for n, a in enumerate(acts.itertuples()):
        k = _keys(n)
        with st.container(key=f"ar_action_{n}", border=True):
            st.subheader(t("ar_action", label=a.label), anchor=False)
            st.caption(t("ar_action_caption", area=a.focus_area, municipality=a.municipality,
                         responsible=md_text(a.responsible)))
            if st.session_state.get(k["status"]) not in ACTION_STATUSES:
                st.session_state[k["status"]] = ACTION_STATUSES[1]
            if k["year"] not in st.session_state:
                st.session_state[k["year"]] = _default_year()
            cols = st.columns(2)
            cols[0].selectbox(t("ar_status"), ACTION_STATUSES, key=k["status"])
            cols[1].number_input(t("ar_year"), min_value=ar.YEAR_MIN, max_value=ar.YEAR_MAX, step=1, key=k["year"])
            st.text_area(t("ar_comment", max=ar.COMMENT_MAX), max_chars=ar.COMMENT_MAX, key=k["comment"])
            draft = ar.Draft(a.action_id, int(st.session_state[k["year"]]), st.session_state[k["status"]],
                             st.session_state.get(k["comment"]) or "")
            found = ar.problems(draft)
            for problem in found:
                st.warning(problem)
            st.button(t("ar_send"), key=f"ar_send_{n}", type="primary", disabled=bool(found),
                      on_click=_send, args=(principal, a.action_id, a.label, n))
            mine = histories[a.municipality_id]
            mine = mine[mine["action_id"] == a.action_id]
            st.markdown(f"**{t('ar_history')}**")
            if mine.empty:
                st.caption(t("ar_history_none"))
            else:
                st.dataframe(_history_table(mine), hide_index=True, key=f"ar_history_{n}")


def _approve(principal: Principal, uid: str, label: str, year: int) -> None:
    _run(lambda: ar.approve(principal, uid), t("arv_approved", label=label, year=year))


def _reject(principal: Principal, uid: str, label: str, year: int) -> None:
    reason = st.session_state.get(f"arv_reason_{uid}") or ""
    _run(lambda: ar.reject(principal, uid, reason), t("arv_rejected", label=label, year=year))


def render_review(principal: Principal, default_kommun: str) -> None:
    """The approval page: submitted reports with Godkänn/Avslå, the actions without a report for a period
    (with its download) and every report of the municipality."""
    st.title(t("arv_title"))
    if not ar.can_review(principal):
        st.error(t("arv_refused" if principal.signed_in else "arv_refused_anonymous"))
        return
    st.caption(t("arv_intro", who=md_text(principal.who), role=md_text(principal.role_label)))
    _show_result()
    munis = ar.reviewable_municipalities(principal)
    names = {s.municipality_id: s.municipality for s in cat.strategies()}
    if st.session_state.get("arv_kommun") not in munis:
        st.session_state["arv_kommun"] = default_kommun if default_kommun in munis else munis[0]
    kommun = st.selectbox(t("arv_municipality"), munis, format_func=lambda m: names.get(m, m), key="arv_kommun",
                          disabled=len(munis) == 1)
    municipality = names.get(kommun, kommun)

    st.subheader(t("arv_submitted"), anchor=False)
    waiting = ar.submitted(kommun)
    if waiting.empty:
        st.caption(t("arv_submitted_none"))
    for r in waiting.itertuples():
        with st.container(key=f"arv_item_{r.uid}", border=True):
            st.markdown(t("arv_item", label=md_text(r.label, 300), year=int(r.year), status=r.status,
                          who=md_text(r.reported_email or r.reported_subject),
                          at=str(r.reported_at)[:16].replace("T", " ")))
            if isinstance(r.comment, str) and r.comment:
                st.markdown(t("arv_item_comment", comment=md_text(r.comment, ar.COMMENT_MAX)))
            if ar.own_report(principal, r.reported_subject):  # four eyes (the service refuses it too)
                st.info(t("arv_own"))
                continue
            st.text_input(t("arv_reason", max=ar.REASON_MAX), max_chars=ar.REASON_MAX, key=f"arv_reason_{r.uid}")
            cols = st.columns(2)
            cols[0].button(t("arv_approve"), key=f"arv_approve_{r.uid}", type="primary", on_click=_approve,
                           args=(principal, r.uid, r.label, int(r.year)))
            cols[1].button(t("arv_reject"), key=f"arv_reject_{r.uid}", on_click=_reject,
                           args=(principal, r.uid, r.label, int(r.year)))

    _missing(kommun, municipality)

    st.subheader(t("arv_history", municipality=municipality), anchor=False)
    every = ar.history(kommun)
    if every.empty:
        st.caption(t("arv_history_none", municipality=municipality))
    else:
        st.dataframe(_history_table(every, with_action=True), hide_index=True, key="arv_history")


def _missing(kommun: str, municipality: str) -> None:
    st.subheader(t("arv_missing"), anchor=False)
    if "arv_year" not in st.session_state:
        st.session_state["arv_year"] = _default_year()
    year = int(st.number_input(t("arv_missing_year"), min_value=ar.YEAR_MIN, max_value=ar.YEAR_MAX, step=1,
                               key="arv_year"))
    missing = ar.missing_reports(kommun, year)
    total = len(ar.plan(kommun))
    if missing.empty:
        st.caption(t("arv_missing_none", municipality=municipality, year=year))
        return
    st.caption(t("arv_missing_caption", n=len(missing), total=total, municipality=municipality, year=year))
    st.dataframe(missing, hide_index=True, key="arv_missing_table")
    demo = svc.is_demo_store()
    name = f"Åtgärder utan rapport {year}"
    cols = st.columns(2)
    cols[0].download_button(t("download_csv"), ar.missing_reports_csv(kommun, year), key="arv_missing_csv",
                            file_name=fmt.file_name(name, municipality, ext="csv", demo=demo), mime="text/csv",
                            icon=":material/download:", on_click="ignore")
    cols[1].download_button(t("download_xlsx"), ar.missing_reports_xlsx(kommun, year), key="arv_missing_xlsx",
                            file_name=fmt.file_name(name, municipality, ext="xlsx", demo=demo), mime=XLSX,
                            icon=":material/download:", on_click="ignore")
