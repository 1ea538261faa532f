"""Chart builders: pure functions, data in, an Altair chart out (tested through ``chart.to_dict()``).

Every chart: Swedish axis titles, sv-SE number format, a tooltip, marks told apart by shape/dash as
well as colour, suppressed years drawn as ``..`` on the axis (never as 0), and at most
``MAX_CHART_ROWS`` rows of data.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd
import streamlit as st
from altair.utils.schemapi import debug_mode

from components import fmt, palette
from components.fmt import SUPPRESSED
from components.strings import t

# QUALITY.md: no chart sends more than this many rows to the browser.
MAX_CHART_ROWS = 5000
SV_LOCALE = {
    "decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " kr"],
}


class ChartDataTooLarge(ValueError):
    pass


def _check_rows(df: pd.DataFrame) -> None:
    if len(df) > MAX_CHART_ROWS:
        raise ChartDataTooLarge(f"{len(df)} rader > {MAX_CHART_ROWS}")


def _num_format(decimals: int) -> str:
    return f",.{decimals}f"


SOLID, DASHED = [1, 0], [6, 3]
DEFAULT_DASHES = [SOLID, DASHED, [2, 2], [8, 2, 2, 2], [4, 4], [1, 3]]
DEFAULT_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]


def _years_text(years) -> str:
    ys = sorted({int(y) for y in years})
    if not ys:
        return ""
    return f"{ys[0]}" if ys[0] == ys[-1] else f"{ys[0]}–{ys[-1]}"


def _full_years(years) -> list[int]:
    """Every year from the first to the last shown: a survey every other year keeps its gaps on the axis
    (and the strategy's baseline between two survey years has its place)."""
    ys = [int(y) for y in years]
    return list(range(min(ys), max(ys) + 1)) if ys else []


def _milestone_frame(years: list[int], start_year: int | None, baseline_year: int | None) -> pd.DataFrame:
    """The strategy's baseline and start as (year, label, align, dy, kind): only the years the chart shows.
    The labels stand above the plot, clear of the lines: the baseline's left of its rule and the start's
    right of its own, so two adjacent years' labels never overlap; a start among the last two years has its
    label left of its rule, a line above the baseline's."""
    rows = []
    late = start_year is not None and start_year in years[-2:] and len(years) > 3
    if start_year is not None and start_year == baseline_year and start_year in years:
        rows.append((start_year, t("chart_start_baseline", year=start_year), "right" if late else "left", -4, "start"))
    else:
        if baseline_year is not None and baseline_year in years:
            rows.append((baseline_year, t("chart_baseline", year=baseline_year), "right", -4, "baseline"))
        if start_year is not None and start_year in years:
            rows.append((start_year, t("chart_start", year=start_year), "right" if late else "left",
                         -20 if late and baseline_year in years else -4, "start"))
    return pd.DataFrame(rows, columns=["year", "label", "align", "dy", "kind"])


def _milestone_padding(milestones: pd.DataFrame) -> dict:
    lines = 2 if (milestones["dy"] < -10).any() else 1
    return {"top": 6 + 8 * lines, "left": 5, "right": 5, "bottom": 5}


def _milestone_layers(m: pd.DataFrame, x: alt.X) -> list:
    layers = []
    tip = [alt.Tooltip("label:N", title="")]
    for kind, dash in (("baseline", [2, 2]), ("start", SOLID)):
        part = m[m["kind"] == kind]
        if part.empty:
            continue
        align, dy = part["align"].iloc[0], int(part["dy"].iloc[0])
        layers.append(alt.Chart(part).mark_rule(color=palette.MILESTONE, strokeDash=dash, size=1.5).encode(
            x=x, tooltip=tip))
        layers.append(alt.Chart(part).mark_text(align=align, dx=4 if align == "left" else -4, dy=dy, fontSize=12,
                                                fontWeight="bold", baseline="bottom", color=palette.MILESTONE)
                      .encode(x=x, y=alt.value(0), text="label:N", tooltip=tip))
    return layers


def trend_description(df: pd.DataFrame, unit: str, subject: str = "", order: list[str] | None = None,
                      milestones: pd.DataFrame | None = None) -> str:
    """What a trend chart shows, in a sentence for screen readers (the spec's ``description``)."""
    series = order or list(dict.fromkeys(df["series"]))
    what = f"{subject} ({unit})" if subject else unit
    text = f"Linjediagram: {what} per år {_years_text(df['year'])} för {', '.join(series)}."
    if milestones is not None and not milestones.empty:
        text += " Lodräta linjer: " + ", ".join(milestones["label"]) + "."
    return text


def trend_chart(df: pd.DataFrame, unit: str, decimals: int, colours: dict[str, str],
                height: int = 300, breaks: pd.DataFrame | None = None,
                notes: pd.DataFrame | None = None, changed: pd.DataFrame | None = None,
                dashes: dict[str, list[int]] | None = None, shapes: dict[str, str] | None = None,
                bands: tuple[str, ...] | None = None, start_year: int | None = None,
                baseline_year: int | None = None, subject: str = "", description: str = "",
                legend_orient: str = "bottom", widths: dict[str, float] | None = None) -> alt.LayerChart:
    """Lines over years, one per series, with a 95 % band where the series has ci_low/ci_high, and a
    dashed rule labelled "Seriebrott" where a new series starts (``breaks``: year, description).
    ``notes`` (year, number, text) are violet rules labelled "Not N"; ``changed`` (series, year, what) draws a
    ring around each value that is new or revised since the "Nytt sedan …" day. ``widths`` (series name →
    line width) draws one series thick and the others thin (Jämför → Utveckling).

    df columns: series, year, value, ci_low, ci_high, status, n (one row per series and year).
    ``colours`` maps series name → colour, in legend order; ``dashes`` and ``shapes`` (series → dash, shape)
    tell series of one colour apart (a municipality's girls solid, the comparison's girls dashed); by default
    each series gets the next dash and shape. ``bands``: the series that get their band (default all).
    ``start_year`` and ``baseline_year`` (the strategy's) are labelled rules where the chart shows those
    years. ``legend_orient="right"`` stacks the legend beside the plot (a slide has width to spare, not
    height). ``description`` (else one made from ``subject`` and the data) is the text screen readers read.
    """
    _check_rows(df)
    data = df.copy()
    data["year"] = data["year"].astype(int)
    data["status_text"] = data["status"].map({"ok": "", "suppressed": "undertryckt (..)", "missing": "saknas"})
    order = list(colours)
    colour_scale = alt.Scale(domain=order, range=list(colours.values()))
    dash_range = [(dashes or {}).get(name, DEFAULT_DASHES[i % len(DEFAULT_DASHES)]) for i, name in enumerate(order)]
    shape_range = [(shapes or {}).get(name, DEFAULT_SHAPES[i % len(DEFAULT_SHAPES)]) for i, name in enumerate(order)]
    # One legend for colour, dash and shape (Vega-Lite merges the channels of one field, and a channel
    # without a legend would take the merged legend away): each series' symbol is its point's shape.
    legend = alt.Legend(orient=legend_orient, labelLimit=400, labelFontSize=13, symbolSize=120,
                        columns=(min(3, len(order)) if len(order) > 3 else 0) if legend_orient == "bottom" else 1)
    colour = alt.Color("series:N", title=None, scale=colour_scale, legend=legend)
    dash = alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=order, range=dash_range), legend=legend)
    shape = alt.Shape("series:N", title=None, scale=alt.Scale(domain=order, range=shape_range), legend=legend)
    years = _full_years(data["year"])
    x = alt.X("year:O", title="År", scale=alt.Scale(domain=years),
              axis=alt.Axis(labelAngle=0, labelFontSize=12, titleFontSize=13))
    y_title = unit
    tooltip = [
        alt.Tooltip("series:N", title="Serie"), alt.Tooltip("year:O", title="År"),
        alt.Tooltip("value:Q", title="Värde", format=_num_format(decimals)),
        alt.Tooltip("ci_low:Q", title="95 % KI, nedre", format=_num_format(decimals)),
        alt.Tooltip("ci_high:Q", title="95 % KI, övre", format=_num_format(decimals)),
        alt.Tooltip("n:Q", title="Antal svarande", format=",.0f"),
        alt.Tooltip("status_text:N", title="Status"),
    ]
    if "source_text" in data:
        tooltip.append(alt.Tooltip("source_text:N", title="Källa"))
    ok = data[data["status"] == "ok"]
    base = alt.Chart(ok)
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False), axis=_axis(decimals))
    layers = []
    band = ok.dropna(subset=["ci_low", "ci_high"])
    if bands is not None:
        band = band[band["series"].isin(bands)]
    if not band.empty:
        # clip: a band wider than the axis is cut at the plot's edge, never drawn over the axis.
        # One layer a series in its colour as a value: a colour channel without a legend would take the
        # series' legend away.
        for name in dict.fromkeys(band["series"]):
            layers.append(alt.Chart(band[band["series"] == name]).mark_area(
                opacity=0.18, clip=True, color=colours[name]).encode(
                x=x, y=alt.Y("ci_low:Q", title=y_title), y2="ci_high:Q"))
    line = {"x": x, "y": y, "color": colour, "strokeDash": dash}
    if widths:
        line["strokeWidth"] = alt.StrokeWidth("series:N", legend=None, scale=alt.Scale(
            domain=list(widths), range=list(widths.values())))
    layers.append(base.mark_line(strokeWidth=2.5).encode(**line))
    layers.append(base.mark_point(size=60, filled=True).encode(
        x=x, y=y, color=colour, shape=shape, tooltip=tooltip))
    if changed is not None and not changed.empty:
        ring = ok.merge(changed[["series", "year", "what"]], on=["series", "year"], how="inner")
        if not ring.empty:
            layers.append(alt.Chart(ring).mark_point(size=320, filled=False, strokeWidth=2.5,
                                                     color=palette.CHANGED).encode(
                x=x, y=y, tooltip=[alt.Tooltip("series:N", title="Serie"), alt.Tooltip("year:O", title="År"),
                                   alt.Tooltip("what:N", title="Nytt sedan")]))
    sup = data[data["status"] == "suppressed"]
    if not sup.empty:
        layers.append(alt.Chart(sup.assign(mark=SUPPRESSED)).mark_text(
            dy=-6, fontSize=16, fontWeight="bold", baseline="bottom").encode(
            x=x, y=alt.value(height - 4), text="mark:N", color=colour, tooltip=tooltip))
    if breaks is not None and not breaks.empty:
        b = breaks[breaks["year"].isin(data["year"])].assign(label="Seriebrott")
        if not b.empty:
            b_tip = [alt.Tooltip("year:O", title="Ny serie från"), alt.Tooltip("description:N", title="Seriebrott")]
            layers.append(alt.Chart(b).mark_rule(color=palette.SIMILAR, strokeDash=[4, 3], size=1.5).encode(
                x=x, tooltip=b_tip))
            layers.append(alt.Chart(b).mark_text(align="left", dx=4, dy=8, fontSize=12, color=palette.SIMILAR)
                          .encode(x=x, y=alt.value(0), text="label:N", tooltip=b_tip))
    if notes is not None and not notes.empty:
        n = notes[notes["year"].isin(data["year"])].assign(label=lambda d: "Not " + d["number"].astype(str))
        if not n.empty:
            n_tip = [alt.Tooltip("year:O", title="År"), alt.Tooltip("text:N", title="Anteckning")]
            layers.append(alt.Chart(n).mark_rule(color=palette.NOTE, strokeDash=[1, 3], size=2).encode(
                x=x, tooltip=n_tip))
            layers.append(alt.Chart(n).mark_text(align="left", dx=4, dy=24, fontSize=12, fontWeight="bold",
                                                 color=palette.NOTE).encode(x=x, y=alt.value(0), text="label:N",
                                                                            tooltip=n_tip))
    milestones = _milestone_frame(years, start_year, baseline_year)
    layers += _milestone_layers(milestones, x)
    text = description or trend_description(data, unit, subject, order, milestones)
    chart = alt.layer(*layers).properties(height=height, description=text)
    if not milestones.empty:  # room above the plot for the labels (Streamlit's fitting leaves none for them)
        chart = chart.properties(padding=_milestone_padding(milestones))
    return chart.configure(locale={"number": SV_LOCALE})


