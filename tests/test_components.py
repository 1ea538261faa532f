"""Pure builders and statistics: formats, assessments, chart and map specs."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from components import charts, fmt, maps, palette
from etl.stats import wilson_interval
from services import analysis


def test_swedish_number_format():
    assert fmt.number(1234.56, 1) == "1\u00a0234,6"
    assert fmt.number(None) == fmt.MISSING
    assert fmt.number(float("nan")) == fmt.MISSING
    assert fmt.signed(-0.44, 1) == "\u22120,4"
    assert fmt.signed(2, 0) == "+2"
    assert fmt.signed(0.01, 1) == "±0,0"
    assert fmt.cell(None, "suppressed") == ".."
    assert fmt.cell(None, "missing") == "–"
    assert fmt.with_unit(12.5, 1, "%") == "12,5\u00a0%"


def test_halves_round_away_from_zero_as_in_official_statistics():
    assert fmt.number(58.5, 0) == "59" and fmt.number(72.5, 0) == "73"  # Python's format gives 58 and 72
    assert fmt.number(-2.5, 0) == "-3" and fmt.number(0.125, 2) == "0,13"
    assert fmt.signed(0.05, 1) == "+0,1"
    assert fmt.signed_unit(1.25, 1, "%") == "+1,3\u00a0procentenheter"
    assert fmt.signed_unit(-3, 0, "antal/100 000 inv") == "\u22123\u00a0antal/100 000 inv"


def test_one_percentage_point_is_singular_only_where_it_reads_one():
    assert fmt.signed_unit(1.2, 0, "%") == "+1\u00a0procentenhet"
    assert fmt.signed_unit(-0.6, 0, "%") == "\u22121\u00a0procentenhet"
    assert fmt.signed_unit(1.0, 1, "%") == "+1,0\u00a0procentenheter"  # '1,0' is written plural
    assert fmt.signed_unit(2, 0, "%") == "+2\u00a0procentenheter"
    assert fmt.signed_unit(0.2, 0, "%") == "±0\u00a0procentenheter"
    assert fmt.signed_unit(11, 0, "%") == "+11\u00a0procentenheter"
    assert fmt.signed_unit(1, 0, "dagar") == "+1\u00a0dagar"  # other units keep the catalogue's word
    assert fmt.diff_unit("%") == "procentenheter" and fmt.diff_unit("%", "−1") == "procentenhet"


def test_a_difference_beside_two_shown_values_is_their_difference():
    """90,6 and 94,4 are shown as 91 and 94: the gap beside them reads −3, not the unrounded −3,8 → −4."""
    from components import tables, verdicts
    from services.analysis import Gap
    from services.stats import DiffTest

    assert fmt.shown_diff(94.4, 90.6, 0) == -3 and fmt.signed(90.6 - 94.4, 0) == "\u22124"
    assert fmt.shown_diff(0.15, 0.35, 1) == pytest.approx(0.2) and fmt.signed(fmt.shown_diff(0.15, 0.35, 1), 1) == "+0,2"
    assert fmt.shown_diff(None, 3.0, 1) is None and fmt.shown_diff(float("nan"), 3.0, 1) is None
    gap = Gap(90.6 - 94.4, 2024, DiffTest(-3.8, -6.0, -1.6, 0.001, True, "Newcombe"))
    cell = tables.gap_cell(gap, 0, "%", shown=(90.6, 94.4))
    assert "\u22123\u00a0procentenheter – säker skillnad" in cell
    assert "\u22124" in tables.gap_cell(gap, 0, "%")  # without the shown values: the gap's own rounding
    # The comparison: 91 shown against 'jmf 94' reads −3.
    words = verdicts.standing_words("below", 90.6, 94.4, 0, "%", "Riket", "register")
    assert words.head == "Lägre än Riket: \u22123\u00a0procentenheter"
    assert "\u22123\u00a0procentenheter" in tables.standing_cell(words)


def test_file_names_are_readable_and_safe_on_windows_mac_and_teams():
    name = fmt.file_name("Mötesunderlag Trelleborg", "Boende och närmiljö 2026-12-06", ext="pdf", demo=True)
    assert name == "Mötesunderlag Trelleborg – Boende och närmiljö 2026-12-06 (demodata).pdf"
    hostile = fmt.file_name('Andel 15/16 år: "trygga"?', "a\\b<c>|*", " .", ext=".csv")
    assert not set('/\\:*?"<>|') & set(hostile.removesuffix(".csv")), hostile
    assert hostile.endswith(".csv") and not hostile.startswith((" ", ".")) and "  " not in hostile
    assert len(fmt.file_stem("x" * 400)) <= fmt.MAX_FILE_STEM
    assert fmt.file_name(None, "", ext="csv") == "export.csv"


def test_wilson_interval():
    low, high = wilson_interval([50.0], [100])
    assert low[0] == pytest.approx(40.38, abs=0.01) and high[0] == pytest.approx(59.62, abs=0.01)
    low, high = wilson_interval([0.0], [20])
    assert low[0] == pytest.approx(0.0, abs=1e-9) and 0 < high[0] < 20
    low, _ = wilson_interval([50.0], [0])
    assert np.isnan(low[0])


@pytest.mark.parametrize("value,lo,hi,bench,polarity,expected", [
    (80, 75, 85, 70, "higher_better", "better"),
    (80, 75, 85, 70, "lower_better", "worse"),
    (80, 75, 85, 78, "higher_better", "similar"),
    (60, 55, 65, 70, "higher_better", "worse"),
    (60, 55, 65, 70, "neutral", "lower"),
    (60, None, None, 70, "higher_better", "below"),  # no interval: the plain difference, never "sämre"
    (70.04, None, None, 70, "higher_better", "above"),
    (70.04, None, None, 70, "lower_better", "above"),
    (None, None, None, 70, "higher_better", "no_data"),
])
def test_assess(value, lo, hi, bench, polarity, expected):
    assert analysis.assess(value, lo, hi, bench, polarity) == expected


def test_direction_is_tested_or_says_untested():
    then = {"value": 70, "ci_low": 65, "ci_high": 75, "year": 2020}
    now = {"value": 72, "ci_low": 67, "ci_high": 77, "year": 2024}
    assert analysis.direction(then, now, "higher_better").label == "no_change"
    now = {"value": 85, "ci_low": 80, "ci_high": 90, "year": 2024}
    c = analysis.direction(then, now, "higher_better")
    assert c.label == "improved" and c.tested
    c = analysis.direction({"value": 10, "ci_low": None, "ci_high": None, "year": 2020},
                           {"value": 8, "ci_low": None, "ci_high": None, "year": 2024}, "lower_better")
    assert c.label == "untested" and not c.tested and c.diff == -2


def test_issue_11_sixty_to_sixty_seven_with_400_each_is_a_tested_improvement():
    """Overlap of two 95 % intervals asked for p < 0.006; the two-proportion test says p ≈ 0.04."""
    then = {"value": 60.0, "n": 400, "ci_low": None, "ci_high": None, "year": 2020}
    now = {"value": 67.0, "n": 400, "ci_low": None, "ci_high": None, "year": 2024}
    c = analysis.direction(then, now, "higher_better", "%")
    assert c.label == "improved" and c.tested
    assert c.test.p_value == pytest.approx(0.0399, abs=0.001)



def test_group_mean_needs_half_the_members():
    df = pd.DataFrame({"area_id": ["a", "b", "c", "d"], "year": [2020] * 4, "gender": ["T"] * 4,
                       "value": [1.0, 3.0, None, None], "status": ["ok", "ok", "missing", "missing"]})
    out = analysis.group_mean(df)
    assert out["value"].tolist() == [2.0]
    df.loc[1, "status"] = "missing"
    assert analysis.group_mean(df).empty


def _trend_frame(with_ci: bool, suppressed: bool) -> pd.DataFrame:
    rows = []
    for y in range(2015, 2021):
        status = "suppressed" if (suppressed and y == 2017) else "ok"
        rows.append({"series": "Trelleborg", "year": y, "value": None if status != "ok" else 50.0 + y % 3,
                     "ci_low": 45.0 if with_ci else None, "ci_high": 58.0 if with_ci else None,
                     "status": status, "n": 100})
        rows.append({"series": "Riket", "year": y, "value": 52.0, "ci_low": None, "ci_high": None,
                     "status": "ok", "n": None})
    return pd.DataFrame(rows)


def _marks(spec: dict) -> list[str]:
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]


def test_trend_chart_band_and_suppressed_marks():
    colours = {"Trelleborg": palette.MUNICIPALITY, "Riket": palette.COMPARISON}
    spec = charts.trend_chart(_trend_frame(True, True), "%", 1, colours).to_dict()
    marks = _marks(spec)
    assert marks[0] == "area"  # the 95 % band
    assert "text" in marks  # '..' for the suppressed year
    text_layer = spec["layer"][marks.index("text")]
    data = spec["datasets"][text_layer["data"]["name"]]
    assert [d["mark"] for d in data] == [".."] and data[0]["year"] == 2017
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    # Series differ by dash and shape too, not only by colour.
    line = spec["layer"][marks.index("line")]
    assert "strokeDash" in line["encoding"]
    assert "shape" in spec["layer"][marks.index("point")]["encoding"]


def test_trend_chart_without_intervals_has_no_band():
    spec = charts.trend_chart(_trend_frame(False, False), "%", 1,
                              {"Trelleborg": "#000000", "Riket": "#111111"}).to_dict()
    assert "area" not in _marks(spec) and "text" not in _marks(spec)


def test_suppressed_values_never_plotted_as_numbers():
    spec = charts.trend_chart(_trend_frame(True, True), "%", 1, {"Trelleborg": "#000000", "Riket": "#111111"}).to_dict()
    line = spec["layer"][_marks(spec).index("line")]
    rows = spec["datasets"][line["data"]["name"]] if "data" in line else spec["datasets"][spec["data"]["name"]]
    assert all(r["status"] == "ok" for r in rows)


def test_chart_row_limit():
    big = pd.DataFrame({"series": "x", "year": 2020, "value": 1.0, "ci_low": None, "ci_high": None,
                        "status": "ok", "n": None}, index=range(charts.MAX_CHART_ROWS + 1))
    with pytest.raises(charts.ChartDataTooLarge):
        charts.trend_chart(big, "%", 1, {"x": "#000000"})


def test_ranking_chart_colours_roles_and_sorts_by_value():
    df = pd.DataFrame({"area_name": ["A", "B", "C"], "value": [3.0, 1.0, 2.0], "status": ["ok"] * 3,
                       "role": ["vald", "jämförelse", ""]})
    spec = charts.ranking_chart(df, "%", 1, 2.5, "Riket").to_dict()
    bar = spec["layer"][0]
    assert bar["encoding"]["y"]["sort"] == ["A", "C", "B"]  # best (highest) first
    assert bar["encoding"]["color"]["scale"]["range"][0] == palette.MUNICIPALITY
    assert _marks(spec)[-1] == "rule"


def test_choropleth_marks_suppressed_and_missing():
    square = json.dumps({"type": "Polygon", "coordinates": [[[13, 55], [13.1, 55], [13.1, 55.1], [13, 55]]]})
    areas = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "geometry": [square] * 3,
                          "centroid_lon": [13.05] * 3, "centroid_lat": [55.05] * 3})
    values = pd.DataFrame({"area_id": ["a", "b"], "value": [70.0, None], "n": [40, 8],
                           "status": ["ok", "suppressed"]})
    fc, breaks = maps.feature_collection(areas, values, 1, "%", selected="a")
    props = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    assert props["b"]["fill"] == palette.SUPPRESSED_FILL and props["b"]["shown"].startswith("..")
    assert props["c"]["fill"] == palette.MISSING_FILL and props["c"]["shown"].startswith("–")
    assert props["a"]["respondents"] == "40" and props["b"]["respondents"] == "–"
    assert props["a"]["line_width"] > props["c"]["line_width"]
    labels = maps.labels_frame(areas, values)
    assert sorted(labels["text"]) == ["..", "–"]
    deck = json.loads(maps.choropleth(fc, labels, maps.view_for([square])).to_json())
    # No tile server by default: a style with no sources (Streamlit would otherwise fetch Carto's).
    assert deck["mapStyle"].startswith("data:application/json") and "http" not in deck["mapStyle"]
    assert {layer["@@type"] for layer in deck["layers"]} == {"GeoJsonLayer", "TextLayer"}
    legend = maps.legend_entries(breaks, 1, "%")
    assert any(".." in e["label"] for e in legend)


def _five_areas(values: list[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    square = json.dumps({"type": "Polygon", "coordinates": [[[13, 55], [13.1, 55], [13.1, 55.1], [13, 55]]]})
    ids = [f"a{i}" for i in range(len(values))]
    areas = pd.DataFrame({"id": ids, "name": [f"Område {i}" for i in ids], "geometry": [square] * len(ids)})
    vals = pd.DataFrame({"area_id": ids, "value": values, "n": [50] * len(ids), "status": ["ok"] * len(ids)})
    return areas, vals


@pytest.mark.parametrize("polarity", ["higher_better", "lower_better"])
def test_map_colours_run_from_worse_to_better_by_polarity(polarity):
    """Issue #30: the best district gets the "better" end of the scale whichever way the indicator points,
    so "least safe" and "most poor" share a colour; the legend starts with the word Bättre and the
    better end's colour, and ends with Sämre."""
    from components.strings import t

    values = [61.0, 72.5, 80.0, 88.5, 93.0, 70.1, 84.2]
    areas, vals = _five_areas(values)
    fc, breaks = maps.feature_collection(areas, vals, 1, "%", polarity=polarity)
    fill = {f["properties"]["id"]: f["properties"]["fill"][:3] for f in fc["features"]}
    best = f"a{int(np.argmax(values) if polarity == 'higher_better' else np.argmin(values))}"
    worst = f"a{int(np.argmin(values) if polarity == 'higher_better' else np.argmax(values))}"
    assert fill[best] == palette.hex_to_rgba(palette.WORSE_TO_BETTER[-1])[:3]
    assert fill[worst] == palette.hex_to_rgba(palette.WORSE_TO_BETTER[0])[:3]
    legend = maps.legend_entries(breaks, 1, "%", polarity, statuses=False)
    assert legend[0] == {"colour": None, "label": t("map_legend_better")}
    assert legend[-1] == {"colour": None, "label": t("map_legend_worse")}
    assert legend[1]["colour"] == palette.WORSE_TO_BETTER[-1] and legend[-2]["colour"] == palette.WORSE_TO_BETTER[0]
    # The better end's row holds the best value, with its unit.
    best_value = fmt.number(values[int(best[1:])], 1)
    assert best_value in legend[1]["label"] and legend[1]["label"].endswith("%")
    assert t(f"map_legend_{polarity}") == maps.legend_title(polarity)


