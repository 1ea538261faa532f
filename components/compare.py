"""Jämför kommuner: one indicator across municipalities — ranking, a map of Sweden, trends side by
side, and a scatter of two indicators."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts, filters, fmt, layout, maps, palette
from components.strings import gender_label
from services import catalogue as cat
from services import indicators as svc
from services.analysis import comparable
from services.filters import Filters
from services.store import get_store_info, q


def municipal_indicators() -> pd.DataFrame:
    ind = cat.indicators()
    return ind[ind["levels"].str.contains("municipality")]


def render(f: Filters) -> None:
    s = cat.strategy_for(f.kommun)
    comparison = svc.resolve_comparison(f)
    st.title("Jämför kommuner", anchor=False)
    inds = municipal_indicators()
    cov = cat.coverage()
    # Counts depend on the municipality's size: not ranked or compared (services.analysis.comparable).
    options = [i for i in inds.index if i in set(cov["indicator_id"]) and comparable(inds.loc[i, "unit"])]
    goal_inds = [i for i in cat.goal_indicators(s.id)["indicator_id"] if i in options
                 and inds.loc[i, "source"] == "kolada"]
    default = f.ind if f.ind in options else (goal_inds[0] if goal_inds else options[0])
    c1, c2, c3 = st.columns([4, 1, 1])
    options = sorted(options, key=lambda i: inds.loc[i, "short_title"].lower())
    if f.ind != default:
        f = filters.update(ind=default)
    filters.set_widget("w_cmp_ind", default)
    ind_id = c1.selectbox("Indikator", options, format_func=lambda i: f"{inds.loc[i, 'short_title']} ({i})",
                          key="w_cmp_ind", on_change=filters.bind("w_cmp_ind", "ind"))
    meta = inds.loc[ind_id]
    dec, unit = int(meta["decimals"]), meta["unit"]
    c_rows = cov[cov["indicator_id"] == ind_id]
    years = list(range(int(c_rows["last_year"].max()), int(c_rows["first_year"].min()) - 1, -1))
    year = c2.selectbox("År", years, key="w_cmp_year")
    genders = ["T", "K", "M"] if meta["gender_split"] else ["T"]
    gender = c3.selectbox("Kön", genders, format_func=lambda g: gender_label(g, meta["gender_labels"]),
                          key="w_cmp_gender")
    show_all = st.toggle("Visa alla kommuner med värden (annars vald kommun och jämförelsegruppen)",
                         value=comparison.mode == "area", key=f"w_cmp_all_{comparison.key}")

    values = q("compare_year", indicator_id=ind_id, year=int(year), gender=gender, kind="municipality")
    members = set(comparison.area_ids)
    county = comparison.mode == "area" and comparison.key not in ("0000",)
    if county:  # a county: rank its municipalities
        members = set(values.loc[values["parent_id"] == comparison.key, "area_id"]) - {f.kommun}
    values["role"] = values["area_id"].map(lambda a: "vald" if a == f.kommun else
                                           ("jämförelse" if a in members else ""))
    shown = values if show_all else values[values["role"] != ""]
    bench_kind = "county" if county else "country"
    bench_rows = q("compare_year", indicator_id=ind_id, year=int(year), gender=gender, kind=bench_kind)
    if county:
        bench_rows = bench_rows[bench_rows["area_id"] == comparison.key]
    bench = float(bench_rows["value"].iloc[0]) if not bench_rows.empty and bench_rows["status"].iloc[0] == "ok" else None
    bench_label = comparison.label if county else "Riket"

    st.caption(f"Jämförelse i sidopanelen: **{comparison.label}**. Byt jämförelsegrupp där.")
    if shown[shown["status"] == "ok"].empty:
        st.info(f"Inga värden för {meta['short_title']} {year}. Välj ett annat år eller en annan indikator.")
        return
    ok = shown[shown["status"] == "ok"].sort_values("value", ascending=meta["polarity"] == "lower_better")
    rank_text = _rank_sentence(ok, f.kommun, s.municipality, meta["polarity"], dec, unit)
    tab_rank, tab_map, tab_trend, tab_scatter = layout.lazy_tabs(["Rangordning", "Karta", "Utveckling", "Samband"],
                                                                 key="w_cmp_tab")
    with tab_rank:
        if layout.is_open(tab_rank):
            _ranking(shown, ok, rank_text, unit, dec, bench, bench_label, meta, int(year))
    with tab_map:
        if layout.is_open(tab_map):
            _sweden_map(values, ind_id, int(year), gender, dec, unit, f.kommun)
    with tab_trend:
        if layout.is_open(tab_trend):
            _trends(f, comparison, s.municipality, ind_id, gender, unit, dec)
    with tab_scatter:
        if layout.is_open(tab_scatter):
            _scatter(f, options, inds, ind_id, meta, int(year), members, unit, dec)


def _ranking(shown, ok, rank_text, unit, dec, bench, bench_label, meta, year: int) -> None:
    st.markdown(rank_text)
    # An explicit height: Streamlit 1.67 squeezes layered bar charts to a thin strip otherwise.
    charts.show("ranking", shown, unit, dec, {}, bench, bench_label, ascending=meta["polarity"] == "lower_better",
                height=max(160, 26 * len(ok)) + 90,
                footer=charts.footer_lines(f"{meta['short_title']} ({unit}), {year}",
                                           svc.sources_text(ok.assign(year=year))))
    table = pd.DataFrame({
        "Placering": range(1, len(ok) + 1), "Kommun": ok["area_name"],
        f"Värde ({unit})": [fmt.number(v, dec) for v in ok["value"]],
        "Roll": ok["role"].map({"vald": "vald kommun", "jämförelse": "jämförelse"}).fillna("övrig"),
        # Where each value comes from: a copy or a toolbar export of the table keeps it (and DEMODATA).
        "Källa": [svc.source_label(s, t, d) for s, t, d in zip(ok["source"], ok["fetched_at"], ok["is_demo"],
                                                                strict=True)],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(f"Ordning: bäst först enligt indikatorns polaritet. Streckad linje: {bench_label}"
               + (f" ({fmt.with_unit(bench, dec, unit)})." if bench is not None else "."))


def _sweden_map(values, ind_id, year, gender, dec, unit, kommun) -> None:
    deck, breaks = _sweden_deck(ind_id, year, gender, dec, unit, kommun, get_store_info().version_key)
    st.pydeck_chart(deck, height=620, key="sweden_map")
    from components.district_map import legend_html

    st.html(legend_html(maps.legend_entries(breaks, dec, unit, False)[:-2]
                        + [{"colour": "#FFFFFF", "label": "–  inget värde i databasen"}]))
    st.caption(f"{int((values['status'] == 'ok').sum())} av {len(cat.municipalities())} kommuner har ett värde {year}. "
               "Samma värden finns som tabell under fliken ”Rangordning”.")


def _trends(f, comparison, municipality, ind_id, gender, unit, dec) -> None:
    ids = (f.kommun, *comparison.area_ids)[:13]
    series = q("series", indicator_id=ind_id, area_ids=ids, year_from=f.fran, year_to=f.till)
    series = series[series["gender"] == gender].assign(series=lambda d: d["area_name"])
    names = list(dict.fromkeys([municipality] + [n for n in series["area_name"] if n != municipality]))
    colours = {n: ([palette.MUNICIPALITY, palette.COMPARISON] + palette.EXTRA * 2)[i] for i, n in enumerate(names)}
    if series[series["status"] == "ok"].empty:
        st.info("Inga värden för de valda kommunerna.")
    else:
        charts.show("trend", series, unit, dec, colours, 360, height=440,
                    footer=charts.footer_lines(f"{cat.indicator(ind_id)['short_title']} ({unit})",
                                               svc.sources_text(series[series["status"] == "ok"])))


def _scatter(f, options, inds, ind_id, meta, year, members, unit, dec) -> None:
    other_opts = sorted([i for i in options if i != ind_id], key=lambda i: (inds.loc[i, "source"] != "kolada",
                                                                          inds.loc[i, "short_title"].lower()))
    ind2 = st.selectbox("Andra indikatorn (y-axel)", other_opts, format_func=lambda i: inds.loc[i, "short_title"],
                        key="w_cmp_ind2")
    m2 = inds.loc[ind2]
    v2 = q("compare_year", indicator_id=ind2, year=int(year), gender="T", kind="municipality")
    v1 = q("compare_year", indicator_id=ind_id, year=int(year), gender="T", kind="municipality")
    both = v1[v1["status"] == "ok"][["area_id", "area_name", "value"]].merge(
        v2[v2["status"] == "ok"][["area_id", "value"]], on="area_id", suffixes=("_x", "_y"))
    both = both.rename(columns={"value_x": "x", "value_y": "y"})
    both["role"] = both["area_id"].map(lambda a: "vald" if a == f.kommun else ("jämförelse" if a in members else ""))
    if both.empty:
        st.info(f"Inga kommuner har värden för båda indikatorerna {year}.")
    else:
        src = (f"x: {svc.sources_text(v1[v1['status'] == 'ok'].assign(year=year))}; "
               f"y: {svc.sources_text(v2[v2['status'] == 'ok'].assign(year=year))}")
        charts.show("scatter", both, f"{meta['short_title']} ({unit})", f"{m2['short_title']} ({m2['unit']})", dec,
                    int(m2["decimals"]), height=460, footer=charts.footer_lines(f"Kommunerna {year}", src))
        st.caption(f"{len(both)} kommuner med värden för båda indikatorerna {year} (totalt, båda kön).")


@st.cache_resource(max_entries=64, show_spinner=False)
def _sweden_deck(ind_id: str, year: int, gender: str, dec: int, unit: str, selected: str,
                 version_key: str) -> tuple:
    """The map of Sweden for one indicator/year/gender, serialised once: parsing 290 outlines and
    writing their JSON are this page's costly parts (see maps.frozen)."""
    geo = q("area_geometry", kind="municipality")
    values = q("compare_year", indicator_id=ind_id, year=year, gender=gender, kind="municipality")
    fc, breaks = maps.feature_collection(geo.assign(centroid_lon=None, centroid_lat=None),
                                         values[["area_id", "value", "n", "status"]], dec, unit, selected=selected)
    deck = maps.choropleth(fc, pd.DataFrame(), {"longitude": 16.5, "latitude": 62.3, "zoom": 3.7}, tooltip_n=None)
    return maps.frozen(deck), breaks


