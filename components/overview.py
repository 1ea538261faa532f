"""Översikt: every focus area, goal and indicator of the strategy on one screen."""

from __future__ import annotations

import streamlit as st

from components import changes, fmt, how, tables
from components.strings import t
from services import catalogue as cat
from services import indicators as svc
from services.context import ViewContext


def render(ctx: ViewContext) -> None:
    f, s, comparison = ctx.filters, ctx.strategy, ctx.comparison
    st.title(t("overview_title", municipality=s.municipality), anchor=False)
    period = "" if f"{s.period_start}–{s.period_end}" in s.title else f" ({s.period_start}–{s.period_end})"
    st.markdown(t("overview_intro", title=s.title, period=period, baseline=s.baseline_year,
                  comparison=comparison.label))
    if ctx.district_name:
        st.markdown(t("overview_district", name=ctx.district_name))
    st.caption(t("overview_legend"))
    changes.section(ctx)
    df = svc.overview_frame(f, s.id, s.baseline_year)
    if df.empty:
        st.info(t("overview_empty"))
        return
    many = svc.overview_multiplicity(f, s.id, s.baseline_year)
    if many.tests:
        st.caption(t("overview_many_tests", tests=many.tests, chance=fmt.number(many.tests * 0.05, 0),
                     alone=many.significant_alone, kept=many.kept))
        how.popover(t("overview_many_tests_how"), key="how_many_tests")
    for fa in cat.focus_areas(s.id).itertuples():
        part = df[df["focus_area_id"] == fa.id]
        if part.empty:
            continue
        st.subheader(cat.focus_area_title(fa.code, fa.title, fa.kind), anchor=False)
        if fa.subtitle:
            st.caption(fa.subtitle)
        st.html(tables.overview_html(f, s.id, s.baseline_year, fa.id, None,
                                     t("overview_table_caption", label=s.focus_area_label, code=fa.code,
                                       n=len(part)), comparison.label))