def test_a_neutral_indicator_gets_one_hue_and_no_better_end():
    from components.strings import t

    areas, vals = _five_areas([1.0, 2.0, 3.0, 4.0, 5.0])
    fc, breaks = maps.feature_collection(areas, vals, 0, "antal", polarity="neutral")
    fills = {"#{:02X}{:02X}{:02X}".format(*f["properties"]["fill"][:3]) for f in fc["features"]}
    assert fills <= set(palette.NEUTRAL_SCALE) and not fills & set(palette.WORSE_TO_BETTER)
    labels = [e["label"] for e in maps.legend_entries(breaks, 0, "antal", "neutral")]
    assert t("map_legend_better") not in labels and labels[0] == t("map_legend_highest")


def test_few_classes_still_use_both_ends_of_the_scale():
    """With two distinct values there are two classes: they get the worse and the better end, not the
    two worst colours."""
    areas, vals = _five_areas([10.0, 10.0, 10.0, 20.0, 20.0])
    fc, _ = maps.feature_collection(areas, vals, 0, "%", polarity="lower_better")
    fill = {f["properties"]["id"]: f["properties"]["fill"][:3] for f in fc["features"]}
    assert fill["a0"] == palette.hex_to_rgba(palette.WORSE_TO_BETTER[-1])[:3]
    assert fill["a4"] == palette.hex_to_rgba(palette.WORSE_TO_BETTER[0])[:3]


