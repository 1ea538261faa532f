"""Trygghet per delområde: a choropleth of a district-level indicator with year and gender selectors,
a legend, a ranked table as the accessible alternative, and the chosen district as the global filter."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import filters, fmt, inequality, maps, verdicts
from components.strings import gender_label, t
from services import catalogue as cat
from services import districts as svc_d
from services import indicators as svc
from services.context import ViewContext

# The map's height, and the narrowest width it gets beside its legend (at 1280×720 with the sidebar open):
# the view is fitted to it, so the districts fill the map at 1280 and at 1920 wide.
MAP_HEIGHT = 500
MAP_WIDTH = 600


def render(ctx: ViewContext) -> None:
    f, s = ctx.filters, ctx.strategy
    st.title(t("map_title", municipality=s.municipality), anchor=False)
    main = cat.main_districts(f.kommun)
    inds = svc_d.district_indicators()
    if main.empty or inds.empty:
        st.info(t("map_no_districts"))
        return
    default = svc_d.default_indicator(inds)
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1.6])  # the toggle's label "Bakgrundskarta" whole at 1280 px
    ind_id = c1.selectbox(t("label_indicator"), list(inds.index), index=list(inds.index).index(default),
                          format_func=lambda i: inds.loc[i, "short_title"], key="w_map_ind")
    meta = inds.loc[ind_id]
    dist, system = svc_d.level_for(f.kommun, ind_id)
    years = svc_d.years(ind_id, dist["id"])
    if not years:
        st.info(t("map_no_values", title=meta["short_title"]))
        return
    year = int(c2.selectbox(t("label_year"), years, key="w_map_year"))
    genders = ["T", "K", "M"] if meta["gender_split"] else ["T"]
    gender = c3.selectbox(t("label_gender"), genders, format_func=lambda g: gender_label(g, meta["gender_labels"]),
                          key="w_map_gender")
    basemap = c4.toggle(t("map_basemap"), value=False, help=t("map_basemap_help"))
    vals = svc_d.values(ind_id, f.kommun, system, year, gender)
    dec, unit = int(meta["decimals"]), meta["unit"]
    if system == "DeSO":
        st.info(t("map_deso_only"))
    deck, breaks = _district_deck(ind_id, f.kommun, system, year, gender, f.omrade, basemap, ctx.store.version_key)

    r = svc_d.ranked(dist, vals, meta["polarity"])
    if f.omrade:  # the chosen district first, beside the whole municipality
        st.markdown(_chosen(r, f.omrade, svc_d.municipality_value(ind_id, f.kommun, year, gender), year, dec, unit))
    # The map over the page's width with its legend beside it; the ranked table (its accessible
    # alternative, with each value's source) under them over the whole width, so no column is cut off.
    left, right = st.columns([3, 1])
    with left:
        event = st.pydeck_chart(deck, height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object",
                                key="district_map")
        picked = _picked(event)
        # The map keeps its selection across reruns; act only when the user picks something new.
        if picked and picked in set(main["id"]) and picked != st.session_state.get("_last_map_pick"):
            st.session_state["_last_map_pick"] = picked
            if picked != f.omrade:
                filters.update(omrade=picked)
                st.rerun()
    with right:
        st.html(maps.legend_html(maps.legend_entries(breaks, dec, unit, meta["polarity"]),
                                 heading=t("map_legend_heading"), title=maps.legend_title(meta["polarity"])))
    _table(r, meta, ind_id, dec, unit, f.omrade)
    st.markdown(_summary(r, meta, year, gender, dec, unit))
    names = dict(zip(main["id"], main["name"], strict=True))
    options = [""] + list(main["id"])
    filters.set_widget("w_map_district", f.omrade if f.omrade in options else "")
    st.selectbox(t("map_pick_district"), options, format_func=lambda k: names.get(k, t("filter_district_all")),
                 key="w_map_district", on_change=filters.bind("w_map_district", "omrade"))
    if f.omrade:
        st.success(t("map_district_chosen", name=names.get(f.omrade, f.omrade)))
    if meta["source"] != "scb" and bool(dist["is_demo"].any()):
        st.caption(t("map_demo_districts"))
    st.divider()
    inequality.district_section(ind_id, f.kommun, ctx.municipality, gender, meta)


def _chosen(r: svc_d.Ranked, chosen: str, muni: float | None, year: int, dec: int, unit: str) -> str:
    """The chosen district's value first, with the whole municipality's beside it (a hidden value stays hidden)."""
    row = r.merged[r.merged["id"] == chosen]
    if row.empty:
        return ""
    row = row.iloc[0]
    muni_text = fmt.with_unit(muni, dec, unit) if muni is not None else fmt.MISSING
    if row["status"] != "ok":
        return t("map_chosen_hidden", name=row["name"], year=year, value=muni_text)
    return t("map_chosen_value", name=row["name"], year=year, value=fmt.with_unit(row["value"], dec, unit),
             rest=t("map_chosen_rest", value=muni_text))


def _table(r: svc_d.Ranked, meta, ind_id: str, dec: int, unit: str, chosen: str | None = None) -> None:
    """The ranked table: the map's accessible alternative, with each value's source; the chosen district
    is marked."""
    st.subheader(t("cmp_tab_rank"), anchor=False)
    ranked = r.ranked.copy()
    if chosen:
        ranked["name"] = [t("map_chosen_mark", name=n) if i == chosen else n
                          for i, n in zip(ranked["id"], ranked["name"], strict=True)]
    survey = meta["kind"] == "survey"
    table = pd.DataFrame({
        t("col_district"): ranked["name"],
        t("col_value", unit=unit): [fmt.cell(v, s_, dec) for v, s_ in zip(ranked["value"], ranked["status"],
                                                                           strict=True)],
    })
    if survey:  # register statistics have neither respondents nor a sampling interval
        table[t("col_ci")] = [f"{fmt.number(lo, dec)}–{fmt.number(hi, dec)}" if st_ == "ok" and pd.notna(lo)
                              else "" for lo, hi, st_ in zip(ranked["ci_low"], ranked["ci_high"], ranked["status"],
                                                             strict=True)]
        table[t("col_respondents")] = [fmt.number(n, 0) if st_ == "ok" and pd.notna(n) else fmt.MISSING
                                       for n, st_ in zip(ranked["n"], ranked["status"], strict=True)]
    table[t("col_source")] = [svc.source_label(s, f, d) if isinstance(s, str) else ""
                              for s, f, d in zip(ranked["source"], ranked["fetched_at"], ranked["value_is_demo"],
                                                 strict=True)]
    st.dataframe(table, hide_index=True, width="stretch", height=min(480, 38 + 35 * len(table)),
                 column_config={t("col_source"): st.column_config.TextColumn(width="large")})
    if survey:
        st.caption(t("map_survey_legend", threshold=cat.suppression_threshold(meta)))
    else:
        st.caption(t("map_register_legend", source=meta["source_name"]))
    for _, b in cat.series_breaks(ind_id).iterrows():
        st.caption(t("series_break", year=int(b["year"]), text=b["description"]))


def _summary(r: svc_d.Ranked, meta, year: int, gender: str, dec: int, unit: str) -> str:
    """One sentence with the highest and lowest district, and whether their difference is tested."""
    ok = r.ok
    text = t("map_summary", title=meta["short_title"], year=year,
             gender=gender_label(gender, meta["gender_labels"]).lower(), n=len(ok), total=len(r.merged))
    if len(ok):
        best, worst = ok.iloc[0], ok.iloc[-1]
        top, bottom = (best, worst) if meta["polarity"] != "lower_better" else (worst, best)
        text += t("map_summary_range", top=top["name"], top_value=fmt.with_unit(top["value"], dec, unit),
                  bottom=bottom["name"], bottom_value=fmt.with_unit(bottom["value"], dec, unit))
        if len(ok) > 1 and meta["polarity"] != "neutral":
            if pd.isna(top["ci_low"]):
                text += " – " + verdicts.UNTESTED + t("map_no_ci")
            elif pd.notna(bottom["ci_high"]) and top["ci_low"] > bottom["ci_high"]:
                text += " – " + verdicts.DISTRICT_SURE.format(best=best["name"], worst=worst["name"])
            else:
                text += " – " + verdicts.DISTRICT_NOT_SURE
    return text + t("map_summary_suppressed", n=r.n_suppressed)


@st.cache_resource(max_entries=128, show_spinner=False)
def _district_deck(ind_id: str, kommun: str, system: str, year: int, gender: str, selected: str | None,
                   basemap: bool, version_key: str) -> tuple:  # noqa: ARG001 - version_key keys the store build
    """The district choropleth for one indicator/year/gender, its JSON written once (maps.frozen)."""
    meta = svc_d.district_indicators().loc[ind_id]
    dist = svc_d.geometry(kommun, system)
    vals = svc_d.values(ind_id, kommun, system, year, gender)
    fc, breaks = maps.feature_collection(dist, vals, int(meta["decimals"]), meta["unit"], selected=selected,
                                         polarity=meta["polarity"])
    labels = maps.labels_frame(dist, vals)
    view = maps.view_for(list(dist["geometry"]), width_px=MAP_WIDTH, height_px=MAP_HEIGHT)
    deck = maps.choropleth(fc, labels, view, basemap=basemap, tooltip_code=t("map_tooltip_code"))
    return maps.frozen(deck), breaks


def _picked(event) -> str | None:
    try:
        objects = event.selection["objects"]
    except (AttributeError, KeyError, TypeError):
        return None
    for layer_objects in objects.values():
        for obj in layer_objects:
            props = obj.get("properties", obj)
            if "id" in props:
                return props["id"]
    return None
