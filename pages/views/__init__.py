"""The page kinds and the menu: one ``st.Page`` per page, each a callable bound to this run's view context.

A focus page is the same callable with its focus area bound (``ctx.for_focus_area``), so nothing about
which page is open travels through session state. A new page kind is a module here with ``page(ctx)``,
its component in ``components/`` and one line in ``ANALYSIS_PAGES`` (ARCHITECTURE.md).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from components.layout import slug
from components.strings import t
from pages.views import (
    anteckningar,
    atgarder,
    data,
    fokusomrade,
    jamfor,
    ladda_upp,
    mal,
    oversikt,
    riskfaktorer,
    trygghet,
)
from services import action_reports, notes
from services import catalogue as cat
from services.auth import ANONYMOUS, Principal
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


NOTES_PATH = "anteckningar"
TARGETS_PATH = "mal"
UPLOAD_PATH = "ladda-upp"
REPORT_PATH, REVIEW_PATH = "atgarder-rapportera", "atgarder-granska"


def navigation(ctx: ViewContext, principal: Principal = ANONYMOUS, sign_in: bool = False) -> dict[str, list[st.Page]]:
    """Sections and pages for st.navigation, built from the chosen municipality's strategy. With sign-in on
    (``sign_in``) the editing pages are there too: in the menu for a user who may write, hidden for anyone
    else (so that a crafted link gets the page's Swedish refusal, not the overview)."""
    strategy = ctx.strategy
    focus = [
        st.Page(partial(fokusomrade.page, ctx.for_focus_area(r.id)), title=cat.focus_area_title(r.code, r.title, r.kind),
                url_path=focus_area_path(r.code, r.title))
        for r in cat.focus_areas(strategy.id).itertuples()
    ]
    overview = partial(oversikt.page, ctx)
    sections = {
        t("nav_start"): [st.Page(overview, title=t("page_overview"), url_path="start", default=True)],
        strategy.focus_area_plural: focus,
        # Hidden alias so that links to /oversikt open the overview instead of "Page not found".
        "": [st.Page(overview, title=t("page_overview"), url_path="oversikt", visibility="hidden")],
        t("nav_analysis"): [st.Page(partial(fn, ctx), title=t(title), url_path=path)
                            for path, (title, fn) in ANALYSIS_PAGES.items()],
    }
    if sign_in:
        visibility = "visible" if notes.can_edit(principal) else "hidden"

        def shown(allowed: bool) -> str:
            return "visible" if allowed else "hidden"

        sections[t("nav_edit")] = [
            st.Page(partial(anteckningar.page, ctx, principal), title=t("page_notes"), url_path=NOTES_PATH,
                    visibility=visibility),
            st.Page(partial(mal.page, ctx, principal), title=t("page_targets"), url_path=TARGETS_PATH,
                    visibility=visibility),
            st.Page(partial(ladda_upp.page, ctx, principal), title=t("page_upload"), url_path=UPLOAD_PATH,
                    visibility=visibility),
            st.Page(partial(atgarder.report_page, ctx, principal), title=t("page_action_report"),
                    url_path=REPORT_PATH, visibility=shown(action_reports.can_report(principal))),
            st.Page(partial(atgarder.review_page, ctx, principal), title=t("page_action_review"),
                    url_path=REVIEW_PATH, visibility=shown(action_reports.can_review(principal))),
        ]
    return sections