def test_the_sweden_map_marks_the_chosen_municipality_and_its_peers():
    areas, vals = _five_areas([1.0, 2.0, 3.0, 4.0, 5.0])
    fc, _ = maps.feature_collection(areas, vals, 0, "%", selected="a2", peers=("a0", "a4"),
                                    polarity="higher_better")
    width = {f["properties"]["id"]: f["properties"]["line_width"] for f in fc["features"]}
    assert width["a2"] > width["a0"] == width["a4"] > width["a1"]
    # The marked outlines are drawn last, so no neighbour covers them.
    assert fc["features"][-1]["properties"]["id"] == "a2"
    names = maps.name_labels(areas, ["a2"], chosen="a2")
    assert list(names["text"]) == ["Område a2"]
    deck = json.loads(maps.choropleth(fc, pd.DataFrame(), maps.view_for(list(areas["geometry"])),
                                      names=names).to_json())
    layer = next(la for la in deck["layers"] if la["id"] == "names")
    assert layer["characterSet"] == "auto"  # å, ä, ö are drawn
    assert next(la for la in deck["layers"] if la["id"] == "areas")["lineWidthUnits"] == "pixels"


def test_the_map_view_fills_the_map_it_is_drawn_in():
    """A wider map zooms in further on a wide area; the fitted outline stays inside the map."""
    wide = json.dumps({"type": "Polygon", "coordinates": [[[17, 59], [18, 59], [18, 59.2], [17, 59]]]})
    narrow_map = maps.view_for([wide], width_px=400, height_px=500)["zoom"]
    wide_map = maps.view_for([wide], width_px=1000, height_px=500)["zoom"]
    assert wide_map > narrow_map
    # 1° of longitude at the fitted zoom is no wider than the map.
    assert 512 * 2 ** wide_map / 360 <= 1000


