"""Entry point: checks the store, builds the navigation from the chosen municipality's strategy,
draws the sidebar filters and runs the chosen page. Run with ``streamlit run app.py``."""

import logging
from pathlib import Path

import streamlit as st

from components import filters, layout
from components.strings import t
from services import catalogue as cat

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# A local icon file: a :material/…: page icon is fetched by the browser from a Google font server.
ICON = Path(__file__).resolve().parent / "components" / "assets" / "icon.png"
st.set_page_config(page_title=t("app_title"), page_icon=str(ICON), layout="wide")

layout.install_swedish_page_not_found()
info = layout.require_store()
f = filters.current()
strategy = cat.strategy_for(f.kommun)
sections, focus_by_path = layout.navigation(strategy)
page = st.navigation(sections, position="hidden")
if st.session_state.pop("_switch_to_overview", False) and page.url_path not in ("", "start", "oversikt", "trygghet",
                                                                                 "riskfaktorer", "jamfor", "data"):
    st.switch_page(sections[t("nav_start")][0])
layout.sidebar_nav(sections)
filters.sidebar()
layout.set_current_focus_area(page, focus_by_path)
layout.page_not_found_notice(strategy)
layout.demo_banner(info, f.kommun)
layout.notices()
page.run()
