"""Entry point: checks the store, resolves the view context once (filters from the URL or the session,
strategy, comparison, district), builds the navigation from the chosen municipality's strategy, draws
the sidebar and runs the chosen page with that context. Run with ``make run`` (scripts/serve.py)."""

import logging
from pathlib import Path

import streamlit as st

from components import account, filters, layout, presentation
from components.strings import t
from pages.views import navigation
from services import context

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# A local icon file: a :material/…: page icon is fetched by the browser from a Google font server.
ICON = Path(__file__).resolve().parent / "components" / "assets" / "icon.png"
st.set_page_config(page_title=t("app_title"), page_icon=str(ICON), layout="wide")

layout.install_swedish_page_not_found()
store = layout.require_store()  # first: everything below reads the store
ctx = context.resolve(filters.current(), store)
# Sign-in only with an [auth] section in secrets.toml; without one everyone is the anonymous reader.
principal = account.current()
sections = navigation(ctx, principal, sign_in=account.auth_configured())
# A page of another strategy (after the municipality changed, or from a link) is not in this navigation:
# st.navigation runs the overview instead and layout.page_not_found_notice says why.
page = st.navigation(sections, position="hidden")
layout.page_not_found_notice(ctx.strategy)
layout.hide_chart_menus()
if ctx.filters.presenting:
    # Presentation mode: no sidebar, one slide per screen (components/presentation.py).
    layout.notices()
    presentation.render(ctx)
else:
    layout.sidebar_nav(sections)
    account.sidebar(principal)
    filters.sidebar(ctx)
    layout.demo_banner(ctx.store, ctx.kommun)
    layout.notices()
    page.run()
