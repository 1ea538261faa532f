"""Map builders: pure functions, data in, a pydeck Deck out. No tile server needed: polygons are
drawn on a plain background unless a basemap is asked for.

Suppressed areas are grey with a ``..`` label, missing ones white with a ``–`` label; neither is ever
coloured as a value.
"""

from __future__ import annotations

import html
import json
import math
from urllib.parse import quote

import numpy as np
import pandas as pd
import pydeck as pdk

from components import palette
from components.fmt import MISSING, SUPPRESSED, number

# Open basemap style (needs internet); off by default because many municipal networks block it.
BASEMAP_STYLE = "light"
# With the basemap off, a style with nothing to load: without a style of its own, Streamlit's map element
# falls back to a style from a tile host (Carto), which the browser would fetch from outside.
# Streamlit's map element wants the style as a string: a data: URL, which the browser reads without a
# request to any host.
NO_BASEMAP_STYLE = "data:application/json;charset=utf-8," + quote(json.dumps(
    {"version": 8, "sources": {}, "layers": [
        {"id": "bakgrund", "type": "background", "paint": {"background-color": "#FFFFFF"}}]},
    separators=(",", ":")))


def classify(values: pd.Series, classes: int = len(palette.SEQUENTIAL)) -> tuple[pd.Series, list[float]]:
    """Equal-count (quantile) classes over the ok values; returns class index per value and the breaks."""
    ok = values.dropna()
    if ok.empty:
        return pd.Series(np.nan, index=values.index), []
    qs = np.unique(np.quantile(ok, np.linspace(0, 1, classes + 1)))
    if len(qs) < 2:
        return pd.Series(np.where(values.notna(), 0, np.nan), index=values.index), [float(qs[0]), float(qs[0])]
    idx = np.clip(np.searchsorted(qs, values, side="right") - 1, 0, len(qs) - 2)
    return pd.Series(np.where(values.notna(), idx, np.nan), index=values.index), [float(q) for q in qs]


def legend_entries(breaks: list[float], decimals: int, unit: str) -> list[dict]:
    """Legend rows (colour, label) for the classes plus suppressed and missing."""
    rows = []
    for i in range(len(breaks) - 1):
        rows.append({"colour": palette.SEQUENTIAL[i],
                     "label": f"{number(breaks[i], decimals)} – {number(breaks[i + 1], decimals)} {unit}"})
    rows.append({"colour": "#BEBEBE", "label": f"{SUPPRESSED}  undertryckt (för få svarande)"})
    rows.append({"colour": "#FFFFFF", "label": f"{MISSING}  uppgift saknas"})
    return rows


def feature_collection(areas: pd.DataFrame, values: pd.DataFrame, decimals: int, unit: str,
                       selected: str | None = None) -> tuple[dict, list[float]]:
    """GeoJSON features with fill colour and tooltip text; areas: id, name, geometry (GeoJSON text);
    values: area_id, value, n, status."""
    merged = areas.merge(values, left_on="id", right_on="area_id", how="left")
    merged["status"] = merged["status"].fillna("missing")
    cls, breaks = classify(merged["value"].where(merged["status"] == "ok"))
    features = []
    for i, row in merged.iterrows():
        status = row["status"]
        if status == "ok":
            fill = palette.hex_to_rgba(palette.SEQUENTIAL[int(cls[i])], 230)
            shown = f"{number(row['value'], decimals)} {unit}"
        elif status == "suppressed":
            fill, shown = palette.SUPPRESSED_FILL, f"{SUPPRESSED} (undertryckt: för få svarande)"
        else:
            fill, shown = palette.MISSING_FILL, f"{MISSING} (uppgift saknas)"
        n = row.get("n")
        respondents = number(n, 0) if status == "ok" and n is not None and not _nan(n) else MISSING
        features.append({
            "type": "Feature",
            "geometry": json.loads(row["geometry"]),
            "properties": {
                "id": row["id"], "name": row["name"], "shown": shown, "respondents": respondents,
                "fill": fill, "line_width": 4 if row["id"] == selected else 1,
                "line": [0, 0, 0, 255] if row["id"] == selected else palette.OUTLINE,
            },
        })
    return {"type": "FeatureCollection", "features": features}, breaks


def _nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