def _rank_sentence(ok: pd.DataFrame, kommun: str, name: str, polarity: str, dec: int, unit: str) -> str:
    """The municipality's place, and what the 95 % intervals (where they exist) say about it."""
    if kommun not in set(ok["area_id"]):
        return f"{name} saknar värde detta år."
    pos = list(ok["area_id"]).index(kommun) + 1
    row = ok.loc[ok["area_id"] == kommun].iloc[0]
    order = "" if polarity != "neutral" else " (ordnat från högst till lägst; indikatorn är neutral)"
    text = f"**{name}** har {fmt.with_unit(row['value'], dec, unit)} och placerar sig **{pos} av {len(ok)}**{order}."
    others = ok[(ok["area_id"] != kommun) & ok["ci_low"].notna()] if "ci_low" in ok else ok.iloc[0:0]
    if pd.isna(row.get("ci_low")) or others.empty:
        return text + " Placeringen är inte testad: värdena saknar konfidensintervall."
    above = int((others["ci_low"] > row["ci_high"]).sum())
    below = int((others["ci_high"] < row["ci_low"]).sum())
    if polarity == "neutral":
        sure = f"säkert lägre än {above} och säkert högre än {below}"
    else:
        better_than = below if polarity == "higher_better" else above
        worse_than = above if polarity == "higher_better" else below
        sure = f"säkert bättre än {better_than} och säkert sämre än {worse_than}"
    return (text + f" Med 95 %-konfidensintervall är {name} {sure} av de {len(others)} övriga med intervall; "
            "övriga skillnader är inte säkerställda.")
