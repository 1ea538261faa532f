"""The browser floor for a page without a map: a bare page drawing 12 Altair line charts of the size the
app draws (three series, eleven years), no caching, no store (issue #28)."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Tolv diagram")
rng = np.random.default_rng(1)
for _ in range(12):
    years = np.arange(2015, 2026)
    df = pd.DataFrame({"år": np.tile(years, 3), "serie": np.repeat(["Kommunen", "Riket", "Gruppen"], len(years)),
                       "värde": rng.normal(50, 5, 3 * len(years)).round(1)})
    st.vega_lite_chart(alt.Chart(df).mark_line(point=True).encode(
        x="år:O", y="värde:Q", color="serie:N").properties(height=260).to_dict(), width="stretch")
