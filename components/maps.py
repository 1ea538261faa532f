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
from components.strings import t

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


def scale_for(polarity: str) -> list[str]:
    """Class colours from the lowest value to the highest: worse → better for a higher_better indicator,
    the same colours reversed for a lower_better one (so "least safe" and "most poor" share the worse end),
    one neutral hue for a neutral indicator."""
    if polarity == "higher_better":
        return list(palette.WORSE_TO_BETTER)
    if polarity == "lower_better":
        return palette.WORSE_TO_BETTER[::-1]
    return list(palette.NEUTRAL_SCALE)


def class_colours(n_classes: int, polarity: str) -> list[str]:
    """The colour of each of ``n_classes`` classes (lowest first), spread over the whole scale: with fewer
    classes than colours the lowest and highest class still get the scale's two ends."""
    scale = scale_for(polarity)
    if n_classes <= 1:
        return [scale[len(scale) // 2]] * max(n_classes, 1)
    return [scale[round(i * (len(scale) - 1) / (n_classes - 1))] for i in range(n_classes)]


def classify(values: pd.Series, classes: int = len(palette.WORSE_TO_BETTER)) -> tuple[pd.Series, list[float]]:
    """Equal-count (quantile) classes over the ok values; returns class index per value and the breaks."""
    ok = values.dropna()
    if ok.empty:
        return pd.Series(np.nan, index=values.index), []
    qs = np.unique(np.quantile(ok, np.linspace(0, 1, classes + 1)))
    if len(qs) < 2:
        return pd.Series(np.where(values.notna(), 0, np.nan), index=values.index), [float(qs[0]), float(qs[0])]
    idx = np.clip(np.searchsorted(qs, values, side="right") - 1, 0, len(qs) - 2)
    return pd.Series(np.where(values.notna(), idx, np.nan), index=values.index), [float(q) for q in qs]


def legend_title(polarity: str) -> str:
    """What the colours mean, in words: which end is better (or that none is)."""
    return t(f"map_legend_{polarity}" if polarity in ("higher_better", "lower_better") else "map_legend_neutral")


def legend_entries(breaks: list[float], decimals: int, unit: str, polarity: str = "neutral",
                   statuses: bool = True) -> list[dict]:
    """Legend rows, the better end first (a neutral indicator: the highest first): the scale's two ends as
    words ("Bättre" … "Sämre"; "Högst" … "Lägst"), the classes with their value range and unit, then
    suppressed and missing. Each row: colour (None for a word row), label."""
    colours = class_colours(len(breaks) - 1, polarity) if len(breaks) > 1 else []
    rows = [{"colour": colours[i],
             "label": f"{number(breaks[i], decimals)} – {number(breaks[i + 1], decimals)} {unit}"}
            for i in range(len(breaks) - 1)]
    if polarity != "lower_better":
        rows.reverse()  # the highest values first
    if rows:
        top, bottom = (("map_legend_better", "map_legend_worse") if polarity in ("higher_better", "lower_better")
                       else ("map_legend_highest", "map_legend_lowest"))
        rows = [{"colour": None, "label": t(top)}, *rows, {"colour": None, "label": t(bottom)}]
    if statuses:
        rows.append({"colour": "#BEBEBE", "label": f"{SUPPRESSED}  undertryckt (för få svarande)"})
        rows.append({"colour": "#FFFFFF", "label": f"{MISSING}  uppgift saknas"})
    return rows


def feature_collection(areas: pd.DataFrame, values: pd.DataFrame, decimals: int, unit: str,
                       selected: str | None = None, polarity: str = "neutral",
                       peers: tuple[str, ...] = ()) -> tuple[dict, list[float]]:
    """GeoJSON features with fill colour and tooltip text; areas: id, name, geometry (GeoJSON text);
    values: area_id, value, n, status. The ``selected`` area gets a thick black outline, ``peers`` (the
    comparison municipalities) a thinner dark one; line widths are in pixels."""
    merged = areas.merge(values, left_on="id", right_on="area_id", how="left")
    merged["status"] = merged["status"].fillna("missing")
    cls, breaks = classify(merged["value"].where(merged["status"] == "ok"))
    colours = class_colours(max(len(breaks) - 1, 1), polarity)
    peer_set = set(peers)
    features = []
    for i, row in merged.iterrows():
        status = row["status"]
        if status == "ok":
            fill = palette.hex_to_rgba(colours[int(cls[i])], 235)
            shown = f"{number(row['value'], decimals)} {unit}"
        elif status == "suppressed":
            fill, shown = palette.SUPPRESSED_FILL, f"{SUPPRESSED} (undertryckt: för få svarande)"
        else:
            fill, shown = palette.MISSING_FILL, f"{MISSING} (uppgift saknas)"
        n = row.get("n")
        respondents = number(n, 0) if status == "ok" and n is not None and not _nan(n) else MISSING
        if row["id"] == selected:
            line, width = palette.CHOSEN_OUTLINE, 3.5
        elif row["id"] in peer_set:
            line, width = palette.PEER_OUTLINE, 2
        else:
            line, width = palette.OUTLINE, 0.6 if peers else 1
        features.append({
            "type": "Feature",
            "geometry": json.loads(row["geometry"]),
            "properties": {
                "id": row["id"], "name": row["name"], "shown": shown, "respondents": respondents,
                "fill": fill, "line_width": width, "line": line,
            },
        })
    # The marked outlines last, so their neighbours do not draw over them.
    features.sort(key=lambda f: f["properties"]["line_width"])
    return {"type": "FeatureCollection", "features": features}, breaks


def name_labels(areas: pd.DataFrame, ids: list[str], chosen: str | None = None) -> pd.DataFrame:
    """Name labels (lon, lat, text, size) at the middle of each area in ``ids``; the chosen one larger."""
    rows = []
    for _, a in areas[areas["id"].isin(ids)].iterrows():
        coords = np.array(_coords(json.loads(a["geometry"])))
        if coords.size:
            rows.append({"lon": float((coords[:, 0].min() + coords[:, 0].max()) / 2),
                         "lat": float((coords[:, 1].min() + coords[:, 1].max()) / 2),
                         "text": a["name"], "size": 16 if a["id"] == chosen else 12})
    return pd.DataFrame(rows, columns=["lon", "lat", "text", "size"])


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
               tooltip_code: str | None = None, names: pd.DataFrame | None = None) -> pdk.Deck:
    """A pydeck choropleth of a FeatureCollection from ``feature_collection``; with ``tooltip_code`` the
    tooltip also gives the area's code (SCB's RegSO/DeSO code: the name is what a person reads); ``names``
    (from ``name_labels``) are drawn as labels on a white ground."""
    layers = [
        pdk.Layer(
            "GeoJsonLayer", fc, id="areas", pickable=True, stroked=True, filled=True,
            get_fill_color="properties.fill", get_line_color="properties.line",
            get_line_width="properties.line_width", line_width_units="'pixels'", line_width_min_pixels=0.5,
            auto_highlight=True,
        ),
    ]
    if not labels.empty:
        layers.append(pdk.Layer(
            "TextLayer", labels, id="labels", get_position=["centroid_lon", "centroid_lat"],
            get_text="text", get_size=18, get_color=[20, 20, 20, 255], get_alignment_baseline="'center'",
            character_set="'auto'",  # "–" is outside the default ASCII set
        ))
    if names is not None and not names.empty:
        layers.append(pdk.Layer(
            "TextLayer", names, id="names", get_position=["lon", "lat"], get_text="text", get_size="size",
            get_color=[20, 20, 20, 255], get_alignment_baseline="'bottom'", get_pixel_offset=[0, -6],
            font_weight=700, background=True, get_background_color=[255, 255, 255, 230],
            background_padding=[4, 2, 4, 2], get_border_color=[20, 20, 20, 255], get_border_width=1,
            character_set="'auto'", font_family="'Source Sans, Source Sans Pro, sans-serif'",
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


def view_for(geojson_texts: list[str], width_px: int = 640, height_px: int = 520) -> dict:
    """A view state that fits the given GeoJSON geometries into a map of about ``width_px`` × ``height_px``
    (Web Mercator: the world is 512 · 2^zoom pixels wide; latitudes are stretched by 1 / cos(latitude))."""
    xs, ys = [], []
    for text in geojson_texts:
        coords = np.array(_coords(json.loads(text)))
        if coords.size:
            xs += [coords[:, 0].min(), coords[:, 0].max()]
            ys += [coords[:, 1].min(), coords[:, 1].max()]
    if not xs:
        return {"longitude": 16.0, "latitude": 62.0, "zoom": 3.6}
    lon, lat = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    dx = max(max(xs) - min(xs), 1e-3)
    dy = max((max(ys) - min(ys)) / math.cos(math.radians(lat)), 1e-3)
    fit = min(math.log2(360 * width_px / (512 * dx)), math.log2(360 * height_px / (512 * dy)))
    zoom = float(np.clip(fit - 0.15, 3, 14))  # a margin around the outline
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


def legend_html(entries: list[dict], title: str = "", heading: str = "") -> str:
    """The legend as a list (screen readers read it; the colours carry no meaning on their own): rows with
    a colour get a swatch, rows without one (the scale's ends in words) are bold."""
    def row(e: dict) -> str:
        if e.get("colour") is None:
            return f"<li style='font-weight:600;margin:0.2em 0'>{html.escape(e['label'])}</li>"
        border = e.get("border", "1px solid #3C3C3C")
        return (f"<li style='margin:0.15em 0'><span style='display:inline-block;width:1.4em;height:1.1em;"
                f"background:{e['colour']};border:{border};margin-right:0.5em;vertical-align:middle'></span>"
                f"{html.escape(e['label'])}</li>")
    head = (f"<p style='margin:0 0 0.2em 0;font-weight:700;font-size:1.1em'>{html.escape(heading)}</p>"
            if heading else "")
    head += f"<p style='margin:0 0 0.4em 0;font-size:0.95em'>{html.escape(title)}</p>" if title else ""
    return (f"<div>{head}<ul aria-label='Teckenförklaring' style='list-style:none;padding-left:0;margin:0'>"
            f"{''.join(row(e) for e in entries)}</ul></div>")