def test_a_link_names_the_peers_in_the_development_chart(app_store):
    from components.filters import valid_sets
    from services.filters import parse

    valid = valid_sets()
    others = sorted(valid.all_municipalities - {"1287"})[:2]
    f, bad = parse({"kommun": "1287", "kommuner": ",".join([*others, "1287", "9999"])}, valid)
    assert f.kommuner == tuple(others) and [k for k, _ in bad] == ["kommuner"]
    assert parse(f.to_params(), valid)[0] == f
    none, bad = parse({"kommun": "1287", "kommuner": ""}, valid)
    assert none.kommuner == () and not bad
    assert parse({"kommun": "1287"}, valid)[0].kommuner is None


def test_small_untested_differences_get_no_verdict_word():
    then = {"value": 78.04, "ci_low": None, "ci_high": None, "year": 2024}
    now = {"value": 78.01, "ci_low": None, "ci_high": None, "year": 2025}
    for unit in ("%", "antal"):  # whatever the unit, a difference without a test gets no verdict
        assert analysis.direction(then, now, "higher_better", unit).label == "untested"


def test_trend_chart_marks_a_series_break_only_within_the_years_shown():
    breaks = pd.DataFrame({"indicator_id": ["X", "X"], "year": [2018, 2030],
                           "description": ["Ny områdesindelning", "utanför diagrammet"]})
    spec = charts.trend_chart(_trend_frame(False, False), "%", 1, {"Trelleborg": "#000000", "Riket": "#111111"},
                              breaks=breaks).to_dict()
    marks = _marks(spec)
    rule = spec["layer"][marks.index("rule")]
    rows = spec["datasets"][rule["data"]["name"]]
    assert [r["year"] for r in rows] == [2018] and rows[0]["label"] == "Seriebrott"
    assert "rule" not in _marks(charts.trend_chart(_trend_frame(False, False), "%", 1,
                                                   {"Trelleborg": "#000000", "Riket": "#111111"}).to_dict())