def gap_chart(df: pd.DataFrame, unit: str, decimals: int, label_k: str, label_m: str,
              height: int = 160, subject: str = "") -> alt.Chart:
    """Bars of the gender gap (K − M) per year; df columns: year, gap."""
    _check_rows(df)
    data = df.copy()
    data["year"] = data["year"].astype(int)
    data["who"] = data["gap"].apply(lambda g: f"{label_k} högre" if g > 0 else f"{label_m} högre")
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title="År", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("gap:Q", title=f"{label_k} − {label_m} ({fmt.diff_unit(unit)})",
                axis=alt.Axis(format=_num_format(decimals))),
        color=alt.Color("who:N", title=None, scale=alt.Scale(
            domain=[f"{label_k} högre", f"{label_m} högre"], range=[palette.GIRLS, palette.BOYS]),
            legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("year:O", title="År"),
                 alt.Tooltip("gap:Q", title=f"Skillnad ({fmt.diff_unit(unit)})", format=_num_format(decimals)),
                 alt.Tooltip("who:N", title="")],
    ).properties(height=height, description=(
        f"Stapeldiagram: {subject + ', ' if subject else ''}skillnaden {label_k.lower()} minus {label_m.lower()} "
        f"({fmt.diff_unit(unit) or unit}) per år {_years_text(data['year'])}.")).configure(locale={"number": SV_LOCALE})


