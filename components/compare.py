"""Jämför kommuner: one indicator across municipalities — ranking, a map of Sweden, trends side by
side, and a scatter of two indicators."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts, filters, fmt, layout, maps, palette, verdicts
from components.strings import gender_label, t
from services import catalogue as cat
from services import compare as svc_cmp
from services import indicators as svc
from services.context import ViewContext
from services.filters import MAX_LIST

SWEDEN_MAP_HEIGHT = 600


def render(ctx: ViewContext) -> None:
    f, s, comparison = ctx.filters, ctx.strategy, ctx.comparison
    st.title(t("page_compare"), anchor=False)
    inds = svc_cmp.municipal_indicators()
    options, default = svc_cmp.options(s.id, f.ind)
    c1, c2, c3 = st.columns([4, 1, 1])
    filters.set_widget("w_cmp_ind", default)
    ind_id = c1.selectbox(t("label_indicator"), options,
                          format_func=lambda i: inds.loc[i, "short_title"],
                          key="w_cmp_ind", on_change=filters.bind("w_cmp_ind", "ind"))
    meta = inds.loc[ind_id]
    dec, unit = int(meta["decimals"]), meta["unit"]
    year = c2.selectbox(t("label_year"), svc_cmp.years_with_values(ind_id), key="w_cmp_year")
    genders = ["T", "K", "M"] if meta["gender_split"] else ["T"]
    gender = c3.selectbox(t("label_gender"), genders,
                          format_func=lambda g: gender_label(g, meta["gender_labels"]), key="w_cmp_gender")
    show_all = st.toggle(t("cmp_show_all"), value=comparison.mode == "area", key=f"w_cmp_all_{comparison.key}")

    yv = svc_cmp.year_values(ind_id, int(year), gender, f.kommun, comparison)
    values = yv.values
    shown = values if show_all else values[values["role"] != ""]
    st.caption(t("cmp_comparison_note", label=comparison.label))
    if shown[shown["status"] == "ok"].empty:
        st.info(t("cmp_no_values", title=meta["short_title"], year=year))
        return
    ok = shown[shown["status"] == "ok"].sort_values("value", ascending=meta["polarity"] == "lower_better")
    rank_text = _rank_sentence(ok, f.kommun, s.municipality, meta["polarity"], dec, unit)
    tab_rank, tab_map, tab_trend, tab_scatter = layout.lazy_tabs(
        [t("cmp_tab_rank"), t("cmp_tab_map"), t("cmp_tab_trend"), t("cmp_tab_scatter")], key="w_cmp_tab")
    with tab_rank:
        if layout.is_open(tab_rank):
            _ranking(shown, ok, rank_text, unit, dec, yv.bench, yv.bench_label, meta, int(year))
    with tab_map:
        if layout.is_open(tab_map):
            _sweden_map(values, ind_id, int(year), gender, dec, unit, ctx, yv.members)
    with tab_trend:
        if layout.is_open(tab_trend):
            _trends(ctx, ind_id, gender, unit, dec)
    with tab_scatter:
        if layout.is_open(tab_scatter):
            _scatter(ctx, options, inds, ind_id, meta, int(year), yv.members, unit, dec)


def _ranking(shown, ok, rank_text, unit, dec, bench, bench_label, meta, year: int) -> None:
    st.markdown(rank_text)
    # An explicit height: Streamlit 1.67 squeezes layered bar charts to a thin strip otherwise.
    charts.show("ranking", shown, unit, dec, bench, bench_label, ascending=meta["polarity"] == "lower_better",
                height=max(160, 26 * len(ok)) + 90,
                footer=charts.footer_lines(f"{meta['short_title']} ({unit}), {year}",
                                           svc.sources_text(ok.assign(year=year))))
    table = pd.DataFrame({
        t("col_rank"): range(1, len(ok) + 1), t("col_municipality"): ok["area_name"],
        t("col_value", unit=unit): [fmt.number(v, dec) for v in ok["value"]],
        t("col_role"): ok["role"].map({svc_cmp.ROLE_SELECTED: t("role_selected"),
                                       svc_cmp.ROLE_COMPARISON: t("role_comparison")}).fillna(t("role_other")),
        # Where each value comes from: a copy or a toolbar export of the table keeps it (and DEMODATA).
        t("col_source"): [svc.source_label(s, f, d) for s, f, d in zip(ok["source"], ok["fetched_at"], ok["is_demo"],
                                                                       strict=True)],
    })
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={t("col_source"): st.column_config.TextColumn(width="large")})
    bench_text = f" ({fmt.with_unit(bench, dec, unit)})" if bench is not None else ""
    st.caption(t("cmp_rank_caption", bench=bench_label, value=bench_text))


def _sweden_map(values, ind_id, year, gender, dec, unit, ctx: ViewContext, members: set[str]) -> None:
    """The map of Sweden coloured from worse to better (the indicator's polarity), the chosen municipality
    with a thick outline and its name, its comparison municipalities with a thinner outline."""
    meta = cat.indicator(ind_id)
    peers = tuple(sorted(m for m in members if m != ctx.kommun and m in set(values["area_id"])))
    deck, breaks = _sweden_deck(ind_id, year, gender, dec, unit, ctx.kommun, peers, ctx.store.version_key)
    left, right = st.columns([3, 1])
    with left:
        st.pydeck_chart(deck, height=SWEDEN_MAP_HEIGHT, key="sweden_map")
    with right:
        marks = [{"colour": "#FFFFFF", "border": "3px solid #000000",
                  "label": t("map_legend_chosen", name=ctx.strategy.municipality)}]
        if peers:
            marks.append({"colour": "#FFFFFF", "border": "2px solid #1B1B1B",
                          "label": t("map_legend_peers", label=ctx.comparison.label, n=len(peers))})
        entries = (maps.legend_entries(breaks, dec, unit, meta["polarity"], statuses=False)
                   + [{"colour": "#FFFFFF", "label": t("map_no_value")}] + marks)
        st.html(maps.legend_html(entries, heading=t("map_legend_heading"), title=maps.legend_title(meta["polarity"])))
    st.caption(t("cmp_map_caption", n=int((values["status"] == "ok").sum()), total=len(cat.municipalities()),
                 year=year))


def _trends(ctx: ViewContext, ind_id, gender, unit, dec) -> None:
    """The municipality (thick), its benchmark (Riket or the county, dashed) and the peers the user picks
    (thin, grey tones): the comparison group's members by default, the choice kept in the link."""
    f, municipality = ctx.filters, ctx.strategy.municipality
    choice = svc_cmp.peer_choice(f.kommun, ctx.comparison, ctx.comparisons)
    names = cat.municipalities().set_index("id")["name"].to_dict()
    chosen = [p for p in (choice.default if f.kommuner is None else f.kommuner) if p in set(choice.options)]
    filters.set_widget("w_cmp_peers", chosen)
    st.multiselect(t("cmp_peers"), choice.options, format_func=lambda m: names.get(m, m), key="w_cmp_peers",
                   max_selections=MAX_LIST, on_change=_peers_changed, help=t("cmp_peers_help", max=MAX_LIST))
    series = svc_cmp.trend_series(ind_id, f.kommun, ctx.comparison, gender, f.fran, f.till, tuple(chosen))
    bench = series.loc[series["role"] == svc_cmp.ROLE_COMPARISON, "area_name"]
    bench_name = bench.iloc[0] if len(bench) else t("role_comparison")
    if choice.group_label:
        st.caption(t("cmp_peers_from_group", group=choice.group_label, name=municipality, bench=bench_name))
    else:
        st.caption(t("cmp_peers_none_group", name=municipality, bench=bench_name))
    if series[series["status"] == "ok"].empty:
        st.info(t("cmp_no_trend"))
        return
    colours, widths = _trend_styles(series)
    charts.show("trend", series, unit, dec, colours, 360, height=440, widths=widths,
                footer=charts.footer_lines(f"{cat.indicator(ind_id)['short_title']} ({unit})",
                                           svc.sources_text(series[series["status"] == "ok"])))


def _peers_changed() -> None:
    filters.update(kommuner=tuple(st.session_state["w_cmp_peers"]))


def _trend_styles(series: pd.DataFrame) -> tuple[dict[str, str], dict[str, float]]:
    """Colours and line widths by series, in legend order: the municipality, its benchmark, the peers."""
    names = list(dict.fromkeys(series["area_name"]))
    role = dict(zip(series["area_name"], series["role"], strict=False))
    colours, widths, k = {}, {}, 0
    for n in names:
        if role.get(n) == svc_cmp.ROLE_SELECTED:
            colours[n], widths[n] = palette.MUNICIPALITY, 4.0
        elif role.get(n) == svc_cmp.ROLE_COMPARISON:
            colours[n], widths[n] = palette.COMPARISON, 2.5
        else:
            colours[n], widths[n] = palette.PEERS[k % len(palette.PEERS)], 1.5
            k += 1
    return colours, widths


def _scatter(ctx: ViewContext, options, inds, ind_id, meta, year, members, unit, dec) -> None:
    other_opts = sorted([i for i in options if i != ind_id], key=lambda i: (inds.loc[i, "source"] != "kolada",
                                                                          inds.loc[i, "short_title"].lower()))
    ind2 = st.selectbox(t("cmp_second_indicator"), other_opts, format_func=lambda i: inds.loc[i, "short_title"],
                        key="w_cmp_ind2")
    m2 = inds.loc[ind2]
    both, v1, v2 = svc_cmp.scatter_pairs(ind_id, ind2, int(year), ctx.kommun, members)
    if both.empty:
        st.info(t("cmp_no_pairs", year=year))
    else:
        src = (f"x: {svc.sources_text(v1.assign(year=year))}; y: {svc.sources_text(v2.assign(year=year))}")
        charts.show("scatter", both, f"{meta['short_title']} ({unit})", f"{m2['short_title']} ({m2['unit']})", dec,
                    int(m2["decimals"]), height=460,
                    footer=charts.footer_lines(t("cmp_scatter_title", year=year), src))
        st.caption(t("cmp_scatter_caption", n=len(both), year=year))


@st.cache_resource(max_entries=64, show_spinner=False)
def _sweden_deck(ind_id: str, year: int, gender: str, dec: int, unit: str, selected: str, peers: tuple[str, ...],
                 version_key: str) -> tuple:  # noqa: ARG001 - version_key is the cache key of the store build
    """The map of Sweden for one indicator/year/gender, serialised once: parsing 290 outlines and
    writing their JSON are this page's costly parts (see maps.frozen)."""
    geo, values = svc_cmp.map_inputs(ind_id, year, gender)
    polarity = cat.indicator(ind_id)["polarity"]
    fc, breaks = maps.feature_collection(geo.assign(centroid_lon=None, centroid_lat=None), values, dec, unit,
                                         selected=selected, polarity=polarity, peers=peers)
    # The chosen municipality's name on the map; the peers' outlines only (their names would overlap where
    # they lie close together; the tooltip and the legend name them).
    named = [selected]
    view = maps.view_for(list(geo["geometry"]), width_px=560, height_px=SWEDEN_MAP_HEIGHT)
    deck = maps.choropleth(fc, pd.DataFrame(), view, tooltip_n=None,
                           names=maps.name_labels(geo, named, chosen=selected))
    return maps.frozen(deck), breaks


def _rank_sentence(ok: pd.DataFrame, kommun: str, name: str, polarity: str, dec: int, unit: str) -> str:
    """The municipality's place, and what the 95 % intervals (where they exist) say about it."""
    if kommun not in set(ok["area_id"]):
        return t("cmp_rank_missing", name=name)
    row = ok.loc[ok["area_id"] == kommun].iloc[0]
    # Best first; equal values share a place (whatever order the database returned the ties in).
    pos = int((ok["value"].iloc[:list(ok["area_id"]).index(kommun)] != row["value"]).sum()) + 1
    order = t("cmp_rank_neutral_order") if polarity == "neutral" else ""
    text = t("cmp_rank_place", name=name, value=fmt.with_unit(row["value"], dec, unit), pos=pos, n=len(ok),
             order=order)
    others = ok[(ok["area_id"] != kommun) & ok["ci_low"].notna()] if "ci_low" in ok else ok.iloc[0:0]
    if pd.isna(row.get("ci_low")) or others.empty:
        return text + " " + t("cmp_rank_untested")
    above = int((others["ci_low"] > row["ci_high"]).sum())
    below = int((others["ci_high"] < row["ci_low"]).sum())
    if polarity == "neutral":
        sure = verdicts.RANK_NEUTRAL.format(above=above, below=below)
    else:
        better_than = below if polarity == "higher_better" else above
        worse_than = above if polarity == "higher_better" else below
        sure = verdicts.RANK_POLAR.format(better=better_than, worse=worse_than)
    return text + " " + t("cmp_rank_tested", name=name, sure=sure, n=len(others))