def test_chart_spec_is_what_streamlits_altair_path_draws_without_a_default_theme():
    frame = _trend_frame(True, True)
    s = charts.spec("trend", frame, "%", 1, {"Trelleborg": "#000000", "Riket": "#111111"})
    assert "continuousWidth" not in str(s.get("config", {}))  # no 300 px default view from Altair's theme
    assert s["config"]["locale"]["number"]["decimal"] == ","
    sizes = sorted(len(v) for v in s["datasets"].values())
    assert len(frame[frame["status"] == "ok"]) in sizes  # the lines' data, whole


# --- Link parameters, fuzzed (issue #18) ---------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

LINK_TEXT = hs.one_of(hs.text(max_size=60), hs.sampled_from([
    "\n\n![](//host/p)", "x\n\n[Logga in](http://example.org)", "`<b>x</b>`", "1287", "0181", "0000", "lista",
    "1287,0181", "2024", "-1", "99999999999999999999", "K", "M", "T", "ENK_TRYGG_OMRADE", "' OR 1=1 --",
    "%0A%0A", "\u202e", "\x00", "<script>alert(1)</script>"]))
PARAMS = hs.dictionaries(hs.sampled_from(["kommun", "jmf", "lista", "omrade", "fran", "till", "kon", "ind", "kommuner",
                                          "x"]),
                         LINK_TEXT, max_size=8)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=PARAMS)