def _axis(decimals: int) -> alt.Axis:
    # Whole-number units must not get fractional ticks that round to the same label.
    return alt.Axis(format=_num_format(decimals), tickMinStep=10 ** -decimals, labelFontSize=12,
                    titleFontSize=13)


def ranking_chart(df: pd.DataFrame, unit: str, decimals: int,
                  benchmark: float | None = None, benchmark_label: str = "",
                  ascending: bool = False, subject: str = "") -> alt.LayerChart:
    """Horizontal bars, best first (``ascending`` for lower-is-better); df columns: area_name, value,
    status, role ('vald'/'jämförelse'/'')."""
    _check_rows(df)
    data = df[df["status"] == "ok"].sort_values("value", ascending=ascending).copy()
    data["role"] = data["role"].fillna("")
    roles = ["Vald kommun", "Jämförelse", "Övriga"]
    data["role_label"] = data["role"].map({"vald": roles[0], "jämförelse": roles[1]}).fillna(roles[2])
    order = list(data["area_name"])
    y = alt.Y("area_name:N", title=None, sort=order, axis=alt.Axis(labelLimit=240, labelFontSize=12))
    bars = alt.Chart(data).mark_bar().encode(
        y=y,
        x=alt.X("value:Q", title=unit, axis=_axis(decimals)),
        color=alt.Color("role_label:N", title=None, scale=alt.Scale(
            domain=roles, range=[palette.MUNICIPALITY, palette.COMPARISON, "#8A96A3"]),
            legend=alt.Legend(orient="bottom", labelFontSize=13)),
        tooltip=[alt.Tooltip("area_name:N", title="Kommun"),
                 alt.Tooltip("value:Q", title="Värde", format=_num_format(decimals)),
                 alt.Tooltip("role_label:N", title="")],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=3, fontSize=12).encode(
        y=y, x="value:Q", text=alt.Text("value:Q", format=_num_format(decimals)))
    layers = [bars, labels]
    if "ci_low" in data and data["ci_low"].notna().any():
        # 95 % intervals where the source has them: a ranking says little when they overlap.
        layers.append(alt.Chart(data[data["ci_low"].notna()]).mark_rule(color="#1B1B1B", strokeWidth=1.5).encode(
            y=y, x="ci_low:Q", x2="ci_high:Q",
            tooltip=[alt.Tooltip("area_name:N", title="Kommun"),
                     alt.Tooltip("ci_low:Q", title="95 % KI från", format=_num_format(decimals)),
                     alt.Tooltip("ci_high:Q", title="till", format=_num_format(decimals))]))
    if benchmark is not None:
        layers.append(alt.Chart(pd.DataFrame({"b": [benchmark], "label": [benchmark_label]})).mark_rule(
            strokeDash=[6, 3], color="#1B1B1B", strokeWidth=2).encode(
            x="b:Q", tooltip=[alt.Tooltip("label:N", title=""),
                              alt.Tooltip("b:Q", title="Värde", format=_num_format(decimals))]))
    height = max(160, 26 * len(data))
    order_text = "lägsta värdet först" if ascending else "högsta värdet först"
    what = f"{subject} ({unit})" if subject else unit
    text = (f"Liggande stapeldiagram: {what} för {len(data)} områden, "
            f"{order_text}" + (f"; streckad linje: {benchmark_label}" if benchmark is not None and benchmark_label else "")
            + ".")
    return alt.layer(*layers).properties(height=height, description=text).configure(locale={"number": SV_LOCALE})