def labels_frame(areas: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Text labels at area centres for suppressed (``..``) and missing (``–``) areas."""
    merged = areas.merge(values, left_on="id", right_on="area_id", how="left")
    merged["status"] = merged["status"].fillna("missing")
    out = merged[merged["status"] != "ok"][["centroid_lon", "centroid_lat", "status"]].copy()
    out["text"] = out["status"].map({"suppressed": SUPPRESSED}).fillna(MISSING)
    return out


def choropleth(fc: dict, labels: pd.DataFrame, view: dict, basemap: bool = False,
               tooltip_value: str = "Värde", tooltip_n: str | None = "Antal svarande",
               tooltip_code: str | None = None) -> pdk.Deck:
    """A pydeck choropleth of a FeatureCollection from ``feature_collection``; with ``tooltip_code`` the
    tooltip also gives the area's code (SCB's RegSO/DeSO code: the name is what a person reads)."""
    layers = [
        pdk.Layer(
            "GeoJsonLayer", fc, id="areas", pickable=True, stroked=True, filled=True,
            get_fill_color="properties.fill", get_line_color="properties.line",
            get_line_width="properties.line_width", line_width_min_pixels=1, line_width_scale=20,
            auto_highlight=True,
        ),
    ]
    if not labels.empty:
        layers.append(pdk.Layer(
            "TextLayer", labels, id="labels", get_position=["centroid_lon", "centroid_lat"],
            get_text="text", get_size=18, get_color=[20, 20, 20, 255], get_alignment_baseline="'center'",
        ))
    tip = f"<b>{{name}}</b><br/>{tooltip_value}: {{shown}}"
    if tooltip_n:
        tip += f"<br/>{tooltip_n}: {{respondents}}"
    if tooltip_code:
        tip += f"<br/><span style='font-size:12px'>{tooltip_code}: {{id}}</span>"
    return pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view),
        map_style=BASEMAP_STYLE if basemap else NO_BASEMAP_STYLE,
        map_provider="carto" if basemap else None,
        tooltip={"html": tip, "style": {"backgroundColor": "#1B1B1B", "color": "#FFFFFF", "fontSize": "14px"}},
    )


def view_for(geojson_texts: list[str]) -> dict:
    """A view state that fits the given GeoJSON geometries."""
    xs, ys = [], []
    for text in geojson_texts:
        coords = np.array(_coords(json.loads(text)))
        if coords.size:
            xs += [coords[:, 0].min(), coords[:, 0].max()]
            ys += [coords[:, 1].min(), coords[:, 1].max()]
    if not xs:
        return {"longitude": 16.0, "latitude": 62.0, "zoom": 3.6}
    lon, lat = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    span = max(max(xs) - min(xs), (max(ys) - min(ys)) * 1.8, 1e-3)
    zoom = float(np.clip(math.log2(360 / span) - 0.3, 3, 14))
    return {"longitude": lon, "latitude": lat, "zoom": zoom}


def _coords(geom: dict) -> list:
    t = geom["type"]
    if t == "Polygon":
        return [c for ring in geom["coordinates"] for c in ring]
    if t == "MultiPolygon":
        return [c for poly in geom["coordinates"] for ring in poly for c in ring]
    if t == "GeometryCollection":
        return [c for g in geom["geometries"] for c in _coords(g)]
    return []


def frozen(deck: pdk.Deck) -> pdk.Deck:
    """The deck with its JSON written once: Streamlit calls ``to_json()`` on every rerun, and for a
    choropleth of hundreds of outlines that costs more than the rest of the page. Only for decks that
    are never changed afterwards (built inside a cached function)."""
    text = deck.to_json()
    deck.to_json = lambda: text  # type: ignore[method-assign]
    return deck


def legend_html(entries: list[dict]) -> str:
    """The legend as a list (screen readers read it; the colours carry no meaning on their own)."""
    rows = "".join(
        f"<li><span style='display:inline-block;width:1.1em;height:1.1em;background:{e['colour']};"
        f"border:1px solid #3C3C3C;margin-right:0.4em;vertical-align:middle'></span>{html.escape(e['label'])}</li>"
        for e in entries)
    return f"<ul aria-label='Teckenförklaring' style='list-style:none;padding-left:0'>{rows}</ul>"