def test_any_link_gives_valid_filters_and_an_inert_notice(app_store, params):
    """Whatever a link holds: filters within the valid sets, and a notice per bad value whose value sits in
    one code span on one line (no markdown, no HTML from the link)."""
    from components.filters import PARAM_NAMES, plain, valid_sets
    from components.strings import t
    from services.filters import parse

    valid = valid_sets()
    f, bad = parse(params, valid)
    assert f.kommun in valid.municipalities
    assert f.jmf == "lista" or f.jmf in valid.comparisons[f.kommun]
    assert set(f.lista) <= valid.all_municipalities
    assert f.omrade is None or f.omrade in valid.districts[f.kommun]
    assert valid.years[0] <= f.fran <= f.till <= valid.years[1]
    assert f.kon in ("T", "K", "M") and (f.ind is None or f.ind in valid.indicators)
    assert f.kommuner is None or (set(f.kommuner) <= valid.all_municipalities and f.kommun not in f.kommuner)
    for key, value in bad:
        notice = t("bad_param", key=PARAM_NAMES.get(key, key), value=plain(value))
        assert notice.count("`") == 2 and "\n" not in notice
        assert all(ch.isprintable() for ch in notice.split("`")[1])


# --- One chart per indicator: girls, boys, the comparison, the strategy's years (issue #30) ---------------

def _gender_frame() -> tuple[pd.DataFrame, dict, dict]:
    """Girls, boys and the total in an area and in Riket, 2019–2025 (2021 missing: a survey gap)."""
    rows, colours, dashes = [], {}, {}
    for area, dash in (("Trelleborg", charts.SOLID), ("Riket", charts.DASHED)):
        for who, colour in (("Flickor", palette.GIRLS), ("Pojkar", palette.BOYS), ("Totalt", palette.MUNICIPALITY)):
            name = f"{who} – {area}"
            colours[name], dashes[name] = colour, dash
            for y in (2019, 2020, 2022, 2023, 2024, 2025):
                rows.append({"series": name, "year": y, "value": 40.0 + (y % 7) + len(who), "ci_low": 30.0,
                             "ci_high": 60.0, "status": "ok", "n": 200})
    return pd.DataFrame(rows), colours, dashes


