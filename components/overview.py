"""Översikt: every focus area, goal and indicator of the strategy on one screen."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import changes, fmt, how, tables
from components.strings import t
from services import catalogue as cat
from services import districts as svc_districts
from services import indicators as svc
from services import overview as svc_ov
from services.context import ViewContext


def render(ctx: ViewContext) -> None:
    s, comparison = ctx.strategy, ctx.comparison
    st.title(t("overview_title", municipality=s.municipality), anchor=False)
    period = "" if f"{s.period_start}–{s.period_end}" in s.title else f" ({s.period_start}–{s.period_end})"
    st.markdown(t("overview_intro", title=s.title, period=period, baseline=s.baseline_year,
                  comparison=comparison.label))
    df = svc_ov.overview_frame(ctx)
    if ctx.district_name:
        _district_summary(ctx, df)
    st.caption(t("overview_legend"))
    changes.section(ctx)
    if df.empty:
        st.info(t("overview_empty"))
        return
    many = svc_ov.overview_multiplicity(ctx)
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
        st.html(tables.overview_html(ctx, fa.id, None,
                                     t("overview_table_caption", label=s.focus_area_label, code=fa.code,
                                       n=len(part))))


def _district_summary(ctx: ViewContext, df: pd.DataFrame) -> None:
    """With a district chosen: how many of the strategy's indicators have district figures (said once, not
    per row), and the district's SCB facts beside the municipality's."""
    if not df.empty:
        unique = df.drop_duplicates("indicator_id")
        n, total = int(unique["is_district"].sum()), len(unique)
        key = "overview_district_count" if n else "overview_district_none"
        st.markdown(t(key, n=n, total=total, rest=total - n, name=ctx.district_name))
    else:
        st.markdown(t("overview_district", name=ctx.district_name))
    facts = svc_districts.district_facts(ctx.kommun, ctx.filters.omrade)
    with st.container(border=True):
        if not facts:
            st.caption(t("facts_none", name=ctx.district_name))
            return
        st.html(facts_html(facts, ctx.district_name, ctx.strategy.municipality))
        sources = sorted({f.source for f in facts if f.source})
        st.caption(t("facts_caption", sources="; ".join(sources)))
        if any(f.parts for f in facts):
            st.caption(t("facts_per_deso"))
        if any(f.source == svc.DEMO_MARK for f in facts):
            st.caption(t("facts_demo"))


def _fact_value(value, hidden: bool, decimals: int, unit: str) -> str:
    if value is not None:
        return fmt.with_unit(value, decimals, unit)
    return t("facts_hidden") if hidden else fmt.MISSING


def facts_html(facts, name: str, municipality: str) -> str:
    """The fact box as an accessible table: each fact, the district's value, the municipality's, the year."""
    e = html.escape
    head = "".join(f"<th scope='col'>{e(h)}</th>" for h in (
        t("facts_col_fact"), t("facts_col_district", name=name),
        t("facts_col_municipality", municipality=municipality), t("facts_col_year")))
    body, seen = [], set()
    for f in facts:
        own = _fact_value(f.value, f.suppressed, f.decimals, f.unit)
        if f.parts:  # SCB publishes it per DeSO only: each DeSO of the district on its own line, never summed
            own = "; ".join(f"{n}: {_fact_value(v, h, f.decimals, f.unit)}" for n, v, h in f.parts)
        muni = fmt.MISSING if f.muni_value is None else fmt.with_unit(f.muni_value, f.decimals, f.unit)
        if f.muni_value is not None and f.muni_source == svc_districts.FROM_DISTRICTS_MEAN:
            muni = "≈ " + muni
        if f.muni_year is not None and f.muni_year != f.year:
            muni += f" ({f.muni_year})"
        # How the municipality's value was had, once (the next rows with the same note show only ≈).
        note = f"<br><span class='small'>{e(f.muni_source)}</span>" if f.muni_source and f.muni_source not in seen else ""
        seen.add(f.muni_source)
        body.append(f"<tr><th scope='row'>{e(f.title)}</th><td class='num' title='{e(f.source)}'>{e(own)}</td>"
                    f"<td class='num'>{e(muni)}{note}</td><td class='num'>{e(str(f.year or ''))}</td></tr>")
    caption = t("facts_heading", name=name)
    return (f"{tables.CSS}<table class='ind' style='width:auto; min-width:60%'><caption>{e(caption)}</caption><tr>{head}</tr>{''.join(body)}"
            "</table>")
