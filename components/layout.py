"""App shell: the store check, navigation built from the strategy catalogue, the demo banner."""

from __future__ import annotations

import logging
import re
import unicodedata

import streamlit as st

from components.strings import t
from services import catalogue as cat
from services.store import get_store_info
from store.db import StoreError

log = logging.getLogger(__name__)


def require_store():
    """The checked store; on any problem one Swedish message naming the fix, then stop the script."""
    try:
        return get_store_info()
    except StoreError as exc:
        log.error("store unusable: %s %s", exc.message, exc.detail)
        st.title(t("store_error_title"))
        st.error(exc.message)
        st.stop()


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "sida"


def sidebar_nav(sections: dict[str, list[st.Page]]) -> None:
    """The page menu, drawn as headed groups of links. (Streamlit's own sectioned menu puts <li> in
    <div>s inside its <ul>, which axe reports as a serious WCAG 1.3.1 violation.)"""
    with st.sidebar:
        st.html("<style>.st-key-page_menu [data-testid='stPageLink'] * {white-space: normal !important;"
                " overflow: visible !important; text-overflow: clip !important;}</style>")
        with st.container(key="page_menu"):
            for section, pages in sections.items():
                visible = [p for p in pages if p.visibility == "visible"]
                if not visible:
                    continue
                st.markdown(f"**{section}**")
                for page in visible:
                    st.page_link(page, label=page.title)


NOT_FOUND_STATE = "_page_not_found"


def install_swedish_page_not_found() -> None:
    """Replace Streamlit's English "Page not found" dialog with a Swedish notice on the overview.

    ``st.navigation`` runs the default page for a path it does not know and asks the browser for its
    own (English) dialog through ``streamlit.commands.navigation.send_page_not_found``. That one call is
    replaced: it records the requested path, and :func:`page_not_found_notice` says in Swedish what
    happened. ``tests/test_browser.py`` opens unknown paths in Chromium, so a Streamlit upgrade that
    renames the call fails a test instead of bringing the English dialog back."""
    import streamlit.commands.navigation as nav

    if getattr(nav.send_page_not_found, "_swedish", False):
        return

    def _record(ctx) -> None:
        st.session_state[NOT_FOUND_STATE] = ctx.pages_manager.intended_page_name or ""

    _record._swedish = True  # type: ignore[attr-defined]
    nav.send_page_not_found = _record


def page_not_found_notice(strategy) -> None:
    """The Swedish notice for a path the navigation did not know (see install_swedish_page_not_found):
    another strategy's focus page names its municipality; /start (the overview's own name) says nothing."""
    from components.filters import plain

    name = st.session_state.pop(NOT_FOUND_STATE, None)
    if not name or name.strip("/") in ("start", "oversikt"):
        return
    shown = plain(name, limit=60)
    owner = next((s for s in cat.strategies() if s.municipality_id != strategy.municipality_id
                  and name.strip("/") in {slug(f"{r.code} {r.title}") for r in cat.focus_areas(s.id).itertuples()}),
                 None)  # the same slug as pages.views.focus_area_path
    if owner is not None:
        text = t("page_other_strategy", page=shown, owner=owner.municipality, current=strategy.municipality)
    else:
        text = t("page_not_found", page=shown, current=strategy.municipality)
    st.session_state.setdefault("_notices", []).append(text)


def demo_banner(info, municipality_id: str) -> None:
    """The demo notice; it says whether the districts shown are real or generated."""
    if info.is_demo:
        generated = bool(cat.districts(municipality_id)["is_demo"].astype(bool).any())
        boundaries = t("demo_boundaries_generated" if generated else "demo_boundaries_real")
        st.warning(t("demo_banner", boundaries=boundaries), icon=":material/science:")


# Streamlit's toolbar over a chart offers "Show data", "Download as PNG", "Copy Vega-Lite spec" and
# "Fullscreen", in English and with no setting to translate or drop them (1.67). Every chart here has its
# Swedish "Diagram (PNG)/(SVG)" buttons and a "Tabell" tab instead, so the toolbar is hidden (display: none
# takes it out of the tab order and the accessibility tree as well). Tables keep theirs.
CHART_MENU_CSS = ("<style>[data-testid='stElementContainer']:has([data-testid='stVegaLiteChart']) "
                  "[data-testid='stElementToolbar'] {display: none !important;}</style>")


def hide_chart_menus() -> None:
    st.html(CHART_MENU_CSS)


def notices() -> None:
    for msg in st.session_state.pop("_notices", []):
        st.info(msg, icon=":material/info:")


def lazy_tabs(labels: list[str], key: str) -> list:
    """Tabs whose hidden content is not computed: switching tabs reruns the page and only the open tab's
    content runs (``tab.open``). A page's warm rerun then costs one tab, not all of them."""
    return list(st.tabs(labels, key=key, on_change="rerun"))


def is_open(tab) -> bool:
    """Whether a tab from ``lazy_tabs`` is the selected one (``open`` is None without state tracking)."""
    return tab.open is not False
