"""The page kinds and the menu: one ``st.Page`` per page, each a callable bound to this run's view context.

A focus page is the same callable with its focus area bound (``ctx.for_focus_area``), so nothing about
which page is open travels through session state. A new page kind is a module here with ``page(ctx)``,
its component in ``components/`` and one line in ``ANALYSIS_PAGES`` (ARCHITECTURE.md).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from catalogue.schema import plural_label
from components.layout import slug
from components.strings import t
from pages.views import data, fokusomrade, jamfor, oversikt, riskfaktorer, trygghet
from services import catalogue as cat
from services.context import ViewContext

# url_path → (title string, page function). The order is the menu's.
ANALYSIS_PAGES = {
    "trygghet": ("page_district", trygghet.page),
    "riskfaktorer": ("page_risk", riskfaktorer.page),
    "jamfor": ("page_compare", jamfor.page),
    "data": ("page_data", data.page),
}


def focus_area_path(code: str, title: str) -> str:
    return slug(f"{code} {title}")


def navigation(ctx: ViewContext) -> dict[str, list[st.Page]]:
    """Sections and pages for st.navigation, built from the chosen municipality's strategy."""
    strategy = ctx.strategy
    focus = [
        st.Page(partial(fokusomrade.page, ctx.for_focus_area(r.id)), title=cat.focus_area_title(r.code, r.title, r.kind),
                url_path=focus_area_path(r.code, r.title))
        for r in cat.focus_areas(strategy.id).itertuples()
    ]
    label = strategy.focus_area_label
    overview = partial(oversikt.page, ctx)
    return {
        t("nav_start"): [st.Page(overview, title=t("page_overview"), url_path="start", default=True)],
        plural_label(label): focus,
        # Hidden alias so that links to /oversikt open the overview instead of "Page not found".
        "": [st.Page(overview, title=t("page_overview"), url_path="oversikt", visibility="hidden")],
        t("nav_analysis"): [st.Page(partial(fn, ctx), title=t(title), url_path=path)
                            for path, (title, fn) in ANALYSIS_PAGES.items()],
    }
