"""One focus area (fokusområde / målområde / strategiskt område): its goals with their indicators,
one indicator in full, and the area's actions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import changes, filters, indicator_block, tables
from components.strings import t
from services import catalogue as cat
from services.context import ViewContext


def render(ctx: ViewContext) -> None:
    f, s = ctx.filters, ctx.strategy
    fas = cat.focus_areas(s.id).set_index("id")
    if ctx.focus_area_id not in fas.index:
        st.info(t("focus_pick"))
        return
    fa = fas.loc[ctx.focus_area_id]
    st.title(cat.focus_area_title(fa["code"], fa["title"], fa["kind"]), anchor=False)
    if fa["subtitle"]:
        st.markdown(f"*– {fa['subtitle']}*")
    st.caption(f"{s.municipality} · {s.title}")
    if ctx.district_name:
        st.info(t("focus_district", name=ctx.district_name), icon=":material/location_on:")
    if fa["description"]:
        st.markdown(fa["description"])
    if fa["agenda2030"]:
        st.markdown(t("focus_agenda2030", goals=", ".join(f"mål {n}" for n in str(fa["agenda2030"]).split(","))))

    changes.section(ctx, ctx.focus_area_id)
    gi = cat.goal_indicators(s.id)
    gi = gi[gi["focus_area_id"] == ctx.focus_area_id]
    st.header(t("focus_goals_heading"), anchor=False)
    for goal_id, rows in gi.groupby("goal_id", sort=False):
        first = rows.iloc[0]
        st.markdown(f"#### {t('focus_goal', code=first['goal_code'], title=first['goal_title'])}")
        if first["goal_origin"]:
            st.caption(first["goal_origin"])
        st.html(tables.overview_html(ctx, ctx.focus_area_id, goal_id,
                                     t("focus_goal_caption", code=first["goal_code"])))

    st.header(t("focus_detail_heading"), anchor=False)
    options = list(dict.fromkeys(gi["indicator_id"]))
    labels = {}
    for r in gi.itertuples():
        labels.setdefault(r.indicator_id, f"{r.goal_code} · {r.label or r.short_title}")
    # The link's indicator where it belongs to this area, else the area's first (not written back: the
    # default follows from the page, so a link without ``ind`` opens the same view).
    current = f.ind if f.ind in options else options[0]
    key = f"w_ind_{ctx.focus_area_id}"
    filters.set_widget(key, current)
    chosen = st.selectbox(t("label_indicator"), options, format_func=lambda i: labels[i][:110], key=key,
                          on_change=filters.bind(key, "ind"))
    label = gi[gi["indicator_id"] == chosen]["label"].dropna()
    indicator_block.render(chosen, ctx, label=label.iloc[0] if not label.empty else None)

    _actions(ctx.focus_area_id, s.focus_area_label)


def _actions(focus_area_id: str, area_label: str) -> None:
    """The action plan's actions with their follow-up: a summary for the area, and per action its latest
    status and who answers for it, with every year's follow-up inside."""
    acts = cat.actions(focus_area_id)
    if acts.empty:
        return
    st.header(t("focus_actions_heading"), anchor=False)
    active, total, year = cat.action_summary(focus_area_id)
    follow = cat.action_follow_up(focus_area_id)
    if year is None:
        st.caption(t("actions_no_follow_up"))
    else:
        st.markdown(t("actions_summary", active=active, total=total, area=area_label.lower(), year=year))
    for a in acts.itertuples():
        history = follow[follow["action_code"] == str(a.code)]
        status = ""
        if not history.empty:
            latest = history.iloc[0]
            status = t("actions_latest", status=latest["status"], year=int(latest["year"]),
                       responsible=latest["responsible"])
        with st.expander(f"{a.code}. {a.title}{status}"):
            st.markdown(a.text or "")
            if not history.empty:
                app = history["origin"] == "app"
                st.table(pd.DataFrame({
                    t("label_year"): history["year"].astype(str), t("actions_col_status"): history["status"],
                    t("actions_col_responsible"): history["responsible"],
                    t("actions_col_comment"): history["comment"].fillna(""),
                    t("actions_col_origin"): [t("actions_origin_app") if a else t("actions_origin_import")
                                              for a in app],
                    t("actions_col_approved"): [t("actions_approved", who=w, date=str(d)[:10]) if a else ""
                                                for a, w, d in zip(app, history["approved_by"],
                                                                   history["approved_at"], strict=True)],
                }).set_index(t("label_year")))
                imported = history[~app]
                if not imported.empty:
                    st.caption(t("actions_source", file=imported["source_file"].iloc[0],
                                 date=str(imported["imported_at"].iloc[0])[:10]))
                if app.any():
                    st.caption(t("actions_source_app"))