SCATTER_LABEL_ALL = 20  # up to this many dots every dot has its name; beyond, the chosen one and its peers


def scatter_chart(df: pd.DataFrame, x_title: str, y_title: str, x_dec: int, y_dec: int) -> alt.LayerChart:
    """Two indicators for the same areas; df columns: area_name, x, y, role. Dots carry their names as text
    (not only in the tooltip): every dot's when there are few, else the chosen municipality's (bold) and its
    comparison's, so the labels of 290 municipalities do not pile up."""
    _check_rows(df)
    data = df.dropna(subset=["x", "y"]).copy()
    roles = ["Vald kommun", "Jämförelse", "Övriga"]
    data["role_label"] = data["role"].map({"vald": roles[0], "jämförelse": roles[1]}).fillna(roles[2])
    pts = alt.Chart(data).mark_point(size=90, filled=True).encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=_num_format(x_dec))),
        y=alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=_num_format(y_dec))),
        color=alt.Color("role_label:N", title=None, scale=alt.Scale(
            domain=roles, range=[palette.MUNICIPALITY, palette.COMPARISON, "#7B8794"]),
            legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("role_label:N", scale=alt.Scale(domain=roles, range=["diamond", "square", "circle"]),
                        legend=None),
        tooltip=[alt.Tooltip("area_name:N", title="Kommun"),
                 alt.Tooltip("x:Q", title=x_title, format=_num_format(x_dec)),
                 alt.Tooltip("y:Q", title=y_title, format=_num_format(y_dec))],
    )
    named = data if len(data) <= SCATTER_LABEL_ALL else data[data["role"].isin(["vald", "jämförelse"])]
    layers = [pts]
    for chosen, weight in ((True, "bold"), (False, "normal")):
        part = named[(named["role"] == "vald") == chosen]
        if not part.empty:
            layers.append(alt.Chart(part).mark_text(align="left", dx=7, dy=-2, fontSize=12 if chosen else 11,
                                                    fontWeight=weight, color="#1B1B1B").encode(
                x="x:Q", y="y:Q", text="area_name:N"))
    chosen_names = list(data.loc[data["role"] == "vald", "area_name"])
    text = (f"Punktdiagram: {x_title} (vågrätt) mot {y_title} (lodrätt) för {len(data)} kommuner"
            + (f"; vald kommun: {', '.join(chosen_names)}" if chosen_names else "") + ".")
    return alt.layer(*layers).properties(height=380, description=text).configure(locale={"number": SV_LOCALE})