def _layer_rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def test_trend_chart_draws_girls_boys_and_the_comparison_dashed():
    frame, colours, dashes = _gender_frame()
    spec = charts.trend_chart(frame, "%", 1, colours, dashes=dashes, bands=("Totalt – Trelleborg",)).to_dict()
    line = spec["layer"][_marks(spec).index("line")]
    dash_scale = line["encoding"]["strokeDash"]["scale"]
    by_series = dict(zip(dash_scale["domain"], dash_scale["range"], strict=True))
    assert {n for n in by_series if n.endswith("Riket")} == {"Flickor – Riket", "Pojkar – Riket", "Totalt – Riket"}
    assert all(by_series[n] == charts.DASHED for n in by_series if n.endswith("Riket"))
    assert all(by_series[n] == charts.SOLID for n in by_series if n.endswith("Trelleborg"))
    colour_scale = line["encoding"]["color"]["scale"]
    assert dict(zip(colour_scale["domain"], colour_scale["range"], strict=True))["Flickor – Riket"] == palette.GIRLS
    assert {r["series"] for r in _layer_rows(spec, line)} == set(colours)
    # One band (the area's total), clipped at the plot's edge.
    areas = [layer for layer in spec["layer"] if (layer["mark"]["type"] if isinstance(layer["mark"], dict)
                                                   else layer["mark"]) == "area"]
    assert len(areas) == 1 and areas[0]["mark"]["clip"] is True
    assert {r["series"] for r in _layer_rows(spec, areas[0])} == {"Totalt – Trelleborg"}
    # A legend survives the merged channels (a channel without one would take it away).
    import vl_convert as vlc
    vega = vlc.vegalite_to_vega(spec)
    assert vega.get("legends"), "the chart lost its legend"
    # The year between two survey years keeps its place on the axis.
    assert line["encoding"]["x"]["scale"]["domain"] == list(range(2019, 2026))


def _milestones(spec: dict) -> list[dict]:
    rules = [layer for layer in spec["layer"]
             if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == "text"]
    return [r for layer in rules for r in _layer_rows(spec, layer) if "label" in r]


def test_trend_chart_marks_the_strategys_start_and_baseline_where_shown():
    frame, colours, dashes = _gender_frame()
    spec = charts.trend_chart(frame, "%", 1, colours, dashes=dashes, start_year=2024, baseline_year=2021).to_dict()
    labels = {r["year"]: r["label"] for r in _milestones(spec)}
    assert labels == {2024: "Strategin börjar 2024", 2021: "Basår 2021"}  # 2021 has no value, but is in range
    rule_years = sorted(r["year"] for layer in spec["layer"] if layer["mark"]["type"] == "rule"
                        for r in _layer_rows(spec, layer))
    assert rule_years == [2021, 2024]
    assert "Strategin börjar 2024" in spec["description"] and "Basår 2021" in spec["description"]
    outside = charts.trend_chart(frame, "%", 1, colours, start_year=2030, baseline_year=2012).to_dict()
    assert _milestones(outside) == [] and "rule" not in _marks(outside)
    same = charts.trend_chart(frame, "%", 1, colours, start_year=2024, baseline_year=2024).to_dict()
    assert [r["label"] for r in _milestones(same)] == ["Strategin börjar 2024 (basår)"]


