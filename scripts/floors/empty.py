"""The floor of a new session: an empty Streamlit page (a title only), served like the app, so that
``scripts/bench.py`` can print each page's cost as a ratio to what Streamlit itself costs (issue #28)."""

import streamlit as st

st.title("Tom sida")
