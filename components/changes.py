""""Nytt sedan …": the list of new, revised and withdrawn figures since a day, per focus area, and the
short marks the overview tables and trend charts carry (data from ``services.changes``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import fmt
from components.strings import gender_label, t
from services import catalogue as cat
from services import changes as svc
from services.context import ViewContext
from services.indicators import source_label


def frame(ctx: ViewContext) -> pd.DataFrame:
    """The changes since the view's ``sedan`` day (empty without one)."""
    if not ctx.filters.sedan:
        return pd.DataFrame(columns=["focus_area_id", "indicator_id", "area_id", "year", "gender", "change"])
    return svc.changes(ctx.kommun, ctx.strategy.id, ctx.filters.sedan)


def figures(ctx: ViewContext) -> pd.DataFrame:
    """The changed figures once each (a figure can belong to several focus areas), as the pack lists them."""
    return frame(ctx).drop_duplicates(svc.KEY)


def count(ctx: ViewContext) -> int | None:
    """How many figures the view's "Nytt sedan …" list has; None without a ``sedan`` day."""
    return len(figures(ctx)) if ctx.filters.sedan else None


def _value(value, decimals, unit: str) -> str:
    return fmt.MISSING if value is None or pd.isna(value) else fmt.with_unit(value, int(decimals), unit)


def table(part: pd.DataFrame) -> pd.DataFrame:
    """The list as shown: one row per changed figure, values formatted, nothing for a withdrawn one."""
    return pd.DataFrame({
        t("since_col_indicator"): part["short_title"],
        t("since_col_area"): part["area_name"],
        t("since_col_year"): part["year"].astype(int).astype(str),
        t("since_col_gender"): [gender_label(g, lab if isinstance(lab, str) else None)
                                for g, lab in zip(part["gender"], part["gender_labels"], strict=True)],
        t("since_col_change"): part["change"].map(lambda c: t(f"change_{c}")),
        t("since_col_old"): [_value(v, d, u) for v, d, u in zip(part["old_value"], part["decimals"], part["unit"], strict=True)],
        t("since_col_new"): [_value(v, d, u) for v, d, u in zip(part["new_value"], part["decimals"], part["unit"], strict=True)],
        t("since_col_published"): part["published_at"].map(svc.local_day),
        t("since_col_source"): [source_label(s, f, d) if isinstance(s, str) else ""
                                for s, f, d in zip(part["source"], part["fetched_at"], part["source_is_demo"],
                                                   strict=True)],
    })


def without_sources(shown: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """The list for a slide: ``table``'s rows without the source column, and the sources once, as a note
    (None where no shown value has one)."""
    col = t("since_col_source")
    sources = sorted({s for s in shown[col] if s})
    return shown.drop(columns=[col]), (t("since_sources", sources="; ".join(sources)) if sources else None)


def section(ctx: ViewContext, focus_area_id: str | None = None) -> None:
    """The heading, the counts and, per focus area (or the one given), the changed figures."""
    day = ctx.filters.sedan
    if not day:
        return
    changes = frame(ctx)
    if focus_area_id is not None:
        changes = changes[changes["focus_area_id"] == focus_area_id]
    st.subheader(t("since_heading", date=day), anchor=False)
    if changes.empty:
        st.info(t("since_none", municipality=ctx.strategy.municipality, date=day))
        return
    n = svc.counts(changes)
    st.markdown(t("since_intro", municipality=ctx.strategy.municipality, date=day, **n))
    if changes["is_demo"].astype(bool).any():
        st.caption(t("since_demo"))
    fas = cat.focus_areas(ctx.strategy.id).set_index("id")
    for fa_id, part in changes.groupby("focus_area_id", sort=False):
        fa = fas.loc[fa_id]
        title = cat.focus_area_title(fa["code"], fa["title"], fa["kind"])
        with st.expander(t("since_area", title=title, n=len(part)), expanded=focus_area_id is not None):
            st.dataframe(table(part), hide_index=True, width="stretch")
    if n["withdrawn"]:
        st.caption(t("since_withdrawn_note"))


def marks(changes: pd.DataFrame, area_id: str) -> dict[str, str]:
    """Per indicator, what is new about the area's figures, e.g. "ny 2025; reviderad 2024" (any gender)."""
    out: dict[str, str] = {}
    mine = changes[changes["area_id"] == area_id].drop_duplicates(svc.KEY)
    for ind, part in mine.groupby("indicator_id", sort=False):
        words = []
        for change in svc.CHANGE_ORDER:
            years = sorted({int(y) for y in part.loc[part["change"] == change, "year"]})
            if years:
                words.append(t(f"since_mark_{change}", years=", ".join(map(str, years))))
        out[ind] = "; ".join(words)
    return out