def _all_chart_specs() -> dict[str, dict]:
    """One spec of every chart kind the components draw (charts.BUILDERS), from small inputs."""
    frame, colours, dashes = _gender_frame()
    gap = pd.DataFrame({"year": [2022, 2023, 2024], "gap": [1.5, -0.5, 2.0]})
    ranking = pd.DataFrame({"area_name": ["A", "B", "C"], "value": [3.0, 1.0, 2.0], "status": ["ok"] * 3,
                            "role": ["vald", "jämförelse", ""]})
    scatter = pd.DataFrame({"area_name": ["Trelleborg", "Ystad", "Malmö"], "x": [1.0, 2.0, 3.0],
                            "y": [3.0, 1.0, 2.0], "role": ["vald", "jämförelse", ""]})
    gaps = pd.DataFrame({"year": [2022, 2023, 2024], "gap": [1.0, 2.0, 1.5], "low": [0.5, 1.0, 0.2],
                         "high": [1.5, 3.0, 2.5]})
    gradient = pd.DataFrame({"name": ["Norr", "Söder"], "rank": [0.25, 0.75], "value": [60.0, 70.0],
                             "ci_low": [55.0, 66.0], "ci_high": [65.0, 74.0], "population": [3000, 5000],
                             "deprivation": [12.0, 5.0], "fitted": [61.0, 69.0]})
    return {
        "trend": charts.spec("trend", frame, "%", 1, colours, dashes=dashes, subject="Trygghet"),
        "trend (en serie)": charts.spec("trend", _trend_frame(True, True), "%", 1,
                                        {"Trelleborg": palette.MUNICIPALITY, "Riket": palette.COMPARISON}),
        "gap": charts.spec("gap", gap, "%", 1, "Flickor", "Pojkar"),
        "ranking": charts.spec("ranking", ranking, "%", 1, 2.5, "Riket"),
        "scatter": charts.spec("scatter", scatter, "Trygghet (%)", "Tillit (%)", 1, 1),
        "gap_trend": charts.spec("gap_trend", gaps, "%", 1, "Flickor − pojkar", palette.GIRLS),
        "gradient": charts.spec("gradient", gradient, 1, "Trygghet (%)", "Låg ekonomisk standard"),
    }


def test_every_chart_kind_has_a_swedish_description_for_screen_readers():
    specs = _all_chart_specs()
    assert {k.split(" ")[0] for k in specs} == set(charts.BUILDERS)  # a new chart kind must be added here
    for kind, s in specs.items():
        text = s.get("description", "")
        assert len(text) > 20, kind
        assert re.search(r"diagram", text, re.I) and re.search(r"[åäö]|\bför\b|\bper\b", text), (kind, text)
        assert not re.search(r"\b(chart|line|bar|shows|and|of)\b", text), (kind, text)  # no English
    assert "2019–2025" in specs["trend"]["description"] and "Flickor – Riket" in specs["trend"]["description"]
    assert "3 kommuner" in specs["scatter"]["description"] and "Trelleborg" in specs["scatter"]["description"]


def test_scatter_dots_are_named_in_the_chart_not_only_in_the_tooltip():
    few = pd.DataFrame({"area_name": ["Trelleborg", "Ystad", "Malmö"], "x": [1.0, 2.0, 3.0], "y": [3.0, 1.0, 2.0],
                        "role": ["vald", "jämförelse", ""]})
    spec = charts.scatter_chart(few, "x", "y", 1, 1).to_dict()
    named = {r["area_name"] for layer in spec["layer"] if layer["mark"]["type"] == "text"
             for r in _layer_rows(spec, layer)}
    assert named == {"Trelleborg", "Ystad", "Malmö"}  # few dots: every one
    many = pd.DataFrame({"area_name": [f"K{i}" for i in range(60)], "x": [float(i) for i in range(60)],
                         "y": [float(i % 7) for i in range(60)],
                         "role": ["vald", "jämförelse", "jämförelse"] + [""] * 57})
    spec = charts.scatter_chart(many, "x", "y", 1, 1).to_dict()
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    named = {r["area_name"] for layer in texts for r in _layer_rows(spec, layer)}
    assert named == {"K0", "K1", "K2"}  # many: the chosen one and its comparison
    assert any(layer["mark"].get("fontWeight") == "bold" and
               {r["area_name"] for r in _layer_rows(spec, layer)} == {"K0"} for layer in texts)
