"""The browser floor for the district page: a bare pydeck map of 55 polygons (DeSO-sized squares near
Södertälje), no base map, no store (issue #28)."""

import pydeck as pdk
import streamlit as st

st.title("Karta")
cells = []
for i in range(55):
    x, y = 17.55 + (i % 11) * 0.02, 59.15 + (i // 11) * 0.015
    cells.append({"polygon": [[x, y], [x + 0.018, y], [x + 0.018, y + 0.013], [x, y + 0.013]],
                  "v": i, "fill": [30 + 4 * i, 90, 160, 200]})
layer = pdk.Layer("PolygonLayer", cells, get_polygon="polygon", get_fill_color="fill", pickable=True,
                  stroked=True, get_line_color=[40, 40, 40], line_width_min_pixels=1)
st.pydeck_chart(pdk.Deck(layers=[layer], map_style=None, initial_view_state=pdk.ViewState(
    latitude=59.19, longitude=17.65, zoom=10)), height=560)