def gap_trend_chart(df: pd.DataFrame, unit: str, decimals: int, y_title: str, colour: str,
                    height: int = 260, subject: str = "", start_year: int | None = None,
                    baseline_year: int | None = None) -> alt.LayerChart:
    """A gap over the years with its 95 % interval: the slope index of inequality between districts, or the
    gap between girls and boys. A solid rule marks zero (no difference). df columns: year, gap, low, high."""
    _check_rows(df)
    data = df.dropna(subset=["gap"]).copy()
    data["year"] = data["year"].astype(int)
    x = alt.X("year:O", title="År", scale=alt.Scale(domain=_full_years(data["year"])),
              axis=alt.Axis(labelAngle=0, labelFontSize=12, titleFontSize=13))
    title = f"{y_title} ({fmt.diff_unit(unit)})" if fmt.diff_unit(unit) else y_title
    y = alt.Y("gap:Q", title=title, axis=_axis(decimals))
    tooltip = [alt.Tooltip("year:O", title="År"),
               alt.Tooltip("gap:Q", title=y_title, format=_num_format(decimals)),
               alt.Tooltip("low:Q", title="95 % KI, nedre", format=_num_format(decimals)),
               alt.Tooltip("high:Q", title="95 % KI, övre", format=_num_format(decimals))]
    layers = [alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#1B1B1B", size=1).encode(y="zero:Q")]
    band = data.dropna(subset=["low", "high"])
    if not band.empty:
        layers.append(alt.Chart(band).mark_errorbar(ticks=True, color=colour, thickness=2).encode(
            x=x, y=alt.Y("low:Q", title=title), y2="high:Q"))
    layers.append(alt.Chart(data).mark_line(strokeWidth=2.5, color=colour).encode(x=x, y=y))
    layers.append(alt.Chart(data).mark_point(size=70, filled=True, color=colour).encode(x=x, y=y, tooltip=tooltip))
    milestones = _milestone_frame(_full_years(data["year"]), start_year, baseline_year)
    layers += _milestone_layers(milestones, x)
    text = (f"Linjediagram: {subject + ', ' if subject else ''}{title} per år {_years_text(data['year'])}, "
            "med 95 % konfidensintervall och en linje vid noll (ingen skillnad)."
            + (" Lodräta linjer: " + ", ".join(milestones["label"]) + "." if not milestones.empty else ""))
    chart = alt.layer(*layers).properties(height=height, description=text)
    if not milestones.empty:
        chart = chart.properties(padding=_milestone_padding(milestones))
    return chart.configure(locale={"number": SV_LOCALE})


def gradient_chart(df: pd.DataFrame, decimals: int, value_title: str, measure_label: str,
                   height: int = 340, subject: str = "") -> alt.LayerChart:
    """The districts of one year by deprivation: each district at its relative rank (0 = most economically
    exposed end of the population, 1 = least), its value with the 95 % interval, the circle's area its
    population, and the fitted line whose slope is the SII. df columns: name, rank, value, ci_low, ci_high,
    population, deprivation, fitted."""
    _check_rows(df)
    data = df.copy()
    x = alt.X("rank:Q", title="Delområdenas relativa rang: mest utsatta (0) → minst utsatta (1)",
              scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".1f", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
                                                             labelFontSize=12, titleFontSize=13))
    y = alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False), axis=_axis(decimals))
    tooltip = [alt.Tooltip("name:N", title="Delområde"),
               alt.Tooltip("value:Q", title="Värde", format=_num_format(decimals)),
               alt.Tooltip("ci_low:Q", title="95 % KI, nedre", format=_num_format(decimals)),
               alt.Tooltip("ci_high:Q", title="95 % KI, övre", format=_num_format(decimals)),
               alt.Tooltip("population:Q", title="Folkmängd (vikt)", format=",.0f"),
               alt.Tooltip("rank:Q", title="Relativ rang", format=".2f")]
    if measure_label:  # not where the order comes from finer districts (that value is never shown)
        tooltip.append(alt.Tooltip("deprivation:Q", title=f"Rangordnat efter: {measure_label}", format=",.1f"))
    layers = []
    bars = data.dropna(subset=["ci_low", "ci_high"])
    if not bars.empty:
        layers.append(alt.Chart(bars).mark_rule(color="#7B8794", size=1.5).encode(
            x=x, y=alt.Y("ci_low:Q", title=value_title), y2="ci_high:Q"))
    layers.append(alt.Chart(data).mark_circle(color=palette.MUNICIPALITY, opacity=0.85).encode(
        x=x, y=y, size=alt.Size("population:Q", title="Folkmängd", legend=None, scale=alt.Scale(range=[40, 400])),
        tooltip=tooltip))
    if len(data) <= SCATTER_LABEL_ALL:  # the districts by name beside their circles
        layers.append(alt.Chart(data).mark_text(align="left", dx=9, dy=-2, fontSize=11, color="#1B1B1B").encode(
            x=x, y=y, text="name:N"))
    line = data.sort_values("rank")[["rank", "fitted"]]
    layers.append(alt.Chart(line).mark_line(color=palette.COMPARISON, strokeDash=[6, 3], strokeWidth=2).encode(
        x=x, y=alt.Y("fitted:Q", title=value_title),
        tooltip=[alt.Tooltip("fitted:Q", title="Skattat värde (linjen)", format=_num_format(decimals))]))
    text = (f"Punktdiagram: {subject + ', ' if subject else ''}{value_title} för {len(data)} delområden ordnade "
            "från mest till minst ekonomiskt utsatta, med 95 % konfidensintervall och den skattade linjen.")
    return alt.layer(*layers).properties(height=height, description=text).configure(locale={"number": SV_LOCALE})


# --- Drawing: specs built once per input, not on every rerun ----------------------------------------

BUILDERS = {"trend": trend_chart, "gap": gap_chart, "ranking": ranking_chart, "scatter": scatter_chart,
            "gap_trend": gap_trend_chart, "gradient": gradient_chart}


def spec(builder: str, *args, validate: bool = True, **kwargs) -> dict:
    """The Vega-Lite spec of one chart, as Streamlit's altair path would make it (no default theme).

    ``validate=False`` skips Altair's schema validation, two thirds of the cost of a spec: for the meeting
    pack, which draws the same builders the app draws (and the app's tests validate)."""
    if validate:
        chart = BUILDERS[builder](*args, **kwargs)
        with alt.theme.enable("none"):
            return chart.to_dict()
    with debug_mode(False):
        chart = BUILDERS[builder](*args, **kwargs)
        with alt.theme.enable("none"):
            return chart.to_dict(validate=False)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_spec(builder: str, args: tuple, kwargs: tuple) -> dict:
    return spec(builder, *args, **dict(kwargs))


FOOTER_WIDTH = 120  # characters a footer line holds before it wraps
FOOTER_LINE_PX = 15


def footer_lines(title: str, source: str, width: int = FOOTER_WIDTH) -> list[str]:
    """The lines under a chart that travel with it: what it shows and every source with its fetch date
    (DEMODATA for synthetic values). Streamlit's element toolbar offers "Download as PNG", which renders
    the Vega view, so a footer inside the spec is on every exported image as well as on screen."""
    text = f"{title} · Källa: {source}" if title else f"Källa: {source}"
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def with_footer(chart_spec: dict, lines: list[str]) -> dict:
    """A copy of a spec with ``lines`` as a bottom title (the cached spec itself is never changed)."""
    return {**chart_spec, "title": {"text": list(lines), "orient": "bottom", "anchor": "start", "fontSize": 11,
                                    "fontWeight": "normal", "color": "#3F4A56", "offset": 14, "lineHeight": FOOTER_LINE_PX}}


def image(chart_spec: dict, kind: str, scale: float = 2) -> bytes:
    """A chart as PNG or SVG, made offline by vl-convert: the same spec, footer (source, fetch date,
    DEMODATA) included. ``allowed_base_urls=[]``: the data is inline and nothing is fetched from any host."""
    import vl_convert as vlc

    if kind == "svg":
        return vlc.vegalite_to_svg(chart_spec, allowed_base_urls=[]).encode("utf-8")
    return vlc.vegalite_to_png(chart_spec, scale=scale, allowed_base_urls=[])


def scaled_fonts(chart_spec: dict, factor: float) -> dict:
    """A copy of a spec with every font size (and the footer's line height, and a text's offset ``dy``,
    which is measured in lines of its type) times ``factor``: for a slide or a projector, where the chart
    is seen from across a room."""
    def walk(node):
        if isinstance(node, dict):
            if "top" in node and "bottom" in node and "left" in node:  # a padding: the labels above grow
                return {k: v * factor if isinstance(v, int | float) else v for k, v in node.items()}
            return {k: (v * factor if isinstance(v, int | float) and not isinstance(v, bool)
                        and (k.endswith("FontSize") or k in ("fontSize", "lineHeight", "dy")) else walk(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(chart_spec)


IMAGE_WIDTH_PX = 900  # the exported image's width; on screen the chart fills its column
LEGEND_ROW_PX = 30
MILESTONE_LABEL_PX = 34  # the strategy's years' labels above the plot (two lines where they stack)


def extra_height(chart_spec: dict) -> int:
    """Pixels a spec needs beyond its plot for what stands outside it: legend rows after the first (a
    legend of many series wraps) and the labels of the strategy's years above the plot. Streamlit fits the
    whole chart into the height it is given, so without them the plot itself would shrink."""
    extra = 0
    layers = chart_spec.get("layer", [])
    for layer in layers:
        colour = layer.get("encoding", {}).get("color", {})
        legend = colour.get("legend") or {}
        columns = (legend.get("columns") or 0) if legend.get("orient", "bottom") == "bottom" else 0
        domain = colour.get("scale", {}).get("domain") or []
        if columns and domain:
            extra = max(extra, LEGEND_ROW_PX * (-(-len(domain) // columns) - 1))
    if any(isinstance(layer.get("mark"), dict) and layer["mark"].get("color") == palette.MILESTONE
           for layer in layers):
        extra += MILESTONE_LABEL_PX
    return extra


def show(builder: str, *args, height: int, footer: list[str], alt_text: str | None = None,
         download: str | None = None, download_id: str | None = None, font_scale: float = 1.0,
         **kwargs) -> None:
    """Draw a chart. Building an Altair chart and validating its spec cost more than the rest of a page's
    rerun, so the spec is cached per input (data and options) and drawn with ``st.vega_lite_chart``.

    ``footer`` (from :func:`footer_lines`) is required: every chart names its source inside the chart, so
    an image saved from the toolbar carries source, fetch date and DEMODATA. With ``download`` (a readable
    file name without extension, :func:`components.fmt.file_name`) the chart gets its own PNG and SVG buttons,
    keyed on ``download_id`` (ids, unique on the page) where given; the images are made only when clicked."""
    if not footer or not any("Källa" in line for line in footer):
        raise ValueError("ett diagram måste ange sin källa (footer_lines)")
    chart_spec = with_footer(_cached_spec(builder, args, tuple(sorted(kwargs.items()))), footer)
    if font_scale != 1.0:  # presentation mode: type read from across the room
        chart_spec = scaled_fonts(chart_spec, font_scale)
    # The footer takes its lines plus the title offset from the view: add both, so the plot keeps its
    # height (a squeezed ranking drops every other municipality's label).
    # The spec's own description (every builder writes one) is the chart's accessible name; ``alt_text``
    # only where a spec has none (Streamlit would let alt override the description, and warn).
    st.vega_lite_chart(spec=chart_spec, width="stretch",
                       height=height + int(FOOTER_LINE_PX * font_scale) * len(footer) + 24
                       + int(extra_height(chart_spec) * font_scale),
                       alt=None if chart_spec.get("description") else alt_text)
    if download:
        fixed = {**chart_spec, "width": IMAGE_WIDTH_PX, "height": height}
        # A row of buttons as wide as their labels (fixed columns cut "Diagram (PNG)" at 1280 px).
        row = st.container(horizontal=True)
        for kind, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            row.download_button(t("chart_download", kind=kind.upper()), data=lambda k=kind: image(fixed, k),
                                file_name=f"{download}.{kind}", mime=mime, on_click="ignore",
                                key=f"dl_chart_{kind}_{download_id or download}", icon=":material/image:")
